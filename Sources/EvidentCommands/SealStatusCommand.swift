import ArgumentParser
import EvidentCore
import EvidentFilter
import EvidentGit
import EvidentSeal
import Foundation

/// The organisation and git context the seal commands share.
struct SealWorkspace {
    let location: RepositoryLocation
    let git: GitReviewLocation
    let organisation: Organisation
    let identities: [AgeIdentity]
    /// Why this clone has no identity (a named key that cannot be used); nil otherwise.
    let identityProblem: String?

    static func open(_ paths: [String], purpose: String) throws -> SealWorkspace {
        let location = try RepositoryLocation.locate(paths)
        let organisation: Organisation
        let source = try DiskSource(root: location.root)
        organisation = try RepositoryLoader.load(from: source, selecting: .organisationAnd(personFolders: []))
        if let problems = organisation.file("evident.yaml")?.problems, !problems.isEmpty {
            throw EnvironmentError("evident.yaml has problems (run evident check); \(purpose) needs the sealing policy")
        }
        let git = try GitContext.require(reviewRoot: location.root, for: purpose)
        let (identities, problem) = SealIdentities.load(
            environment: ProcessInfo.processInfo.environment, repository: git.repository)
        return SealWorkspace(
            location: location, git: git, organisation: organisation, identities: identities, identityProblem: problem)
    }

    /// The review files under cycles/ in the index (what git stores), review-relative
    /// path and entry, sorted; only those `paths` select and of `cycleFolder` when given.
    func storedFiles(cycleFolder: String? = nil) throws -> [(path: String, entry: GitFileEntry)] {
        let under = git.gitPath("cycles")
        return try git.repository.indexEntries(under: under).compactMap { entry in
            guard let path = git.reviewPath(entry.path), SealReaders.kind(of: path) != nil, location.selects(path)
            else { return nil }
            if let cycleFolder, !path.hasPrefix("cycles/\(cycleFolder)/") { return nil }
            return (path, entry)
        }.sorted { $0.path < $1.path }
    }

    func cycleFolder(_ cycle: String?) throws -> String? {
        guard let cycle else { return nil }
        guard let found = organisation.cycle(cycle) else {
            let known = organisation.cycles.map(\.id.value).joined(separator: ", ")
            throw EnvironmentError("no cycle \(cycle) (cycles: \(known.isEmpty ? "none" : known))")
        }
        return found.folder
    }
}

/// `evident seal status [--cycle C] [--format text|json]`: where every review file stands
/// against the sealing policy, and plaintext copies left in history.
struct SealStatusCommand: ParsableCommand {
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Per review file: sealed to its readers, to the wrong readers, in plaintext, or sealed to others.",
        discussion: """
            Judges what git stores (the index). Readers come from people.yaml, evident.yaml and cycle.yaml; the \
            key tags in each header say who a file is sealed to, so no key is needed for that. Where this clone's \
            identity opens a file, its ## Private blocks are checked against the private readers too. Also lists \
            plaintext copies of review files in the commits reachable from HEAD (docs/sealing.md says how to \
            rewrite history). Exits 1 when a file is in plaintext, sealed to the wrong readers or damaged, or a \
            plaintext copy is in history.
            """)

    @Argument(help: "The review repository, or folders and files in it (default: the current folder).")
    var paths: [String] = []

    @Option(help: "Only files of this cycle (id or folder).")
    var cycle: String?

    @Option(help: "Output format: text or json.")
    var format: Format = .text

    @Flag(help: "Skip the walk through history for plaintext copies.")
    var noHistory = false

    struct Report: Encodable {
        var sealingEnabled: Bool
        var identity: String?
        var files: [SealInventory.FileReport]
        var plaintextInHistory: [SealInventory.HistoryCopy]
        var problems: Int
    }

    func run() throws {
        let workspace = try SealWorkspace.open(paths, purpose: "seal status reads what git stores")
        let cycleFolder = try workspace.cycleFolder(cycle)
        let enabled = workspace.organisation.policy?.sealing.enabled ?? false
        var files: [SealInventory.FileReport] = []
        var current = Set<String>()
        for (path, entry) in try workspace.storedFiles(cycleFolder: cycleFolder) {
            current.insert(entry.blobID)
            guard enabled, let bytes = try? workspace.git.repository.readBlob(id: entry.blobID) else { continue }
            if let report = SealInventory.judge(
                path: path, stored: Array(bytes), organisation: workspace.organisation,
                identities: workspace.identities)
            {
                files.append(report)
            }
        }
        var history: [SealInventory.HistoryCopy] = []
        if enabled && !noHistory {
            let prefix = workspace.git.prefix.isEmpty ? "" : workspace.git.prefix + "/"
            history = try SealInventory.plaintextInHistory(
                repository: workspace.git.repository, prefix: prefix, current: current
            )
            .filter { copy in
                workspace.location.selects(copy.path)
                    && (cycleFolder.map { copy.path.hasPrefix("cycles/\($0)/") } ?? true)
            }
        }
        let problems = files.filter(\.state.isProblem).count + history.count
        let identityPath = SealIdentityPath.resolve(
            environment: ProcessInfo.processInfo.environment, repository: workspace.git.repository)
        let report = Report(
            sealingEnabled: enabled, identity: workspace.identities.isEmpty ? nil : identityPath.path,
            files: files, plaintextInHistory: history, problems: problems)
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            Console.out(String(decoding: try encoder.encode(report), as: UTF8.self) + "\n")
        case .text:
            Console.out(text(report))
        }
        if let problem = workspace.identityProblem { Console.error("warning: \(problem)") }
        if problems > 0 { throw FindingsFailure() }
    }

    func text(_ report: Report) -> String {
        guard report.sealingEnabled else { return "sealing is off in evident.yaml: nothing is sealed\n" }
        var out = ""
        for file in report.files {
            out += "\(file.state.rawValue.padding(toLength: 16, withPad: " ", startingAt: 0)) \(file.path)"
            if let message = file.message { out += ": \(message)" }
            out += "\n"
        }
        for copy in report.plaintextInHistory {
            out +=
                "\("in-history".padding(toLength: 16, withPad: " ", startingAt: 0)) \(copy.path): a plaintext copy in commit \(copy.commit.prefix(12)) (blob \(copy.blob))\n"
        }
        let counts = Dictionary(grouping: report.files, by: \.state).mapValues(\.count)
        let summary = SealInventory.State.allStates.compactMap { state in
            counts[state].map { "\($0) \(state.rawValue)" }
        }
        out += "\(report.files.count) file\(report.files.count == 1 ? "" : "s")"
        if !summary.isEmpty { out += ": " + summary.joined(separator: ", ") }
        if !report.plaintextInHistory.isEmpty {
            out +=
                "; \(report.plaintextInHistory.count) plaintext cop\(report.plaintextInHistory.count == 1 ? "y" : "ies") in history (see docs/sealing.md, \"Plaintext left in history\")"
        }
        out += report.identity == nil ? "; no identity: sealed files are judged by their key tags only\n" : "\n"
        return out
    }
}

extension SealInventory.State {
    static let allStates: [SealInventory.State] = [.sealed, .sealedToOthers, .wrongReaders, .plaintext, .damaged]
}

/// `evident reseal [paths]`: re-wraps files whose readers changed, keeping their text
/// (and so their sign-offs) as they are.
struct ResealCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reseal",
        abstract: "Re-encrypt sealed review files whose readers changed (manager, calibrators, the cycle closing).",
        discussion: """
            For each review file git stores (the index) that is not sealed to its current readers, writes a new \
            header for the same encrypted text: the file key and payload stay byte for byte, so sign-offs stay \
            valid. Private blocks are re-wrapped to the private readers the same way (the file around them is then \
            sealed anew). Your identity must open what is resealed. The new blobs are staged: commit them. \
            Exits 1 when a file could not be resealed.
            """)

    @Argument(help: "Files or folders to reseal (default: the whole review repository).")
    var paths: [String] = []

    @Flag(help: "Say what would be resealed without writing anything.")
    var dryRun = false

    func run() throws {
        let workspace = try SealWorkspace.open(paths, purpose: "reseal rewrites what git stores")
        guard workspace.organisation.policy?.sealing.enabled ?? false else {
            throw EnvironmentError("sealing is off in evident.yaml; there is nothing to reseal")
        }
        if let problem = workspace.identityProblem { throw EnvironmentError(problem) }
        guard let workTree = workspace.git.repository.workdir else {
            throw EnvironmentError("reseal needs a work tree")
        }
        var failures = 0
        var staged: [String] = []
        for (path, entry) in try workspace.storedFiles() {
            guard let bytes = try? workspace.git.repository.readBlob(id: entry.blobID) else { continue }
            let resealed: [UInt8]?
            do {
                resealed = try Resealer.reseal(
                    path: path, stored: Array(bytes), organisation: workspace.organisation,
                    identities: workspace.identities)
            } catch {
                Console.error("\(path): error: \(error)")
                failures += 1
                continue
            }
            guard let resealed else { continue }
            let readers = SealReaders.readers(of: path, in: workspace.organisation) ?? []
            if dryRun {
                Console.out("would reseal \(path) to \(readers.joined(separator: ", "))\n")
                continue
            }
            let blob = try GitCLI.run(["hash-object", "-w", "--no-filters", "--stdin"], in: workTree, input: resealed)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let mode = String(entry.mode, radix: 8)
            _ = try GitCLI.run(["update-index", "--cacheinfo", "\(mode),\(blob),\(entry.path)"], in: workTree)
            staged.append(entry.path)
            Console.out("resealed \(path) to \(readers.joined(separator: ", "))\n")
        }
        if !staged.isEmpty {
            // Record the work tree's stat data against the new blobs (the clean filter
            // gives them back for the unchanged plaintext), so the files are not shown modified.
            _ = try? GitCLI.run(["update-index", "-q", "--refresh", "--"] + staged, in: workTree)
            Console.out(
                "\(staged.count) file\(staged.count == 1 ? "" : "s") resealed and staged; commit them (git commit)\n")
        } else if failures == 0 && !dryRun {
            Console.out("every file is sealed to its readers\n")
        }
        if failures > 0 { throw FindingsFailure() }
    }
}

/// Runs the git CLI for the few writes libgit2 is not used for here.
enum GitCLI {
    static func run(_ arguments: [String], in directory: String, input: [UInt8]? = nil) throws -> String {
        let git = try SealSetupCommand.git()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: git)
        process.arguments = ["-C", directory] + arguments
        let output = Pipe()
        let errors = Pipe()
        let stdin = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = input == nil ? FileHandle.nullDevice : stdin
        do {
            try process.run()
        } catch {
            throw EnvironmentError("cannot run git: \(error.localizedDescription)")
        }
        if let input {
            // Written from another thread: git may fill its output pipe before reading all of it.
            let handle = stdin.fileHandleForWriting
            let writer = Thread {
                handle.write(Data(input))
                try? handle.close()
            }
            writer.start()
        }
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw EnvironmentError(
                "git \(arguments.joined(separator: " ")) failed: \(String(decoding: err, as: UTF8.self))")
        }
        return String(decoding: out, as: UTF8.self)
    }
}
