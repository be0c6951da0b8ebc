import EvidentCore
import Foundation

/// A calibrated rating that differs from the proposal without a written rationale and
/// cited evidence.
struct CalibrationUncitedRule: Rule {
    static let description = RuleDescription(
        id: "calibration-uncited",
        defaultSeverity: .error,
        summary: "a calibrated rating that differs from the proposal without a rationale and cited evidence",
        rationale: """
            Calibration aligns ratings across managers; it must never override evidence. When calibration \
            moves a rating, up or down, the person is owed the reason and the facts it rests on, and the \
            next calibrator needs them to keep decisions consistent. A change therefore needs both a \
            non-empty `calibration.rationale` and at least one id in `calibration.evidence`; the diagnostic \
            names which is missing. A calibration that confirms the proposed rating needs neither. (Whether \
            the cited ids exist is checked by `citation-unknown`.)
            """,
        triggeringExamples: [
            RuleExample(
                """
                ---
                kind: review
                person: alice
                cycle: 2026-h2
                reviewer: dana
                level: eng-3
                rating: exceeds
                1️⃣calibration:
                  rating: meets
                items:
                  - { id: incident-42, date: 2026-10-03, type: incident, summary: Led the outage review, dimensions: [technical-judgment] }
                ---
                ## Delivery impact
                Alice cut checkout p99 from 900 ms to 250 ms [@checkout-latency].

                ## Technical judgment
                She designed the retry queue with its failure modes first [@queue-design] and led the
                outage review [@incident-42].
                """, caption: "a rating lowered with neither rationale nor evidence"),
            RuleExample(
                """
                ---
                kind: review
                person: alice
                cycle: 2026-h2
                reviewer: dana
                level: eng-3
                rating: meets
                1️⃣calibration:
                  rating: below
                  rationale: "  "
                  evidence: [checkout-latency, incident-42]
                items:
                  - { id: incident-42, date: 2026-10-03, type: incident, summary: Led the outage review, dimensions: [technical-judgment] }
                ---
                ## Delivery impact
                Alice cut checkout p99 from 900 ms to 250 ms [@checkout-latency].

                ## Technical judgment
                She designed the retry queue with its failure modes first [@queue-design].
                """, caption: "evidence cited but the rationale is blank"),
        ],
        nonTriggeringExamples: [
            RuleExample(
                """
                ---
                kind: review
                person: alice
                cycle: 2026-h2
                reviewer: dana
                level: eng-3
                rating: exceeds
                calibration:
                  rating: meets
                  rationale: Impact was real but scoped to one service; eng-3 expects cross-team reach.
                  evidence: [checkout-latency, queue-design]
                items:
                  - { id: incident-42, date: 2026-10-03, type: incident, summary: Led the outage review, dimensions: [technical-judgment] }
                ---
                ## Delivery impact
                Alice cut checkout p99 from 900 ms to 250 ms [@checkout-latency].

                ## Technical judgment
                She designed the retry queue with its failure modes first [@queue-design] and led the
                outage review [@incident-42].
                """, caption: "a change with its reason and evidence"),
            RuleExample(
                """
                ---
                kind: review
                person: alice
                cycle: 2026-h2
                reviewer: dana
                level: eng-3
                rating: meets
                calibration:
                  rating: meets
                ---
                ## Delivery impact
                Alice cut checkout p99 from 900 ms to 250 ms [@checkout-latency].

                ## Technical judgment
                She designed the retry queue with its failure modes first [@queue-design].
                """, caption: "a confirmed rating needs nothing more"),
        ])

    func check(_ context: RuleContext) {
        for personCycle in context.organisation.personCycles {
            guard let review = personCycle.review, let proposed = review.rating,
                let calibration = review.calibration, let calibrated = calibration.rating,
                calibrated.value != proposed.value
            else { continue }
            let hasRationale = !(calibration.rationale.map { TextLines.trimmed($0.value) } ?? "")
                .isEmpty
            let hasEvidence = !calibration.evidence.isEmpty
            let missing: String
            switch (hasRationale, hasEvidence) {
            case (true, true): continue
            case (false, false): missing = "a rationale or evidence"
            case (false, true): missing = "a rationale"
            case (true, false): missing = "evidence"
            }
            context.report(
                "calibration changes the rating from '\(Sanitised.id(proposed.value))' to '\(Sanitised.id(calibrated.value))' without \(public: missing)",
                at: calibration.location,
                notes: [DiagnosticNote("add calibration.rationale and calibration.evidence ids to explain the change")])
        }
    }
}
