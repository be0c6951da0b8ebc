import ArgumentParser
import EvidentImport
import EvidentReporters
import Foundation

/// `evident import monzo|csv|markdown-table <source>`: level guides from a ladder the
/// organisation already has. The parsing and the writing live in EvidentImport; this
/// file only reads the flags and puts the planned files in place.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Write level guides (levels/) from an existing career ladder.",
        discussion: """
            The source says nothing about Evident's aspects and balance, so you decide them: map every topic \
            with --aspect TOPIC=what|how and give --balance what=W,how=H (or LEVEL:what=W,how=H per level id or \
            grade). Until every topic is mapped and every level has a balance, nothing is written (exit 2) and the \
            unmapped topics are listed with suggestions. Existing files are never overwritten. The report lists \
            every guess and every loss. See docs/import.md.
            """,
        subcommands: [MonzoImport.self, CSVImport.self, MarkdownTableImport.self])
}

/// The decisions and switches every import takes.
struct ImportFlags: ParsableArguments {
    @Option(
        name: .customLong("aspect"),
        help: ArgumentHelp("TOPIC=what|how (repeatable, or comma-separated).", valueName: "mapping"))
    var aspects: [String] = []

    @Option(
        name: .customLong("balance"),
        help: ArgumentHelp(
            "what=W,how=H for every level, or LEVEL:what=W,how=H for one level id or grade (repeatable).",
            valueName: "balance"))
    var balances: [String] = []

    @Flag(help: "Show the report and the files that would be written; write nothing.")
    var dryRun = false

    @Flag(
        help:
            "Write plain guides for an Evident without grade/includes/examples: included expectations copied, examples only in the report."
    )
    var noExtensions = false

    func options() throws -> ImportOptions {
        var options = ImportOptions()
        options.extensions = !noExtensions
        for aspect in aspects { try options.addAspects(aspect) }
        for balance in balances { try options.addBalance(balance) }
        return options
    }

    /// Plans, reports and (unless a dry run) writes. Never overwrites: when any target
    /// exists nothing is written.
    func perform(format: String, read: () throws -> Ladder) throws {
        let plan: LevelGuideWriter.Plan
        do {
            plan = try LevelGuideWriter.plan(try read(), options: try options(), format: format)
        } catch let error as ImportError {
            throw EnvironmentError(Self.safe(error.description))
        }
        let root: String?
        if dryRun {
            root = try? RepositoryLocation.locate([]).root
        } else {
            root = try RepositoryLocation.locate([]).root
        }
        // The report quotes the source (names, titles): a hostile ladder must not drive the terminal.
        Console.out(
            plan.report.entries.map { "\($0.kind.rawValue): " + Self.safe("\($0.subject): \($0.message)") + "\n" }
                .joined())
        if let root {
            let existing = plan.guides.filter { FileManager.default.fileExists(atPath: root + "/" + $0.path) }.map(
                \.path)
            if !existing.isEmpty {
                throw EnvironmentError(
                    "\(existing.count) level guide\(existing.count == 1 ? "" : "s") already exist and are never overwritten: "
                        + existing.joined(separator: ", ") + "; nothing was written")
            }
        }
        let summary =
            "\(plan.guides.count) level guide\(plan.guides.count == 1 ? "" : "s"), "
            + "\(plan.report.guesses.count) guess\(plan.report.guesses.count == 1 ? "" : "es"), "
            + "\(plan.report.losses.count) loss\(plan.report.losses.count == 1 ? "" : "es")"
        if dryRun || root == nil {
            for guide in plan.guides { Console.out("would write \(guide.path)\n") }
            Console.out("dry run: \(summary); nothing written\n")
            return
        }
        var written: [String] = []
        for guide in plan.guides {
            do {
                try AtomicFile.create(guide.path, under: root!, contents: guide.contents)
            } catch is AtomicFile.Exists {
                throw EnvironmentError(
                    "\(guide.path) appeared while importing and was not overwritten; written before it: "
                        + (written.isEmpty ? "nothing" : written.joined(separator: ", ")))
            }
            written.append(guide.path)
            Console.out("wrote \(guide.path)\n")
        }
        Console.out("imported \(summary)\n")
    }
}

extension ImportFlags {
    /// Each line made safe for a terminal, the line breaks between them kept.
    static func safe(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { TerminalSanitizer.sanitize(String($0)) }
            .joined(separator: "\n")
    }
}

struct MonzoImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "monzo",
        abstract:
            "Import Monzo progression framework files (Markdown with YAML front matter), one file or a folder of them.")

    @Argument(help: "A framework file, or a folder searched for them.")
    var source: String

    @OptionGroup var flags: ImportFlags

    func run() throws { try flags.perform(format: "monzo") { try MonzoFormat.read(source) } }
}

struct CSVImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "csv",
        abstract:
            "Import a CSV ladder: columns track, level, title, dimension, aspect, expectation (and optional grade, example)."
    )

    @Argument(help: "The CSV file.")
    var source: String

    @OptionGroup var flags: ImportFlags

    func run() throws { try flags.perform(format: "csv") { try CSVFormat.read(source) } }
}

struct MarkdownTableImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "markdown-table",
        abstract: "Import a ladder written as Markdown tables: one row per dimension, one column per level.")

    @Argument(help: "The Markdown file.")
    var source: String

    @Option(help: "The track id (default: the file's name).")
    var track: String?

    @OptionGroup var flags: ImportFlags

    func run() throws {
        try flags.perform(format: "markdown-table") { try MarkdownTableFormat.read(source, track: track) }
    }
}
