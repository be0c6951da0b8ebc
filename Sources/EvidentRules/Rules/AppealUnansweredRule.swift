import EvidentCore
import Foundation

/// An appeal left waiting past `reviews.appeal_days`, or answered by someone who does not
/// hear appeals of that route, or answered with a changed outcome that cites nothing.
///
/// Waiting is a warning while the cycle is open and an error once it is `closed`: a
/// closed cycle with an unanswered appeal has decided without hearing the person.
struct AppealUnansweredRule: Rule {
    static let description = RuleDescription(
        id: "appeal-unanswered",
        defaultSeverity: .error,
        summary:
            "an appeal with no answer after reviews.appeal_days, or an answer by the wrong person or changing the outcome without evidence",
        rationale: """
            An appeal is the person's way to be heard when they think the outcome is wrong; it only works if \
            someone answers, in time, and the answer is as accountable as the decision it reviews. \
            `appeal.md` records where the appeal went (`to: skip-level` or `to: hr`) and when it was \
            `opened`. With no `answer:` after `reviews.appeal_days` days (14 by default) the rule reports a \
            warning, and an error once the cycle is `closed`. An answer must come from someone who hears \
            that route: the person's skip-level manager, or someone with role `hr`. An answer with \
            `outcome: changed` must carry a rationale and cite evidence, like a calibration change; every \
            answer needs a rationale.
            """,
        triggeringExamples: [
            RuleExample(
                files: [
                    "cycles/2026-h2/alice/appeal.md": """
                    ---
                    kind: appeal
                    person: alice
                    cycle: 2026-h2
                    to: skip-level
                    opened: 1️⃣2026-10-01
                    ---
                    The review does not mention the payments migration I led [@checkout-latency].
                    """,
                    "cycles/2026-h2/cycle.yaml": (ExampleRepository.files["cycles/2026-h2/cycle.yaml"] ?? "")
                        .replacingOccurrences(of: "phase: calibration", with: "phase: closed"),
                ], caption: "no answer, weeks after the appeal was opened, in a closed cycle"),
            RuleExample(
                """
                ---
                kind: appeal
                person: alice
                cycle: 2026-h2
                to: skip-level
                opened: 2026-10-01
                answer:
                  by: 1️⃣erin
                  date: 2026-10-08
                  outcome: upheld
                  rationale: The migration is in the delivery section and weighed there.
                ---
                The review does not mention the payments migration I led [@checkout-latency].
                """, file: "cycles/2026-h2/alice/appeal.md",
                caption: "answered by someone who is not Alice's skip-level"),
            RuleExample(
                """
                ---
                kind: appeal
                person: alice
                cycle: 2026-h2
                to: hr
                opened: 2026-10-01
                1️⃣answer:
                  by: vera
                  date: 2026-10-08
                  outcome: changed
                  rationale: The migration was left out of the review.
                ---
                The review does not mention the payments migration I led [@checkout-latency].
                """, file: "cycles/2026-h2/alice/appeal.md", caption: "a changed outcome that cites no evidence"),
        ],
        nonTriggeringExamples: [
            RuleExample(
                """
                ---
                kind: appeal
                person: alice
                cycle: 2026-h2
                to: skip-level
                opened: 2026-10-01
                answer:
                  by: vera
                  date: 2026-10-08
                  outcome: changed
                  rationale: The checkout work moved a team metric, which eng-3 asks of delivery.
                  evidence: [checkout-latency]
                ---
                The review does not mention the payments migration I led [@checkout-latency].
                """, file: "cycles/2026-h2/alice/appeal.md",
                caption: "answered in time by the skip-level, with evidence"),
            RuleExample(
                """
                ---
                kind: appeal
                person: alice
                cycle: 2026-h2
                to: hr
                opened: 2026-10-01
                answer:
                  by: vera
                  date: 2026-10-20
                  outcome: upheld
                  rationale: The rating follows the cited delivery evidence; nothing was left out.
                ---
                The review does not mention the payments migration I led [@checkout-latency].
                """, file: "cycles/2026-h2/alice/appeal.md", caption: "upheld by hr, with a rationale"),
        ])

    func check(_ context: RuleContext) {
        let organisation = context.organisation
        let days = context.policy.appealDays
        for personCycle in organisation.personCycles {
            guard let document = personCycle.appeal, let appeal = document.appeal else { continue }
            let phase = organisation.cycle(of: personCycle)?.phase ?? .evidence
            guard let answer = appeal.answer else {
                guard let opened = appeal.opened else { continue }
                let waited = context.today.daysSinceEpoch - opened.value.daysSinceEpoch
                if waited > days {
                    let closed = phase == .closed ? " and the cycle is closed" : ""
                    context.report(
                        "the appeal opened on \(opened.value) has waited \(public: String(waited)) days for an answer; reviews.appeal_days allows \(public: String(days))\(public: closed)",
                        at: opened.location, severity: phase == .closed ? .error : .warning,
                        notes: [
                            DiagnosticNote(
                                "add 'answer:' with by, date, outcome and rationale once the appeal is heard")
                        ])
                }
                continue
            }
            checkAnswerer(answer, route: appeal.to?.value, person: personCycle.personFolder, context)
            if let opened = appeal.opened, let date = answer.date, date.value < opened.value {
                context.report(
                    "the appeal is answered on \(date.value), before it was opened on \(opened.value)",
                    at: date.location)
            }
            let hasRationale = !(answer.rationale.map { TextLines.trimmed($0.value) } ?? "").isEmpty
            if answer.outcome?.value == .changed {
                let missing: String?
                switch (hasRationale, !answer.evidence.isEmpty) {
                case (true, true): missing = nil
                case (false, false): missing = "a rationale or evidence"
                case (false, true): missing = "a rationale"
                case (true, false): missing = "evidence"
                }
                if let missing {
                    context.report(
                        "the appeal's answer changes the outcome without \(missing)", at: answer.location,
                        notes: [
                            DiagnosticNote(
                                "add answer.rationale and answer.evidence ids, as a calibration change needs")
                        ])
                }
            } else if !hasRationale {
                context.report(
                    "the appeal's answer gives no rationale", at: answer.rationale?.location ?? answer.location)
            }
        }
    }

    /// `answer.by` must hear appeals of the route: the person's skip-level, or role hr.
    private func checkAnswerer(_ answer: Appeal.Answer, route: Appeal.Route?, person: String, _ context: RuleContext) {
        let organisation = context.organisation
        guard let by = answer.by, let route, organisation.person(by.value) != nil else { return }
        switch route {
        case .skipLevel:
            let skipLevel = organisation.managers(of: person).dropFirst().first
            guard skipLevel != by.value else { return }
            let actual = skipLevel.map { "\(Sanitised.id($0)) is" } ?? "no one is"
            context.report(
                "'\(Sanitised.id(by.value))' answers an appeal to the skip-level but is not \(public: Sanitised.id(person))'s skip-level manager (\(public: actual))",
                at: by.location)
        case .hr:
            guard organisation.person(by.value)?.roles.contains("hr") != true else { return }
            context.report(
                "'\(Sanitised.id(by.value))' answers an appeal to hr but does not hold role hr in people.yaml",
                at: by.location)
        }
    }
}
