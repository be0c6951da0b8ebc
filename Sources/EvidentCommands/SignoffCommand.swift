import ArgumentParser
import EvidentCalibration
import EvidentCore
import EvidentGit
import EvidentReporters
import Foundation

extension SignoffRole: ExpressibleByArgument {}

/// `evident signoff`: write a sign-off commit — an approval, a dissent, a withdrawal, an
/// `hr` void of another sign-off, or the renewal of one's own stale sign-offs.
struct SignoffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "signoff",
        abstract: "Sign off a review: a commit bound to the review's committed content.",
        usage: """
            evident signoff <file-or-person> --as <role> [--sign] [--cycle C]
            evident signoff <file-or-person> --as <role> --dissent --reason "…"
            evident signoff <file-or-person> --as <role> --withdraw [--reason "…"]
            evident signoff --void <commit> --reason "…"
            evident signoff --renew [--as <role>] [--cycle C] [--yes]
            """,
        discussion: """
            Writes a commit on the current branch whose tree is its parent's, with the trailers \
            Evident-Signoff, Evident-File, Evident-Blob, Evident-Rating and Signed-off-by (plus Evident-Position \
            and Evident-Reason for a dissent, a withdrawal or a void). The signer is the person in people.yaml \
            whose email is git's user.email; they must hold the role for that review, and where evident.yaml \
            requires signatures the commit is SSH-signed with user.signingkey, which must be their signing_key. \
            A signer's newest sign-off of a file in a role replaces their older ones. The review must be \
            committed, without staged or unstaged changes. The index and the work tree are not touched. \
            Exit 2 when the sign-off is refused; nothing is written then.
            """)

    @Argument(help: "A review file (cycles/<cycle>/<person>/review.md) or a person id.")
    var target: String?

    @Option(name: .customLong("as"), help: "The role you sign off in: manager, skip-level, calibrator, hr or self.")
    var role: SignoffRole?

    @Flag(help: "SSH-sign the commit with user.signingkey (always done when evident.yaml requires signatures).")
    var sign = false

    @Option(help: "The cycle (id or folder); for a person id the default is the only cycle, else the latest.")
    var cycle: String?

    @Flag(help: "Sign the content while recording that you disagree with it; needs --reason.")
    var dissent = false

    @Flag(help: "Record that you no longer approve the review.")
    var withdraw = false

    @Option(help: "Why you dissent, withdraw or void (one paragraph; line breaks become spaces).")
    var reason: String?

    @Option(name: .customLong("void"), help: "hr only: cancel the sign-off commit <commit>; needs --reason.")
    var voidCommit: String?

    @Flag(help: "Sign again every review you signed whose content changed since, after showing what changed.")
    var renew = false

    @Flag(help: "With --renew: do not ask before each renewal.")
    var yes = false

    func validate() throws {
        let modes = [dissent, withdraw, voidCommit != nil, renew].filter { $0 }.count
        guard modes <= 1 else { throw ValidationError("use only one of --dissent, --withdraw, --void and --renew") }
        if voidCommit != nil {
            guard target == nil else { throw ValidationError("--void names a commit; give no review or person") }
            guard reason != nil else { throw ValidationError("--void needs --reason \"…\"") }
            return
        }
        if renew {
            guard target == nil else {
                throw ValidationError("--renew renews all your stale sign-offs; give no review or person")
            }
            return
        }
        guard target != nil else { throw ValidationError("name a review file or a person id") }
        guard role != nil else {
            throw ValidationError("missing --as <role> (manager, skip-level, calibrator, hr or self)")
        }
        if dissent && reason == nil { throw ValidationError("--dissent needs --reason \"…\"") }
        if reason != nil && !dissent && !withdraw {
            throw ValidationError("--reason goes with --dissent, --withdraw or --void")
        }
        if yes { throw ValidationError("--yes goes with --renew") }
    }

    func run() throws {
        let cwd = FileManager.default.currentDirectoryPath
        if let voidCommit {
            let location = try RepositoryLocation.locate([], currentDirectory: cwd)
            let git = try GitContext.require(reviewRoot: location.root, for: "sign-offs are git commits")
            let result = try Self.write {
                try SignoffWriter.void(VoidRequest(commit: voidCommit, reason: reason ?? "", sign: sign), location: git)
            }
            Self.print(result)
            return
        }
        if renew {
            try renewAll(currentDirectory: cwd)
            return
        }
        guard let target, let role else { return }
        let location: RepositoryLocation
        let requestTarget: SignoffRequest.Target
        if SignoffCommand.looksLikePath(target) {
            location = try RepositoryLocation.locate([target], currentDirectory: cwd)
            guard let file = location.files?.first, location.files?.count == 1, !file.hasSuffix("/") else {
                throw EnvironmentError("\(target) is not a review file; expected cycles/<cycle>/<person>/review.md")
            }
            requestTarget = .file(file)
        } else {
            location = try RepositoryLocation.locate([], currentDirectory: cwd)
            requestTarget = .person(target)
        }
        let git = try GitContext.require(reviewRoot: location.root, for: "sign-offs are git commits")
        let position: SignoffPosition = dissent ? .dissent : withdraw ? .withdraw : .approve
        let request = SignoffRequest(
            target: requestTarget, role: role, cycle: cycle, sign: sign, position: position, reason: reason)
        Self.print(try Self.write { try SignoffWriter.signOff(request, location: git) })
    }

    /// `--renew`: every review whose content changed since this signer approved it, with
    /// the semantic changes shown first; each is signed again only after a yes (or `--yes`).
    private func renewAll(currentDirectory cwd: String) throws {
        let location = try RepositoryLocation.locate([], currentDirectory: cwd)
        let git = try GitContext.require(reviewRoot: location.root, for: "sign-offs are git commits")
        guard let email = try? git.repository.configString("user.email"), !email.isEmpty else {
            throw EnvironmentError("cannot renew sign-offs: user.email is not set")
        }
        let renewal: SignoffRenewal
        do {
            guard let found = try SignoffRenewal.find(email: email, location: git, cycleFolder: cycle, role: role)
            else {
                throw EnvironmentError("cannot renew sign-offs: no one in people.yaml has the email \(email)")
            }
            renewal = found
        } catch let error as GitError {
            throw EnvironmentError("git: \(error.message)")
        }
        guard !renewal.candidates.isEmpty else {
            Console.out("No stale sign-offs by \(TerminalSanitizer.sanitize(renewal.signer.name)): nothing to renew.\n")
            return
        }
        if !yes && isatty(STDIN_FILENO) != 1 {
            throw EnvironmentError(
                "\(renewal.candidates.count) sign-off(s) to renew, and no terminal to ask on; read them with evident signoff --renew in a terminal, or pass --yes"
            )
        }
        var renewed = 0
        for candidate in renewal.candidates {
            var lines = [
                "\(candidate.file) as \(candidate.role.rawValue): you approved \(candidate.signedBlob.prefix(7)) "
                    + "(commit \(candidate.signedCommit.prefix(7))), now \(candidate.currentBlob.prefix(7))"
            ]
            if candidate.changes.isEmpty {
                lines.append("  no change to ratings, calibration or evidence (wording only)")
            }
            for change in candidate.changes { lines.append("  - \(change.summary)") }
            Console.out("\n" + lines.map { TerminalSanitizer.sanitize($0) + "\n" }.joined())
            if !yes {
                Console.out("Sign the current version as \(candidate.role.rawValue)? [y/N] ")
                guard let answer = readLine(), ["y", "yes"].contains(answer.lowercased()) else {
                    Console.out("  skipped\n")
                    continue
                }
            }
            let request = SignoffRequest(target: .file(candidate.file), role: candidate.role, sign: sign)
            Self.print(try Self.write { try SignoffWriter.signOff(request, location: git) })
            renewed += 1
        }
        Console.out("\nRenewed \(renewed) of \(renewal.candidates.count) sign-off(s).\n")
    }

    /// Runs a writer, turning refusals and git failures into exit-2 errors.
    private static func write(_ body: () throws -> SignoffResult) throws -> SignoffResult {
        do {
            return try body()
        } catch let refusal as SignoffRefusal {
            throw EnvironmentError("cannot sign off: \(refusal.message)")
        } catch let error as GitError {
            throw EnvironmentError("cannot sign off: git: \(error.message)")
        }
    }

    private static func print(_ result: SignoffResult) {
        let subject = result.message.split(separator: "\n").first.map(String.init) ?? ""
        var details = ["blob \(result.blob.prefix(7))"]
        if let rating = result.rating { details.append("rating \(rating)") }
        if result.signed { details.append("SSH-signed") }
        if result.retries > 0 { details.append("after \(result.retries) retr\(result.retries == 1 ? "y" : "ies")") }
        Console.out(
            TerminalSanitizer.sanitize(
                "[\(result.branch) \(result.commitID.prefix(7))] \(subject) (\(details.joined(separator: ", ")))")
                + "\n")
    }

    /// The command a plain sign-off line stands for, read without ArgumentParser: a
    /// target, each known option at most once (`--as manager`, not `--as=manager`), with
    /// a value that does not start with a dash, and a valid combination. Anything else
    /// (help, a mistake, a repeated or unknown option, `--`) is nil, and ArgumentParser
    /// parses the line as before, so its errors and help read as they always did.
    ///
    /// Why: ArgumentParser builds a command's argument set by reflecting its property
    /// wrappers (Swift type metadata looked up by name) and checks for a completion-script
    /// request the same way, 12 M instructions of a sign-off that must take under 20 ms.
    /// `ArgumentParsingTests` holds this reading to ArgumentParser's for every shape.
    static func quickParse(_ arguments: [String]) -> SignoffCommand? {
        guard arguments.first == "signoff" else { return nil }
        var target: String?
        var values: [String: String] = [:]
        var flags: Set<String> = []
        var rest = arguments.dropFirst()[...]
        while let token = rest.popFirst() {
            guard !token.isEmpty else { return nil }
            if !token.hasPrefix("-") {
                // One positional, and never a word ArgumentParser could read as help.
                guard target == nil, token != "help" else { return nil }
                target = token
            } else if ["--as", "--cycle", "--reason", "--void"].contains(token) {
                guard values[token] == nil, let value = rest.popFirst(), !value.isEmpty, !value.hasPrefix("-")
                else { return nil }
                values[token] = value
            } else if ["--sign", "--dissent", "--withdraw", "--renew", "--yes"].contains(token) {
                guard flags.insert(token).inserted else { return nil }
            } else {
                return nil
            }
        }
        var command = SignoffCommand()
        command.target = target
        if let role = values["--as"] {
            guard let parsed = SignoffRole(rawValue: role) else { return nil }
            command.role = parsed
        } else {
            command.role = nil
        }
        command.cycle = values["--cycle"]
        command.reason = values["--reason"]
        command.voidCommit = values["--void"]
        command.sign = flags.contains("--sign")
        command.dissent = flags.contains("--dissent")
        command.withdraw = flags.contains("--withdraw")
        command.renew = flags.contains("--renew")
        command.yes = flags.contains("--yes")
        guard (try? command.validate()) != nil else { return nil }
        return command
    }

    /// A target naming a file rather than a person id: it has a slash or an extension,
    /// or exists on disk.
    static func looksLikePath(_ target: String) -> Bool {
        target.contains("/") || target.hasSuffix(".md") || target == "." || target == ".."
            || FileManager.default.fileExists(atPath: target)
    }
}
