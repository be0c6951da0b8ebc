import ArgumentParser
import EvidentCalibration
import EvidentCore
import EvidentGit
import Foundation

/// `evident record <person> [--cycle C] [--html FILE]`: the employee's decision record.
struct RecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "The employee's decision record: criteria, evidence, outcome, reasons, sign-offs, growth plan.",
        discussion: """
            Private review sections and other calibration-only material (findings, distributions, other \
            people's reviews) never appear. Sign-offs are read from git history when the repository is in git.
            """)

    @Argument(help: "The person's id from people.yaml.")
    var person: String

    @Option(help: "The cycle id (or folder name); default: the latest cycle.")
    var cycle: String?

    @Option(help: "Write the record as HTML to this file (replaced atomically) instead of printing Markdown.")
    var html: String?

    func run() throws {
        let loaded = try LoadedReviewRepository.load()
        let cycle = try CycleOption.choose(self.cycle, in: loaded.organisation).folder
        var ledger: SignoffLedger?
        var unavailable = "the review repository is not in a git repository"
        if let location = try GitContext.find(reviewRoot: loaded.root) {
            let folder = "cycles/\(loaded.organisation.cycle(cycle)?.folder ?? cycle)/\(person)"
            let files = Set(loaded.organisation.personCycle(folder: folder)?.files ?? [])
            do {
                ledger = try GitContext.ledger(
                    location, organisation: loaded.organisation, content: .workTree, files: files)
            } catch let error as EnvironmentError {
                let text = error.description
                unavailable = text.hasPrefix("error: ") ? String(text.dropFirst("error: ".count)) : text
            }
        }
        let record: DecisionRecord
        do {
            record = try DecisionRecordBuilder.build(
                organisation: loaded.organisation, person: person, cycle: cycle, source: loaded.source,
                signoffs: ledger, signoffsUnavailableReason: unavailable)
        } catch let error as CalibrationError {
            throw EnvironmentError(error.description)
        }
        if let html {
            try ReportFile.write(html, contents: RecordRenderer.html(record))
            Console.out("wrote \(html): decision record of \(person)\n")
        } else {
            Console.out(RecordRenderer.markdown(record))
        }
    }
}
