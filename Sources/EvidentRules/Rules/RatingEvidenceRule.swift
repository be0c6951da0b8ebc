import EvidentCore

/// A rating supported by fewer distinct cited evidence items than its `min_evidence`.
struct RatingEvidenceRule: Rule {
    static let description = RuleDescription(
        id: "rating-evidence",
        defaultSeverity: .error,
        summary: "a proposed or calibrated rating with fewer cited evidence items than its min_evidence",
        rationale: """
            Evidence first, decision second: each step of the rating scale states in `min_evidence` how much \
            cited evidence it takes, and ratings away from the middle usually take more. Without the check a \
            rating is only an opinion, and the people it is most often wrong about are the ones whose work \
            is least visible. The proposed rating counts the distinct evidence items the review body cites \
            that exist in the person's folder; the calibrated rating counts those plus `calibration.evidence`. \
            Citations under `## Private` do not count: that section is left out of the employee's decision \
            record, and a rating must rest on evidence the person can see. While a file of the folder cannot \
            be read at all, the folder is skipped, since its items are unknown.
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
                rating: 1️⃣exceeds
                calibration:
                  rating: 2️⃣outstanding
                  rationale: The latency work saved the quarter.
                  evidence: [checkout-latency]
                ---
                ## Delivery impact
                Alice cut checkout p99 from 900 ms to 250 ms [@checkout-latency].

                ## Technical judgment
                She designed the retry queue with its failure modes first [@queue-design].
                """, caption: "'exceeds' needs 3 items and 'outstanding' 5; the review cites 2"),
            RuleExample(
                """
                ---
                kind: review
                person: alice
                cycle: 2026-h2
                reviewer: dana
                level: eng-3
                rating: 1️⃣meets
                ---
                ## Delivery impact
                Alice delivered what the team planned.

                ## Technical judgment
                Her designs hold up.

                ## Private
                Compare with the checkout work [@checkout-latency].
                """, caption: "citations in the private section do not support the rating"),
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
                calibration:
                  rating: exceeds
                  rationale: The incident follow-up shows judgment beyond the level.
                  evidence: [checkout-latency, incident-42]
                items:
                  - id: incident-42
                    date: 2026-10-03
                    type: incident
                    summary: Led the payment outage review and its five follow-ups
                    dimensions: [technical-judgment]
                ---
                ## Delivery impact
                Alice cut checkout p99 from 900 ms to 250 ms [@checkout-latency].

                ## Technical judgment
                She designed the retry queue with its failure modes first [@queue-design; @queue-design].
                """, caption: "'meets' needs 1 item; 'exceeds' counts the calibration's evidence too, 3 distinct items")
        ])

    func check(_ context: RuleContext) {
        guard let policy = context.organisation.policy else { return }
        var minimum: [String: Int] = [:]
        for rating in policy.ratings where minimum[rating.id.value] == nil {
            minimum[rating.id.value] = rating.minEvidence
        }
        let unreadable = UnreadableFiles(context.organisation)
        for (position, personCycle) in context.organisation.personCycles.enumerated()
        where !unreadable.any(in: personCycle) {
            guard let review = personCycle.review else { continue }
            let items = context.itemPositions(at: position, of: personCycle)
            var cited = CitedItems(count: personCycle.items.count)
            for citation in review.body.publicCitations { cited.insert(items[citation.id]) }
            if let rating = review.rating, let needed = minimum[rating.value], needed > cited.count {
                context.report(
                    "rating '\(rating.value)' needs at least \(needed) cited evidence \(public: noun(needed)); the review cites \(cited.count)",
                    at: rating.location)
            }
            guard let calibration = review.calibration, let rating = calibration.rating,
                let needed = minimum[rating.value]
            else { continue }
            for id in calibration.evidence { cited.insert(items[id.value]) }
            if needed > cited.count {
                context.report(
                    "calibrated rating '\(rating.value)' needs at least \(needed) cited evidence \(public: noun(needed)); the review and its calibration cite \(cited.count)",
                    at: rating.location)
            }
        }
    }

    private func noun(_ count: Int) -> String { count == 1 ? "item" : "items" }
}

/// The distinct items cited, by position in the folder's items (each position has one
/// id): a flag per item rather than a set of id strings grown for every review.
private struct CitedItems {
    private var seen: [Bool]
    private(set) var count = 0

    init(count: Int) { seen = [Bool](repeating: false, count: count) }

    /// Counts the item at `position` once; nil (an unknown id) counts nothing.
    mutating func insert(_ position: Int?) {
        guard let position, !seen[position] else { return }
        seen[position] = true
        count += 1
    }
}
