import EvidentCore

/// A review without the summary that the record and the packet lead with, or one too
/// long or citing nothing: the "two minutes" test of the outcome.
///
/// A missing summary is reported from the cycle's `calibration` phase on, at the
/// review's header; a summary that is present is held to its word limit and its
/// citation in every phase, at the `summary` value.
struct SummaryMissingRule: Rule {
    static let description = RuleDescription(
        id: "summary-missing",
        defaultSeverity: .error,
        summary: "a review with no summary from the calibration phase on, or a summary too long or citing nothing",
        rationale: """
            The person reviewed, and every calibrator, should understand the outcome and its reasons in two \
            minutes. `summary:` in the review's front matter is that explanation: the decision record and the \
            calibration packet lead with it. It needs at least one citation (`[@item-id]`) so the reason can be \
            checked, and at most `reviews.max_words.summary` words (300 by default) so it stays a summary. \
            Reviews are drafted before calibration, so a missing summary is reported from the cycle's \
            `calibration` phase on; a summary that is there is checked in every phase.
            """,
        triggeringExamples: [
            RuleExample(
                """
                1️⃣---
                kind: review
                person: alice
                cycle: 2026-h2
                reviewer: dana
                level: eng-3
                rating: meets
                ---
                ## Delivery impact
                Alice cut checkout p99 from 900 ms to 250 ms [@checkout-latency].

                ## Technical judgment
                She designed the retry queue with its failure modes first [@queue-design].
                """, caption: "no summary in the calibration phase"),
            RuleExample(
                """
                ---
                kind: review
                person: alice
                cycle: 2026-h2
                reviewer: dana
                level: eng-3
                rating: meets
                summary: 1️⃣Meets the eng-3 bar in delivery and technical judgment.
                ---
                ## Delivery impact
                Alice cut checkout p99 from 900 ms to 250 ms [@checkout-latency].

                ## Technical judgment
                She designed the retry queue with its failure modes first [@queue-design].
                """, caption: "a summary that cites nothing"),
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
                rating: meets
                summary: >-
                  Meets: Alice cut checkout p99 from 900 ms to 250 ms [@checkout-latency] and
                  designed the retry queue around its failure modes [@queue-design].
                ---
                ## Delivery impact
                Alice cut checkout p99 from 900 ms to 250 ms [@checkout-latency].

                ## Technical judgment
                She designed the retry queue with its failure modes first [@queue-design].
                """, caption: "a short summary with citations")
        ])

    func check(_ context: RuleContext) {
        let organisation = context.organisation
        let limit = context.policy.maxWordsSummary
        for personCycle in organisation.personCycles {
            guard let review = personCycle.review else { continue }
            let text = review.summary.map { TextLines.trimmed($0.value) } ?? ""
            guard let summary = review.summary, !text.isEmpty else {
                let phase = organisation.cycle(of: personCycle)?.phase ?? .evidence
                if phase != .evidence {
                    context.report(
                        "the review has no summary: from the \(public: phase.rawValue) phase on, add 'summary:' to the front matter explaining the outcome in at most \(limit) words with at least one citation",
                        at: review.headerLocation)
                }
                continue
            }
            let words = MarkdownParser.wordCount(of: text)
            if words > limit {
                context.report(
                    "the summary has \(words) words; reviews.max_words.summary allows \(limit)", at: summary.location)
            }
            let cited = TextLines.split(text).contains { !CitationScanner.scan($0, line: 1).isEmpty }
            if !cited {
                context.report(
                    "the summary cites no evidence: name the items the outcome rests on, as [@item-id]",
                    at: summary.location)
            }
        }
    }
}
