import EvidentTestSupport
import Foundation
import XCTest

@testable import EvidentGit

/// The in-process ed25519 verifier against the real clients: every case is a commit whose
/// `gpgsig` header is judged by `git verify-commit` (gpg.format=ssh, an allowed-signers
/// file), by `ssh-keygen -Y verify` directly, and by `GitRepository.verifyCommitSignature`.
///
/// The verdicts must agree, with one allowed difference: the in-process verifier may
/// refuse a spelling that ssh-keygen tolerates (text after the armour, spaces in the
/// base64, version 0, a reserved field, a final NUL in a name, a malleated S), and then
/// only for the reason the case expects. It must never accept what ssh-keygen refuses.
final class SSHSignatureDifferentialTests: XCTestCase {
    /// One randomly chosen seed per run, or `EVIDENT_TEST_SEED` to replay a failure.
    static let seed = SeededGenerator.runSeed

    var tools: SSHTools!
    var dir: TempDir!
    var repo: TempRepo!
    var erin: SSHTestKey!
    var allowedSigners: String!

    override func setUpWithError() throws {
        TestEnvironment.prepare()
        tools = try SSHTools.find()
        dir = try TempDir()
        repo = try TempRepo()
        erin = try tools.makeKey(in: dir, name: "erin", type: "ed25519")
        allowedSigners = dir.path + "/allowed_signers"
        try Data("erin@acme.example \(erin.publicKey)\n".utf8).write(to: URL(fileURLWithPath: allowedSigners))
    }

    // MARK: The three verdicts

    struct Verdicts {
        var git: Bool
        var sshKeygen: Bool
        var inProcess: Bool
        /// Why the in-process verifier refused, nil when it accepted.
        var reason: SSHSignatureError.Reason?
    }

    /// A commit by Erin with `message`, its unsigned text (what git signs).
    func payload(message: String = "Sign off alice's review as calibrator\n\nEvident-Signoff: calibrator\n") throws
        -> String
    {
        let tree = try repo.git("rev-parse", "HEAD^{tree}")
        let parent = try repo.git("rev-parse", "HEAD")
        return "tree \(tree)\nparent \(parent)\n"
            + "author Erin Park <erin@acme.example> 1767225600 +0000\n"
            + "committer Erin Park <erin@acme.example> 1767225600 +0000\n\n" + message
    }

    /// Writes `payload` with `armour` as its gpgsig header (continuation lines start with
    /// a space, as git writes them) and returns the commit id.
    func commit(_ payload: String, armour: String) throws -> String {
        let separator = payload.range(of: "\n\n")!
        var header = armour
        if header.hasSuffix("\n") { header.removeLast() }
        let gpgsig = "gpgsig " + header.replacingOccurrences(of: "\n", with: "\n ") + "\n"
        let text =
            String(payload[..<separator.lowerBound]) + "\n" + gpgsig
            + String(payload[payload.index(after: separator.lowerBound)...])
        let result = try runProcess(
            tools.git, ["hash-object", "-t", "commit", "-w", "--literally", "--stdin"], in: repo.path,
            stdin: Data(text.utf8))
        guard result.status == 0 else { throw TestFailure("git hash-object: \(result.stderr)") }
        return result.trimmed
    }

    /// - Parameter withGit: also run `git verify-commit` (three processes); when false the
    ///   git verdict is taken to be ssh-keygen's, for the long loops.
    func verdicts(armour: String, payload: String, expectedKey: String? = nil, withGit: Bool = true) throws -> Verdicts
    {
        let key = expectedKey ?? erin.publicKey
        let id = try commit(payload, armour: armour)
        let sshKeygen = try tools.verify(armour: armour, data: Data(payload.utf8), publicKey: key, in: dir)
        var gitVerdict = sshKeygen
        if withGit {
            let git = try runProcess(
                tools.git,
                [
                    "-c", "gpg.format=ssh", "-c", "gpg.ssh.allowedSignersFile=\(allowedSigners!)",
                    "verify-commit", id,
                ], in: repo.path)
            gitVerdict = git.status == 0
        }
        let repository = try GitRepository.open(path: repo.path)
        let inProcess = try repository.verifyCommitSignature(id: id, publicKey: key, principal: "erin@acme.example")
        // The same signature as libgit2 hands it over, for the reason.
        let extracted = try XCTUnwrap(repository.commitSignature(id: id))
        var reason: SSHSignatureError.Reason?
        do {
            try SSHSignatureVerification.checkEd25519(
                signature: extracted.signature, signedData: extracted.signedData, publicKey: key)
        } catch let error as SSHSignatureError {
            reason = error.reason
        }
        XCTAssertEqual(inProcess, reason == nil, "verify and check agree")
        XCTAssertEqual(extracted.signedData, Data(payload.utf8), "libgit2 gives back the signed text")
        return Verdicts(git: gitVerdict, sshKeygen: sshKeygen, inProcess: inProcess, reason: reason)
    }

    /// Asserts the verdicts agree, or differ only as `stricter` allows.
    func assertAgree(
        _ v: Verdicts, _ name: String, expected: Bool? = nil, stricter: [SSHSignatureError.Reason] = [],
        file: StaticString = #filePath, line: UInt = #line
    ) {
        let context = "\(name) (seed \(Self.seed); replay with EVIDENT_TEST_SEED=\(Self.seed))"
        XCTAssertEqual(
            v.git, v.sshKeygen, "git verify-commit and ssh-keygen -Y verify disagree: \(context)", file: file,
            line: line)
        if let expected {
            XCTAssertEqual(v.sshKeygen, expected, "ssh-keygen's verdict: \(context)", file: file, line: line)
        }
        if v.inProcess {
            XCTAssertTrue(
                v.sshKeygen, "in process accepted what ssh-keygen refuses: \(context)", file: file, line: line)
        } else if v.sshKeygen {
            XCTAssertTrue(
                v.reason.map { stricter.contains($0) } ?? false,
                "in process refused (\(String(describing: v.reason))) what ssh-keygen accepts: \(context)", file: file,
                line: line)
        }
    }

    // MARK: Valid signatures, wrong keys, wrong data

    func testValidSignaturesWithBothHashAlgorithms() throws {
        let payload = try payload()
        for hash in ["sha512", "sha256"] {
            let armour = try tools.sign(payload, key: erin, hash: hash, in: dir)
            let blob = try SSHSignatureBlob(armoured: armour)
            XCTAssertEqual(
                String(decoding: blob.hashAlgorithm, as: UTF8.self), hash, "ssh-keygen made a \(hash) signature")
            let v = try verdicts(armour: armour, payload: payload)
            assertAgree(v, "valid \(hash)", expected: true)
            XCTAssertTrue(v.inProcess, "a valid \(hash) signature verifies in process")
            XCTAssertTrue(v.git)
        }
        // git's own signing (gpg.format=ssh, commit -S) verifies too, with the comment ignored.
        try repo.git(
            "-c", "gpg.format=ssh", "-c", "user.signingkey=\(erin.path)", "-c", "user.email=erin@acme.example",
            "commit", "-q", "--allow-empty", "-S", "-m", "Signed by git")
        let id = try repo.git("rev-parse", "HEAD")
        let git = try GitRepository.open(path: repo.path)
        let keyWithOtherComment =
            erin.publicKey.split(separator: " ").prefix(2).joined(separator: " ") + " some other comment"
        XCTAssertTrue(
            try git.verifyCommitSignature(id: id, publicKey: keyWithOtherComment, principal: "erin@acme.example"))
        XCTAssertTrue(
            try git.verifyCommitSignature(id: id, publicKey: erin.publicKey + "\n", principal: "anyone@else.example"),
            "the principal plays no part in ed25519 verification: the key is the trust")
        XCTAssertThrowsError(
            try git.verifyCommitSignature(id: id, publicKey: erin.publicKey, principal: "*"),
            "a principal that could not be written to allowed signers is refused whatever the key type")
    }

    func testWrongKeyTamperedPayloadAndWrongNamespace() throws {
        let payload = try payload()
        let mallory = try tools.makeKey(in: dir, name: "mallory", type: "ed25519")
        let byMallory = try verdicts(armour: try tools.sign(payload, key: mallory, in: dir), payload: payload)
        assertAgree(byMallory, "signed by another ed25519 key", expected: false)
        XCTAssertEqual(byMallory.reason, .keyMismatch)

        let armour = try tools.sign(payload, key: erin, in: dir)
        let tamperedPayloads = [
            try self.payload(message: "Sign off alice's review as calibrator\n\nEvident-Signoff: hr\n"),
            payload + "\n",
            payload.replacingOccurrences(of: "1767225600 +0000\ncommitter", with: "1767225601 +0000\ncommitter"),
            payload.replacingOccurrences(of: "Erin Park <erin", with: "Mallory <erin"),
        ]
        for (index, tampered) in tamperedPayloads.enumerated() {
            let v = try verdicts(armour: armour, payload: tampered)
            assertAgree(v, "tampered payload \(index)", expected: false)
            XCTAssertEqual(v.reason, .invalidSignature)
        }

        let fileNamespace = try tools.sign(payload, key: erin, namespace: "file", in: dir)
        let v = try verdicts(armour: fileNamespace, payload: payload)
        assertAgree(v, "namespace file", expected: false)
        XCTAssertEqual(v.reason, .namespace)
        // Control: the same signature is good in its own namespace, in both verifiers.
        XCTAssertTrue(
            try SSHSignatureVerification.verifyEd25519(
                signature: fileNamespace, signedData: Data(payload.utf8),
                publicKey: erin.publicKey, namespace: "file"))
        XCTAssertTrue(
            try tools.verify(
                armour: fileNamespace, data: Data(payload.utf8), publicKey: erin.publicKey,
                namespace: "file", in: dir))
    }

    func testOtherKeyTypesAgainstAnEd25519KeyAndThroughSSHKeygen() throws {
        let payload = try payload()
        let rsa = try tools.makeKey(in: dir, name: "erin-rsa", type: "rsa")
        let byRSA = try tools.sign(payload, key: rsa, in: dir)
        let v = try verdicts(armour: byRSA, payload: payload)
        assertAgree(v, "RSA signature checked against the ed25519 key", expected: false)
        XCTAssertEqual(v.reason, .keyMismatch)

        // An RSA or ECDSA key in people.yaml goes through ssh-keygen, which verifies it.
        let ecdsa = try tools.makeKey(in: dir, name: "erin-ecdsa", type: "ecdsa")
        let git = try GitRepository.open(path: repo.path)
        for key in [rsa, ecdsa] {
            let id = try commit(payload, armour: try tools.sign(payload, key: key, in: dir))
            XCTAssertTrue(
                try git.verifyCommitSignature(id: id, publicKey: key.publicKey, principal: "erin@acme.example"),
                key.name)
            XCTAssertFalse(
                try git.verifyCommitSignature(id: id, publicKey: erin.publicKey, principal: "erin@acme.example"),
                key.name)
        }
        let ed25519Commit = try commit(payload, armour: try tools.sign(payload, key: erin, in: dir))
        XCTAssertFalse(
            try git.verifyCommitSignature(id: ed25519Commit, publicKey: rsa.publicKey, principal: "erin@acme.example"),
            "an ed25519 signature does not verify against an RSA key (ssh-keygen path)")
    }

    // MARK: Damaged signatures

    func testEveryByteOfTheBlobFlipped() throws {
        var random = SeededGenerator(seed: Self.seed)
        let payload = try payload()
        let armour = try tools.sign(payload, key: erin, in: dir)
        let blob = try XCTUnwrap(Self.decodeArmour(armour))
        XCTAssertEqual(try SSHSignatureBlob(decoding: blob).version, 1)
        var refusedByBoth = 0
        for position in 0..<blob.count {
            var damaged = blob
            let mask = UInt8.random(in: 1...255, using: &random)
            damaged[damaged.startIndex + position] ^= mask
            // git verify-commit on every fourth position (it runs ssh-keygen twice itself).
            let v = try verdicts(armour: Self.armour(damaged), payload: payload, withGit: position % 4 == 0)
            // Only the version's last byte can turn into 0, which ssh-keygen accepts.
            assertAgree(v, "byte \(position) of \(blob.count) xor \(mask)", stricter: [.version(0)])
            XCTAssertFalse(v.inProcess, "byte \(position) xor \(mask) still verifies (seed \(Self.seed))")
            if !v.sshKeygen { refusedByBoth += 1 }
        }
        XCTAssertGreaterThanOrEqual(refusedByBoth, blob.count - 1)
    }

    func testArmourCharactersReplacedAtRandom() throws {
        var random = SeededGenerator(seed: Self.seed ^ 0x5EED)
        let payload = try payload()
        let armour = try tools.sign(payload, key: erin, hash: "sha256", in: dir)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var bytes = Array(armour.utf8)
        if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
        let bodyStart = bytes.firstIndex(of: UInt8(ascii: "\n"))! + 1
        let bodyEnd = bytes.lastIndex(of: UInt8(ascii: "\n"))!
        let positions = (bodyStart..<bodyEnd).filter { alphabet.contains(bytes[$0]) }
        for _ in 0..<40 {
            let position = positions.randomElement(using: &random)!
            var damaged = bytes
            damaged[position] = alphabet.filter { $0 != bytes[position] }.randomElement(using: &random)!
            let v = try verdicts(
                armour: String(decoding: damaged, as: UTF8.self), payload: payload, withGit: position % 4 == 0)
            assertAgree(v, "armour character \(position) replaced", stricter: [.version(0)])
        }
    }

    func testTruncatedArmour() throws {
        var random = SeededGenerator(seed: Self.seed ^ 0x7C)
        let payload = try payload()
        let armour = try tools.sign(payload, key: erin, in: dir)
        let text = Array(armour.utf8.dropLast())  // git stores it without the final newline
        var cuts = Set(text.indices.filter { text[$0] == UInt8(ascii: "\n") })  // at every line break
        for _ in 0..<25 { cuts.insert(Int.random(in: 1..<text.count, using: &random)) }
        cuts.insert(text.count - 1)
        for cut in cuts.sorted() {
            let v = try verdicts(armour: String(decoding: text[..<cut], as: UTF8.self), payload: payload)
            assertAgree(v, "armour cut to \(cut) of \(text.count) bytes", expected: false)
            XCTAssertFalse(v.inProcess)
        }
        // Whole lines removed from the body, footer kept.
        var lines = armour.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines.removeLast()  // the empty string after the final newline
        for index in 1..<(lines.count - 1) {
            var shorter = lines
            shorter.remove(at: index)
            let v = try verdicts(armour: shorter.joined(separator: "\n"), payload: payload)
            assertAgree(v, "body line \(index) removed", expected: false)
        }
    }

    func testTextAroundAndInsideTheArmour() throws {
        let payload = try payload()
        let armour = String(try tools.sign(payload, key: erin, in: dir).dropLast())
        var lines = armour.split(separator: "\n").map(String.init)

        let before = try verdicts(armour: "junk\n" + armour, payload: payload)
        assertAgree(before, "text before the header", expected: false)
        XCTAssertEqual(before.reason, .textAroundArmour)

        let after = try verdicts(armour: armour + "\ntrailing junk", payload: payload)
        assertAgree(after, "text after the footer", stricter: [.textAroundArmour])
        XCTAssertTrue(after.sshKeygen, "ssh-keygen ignores what follows the footer")
        XCTAssertEqual(after.reason, .textAroundArmour)

        lines[1].insert(" ", at: lines[1].index(lines[1].startIndex, offsetBy: 10))
        let spaced = try verdicts(armour: lines.joined(separator: "\n"), payload: payload)
        assertAgree(spaced, "a space inside the base64", stricter: [.armour])
        XCTAssertEqual(spaced.reason, .armour)

        let crlf = try verdicts(armour: armour.replacingOccurrences(of: "\n", with: "\r\n"), payload: payload)
        assertAgree(crlf, "CRLF line ends", expected: false)

        let lowercaseHeader = try verdicts(
            armour: armour.replacingOccurrences(of: "BEGIN SSH", with: "BEGIN ssh"), payload: payload)
        assertAgree(lowercaseHeader, "another header", expected: false)
        XCTAssertEqual(lowercaseHeader.reason, .armour)

        let pgp = try verdicts(
            armour: "-----BEGIN PGP SIGNATURE-----\n\niQEz\n-----END PGP SIGNATURE-----", payload: payload)
        assertAgree(pgp, "an OpenPGP signature", expected: false)
    }

    /// Blobs built by hand: the fields ssh-keygen reads loosely, and malformed encodings.
    func testCraftedBlobs() throws {
        let payload = try payload()
        let armour = try tools.sign(payload, key: erin, in: dir)
        let fields = try SSHSignatureBlob(armoured: armour)
        func build(
            version: UInt32 = 1, key: Data? = nil, namespace: Data = Data("git".utf8), reserved: Data = Data(),
            hash: Data? = nil, signature: Data? = nil, trailing: Data = Data()
        ) -> String {
            var blob = Data("SSHSIG".utf8)
            blob.append(contentsOf: [
                UInt8(version >> 24), UInt8(version >> 16 & 0xFF), UInt8(version >> 8 & 0xFF), UInt8(version & 0xFF),
            ])
            blob.appendSSHString(key ?? fields.publicKey)
            blob.appendSSHString(namespace)
            blob.appendSSHString(reserved)
            blob.appendSSHString(hash ?? fields.hashAlgorithm)
            blob.appendSSHString(signature ?? fields.signature)
            blob.append(trailing)
            return Self.armour(blob)
        }
        let rebuilt = try verdicts(armour: build(), payload: payload)
        assertAgree(rebuilt, "control: the blob re-encoded unchanged", expected: true)
        XCTAssertTrue(rebuilt.inProcess)

        let versionZero = try verdicts(armour: build(version: 0), payload: payload)
        assertAgree(versionZero, "version 0", stricter: [.version(0)])
        XCTAssertEqual(versionZero.reason, .version(0))
        assertAgree(try verdicts(armour: build(version: 2), payload: payload), "version 2", expected: false)

        let reserved = try verdicts(armour: build(reserved: Data("tag".utf8)), payload: payload)
        assertAgree(reserved, "a non-empty reserved field", stricter: [.reservedNotEmpty])
        XCTAssertEqual(reserved.reason, .reservedNotEmpty)

        let sha384 = try verdicts(armour: build(hash: Data("sha384".utf8)), payload: payload)
        assertAgree(sha384, "hash algorithm sha384", expected: false)
        XCTAssertEqual(sha384.reason, .hashAlgorithm)

        let trailing = try verdicts(armour: build(trailing: Data([0])), payload: payload)
        assertAgree(trailing, "a byte after the last field", expected: false)
        XCTAssertEqual(trailing.reason, .blobFormat)

        // ssh-keygen reads these fields as C strings and lets a final NUL through
        // ("git\0" is "git" to it); a NUL anywhere else it refuses.
        let namespaceNUL = try verdicts(armour: build(namespace: Data("git\0".utf8)), payload: payload)
        assertAgree(namespaceNUL, "namespace with a final NUL", stricter: [.namespace])
        XCTAssertEqual(namespaceNUL.reason, .namespace)
        let hashNUL = try verdicts(armour: build(hash: Data("sha512\0".utf8)), payload: payload)
        assertAgree(hashNUL, "hash algorithm with a final NUL", stricter: [.hashAlgorithm])
        XCTAssertEqual(hashNUL.reason, .hashAlgorithm)
        assertAgree(
            try verdicts(armour: build(namespace: Data("gi\0t".utf8)), payload: payload), "namespace with a NUL inside",
            expected: false)

        var sigReader = SSHWireReader(fields.signature)
        let sigType = try XCTUnwrap(sigReader.string())
        let sigBytes = try XCTUnwrap(sigReader.string())
        func signatureField(_ type: Data, _ bytes: Data, trailing: Data = Data()) -> Data {
            var out = Data()
            out.appendSSHString(type)
            out.appendSSHString(bytes)
            out.append(trailing)
            return out
        }
        let extra = try verdicts(
            armour: build(signature: signatureField(sigType, sigBytes, trailing: Data([1]))), payload: payload)
        assertAgree(extra, "bytes after the ed25519 signature", expected: false)
        XCTAssertEqual(extra.reason, .signatureFormat)
        let short = try verdicts(
            armour: build(signature: signatureField(sigType, sigBytes.prefix(63))), payload: payload)
        assertAgree(short, "a 63-byte ed25519 signature", expected: false)
        let otherType = try verdicts(
            armour: build(signature: signatureField(Data("ssh-rsa".utf8), sigBytes)), payload: payload)
        assertAgree(otherType, "signature labelled ssh-rsa", expected: false)

        // S + L: the same signature, malleated. Ed25519 (RFC 8032) requires S < L.
        var s = Array(sigBytes.suffix(32))
        let order: [UInt8] = [
            0xED, 0xD3, 0xF5, 0x5C, 0x1A, 0x63, 0x12, 0x58, 0xD6, 0x9C, 0xF7, 0xA2, 0xDE, 0xF9, 0xDE, 0x14,
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
        ]
        var carry = 0
        for i in 0..<32 {
            let sum = Int(s[i]) + Int(order[i]) + carry
            s[i] = UInt8(sum & 0xFF)
            carry = sum >> 8
        }
        let malleated = try verdicts(
            armour: build(signature: signatureField(sigType, sigBytes.prefix(32) + Data(s))), payload: payload)
        assertAgree(malleated, "S + L", stricter: [.nonCanonicalSignature])
        XCTAssertEqual(malleated.reason, .nonCanonicalSignature)
        print("ssh-keygen's verdict on an S + L malleated ed25519 signature: \(malleated.sshKeygen)")

        // Base64 whose unused low bits are set: another spelling of the same blob.
        var body = Array(build().utf8)
        if let pad = body.firstIndex(of: UInt8(ascii: "=")) {
            let last = body[pad - 1]
            let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
            let index = alphabet.firstIndex(of: last)!
            body[pad - 1] = alphabet[index | 1]
            if body[pad - 1] != last {
                let v = try verdicts(armour: String(decoding: body, as: UTF8.self), payload: payload)
                assertAgree(v, "non-canonical base64", expected: false)
                XCTAssertEqual(v.reason, .base64)
            }
        } else {
            XCTFail("an ed25519 SSHSIG blob (173 bytes) armours with padding")
        }
    }

    // MARK: Helpers

    static func decodeArmour(_ armour: String) -> Data? {
        let body = armour.split(separator: "\n").dropFirst().dropLast().joined()
        return Data(base64Encoded: body)
    }

    /// Armour the way ssh-keygen writes it: 70 columns, final newline.
    static func armour(_ blob: Data) -> String {
        let text = blob.base64EncodedString()
        var lines: [Substring] = []
        var start = text.startIndex
        while start < text.endIndex {
            let end = text.index(start, offsetBy: 70, limitedBy: text.endIndex) ?? text.endIndex
            lines.append(text[start..<end])
            start = end
        }
        return "-----BEGIN SSH SIGNATURE-----\n" + lines.joined(separator: "\n") + "\n-----END SSH SIGNATURE-----\n"
    }
}

/// A key made by ssh-keygen for a test.
struct SSHTestKey {
    let name: String
    let path: String
    let publicKey: String
}

/// ssh-keygen and git from PATH; a test that needs them fails, never skips, without them.
struct SSHTools {
    let sshKeygen: String
    let git: String

    static func find(file: StaticString = #filePath, line: UInt = #line) throws -> SSHTools {
        guard let sshKeygen = SSHSigner.findExecutable("ssh-keygen") else {
            XCTFail("ssh-keygen is not on PATH (scripts/setup.sh installs openssh-client)", file: file, line: line)
            throw TestFailure("ssh-keygen missing")
        }
        guard let git = SSHSigner.findExecutable("git") else {
            XCTFail("git is not on PATH (scripts/setup.sh installs it)", file: file, line: line)
            throw TestFailure("git missing")
        }
        return SSHTools(sshKeygen: sshKeygen, git: git)
    }

    func makeKey(in dir: TempDir, name: String, type: String) throws -> SSHTestKey {
        let path = dir.path + "/" + name
        var arguments = ["-q", "-t", type, "-N", "", "-C", name, "-f", path]
        if type == "rsa" { arguments += ["-b", "3072"] }
        let result = try runProcess(sshKeygen, arguments)
        guard result.status == 0 else { throw TestFailure("ssh-keygen -t \(type): \(result.stderr)") }
        let publicKey = try String(contentsOfFile: path + ".pub", encoding: .utf8).trimmingCharacters(
            in: .whitespacesAndNewlines)
        return SSHTestKey(name: name, path: path, publicKey: publicKey)
    }

    /// `ssh-keygen -Y sign`, returning the armour as written (with its final newline).
    func sign(_ payload: String, key: SSHTestKey, namespace: String = "git", hash: String? = nil, in dir: TempDir)
        throws -> String
    {
        let file = dir.path + "/payload-\(UUID().uuidString)"
        try Data(payload.utf8).write(to: URL(fileURLWithPath: file))
        defer {
            try? FileManager.default.removeItem(atPath: file)
            try? FileManager.default.removeItem(atPath: file + ".sig")
        }
        var arguments = ["-Y", "sign", "-n", namespace, "-f", key.path]
        if let hash { arguments += ["-O", "hashalg=\(hash)"] }
        let result = try runProcess(sshKeygen, arguments + [file])
        guard result.status == 0 else { throw TestFailure("ssh-keygen -Y sign: \(result.stderr)") }
        return try String(contentsOfFile: file + ".sig", encoding: .utf8)
    }

    /// `ssh-keygen -Y verify` with an allowed-signers file holding `publicKey` alone.
    func verify(armour: String, data: Data, publicKey: String, namespace: String = "git", in dir: TempDir) throws
        -> Bool
    {
        let id = UUID().uuidString
        let allowed = dir.path + "/allowed-\(id)"
        let signature = dir.path + "/sig-\(id)"
        defer {
            try? FileManager.default.removeItem(atPath: allowed)
            try? FileManager.default.removeItem(atPath: signature)
        }
        try Data("erin@acme.example \(publicKey)\n".utf8).write(to: URL(fileURLWithPath: allowed))
        try Data(armour.utf8).write(to: URL(fileURLWithPath: signature))
        let result = try runProcess(
            sshKeygen, ["-Y", "verify", "-f", allowed, "-I", "erin@acme.example", "-n", namespace, "-s", signature],
            stdin: data)
        return result.status == 0
    }
}
