import ArgumentParser
import EvidentCalibration
import EvidentCore
import EvidentGit
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `evident calibrate`: the decision layer's tools for calibrators.
struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Calibration: the packet calibrators read, and the semantic diff of a calibration branch.",
        subcommands: [CalibratePacketCommand.self, CalibrateDiffCommand.self])
}

/// `evident calibrate packet [--cycle C] [--group G] [--html FILE]`.
struct CalibratePacketCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "packet",
        abstract:
            "The calibration packet of one group: per person level, ratings, evidence and findings; distributions for information.",
        discussion: """
            Prints Markdown (fit for a pull request). With --html, writes one self-contained HTML file \
            instead (no network, no JavaScript). Private review sections are never included, and \
            aggregates over fewer than privacy.min_group_size people are suppressed.
            """)

    @Option(help: "The cycle id (or folder name); default: the latest cycle.")
    var cycle: String?

    @Option(help: "The calibration group id from the cycle's calibration_groups; default: the cycle's only group.")
    var group: String?

    @Option(help: "Write the packet as HTML to this file (replaced atomically) instead of printing Markdown.")
    var html: String?

    func run() throws {
        let location = try RepositoryLocation.locate([])
        let source = try DiskSource(root: location.root)
        // One load and one run of the rules: the packet lists every finding, sign-offs included.
        let git = try GitContext.find(reviewRoot: location.root)
        var ledger: SignoffLedger?
        let run = try CheckRun.perform(source: source, reportOn: RepositoryLocation(root: location.root, files: nil)) {
            organisation in
            ledger = try git.map { try GitContext.ledger($0, organisation: organisation, content: .workTree) }
            return ledger
        }
        let cycle = try CycleOption.choose(self.cycle, in: run.organisation)
        let group = try CycleOption.chooseGroup(self.group, in: cycle)
        let packet: CalibrationPacket
        do {
            packet = try PacketBuilder.build(
                organisation: run.organisation, cycle: cycle.folder, group: group, diagnostics: run.diagnostics,
                signoffs: ledger, source: source)
        } catch let error as CalibrationError {
            throw EnvironmentError(error.description)
        }
        if let html {
            try ReportFile.write(html, contents: PacketRenderer.html(packet))
            Console.out("wrote \(html): calibration packet of \(packet.members.count) people\n")
        } else {
            Console.out(PacketRenderer.markdown(packet))
        }
    }
}

extension DiffRenderer.Format: ExpressibleByArgument {}

/// `evident calibrate diff <base> [<head>]`.
struct CalibrateDiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract:
            "Semantic rating changes between two revisions; exit 1 when a rating change cites no rationale and evidence.",
        discussion: """
            Reads both revisions from git, never the work tree. Each change names the author of the newest \
            commit in base..head that touched its file. Also exits 1 when the head restores a review to content \
            whose approvals their signers have since replaced with sign-offs of another version (a revert): the \
            content comes back, the approvals do not.
            """)

    @Argument(help: "The base revision (for example main).")
    var base: String

    @Argument(help: "The head revision.")
    var head: String = "HEAD"

    @Option(help: "Output format: text, markdown or json.")
    var format: DiffRenderer.Format = .text

    @Option(help: "Limit to one cycle.")
    var cycle: String?

    func run() throws {
        let location = try RepositoryLocation.locate([])
        let git = try GitContext.require(reviewRoot: location.root, for: "calibrate diff compares two git revisions")
        let report: SemanticDiffReport
        do {
            report = try CalibrationDiff.run(
                repository: git.repository, base: base, head: head, reviewRoot: git.prefix,
                displayRoot: location.root, cycle: cycle)
        } catch let error as CalibrationError {
            throw EnvironmentError(error.description)
        } catch let error as GitError {
            throw EnvironmentError(error.description)
        }
        Console.out(DiffRenderer.render(report, format: format))
        if !report.uncitedRatingChanges.isEmpty || !report.restoredApprovals.isEmpty { throw FindingsFailure() }
    }
}

/// The review repository of the current directory, loaded from disk.
struct LoadedReviewRepository {
    var root: String
    var source: DiskSource
    var organisation: Organisation

    static func load() throws -> LoadedReviewRepository {
        let location = try RepositoryLocation.locate([])
        let source = try DiskSource(root: location.root)
        return LoadedReviewRepository(
            root: location.root, source: source, organisation: try RepositoryLoader.load(from: source))
    }
}

/// Writes a generated report. The content is first written whole to a temporary file
/// beside the target (with `AtomicFile`, so it is flushed before it is visible), then
/// renamed over the target: readers see the old report or the new one, never half of
/// one, and regenerating a report replaces it.
enum ReportFile {
    static func write(_ path: String, contents: String) throws {
        let absolute = RepositoryLocation.absolute(path, from: FileManager.default.currentDirectoryPath)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: absolute, isDirectory: &isDirectory), isDirectory.boolValue {
            throw EnvironmentError("\(path) is a directory")
        }
        let folder = (absolute as NSString).deletingLastPathComponent
        let temporary = folder + "/.evident-report-\(UUID().uuidString).tmp"
        do {
            try AtomicFile.create(temporary, contents: contents)
        } catch is AtomicFile.Exists {
            throw EnvironmentError("cannot write \(path): temporary file exists")
        }
        guard rename(temporary, absolute) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw EnvironmentError("cannot write \(path): \(reason)")
        }
    }
}
