import ArgumentParser
import EvidentCore
import EvidentGit
import Foundation

extension SignoffRole: ExpressibleByArgument {}

/// `evident signoff <file-or-person> --as <role> [--sign] [--cycle C]`: write a sign-off commit.
struct SignoffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "signoff",
        abstract: "Sign off a review: a commit bound to the review's committed content.",
        discussion: """
            Writes a commit on the current branch whose tree is its parent's, with the trailers \
            Evident-Signoff, Evident-File, Evident-Blob, Evident-Rating and Signed-off-by. The signer is the \
            person in people.yaml whose email is git's user.email; they must hold the role for that review. \
            The review must be committed, without staged or unstaged changes. The index and the work tree are \
            not touched. Exit 2 when the sign-off is refused; nothing is written then.
            """)

    @Argument(help: "A review file (cycles/<cycle>/<person>/review.md) or a person id.")
    var target: String

    @Option(name: .customLong("as"), help: "The role you sign off in: manager, skip-level, calibrator, hr or self.")
    var role: SignoffRole

    @Flag(help: "SSH-sign the commit with user.signingkey, as git commit -S does with gpg.format=ssh.")
    var sign = false

    @Option(help: "For a person id: the cycle (id or folder; default: the only cycle, else the latest).")
    var cycle: String?

    func run() throws {
        let cwd = FileManager.default.currentDirectoryPath
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
        let request = SignoffRequest(target: requestTarget, role: role, cycle: cycle, sign: sign)
        let result: SignoffResult
        do {
            result = try SignoffWriter.signOff(request, location: git)
        } catch let refusal as SignoffRefusal {
            throw EnvironmentError("cannot sign off: \(refusal.message)")
        } catch let error as GitError {
            throw EnvironmentError("cannot sign off: git: \(error.message)")
        }
        let subject = result.message.split(separator: "\n").first.map(String.init) ?? ""
        var details = ["blob \(result.blob.prefix(7))"]
        if let rating = result.rating { details.append("rating \(rating)") }
        if result.signed { details.append("SSH-signed") }
        if result.retries > 0 { details.append("after \(result.retries) retr\(result.retries == 1 ? "y" : "ies")") }
        Console.out(
            "[\(result.branch) \(result.commitID.prefix(7))] \(subject) (\(details.joined(separator: ", ")))\n")
    }

    /// A target naming a file rather than a person id: it has a slash or an extension,
    /// or exists on disk.
    static func looksLikePath(_ target: String) -> Bool {
        target.contains("/") || target.hasSuffix(".md") || target == "." || target == ".."
            || FileManager.default.fileExists(atPath: target)
    }
}
