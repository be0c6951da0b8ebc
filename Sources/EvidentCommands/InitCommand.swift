import ArgumentParser
import EvidentGit
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `evident init [dir]`: a working review repository from the templates.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a review repository from the templates.",
        discussion: """
            Writes evident.yaml, people.yaml, values.md, metrics.yaml, level guides, a team, a calibration \
            checklist, and the JSON Schemas editors use (.evident/schema). Runs git init when the folder is \
            not inside a git repository. Refuses to overwrite any file.
            """)

    @Argument(help: "The folder to create the repository in (default: the current folder).")
    var directory: String = "."

    @Option(help: "The organisation's name (default: the folder's name).")
    var organization: String?

    @Flag(help: "Turn sealing on: review files are stored encrypted to their readers (then run evident seal setup).")
    var sealed = false

    func run() throws {
        let root = RepositoryLocation.absolute(directory, from: FileManager.default.currentDirectoryPath)
        if FileManager.default.fileExists(atPath: root + "/evident.yaml") {
            throw EnvironmentError("\(root)/evident.yaml already exists; refusing to overwrite a review repository")
        }
        let name = organization ?? (root as NSString).lastPathComponent
        var planned: [(String, String)] = Templates.files(under: "init").map {
            ($0.path, Templates.fill($0.text, ["organization": Templates.yamlQuotedContent(name)]))
        }
        planned.append(("calibration-checklist.md", try Templates.text("templates/calibration-checklist.md")))
        if sealed {
            planned = planned.map { $0.0 == "evident.yaml" ? ($0.0, $0.1 + Self.sealingPolicy) : $0 }
            planned.append((".gitattributes", SealSetupCommand.attributeLines.joined(separator: "\n") + "\n"))
        }
        planned += Templates.schemas.map { (".evident/schema/\($0.name)", $0.text) }
        let clashes = planned.map(\.0).filter { FileManager.default.fileExists(atPath: root + "/" + $0) }
        guard clashes.isEmpty else {
            throw EnvironmentError("refusing to overwrite existing files: \(clashes.joined(separator: ", "))")
        }
        // All or nothing: a repository left half-written by a failed write (a full disk)
        // would make the next init refuse to run, so what this run created is removed.
        let newFolders = Self.missingFolders(for: planned.map(\.0), under: root)
        var created: [String] = []
        do {
            for (path, text) in planned {
                do {
                    try AtomicFile.create(path, under: root, contents: text)
                    created.append(root + "/" + path)
                } catch let exists as AtomicFile.Exists {
                    throw EnvironmentError("refusing to overwrite \(exists.path)")
                }
            }
        } catch {
            for path in created.reversed() { unlink(path) }
            for folder in newFolders { rmdir(folder) }  // deepest first; only if empty
            throw error
        }
        var gitNote = ""
        if (try? GitRepository.discover(startingAt: root)) == nil {
            do {
                _ = try GitRepository.initialize(at: root)
                gitNote = " and a new git repository"
            } catch {
                throw EnvironmentError("wrote the review repository but git init failed: \(error)")
            }
        }
        Console.out("Created a review repository for \(name) in \(root)\(gitNote) (\(planned.count) files).\n")
        Console.out("Next: evident new cycle <id> --start YYYY-MM-DD --end YYYY-MM-DD, then evident check.\n")
        Console.out(Self.keySetUp)
        if sealed { Console.out(Self.sealSetUp) }
    }

    /// The sealing block `--sealed` appends to evident.yaml (the default readers).
    static let sealingPolicy = """

        # Review files under cycles/ are stored encrypted (age format) to their readers' signing_keys;
        # `evident seal setup` once per clone lets readers edit plaintext. Readers default to:
        #   evidence, self: [person, manager-chain, calibrators]; peer: [author, manager-chain];
        #   review: [manager-chain, calibrators] (+ the person once the cycle is closed);
        #   private (## Private sections): [manager-chain]. People with role hr or ci read everything.
        sealing:
          enabled: true

        """

    static let sealSetUp = """
        Sealing is on (.gitattributes routes cycles/ through the evident filter). In every clone, once:
             evident seal setup
        Every reader needs an ssh-ed25519 signing_key in people.yaml; see docs/sealing.md.

        """

    /// What everyone who signs off does once. Printed by `init` because the repository it
    /// writes requires signed sign-offs, and a first sign-off refused for want of a key is
    /// a poor first experience.
    static let keySetUp = """

        Sign-offs in this repository must be SSH-signed (evident.yaml: signoff.require_signature: true).
        Everyone who signs off does this once:
          1. ssh-keygen -t ed25519 -f ~/.ssh/id_ed25519          (skip if you have a key)
          2. in people.yaml, under your entry:  signing_key: <the line in ~/.ssh/id_ed25519.pub>
          3. git config user.email <your email in people.yaml>
             git config gpg.format ssh
             git config user.signingkey ~/.ssh/id_ed25519.pub
        Then evident signoff signs each sign-off, and evident status shows it as verified. For git's own
        check (git verify-commit, git log --show-signature):
             evident allowed-signers --output .git/allowed_signers
             git config gpg.ssh.allowedSignersFile .git/allowed_signers

        """

    /// The folders (root included) that writing `paths` would create, deepest first.
    static func missingFolders(for paths: [String], under root: String) -> [String] {
        var folders = Set<String>()
        for path in paths {
            var folder = (root + "/" + path as NSString).deletingLastPathComponent
            while !FileManager.default.fileExists(atPath: folder), folders.insert(folder).inserted {
                folder = (folder as NSString).deletingLastPathComponent
            }
        }
        return folders.sorted { $0.count > $1.count }
    }
}
