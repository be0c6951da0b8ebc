import ArgumentParser
import EvidentCalibration
import EvidentCore

/// `evident health [--cycle C] [--format text|json]`: team health beside performance.
struct HealthCommand: ParsableCommand {
    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    static let configuration = CommandConfiguration(
        commandName: "health",
        abstract: "Team health: span of control, review load, incident burden, attrition risk and engagement.",
        discussion:
            "Warnings mark crossed thresholds (team_health in evident.yaml); they do not change the exit status.")

    @Option(help: "The cycle id (or folder name); default: the latest cycle.")
    var cycle: String?

    @Option(help: "Output format: text or json.")
    var format: Format = .text

    func run() throws {
        let loaded = try LoadedReviewRepository.load()
        let cycle = try CycleOption.choose(cycle, in: loaded.organisation)
        let report = TeamHealth.build(organisation: loaded.organisation, cycle: cycle)
        Console.out(format == .json ? TeamHealthRenderer.json(report) : TeamHealthRenderer.text(report))
    }
}
