import ArgumentParser
import EvidentCalibration
import EvidentCore
import EvidentGit
import Foundation

/// `evident record <person> --cycle C [--html FILE]`: the employee's decision record.
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

    @Option(help: "The cycle id (or folder name).")
    var cycle: String

    @Option(help: "Write the record as HTML to this file (replaced atomically) instead of printing Markdown.")
    var html: String?

    func run() throws {
        let loaded = try LoadedReviewRepository.load()
        var signoffs: [SignoffLedger.Entry]?
        var unavailable = "the review repository is not in a git repository"
        if let git = try? ReviewGit.open(reviewRoot: loaded.root) {
            let folder = loaded.organisation.cycle(cycle).map { "cycles/\($0.folder)/\(person)" } ?? "cycles/\(cycle)/\(person)"
            let files = Set(loaded.organisation.personCycle(folder: folder)?.files ?? [])
            do {
                signoffs = try SignoffReader.read(repository: git.repository, reviewRoot: git.reviewRoot, files: files)
            } catch {
                unavailable = "git history could not be read (\(error))"
            }
        }
        let record: DecisionRecord
        do {
            record = try DecisionRecordBuilder.build(
                organisation: loaded.organisation, person: person, cycle: cycle, source: loaded.source,
                signoffs: signoffs, signoffsUnavailableReason: unavailable)
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
