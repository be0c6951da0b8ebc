import EvidentCore

/// A review whose cited evidence sits mostly in the last weeks of the cycle.
struct RecencyBiasRule: Rule {
    static let description = RuleDescription(
        id: "recency-bias",
        defaultSeverity: .warning,
        summary: "a review that cites mostly evidence from the last weeks of the cycle",
        rationale: """
            Recency bias is one of the best documented distortions in performance reviews: what happened in \
            the last month is vivid when the review is written, and the first five months of the half fade. \
            A review whose cited evidence is mostly recent is probably describing the end of the cycle, not \
            the cycle. The rule counts the distinct items a review.md body cites that carry a date, and warns \
            when more than `evidence.recency.max_share` of them fall in the last `evidence.recency.last_weeks` \
            weeks of the cycle period. It stays silent when fewer than three cited items have dates: with one \
            or two items the share is noise, not a pattern. It is a warning, reported at the rating: recent \
            work can genuinely be the most important, but the reviewer should look again at the whole period.
            """,
        triggeringExamples: [
            RuleExample(
                files: [
                    "cycles/2026-h2/alice/evidence.md": RecencyBiasRule.exampleLog,
                    RuleExample.defaultFile: """
                    ---
                    kind: review
                    person: alice
                    cycle: 2026-h2
                    reviewer: dana
                    level: eng-3
                    rating: 1️⃣meets
                    ---
                    ## Delivery impact
                    Alice cut checkout p99 from 900 ms to 250 ms [@checkout-latency] and shipped the queue
                    to every region [@queue-rollout; @handbook].

                    ## Technical judgment
                    She designed the retry queue with its failure modes first [@queue-design].
                    """,
                ], caption: "three of the four cited items are from the last six weeks (75% > 60%)")
        ],
        nonTriggeringExamples: [
            RuleExample(
                files: [
                    "cycles/2026-h2/alice/evidence.md": RecencyBiasRule.exampleLog,
                    RuleExample.defaultFile: """
                    ---
                    kind: review
                    person: alice
                    cycle: 2026-h2
                    reviewer: dana
                    level: eng-3
                    rating: meets
                    ---
                    ## Delivery impact
                    Alice cut checkout p99 from 900 ms to 250 ms [@checkout-latency], shipped the queue to
                    every region [@queue-rollout] and kept the reliability work going [@handbook; @load-tests].

                    ## Technical judgment
                    She designed the retry queue with its failure modes first [@queue-design].
                    """,
                ], caption: "three of five cited items are recent: 60% is not more than max_share"),
            RuleExample(
                files: [
                    "cycles/2026-h2/alice/evidence.md": RecencyBiasRule.exampleLog,
                    RuleExample.defaultFile: """
                    ---
                    kind: review
                    person: alice
                    cycle: 2026-h2
                    reviewer: dana
                    level: eng-3
                    rating: meets
                    ---
                    ## Delivery impact
                    Alice shipped the queue to every region [@queue-rollout].

                    ## Technical judgment
                    She designed the retry queue with its failure modes first [@queue-design].
                    """,
                ], caption: "two cited items are too few to call a pattern"),
        ])

    /// An evidence log spread over the cycle; the last three items fall after 2026-11-19.
    static let exampleLog = """
        ---
        kind: evidence
        person: alice
        cycle: 2026-h2
        items:
          - { id: checkout-latency, date: 2026-08-14, type: pull-request, summary: Checkout p99 cut to 250 ms, dimensions: [delivery] }
          - { id: load-tests, date: 2026-09-20, type: pull-request, summary: Load tests for checkout, dimensions: [delivery] }
          - { id: queue-design, date: 2026-11-25, type: design-doc, summary: Retry queue design, dimensions: [technical-judgment] }
          - { id: queue-rollout, date: 2026-12-01, type: pull-request, summary: Retry queue in all regions, dimensions: [delivery] }
          - { id: handbook, date: 2026-12-05, type: other, summary: On-call handbook rewrite, dimensions: [delivery] }
        ---
        """

    func check(_ context: RuleContext) {
        let policy = context.policy
        let weeks = policy.recencyLastWeeks
        let maxShare = policy.recencyMaxShare
        guard weeks > 0 else { return }
        for (position, personCycle) in context.organisation.personCycles.enumerated() {
            guard let review = personCycle.review, let cycle = context.organisation.cycle(of: personCycle) else {
                continue
            }
            let items = context.itemPositions(at: position, of: personCycle)
            let cutoff = cycle.end.adding(days: -7 * weeks)
            // Items seen, by position (one id per position): a hostile review's 300,000 unknown
            // ids cost a lookup each, and no set is built and grown for each review.
            var seen = [Bool](repeating: false, count: personCycle.items.count)
            var dated = 0
            var recent = 0
            for section in review.body.sections {
                for citation in review.body.citations(in: section) {
                    guard let item = items[citation.id], !seen[item] else { continue }
                    seen[item] = true
                    guard let date = personCycle.items[item].date?.value else { continue }
                    dated += 1
                    if date > cutoff { recent += 1 }
                }
            }
            // A small tolerance so 3 of 5 is exactly 60%, whatever the floating point says.
            guard dated >= 3, Double(recent) / Double(dated) > maxShare + 1e-9 else { continue }
            let share = Int((Double(recent) * 100 / Double(dated)).rounded())
            let allowed = Int((maxShare * 100).rounded())
            context.report(
                "\(recent) of the \(dated) dated items this review cites (\(share)%) are from the last \(weeks) weeks of the cycle (after \(public: cutoff)); evidence.recency.max_share is \(allowed)%",
                at: review.rating?.location ?? review.headerLocation)
        }
    }
}
