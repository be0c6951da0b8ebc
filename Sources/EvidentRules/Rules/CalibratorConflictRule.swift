import EvidentCore
import Foundation

/// A calibrator who calibrates their own direct reports (or reviews they wrote), or who is
/// also the skip-level of someone they calibrate: the people calibration exists to check
/// would be checking themselves.
struct CalibratorConflictRule: Rule {
    static let description = RuleDescription(
        id: "calibrator-conflict",
        defaultSeverity: .warning,
        summary: "a calibrator who manages, reviews or is the skip-level of someone their group calibrates",
        rationale: """
            Calibration aligns the proposals of different managers; it works because the people at the \
            table did not write the proposals. A calibrator who is the manager of someone in their group, or \
            who wrote that person's review (`reviewer:`), calibrates their own proposal, and one who is that \
            person's skip-level also signs off the same \
            review as skip-level, so one person fills two of the checks meant to be independent. The rule \
            looks at everyone the cycle reviews (`participants:` and `exclude:` in cycle.yaml) in the \
            group's teams, and reports at the calibrator in `calibration_groups`. It is a warning: a small \
            organisation may have no one else, and then the packet should at least say so.
            """,
        triggeringExamples: [
            RuleExample(
                """
                id: 2026-h2
                period: { start: 2026-07-01, end: 2026-12-31 }
                phase: calibration
                freeze: 2026-12-10
                calibration_groups:
                  - { id: eng, calibrators: [erin, 1️⃣dana], teams: [payments] }
                """, file: "cycles/2026-h2/cycle.yaml", caption: "Dana calibrates her own direct reports"),
            RuleExample(
                """
                id: 2026-h2
                period: { start: 2026-07-01, end: 2026-12-31 }
                phase: calibration
                freeze: 2026-12-10
                participants: { people: [alice] }
                calibration_groups:
                  - { id: eng, calibrators: [erin, 1️⃣vera], teams: [payments] }
                """, file: "cycles/2026-h2/cycle.yaml", caption: "Vera is Alice's skip-level and her calibrator"),
        ],
        nonTriggeringExamples: [
            RuleExample(
                ExampleRepository.files["cycles/2026-h2/cycle.yaml"] ?? "", file: "cycles/2026-h2/cycle.yaml",
                caption: "the calibrator manages no one in the group"),
            RuleExample(
                """
                id: 2026-h2
                period: { start: 2026-07-01, end: 2026-12-31 }
                phase: calibration
                freeze: 2026-12-10
                exclude: [alice, bob, carol]
                calibration_groups:
                  - { id: eng, calibrators: [erin, dana], teams: [payments] }
                """, file: "cycles/2026-h2/cycle.yaml",
                caption: "Dana's reports are not reviewed in this cycle"),
        ])

    func check(_ context: RuleContext) {
        let organisation = context.organisation
        // Every finding lies at a calibrator in a cycle file: a partial check that keeps
        // none of those files (a staged review) would drop them all.
        let calibrators = organisation.cycles.lazy.flatMap(\.groups).flatMap(\.calibrators)
        guard calibrators.contains(where: { context.reports($0.location.file) }) else { return }
        // By cycle folder and reviewer: whose proposals each person wrote.
        var written: [String: [String: [String]]] = [:]
        for personCycle in organisation.personCycles {
            if let reviewer = personCycle.review?.author?.value {
                written[personCycle.cycleFolder, default: [:]][reviewer, default: []].append(personCycle.personFolder)
            }
        }
        // Built once: one pass over everyone per calibrator and per report of theirs was an
        // eighth of a pre-commit check at 10,000 people.
        let reports = organisation.directReportsByManager()
        for cycle in organisation.cycles {
            let proposals = written[cycle.folder] ?? [:]
            for group in cycle.groups {
                let teams = Set(group.teams.map(\.value))
                func isCalibrated(_ id: String) -> Bool {
                    guard let person = organisation.person(id) else { return false }
                    return teams.contains(person.team.value) && cycle.isUnderReview(person)
                }
                for calibrator in group.calibrators where organisation.person(calibrator.value) != nil {
                    let direct = reports[calibrator.value] ?? []
                    let managed = direct.filter { $0 != calibrator.value && isCalibrated($0) }
                    let skipped = direct.flatMap { reports[$0] ?? [] }
                        .filter { $0 != calibrator.value && isCalibrated($0) }
                    let name = Sanitised.id(calibrator.value)
                    let managedSet = Set(managed)
                    let authored = (proposals[calibrator.value] ?? [])
                        .filter { !managedSet.contains($0) && $0 != calibrator.value && isCalibrated($0) }.sorted()
                    if !authored.isEmpty {
                        context.report(
                            "calibrator '\(name)' wrote the reviews of \(Self.list(authored)), whom group '\(Sanitised.id(group.id.value))' calibrates: they would calibrate their own proposals",
                            at: calibrator.location)
                    }
                    if !managed.isEmpty {
                        context.report(
                            "calibrator '\(name)' manages \(Self.list(managed)), whom group '\(Sanitised.id(group.id.value))' calibrates: they would calibrate their own proposals",
                            at: calibrator.location)
                    }
                    if !skipped.isEmpty {
                        context.report(
                            "calibrator '\(name)' is the skip-level of \(Self.list(skipped)), whom group '\(Sanitised.id(group.id.value))' calibrates: one person would fill two of the independent checks",
                            at: calibrator.location)
                    }
                }
            }
        }
    }

    /// "alice, bob and 3 others": enough to act on without listing a whole organisation.
    static func list(_ ids: [String]) -> String {
        let shown = ids.prefix(5).map(Sanitised.id)
        let rest = ids.count - shown.count
        guard rest > 0 else {
            return shown.count <= 1 ? shown.joined() : shown.dropLast().joined(separator: ", ") + " and " + shown.last!
        }
        return shown.joined(separator: ", ") + " and \(rest) more"
    }
}
