import Foundation

/// Signs commit buffers with an SSH key the way git does (`gpg.format=ssh`), by running
/// `ssh-keygen -Y sign -n git`, so `git verify-commit` accepts the result.
///
/// We shell out rather than reimplement SSHSIG because ssh-keygen already handles every
/// key type, passphrase prompts and ssh-agent, exactly as git users have configured them.
public struct SSHSigner: Sendable {
    /// What `user.signingkey` named.
    public enum Key: Sendable, Equatable {
        /// A key file passed to `ssh-keygen -f`: a private key, or a public key whose
        /// private half is held by ssh-agent.
        case file(String)
        /// A literal public key ("ssh-ed25519 AAAA…"), its private half in ssh-agent.
        case literal(String)
    }

    public let key: Key
    /// The ssh-keygen to run (git's `gpg.ssh.program`), a path or a name on PATH.
    public let program: String

    /// - Parameter keyPath: a private key, or a `.pub` file; when the private half sits
    ///   beside a `.pub` (same name without `.pub`) that file is used. `~/` is expanded.
    public init(keyPath: String, program: String = "ssh-keygen") {
        self.key = .file(SSHSigner.resolveKeyPath(keyPath))
        self.program = program
    }

    public init(key: Key, program: String = "ssh-keygen") {
        if case .file(let path) = key {
            self.key = .file(SSHSigner.resolveKeyPath(path))
        } else {
            self.key = key
        }
        self.program = program
    }

    /// The signer git would use in `repository`: `user.signingkey` (a path or a literal
    /// `key::`/`ssh-…` public key) and `gpg.ssh.program`. Fails clearly when no key is
    /// configured or `gpg.format` names another format.
    public static func fromConfig(_ repository: GitRepository) throws -> SSHSigner {
        if let format = try repository.configString("gpg.format"), format.lowercased() != "ssh" {
            throw GitError(
                kind: .signing,
                message: "gpg.format is '\(format)'; sign-offs are signed with SSH keys (git config gpg.format ssh)",
                operation: "choose a signing key")
        }
        guard let configured = try repository.configString("user.signingkey")?.trimmingCharacters(in: .whitespaces),
            !configured.isEmpty
        else {
            throw GitError(
                kind: .signing,
                message:
                    "user.signingkey is not set; point it at your SSH key (git config user.signingkey ~/.ssh/id_ed25519.pub)",
                operation: "choose a signing key")
        }
        let program = try repository.configString("gpg.ssh.program") ?? "ssh-keygen"
        if configured.hasPrefix("key::") {
            return SSHSigner(key: .literal(String(configured.dropFirst(5))), program: program)
        }
        if configured.hasPrefix("ssh-") || configured.hasPrefix("ecdsa-") || configured.hasPrefix("sk-") {
            return SSHSigner(key: .literal(configured), program: program)
        }
        return SSHSigner(keyPath: configured, program: program)
    }

    /// Expands `~/` and prefers the private key beside a `.pub` file.
    static func resolveKeyPath(_ path: String) -> String {
        var path = path
        if path == "~" || path.hasPrefix("~/") {
            let home = ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()
            path = home + path.dropFirst(1)
        }
        if path.hasSuffix(".pub") {
            let privateHalf = String(path.dropLast(4))
            if FileManager.default.fileExists(atPath: privateHalf) { return privateHalf }
        }
        return path
    }

    /// Signs `data` and returns the armored SSH signature
    /// ("-----BEGIN SSH SIGNATURE-----…"), with ssh-keygen's message on failure.
    public func sign(_ data: Data) throws -> String {
        let scratch = try ScratchDirectory()
        let payload = scratch.url.appendingPathComponent("commit")
        try data.write(to: payload)
        let keyFile: String
        switch key {
        case .file(let path):
            guard FileManager.default.fileExists(atPath: path) else {
                throw GitError(
                    kind: .signing, message: "signing key '\(path)' does not exist", operation: "sign with ssh-keygen")
            }
            keyFile = path
        case .literal(let publicKey):
            let url = scratch.url.appendingPathComponent("key.pub")
            try Data((try SSHSigner.singleLine(publicKey, "public key") + "\n").utf8).write(to: url)
            keyFile = url.path
        }
        let run = try SSHSigner.run(
            program: program, arguments: ["-Y", "sign", "-n", "git", "-f", keyFile, payload.path],
            stdin: nil, scratch: scratch)
        let signatureURL = URL(fileURLWithPath: payload.path + ".sig")
        guard run.status == 0, let signature = try? String(contentsOf: signatureURL, encoding: .utf8),
            !signature.isEmpty
        else {
            throw GitError(
                kind: .signing,
                message:
                    "\(program) -Y sign failed (exit \(run.status)): \(run.errorText.isEmpty ? "no signature written" : run.errorText)",
                operation: "sign with ssh-keygen")
        }
        return signature
    }

    /// Whether `signature` is a valid `git`-namespace SSH signature of `signedData` by
    /// `publicKey` ("ssh-ed25519 AAAA… [comment]") for `principal` (usually the
    /// committer's email), checked with `ssh-keygen -Y verify` whatever the key type
    /// (`GitRepository.verifyCommitSignature` checks ed25519 keys in process instead). False on a bad or
    /// foreign signature; throws only when ssh-keygen cannot be run or inputs are unusable.
    ///
    /// The trust comes from `publicKey` alone: the allowed-signers file written here has
    /// one line binding `principal` to that key, so pass the key registered for the
    /// person the sign-off claims (people.yaml `signing_key`), never one read from the commit.
    public static func verify(
        signature: String, signedData: Data, publicKey: String, principal: String,
        program: String = "ssh-keygen"
    ) throws -> Bool {
        let key = try singleLine(publicKey, "public key")
        try checkPrincipal(principal)
        let scratch = try ScratchDirectory()
        let allowed = scratch.url.appendingPathComponent("allowed_signers")
        let sigFile = scratch.url.appendingPathComponent("signature.sig")
        let dataFile = scratch.url.appendingPathComponent("data")
        try Data("\(principal) \(key)\n".utf8).write(to: allowed)
        try Data((signature.hasSuffix("\n") ? signature : signature + "\n").utf8).write(to: sigFile)
        try signedData.write(to: dataFile)
        let run = try SSHSigner.run(
            program: program,
            arguments: ["-Y", "verify", "-f", allowed.path, "-I", principal, "-n", "git", "-s", sigFile.path],
            stdin: dataFile, scratch: scratch)
        return run.status == 0
    }

    /// Refuses a principal that would not be one word in an allowed-signers file (a
    /// wildcard or a second field there could widen whom a key speaks for).
    static func checkPrincipal(_ principal: String) throws {
        guard !principal.isEmpty,
            !principal.contains(where: { $0.isWhitespace || $0.isNewline || "\",*?!".contains($0) })
        else {
            throw GitError(
                kind: .invalidArgument,
                message: "principal '\(principal)' must be one word without quotes, commas or wildcards",
                operation: "verify SSH signature")
        }
    }

    private static func singleLine(_ text: String, _ what: String) throws -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        // A line break would add a second line to an allowed-signers file: refuse it.
        guard !trimmed.isEmpty, !trimmed.contains(where: \.isNewline), !trimmed.utf8.contains(0) else {
            throw GitError(
                kind: .invalidArgument, message: "the \(what) must be a single non-empty line",
                operation: "use SSH \(what)")
        }
        return trimmed
    }

    struct RunResult {
        let status: Int32
        let output: String
        let errorText: String
    }

    /// Runs a program with output captured in files (no pipes, so no pipe-buffer deadlock
    /// however much it prints) and the environment inherited (ssh-agent needs it).
    static func run(program: String, arguments: [String], stdin: URL?, scratch: ScratchDirectory) throws -> RunResult {
        guard let executable = findExecutable(program) else {
            throw GitError(
                kind: .signing, message: "cannot find '\(program)' (install openssh-client or set gpg.ssh.program)",
                operation: "run \(program)")
        }
        let outURL = scratch.url.appendingPathComponent("stdout")
        let errURL = scratch.url.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let outHandle = try FileHandle(forWritingTo: outURL)
        let errHandle = try FileHandle(forWritingTo: errURL)
        let inHandle = try stdin.map { try FileHandle(forReadingFrom: $0) } ?? FileHandle.nullDevice
        defer {
            try? outHandle.close()
            try? errHandle.close()
            if stdin != nil { try? inHandle.close() }
        }
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = inHandle
        do {
            try process.run()
        } catch {
            throw GitError(
                kind: .signing, message: "cannot run '\(executable)': \(error.localizedDescription)",
                operation: "run \(program)")
        }
        process.waitUntilExit()
        let output = (try? String(contentsOf: outURL, encoding: .utf8)) ?? ""
        let errorText = ((try? String(contentsOf: errURL, encoding: .utf8)) ?? "").trimmingCharacters(
            in: .whitespacesAndNewlines)
        return RunResult(status: process.terminationStatus, output: output, errorText: errorText)
    }

    static func findExecutable(_ program: String) -> String? {
        let fm = FileManager.default
        if program.contains("/") {
            let path = resolveKeyPath(program)
            return fm.isExecutableFile(atPath: path) ? path : nil
        }
        let searchPath = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in searchPath.split(separator: ":") where !dir.isEmpty {
            let candidate = String(dir) + "/" + program
            if fm.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}

/// A private (0700) temporary folder removed when the value is released, so signing
/// payloads and signatures never linger in /tmp.
final class ScratchDirectory {
    let url: URL

    init() throws {
        let base = FileManager.default.temporaryDirectory
        url = base.appendingPathComponent("evident-ssh-\(UUID().uuidString)", isDirectory: true)
        do {
            try FileManager.default.createDirectory(
                at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw GitError(
                kind: .signing, message: "cannot create a temporary folder: \(error.localizedDescription)",
                operation: "prepare SSH signing")
        }
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }
}

extension GitRepository {
    /// Whether commit `id` carries an SSH signature by `publicKey` for `principal` (the
    /// signer's email). False when the commit is unsigned or the signature does not verify.
    ///
    /// ssh-ed25519 keys are checked in process (`SSHSignatureVerification`), where the
    /// principal plays no part in the cryptography: the trust is `publicKey` itself. It is
    /// still refused when it could not be an allowed-signers principal, so a verdict never
    /// depends on the key type. Other key types (ssh-rsa, ecdsa, sk-…) run `ssh-keygen`.
    public func verifyCommitSignature(id: String, publicKey: String, principal: String) throws -> Bool {
        guard let signed = try commitSignature(id: id) else { return false }
        guard SSHEd25519PublicKey.isEd25519(publicKey) else {
            return try SSHSigner.verify(
                signature: signed.signature, signedData: signed.signedData,
                publicKey: publicKey, principal: principal)
        }
        try SSHSigner.checkPrincipal(principal)
        return try SSHSignatureVerification.verifyEd25519(
            signature: signed.signature, signedData: signed.signedData,
            publicKey: publicKey)
    }
}
