import ArgumentParser
import EvidentCalibration
import EvidentCore

/// `evident health --cycle C [--format text|json]`: team health beside performance.
struct HealthCommand: ParsableCommand {
    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    static let configuration = CommandConfiguration(
        commandName: "health",
        abstract: "Team health: span of control, review load, incident burden, attrition risk and engagement.",
        discussion: "Warnings mark crossed thresholds (team_health in evident.yaml); they do not change the exit status.")

    @Option(help: "The cycle id (or folder name).")
    var cycle: String

    @Option(help: "Output format: text or json.")
    var format: Format = .text

    func run() throws {
        let loaded = try LoadedReviewRepository.load()
        guard let cycle = loaded.organisation.cycle(self.cycle) else {
            let known = loaded.organisation.cycles.map(\.id.value).sorted().joined(separator: ", ")
            throw EnvironmentError("unknown cycle '\(self.cycle)'" + (known.isEmpty ? "" : "; known cycles: \(known)"))
        }
        let report = TeamHealth.build(organisation: loaded.organisation, cycle: cycle)
        Console.out(format == .json ? TeamHealthRenderer.json(report) : TeamHealthRenderer.text(report))
    }
}
