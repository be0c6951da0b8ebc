import ArgumentParser
import EvidentCore
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

    func run() throws {
        let location = try RepositoryLocation.locate(paths)
        let source: DiskSource
        do {
            source = try DiskSource(root: location.root)
        } catch let error as SourceError {
            throw EnvironmentError(error.description)
        }
        let run = try CheckRun.perform(source: source, reportOn: location)
        try run.emit(format: format, pathPrefix: pathPrefix)
    }
}

/// One check: load, resolve, run the rules, and emit. Shared by `check` and its variants.
struct CheckRun {
    var organisation: Organisation
    var diagnostics: [Diagnostic]

    static func perform(
        source: any RepositorySource, reportOn location: RepositoryLocation, selection: FileSelection = .all,
        signoffs: SignoffLedger? = nil
    ) throws -> CheckRun {
        let organisation: Organisation
        do {
            organisation = try RepositoryLoader.load(from: source, selecting: selection)
        } catch let error as SourceError {
            throw EnvironmentError(error.description)
        }
        var diagnostics = RuleEngine().check(organisation, source: source, signoffs: signoffs)
        if location.files != nil { diagnostics = diagnostics.filter { location.selects($0.location.file) } }
        return CheckRun(organisation: organisation, diagnostics: diagnostics)
    }

    var summary: CheckSummary {
        CheckSummary(
            files: organisation.files.count, people: organisation.people.count,
            reviews: organisation.personCycles.filter { $0.review != nil }.count,
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
        Console.out(reporter.render(diagnostics, context: context))
        if diagnostics.errorCount > 0 { throw FindingsFailure() }
    }
}
