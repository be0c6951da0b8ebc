import ArgumentParser
import EvidentCore
import Foundation

/// `evident allowed-signers [--output F]`: git's allowed-signers file from people.yaml.
///
/// Evident verifies sign-off signatures against `signing_key` itself; this lets git do
/// the same (`git verify-commit`, `git log --show-signature` with
/// `gpg.ssh.allowedSignersFile`), so anyone can check a sign-off with git alone.
struct AllowedSignersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "allowed-signers",
        abstract: "Write git's SSH allowed-signers file from the signing keys in people.yaml.",
        discussion: """
            One line per person with a signing_key: their email as the principal, limited to the git \
            namespace. Emails that ssh-keygen would read as patterns (*, ?, !, commas, quotes, spaces) and keys \
            that are not one line are left out with a warning, so no line can match someone else. Use with \
            git config gpg.ssh.allowedSignersFile <file>.
            """)

    @Argument(help: "The review repository or a folder in it (default: the current folder).")
    var paths: [String] = []

    @Option(help: "Write to this file (atomically) instead of standard output.")
    var output: String?

    func run() throws {
        let location = try RepositoryLocation.locate(paths)
        let organisation: Organisation
        organisation = try RepositoryLoader.load(from: try DiskSource(root: location.root))
        var text = ""
        for person in organisation.people {
            guard let key = person.signingKey?.trimmingCharacters(in: .whitespaces), !key.isEmpty else { continue }
            let email = person.email
            let badEmail =
                email.isEmpty
                || email.unicodeScalars.contains {
                    "*?!,\"\\ \t".unicodeScalars.contains($0) || $0.value < 0x20 || $0.value == 0x7F
                }
            let parts = key.split(separator: " ", omittingEmptySubsequences: true)
            let badKey =
                parts.count < 2 || key.contains(where: \.isNewline)
                || !parts[0].hasPrefix("ssh-") && !parts[0].hasPrefix("ecdsa-") && !parts[0].hasPrefix("sk-")
            if badEmail || badKey {
                Console.error(
                    "warning: left out \(person.id.value): \(badEmail ? "its email cannot be an exact principal" : "its signing_key is not one SSH public key line")"
                )
                continue
            }
            text += "\(email) namespaces=\"git\" \(parts[0]) \(parts[1])\n"
        }
        if let output {
            let path = RepositoryLocation.absolute(output, from: FileManager.default.currentDirectoryPath)
            do {
                try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            } catch {
                throw EnvironmentError("cannot write \(path): \(error.localizedDescription)")
            }
        } else {
            Console.out(text)
        }
    }
}
