import ArgumentParser
import EvidentCore
import EvidentGit
import EvidentReporters
import EvidentRules
import Foundation

extension ReportFormat: ExpressibleByArgument {}

/// `evident check`: compile the repository and report every problem.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Compile and lint the review repository; exit 1 on errors.",
        discussion: """
            Paths may name the repository, folders or files inside it; diagnostics are limited to them, \
            but the whole organisation is read so references resolve.
            """)

    @Argument(help: "Files or folders to check (default: the repository containing the current directory).")
    var paths: [String] = []

    @Option(help: "Output format: text, json, sarif or github.")
    var format: ReportFormat = .text

    @Option(help: "For --format github: the review repository's path inside the git checkout.")
    var pathPrefix: String = ""

    @Flag(help: "Check what is staged in the git index (the next commit), not the work tree: for pre-commit hooks.")
    var staged = false

    @Option(
        name: .customLong("changed-since"),
        help: "Check only the files that changes since this git revision can affect (for CI on a branch).")
    var changedSince: String?

    @Flag(
        name: .customLong("show-text"),
        help:
            "With sealing on, quote text from sealed files in messages (by default they name the rule and position only)."
    )
    var showText = false

    func validate() throws {
        if staged, changedSince != nil { throw ValidationError("--staged and --changed-since cannot be combined") }
    }

    func run() throws {
        let location = try RepositoryLocation.locate(paths)
        if staged {
            try StagedCheck.perform(location: location, showText: showText).emit(format: format, pathPrefix: pathPrefix)
            return
        }
        if let changedSince {
            try ChangedSinceCheck.perform(location: location, since: changedSince, showText: showText).emit(
                format: format, pathPrefix: pathPrefix)
            return
        }
        let source = try DiskSource(root: location.root)
        // Inside git, the sign-off rules see the history's sign-offs, judged against the
        // files on disk; outside git there are none and those rules stay silent.
        let git = try GitContext.find(reviewRoot: location.root)
        let run = try CheckRun.perform(source: source, reportOn: location, showText: showText) { organisation in
            try git.map { try GitContext.ledger($0, organisation: organisation, content: .workTree) }
        }
        try run.emit(format: format, pathPrefix: pathPrefix)
    }
}

/// One check: load, resolve, run the rules, and emit. Shared by `check` and its variants.
struct CheckRun {
    var organisation: Organisation
    var diagnostics: [Diagnostic]

    /// - Parameters:
    ///   - signoffs: builds the sign-off ledger once the organisation is loaded (the
    ///     ledger verifies signatures with keys from people.yaml).
    ///   - files: when given, only diagnostics in these files are kept (`--staged`).
    ///   - showText: quote text from sealed files (`--show-text`); see `RuleEngine.check`.
    ///   - stored: what git stores, for the sealing rules; by default read from the
    ///     repository around `source` (`GitStoredContent`).
    static func perform(
        source: any RepositorySource, reportOn location: RepositoryLocation, selection: FileSelection = .all,
        files: Set<String>? = nil, showText: Bool = false, stored: (any StoredContent)? = nil,
        signoffs: (Organisation) throws -> SignoffLedger? = { _ in nil }
    ) throws -> CheckRun {
        let organisation = try RepositoryLoader.load(from: source, selecting: selection)
        let ledger = try signoffs(organisation)
        var diagnostics = RuleEngine().check(
            organisation, source: source, signoffs: ledger, stored: stored ?? GitStoredContent(root: source.root),
            files: files, showText: showText)
        if location.files != nil { diagnostics = diagnostics.filter { location.selects($0.location.file) } }
        diagnostics = ForeignLadderNote.annotate(diagnostics, source: source)
        return CheckRun(organisation: organisation, diagnostics: diagnostics)
    }

    var summary: CheckSummary {
        CheckSummary(
            files: organisation.files.count, people: organisation.people.count,
            reviews: organisation.personCycles.reduce(0) { $0 + ($1.review == nil ? 0 : 1) },
            evidenceItems: organisation.evidenceItemCount, diagnostics: diagnostics)
    }

    /// Prints the report and throws `FindingsFailure` when there are errors.
    func emit(format: ReportFormat, pathPrefix: String = "") throws {
        let color =
            format == .text
            && TerminalCapabilities.shouldColor(
                environment: ProcessInfo.processInfo.environment, isTTY: Console.stdoutIsTerminal)
        let name =
            organisation.policy.map { $0.organization.isEmpty ? nil : $0.organization }?.flatMap { $0 }
            ?? (organisation.root as NSString).lastPathComponent
        let context = ReportContext(
            repositoryRoot: organisation.root, displayBase: FileManager.default.currentDirectoryPath, name: name,
            toolVersion: EvidentCommand.version, summary: summary)
        let reporter = format.reporter(color: color, rules: RuleRegistry.descriptions, pathPrefix: pathPrefix)
        Console.out(reporter.render(diagnostics, context: context), workflowCommands: format == .github)
        let sealed = organisation.sealedPersonFolders
        if !sealed.isEmpty {
            Console.error(
                "note: skipped \(sealed.count) person folder\(sealed.count == 1 ? "" : "s") with files sealed to others (\(sealed.sorted().prefix(3).joined(separator: ", "))\(sealed.count > 3 ? ", …" : ""))"
            )
        }
        ProcessLifetime.keepUntilExit(self)
        if diagnostics.errorCount > 0 { throw FindingsFailure() }
    }
}
