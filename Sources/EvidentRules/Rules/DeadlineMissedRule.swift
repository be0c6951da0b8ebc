import EvidentCore

/// A deadline of the cycle's calendar that has passed with writing still owed.
///
/// One warning per passed deadline, at its date in cycle.yaml, naming everyone behind;
/// a note per person says what is owed, in which file, and by whom. What is owed is
/// `CycleObligations`, the same list `evident status --missing` prints.
struct DeadlineMissedRule: Rule {
    static let description = RuleDescription(
        id: "deadline-missed",
        defaultSeverity: .warning,
        summary:
            "a deadline in cycle.yaml has passed while self reviews, peer feedback, reviews or sign-offs are still owed",
        rationale: """
            A cycle that slips does so one late self review at a time, and the people calibrating are the \
            last to find out. `deadlines:` in cycle.yaml dates each step (`self`, `peer`, `review`, \
            `calibration` for sign-offs); once a date has passed, this rule names everyone still behind, with \
            who owes each piece, so the gap shows in CI and in the editor the day it opens rather than in the \
            calibration meeting. It is a warning: a late review is a scheduling problem, not a wrong one. \
            Sign-offs count as owed only when the check reads git history. The day is today in UTC, or \
            `EVIDENT_TODAY` when set. `evident status --missing` prints the same list by person and by owner, \
            as text or JSON for reminders.
            """,
        triggeringExamples: [
            RuleExample(
                """
                id: 2026-h2
                period: { start: 2026-07-01, end: 2026-12-31 }
                phase: calibration
                freeze: 2026-12-10
                participants: { people: [alice] }
                deadlines:
                  self: 2026-07-15
                  review: 1️⃣2026-08-01
                calibration_groups:
                  - { id: eng, calibrators: [erin], teams: [payments] }
                """, file: "cycles/2026-h2/cycle.yaml",
                caption: "a review still missing after its deadline (the self review is in)",
                removing: ["cycles/2026-h2/alice/review.md"]),
            RuleExample(
                """
                id: 2026-h2
                period: { start: 2026-07-01, end: 2026-12-31 }
                phase: calibration
                participants: { people: [alice] }
                deadlines: { self: 1️⃣2026-07-15 }
                """, file: "cycles/2026-h2/cycle.yaml", caption: "a self review owed after the deadline",
                removing: ["cycles/2026-h2/alice/self.md"]),
        ],
        nonTriggeringExamples: [
            RuleExample(
                """
                id: 2026-h2
                period: { start: 2026-07-01, end: 2026-12-31 }
                phase: calibration
                participants: { people: [alice] }
                deadlines: { self: 2026-07-15, review: 2099-01-15 }
                """, file: "cycles/2026-h2/cycle.yaml",
                caption: "a passed deadline with everything in, and one not reached yet")
        ])

    /// Names shown in the message before "and N more"; every person still gets a note.
    static let namesInMessage = 5

    func check(_ context: RuleContext) {
        let organisation = context.organisation
        for cycle in organisation.cycles where !cycle.deadlines.days.isEmpty {
            let obligations = CycleObligations.compute(
                organisation: organisation, cycle: cycle, ledger: context.signoffs)
            let overdue = obligations.overdue(on: context.today)
            for deadline in Cycle.Deadline.allCases {
                guard let due = cycle.deadlines[deadline] else { continue }
                let late = overdue.filter { $0.kind == deadline }
                guard !late.isEmpty else { continue }
                let people = late.map(\.person).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
                var named = people.prefix(Self.namesInMessage).map { Sanitised.id($0) }.joined(separator: ", ")
                if people.count > Self.namesInMessage { named += " and \(people.count - Self.namesInMessage) more" }
                let days = context.today.daysSinceEpoch - due.value.daysSinceEpoch
                context.report(
                    "the \(deadline.rawValue) deadline passed \(days) day\(days == 1 ? "" : "s") ago with \(late.count) still owed: \(named)",
                    at: due.location,
                    notes: late.map { obligation in
                        let owners =
                            obligation.owners.isEmpty
                            ? "nobody holds the role"
                            : obligation.owners.map { Sanitised.id($0) }.joined(separator: ", ")
                        return DiagnosticNote(
                            "\(Sanitised.id(obligation.person)): \(obligation.what) (\(obligation.file)), owed by \(owners)"
                        )
                    })
            }
        }
    }
}
