import ArgumentParser
import EvidentCore
import EvidentFilter
import EvidentGit
import EvidentRules
import Foundation

/// `evident seal setup` and the git filter it installs (`evident seal filter-process`).
struct SealCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seal",
        abstract: "Encrypt review files to their readers (age format) through a git filter.",
        subcommands: [
            SealSetupCommand.self, SealStatusCommand.self, SealFilterProcessCommand.self, SealTextconvCommand.self,
        ])
}

/// Configures this clone: the `evident` filter driver in git config and
/// `/cycles/** filter=evident` in the review repository's .gitattributes.
struct SealSetupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "setup",
        abstract: "Configure this clone's git filter so readers edit plaintext and git stores sealed files.",
        discussion: """
            Sets filter.evident.process (this evident binary, run once per git command) and \
            filter.evident.required = true in the repository's git config, and adds /cycles/** filter=evident \
            to .gitattributes beside evident.yaml (commit it). The identity that opens sealed files is \
            EVIDENT_IDENTITY, git config evident.identity, or ~/.ssh/id_ed25519. Files already checked out \
            sealed are checked out again, opened where the identity is a reader.
            """)

    @Argument(help: "The review repository or a folder in it (default: the current folder).")
    var path: String?

    func run() throws {
        let location = try RepositoryLocation.locate(path.map { [$0] } ?? [])
        let repository: GitRepository
        do {
            repository = try GitRepository.discover(startingAt: location.root)
        } catch {
            throw EnvironmentError("sealing needs a git repository: \(error)")
        }
        guard let workTree = repository.workdir else {
            throw EnvironmentError("sealing needs a work tree; \(repository.gitDir) is a bare repository")
        }
        let git = try Self.git()
        let command = Self.shellQuoted(Self.executablePath()) + " seal filter-process"
        try Self.runGit(git, ["-C", workTree, "config", "--local", "filter.evident.process", command])
        try Self.runGit(git, ["-C", workTree, "config", "--local", "filter.evident.required", "true"])
        // git diff and git log -p show readers plaintext. Never cachetextconv: git would
        // store the opened text in a notes ref, in plaintext, where a push could take it.
        try Self.runGit(
            git,
            [
                "-C", workTree, "config", "--local", "diff.evident.textconv",
                Self.shellQuoted(Self.executablePath()) + " seal textconv",
            ])

        let attributes = location.root + "/.gitattributes"
        var existing = (try? String(contentsOfFile: attributes, encoding: .utf8)) ?? ""
        var added: [String] = []
        for line in Self.attributeLines
        where !existing.split(separator: "\n").contains(where: { $0.trimmingCharacters(in: .whitespaces) == line }) {
            existing += (existing.isEmpty || existing.hasSuffix("\n") ? "" : "\n") + line + "\n"
            added.append(line)
        }
        if !added.isEmpty {
            do {
                try Data(existing.utf8).write(to: URL(fileURLWithPath: attributes), options: .atomic)
            } catch {
                throw EnvironmentError("cannot write \(attributes): \(error.localizedDescription)")
            }
            print("added \(added.map { "'\($0)'" }.joined(separator: " and ")) to \(attributes)")
        }
        // Files checked out before the filter existed hold the armoured text: check them
        // out again (only those equal to their blob, so no edit is ever lost).
        let prefix = Self.relative(location.root, to: workTree)
        let sealed = try repository.indexEntries(under: prefix.isEmpty ? "cycles" : prefix + "/cycles").filter {
            entry in
            guard let stored = try? repository.readBlob(id: entry.blobID), Self.isArmoured(stored),
                let onDisk = FileManager.default.contents(atPath: workTree + "/" + entry.path)
            else { return false }
            return onDisk == stored
        }
        if !sealed.isEmpty {
            for entry in sealed { try? FileManager.default.removeItem(atPath: workTree + "/" + entry.path) }
            try Self.runGit(git, ["-C", workTree, "checkout", "--"] + sealed.map(\.path))
        }
        let identity = SealFilter.identityPath(environment: ProcessInfo.processInfo.environment, repository: repository)
        print("git filter 'evident' configured in \(workTree); identity: \(identity.path)")
    }

    /// What `.gitattributes` holds for sealing: the filter, and the diff driver that
    /// shows plaintext.
    static let attributeLines = ["/cycles/** filter=evident", "/cycles/** diff=evident"]

    static func isArmoured(_ data: Data) -> Bool {
        data.starts(with: Array("-----BEGIN AGE ENCRYPTED FILE-----".utf8))
    }

    static func relative(_ path: String, to base: String) -> String {
        let base = base.hasSuffix("/") ? String(base.dropLast()) : base
        if path == base { return "" }
        return path.hasPrefix(base + "/") ? String(path.dropFirst(base.count + 1)) : ""
    }

    /// This binary's absolute path, as git will run it.
    static func executablePath() -> String {
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return resolved
        }
        let argument = CommandLine.arguments.first ?? "evident"
        return URL(fileURLWithPath: argument).standardizedFileURL.path
    }

    static func shellQuoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    static func git() throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":")
        where FileManager.default.isExecutableFile(atPath: "\(directory)/git") {
            return "\(directory)/git"
        }
        throw EnvironmentError("git is not on PATH; evident seal setup configures git")
    }

    static func runGit(_ git: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: git)
        process.arguments = arguments
        do {
            try process.run()
        } catch {
            throw EnvironmentError("cannot run git: \(error.localizedDescription)")
        }
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw EnvironmentError(
                "git \(arguments.dropFirst(2).joined(separator: " ")) failed (exit \(process.terminationStatus))")
        }
    }
}

/// The long-running filter git starts (`filter.evident.process`); not for people.
struct SealFilterProcessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "filter-process",
        abstract: "The git filter process (run by git, as configured by 'evident seal setup').",
        shouldDisplay: false)

    func run() throws {
        let workTree = FileManager.default.currentDirectoryPath
        let repository = try? GitRepository.discover(startingAt: workTree)
        let filter = SealFilter(
            workTree: repository?.workdir ?? workTree, repository: repository,
            environment: ProcessInfo.processInfo.environment,
            warn: { Console.error($0) })
        // What a check derives from each sealed blob, derived as the blobs are opened.
        filter.smudgeFacts = SmudgeFacts(kind: SealReadersFacts.kind, derive: SealReadersFacts.derive)
        do {
            try FilterProcess.serve(filter)
        } catch {
            throw EnvironmentError("\(error)")
        }
    }
}

/// git's textconv for sealed files (`diff.evident.textconv`): prints a file opened with
/// this clone's identity, or as it is when the identity is no reader.
struct SealTextconvCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "textconv",
        abstract: "Print a sealed file opened for git diff (run by git, as configured by 'evident seal setup').",
        shouldDisplay: false)

    @Argument(help: "The file git hands over.")
    var file: String

    func run() throws {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw EnvironmentError("cannot read \(file)")
        }
        let workTree = FileManager.default.currentDirectoryPath
        let repository = try? GitRepository.discover(startingAt: workTree)
        let filter = SealFilter(
            workTree: repository?.workdir ?? workTree, repository: repository,
            environment: ProcessInfo.processInfo.environment, warn: { Console.error($0) })
        FileHandle.standardOutput.write(Data(filter.smudge(pathname: file, content: Array(data))))
    }
}
