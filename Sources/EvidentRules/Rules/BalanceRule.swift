import EvidentCore

/// A level whose `balance` does not sum to 100, or a review whose cited evidence covers
/// only one aspect ("what" or "how") of a level that has both.
///
/// Positions: a level at its `balance` key; a review at its `rating` value (the decision
/// that rests on one-sided evidence), or its header when it has no rating.
struct BalanceRule: Rule {
    static let description = RuleDescription(
        id: "balance",
        defaultSeverity: .error,
        summary: "a level whose balance does not sum to 100, or a review whose cited evidence ignores one aspect",
        rationale: """
            Level guides split expectations into the "what" (outcomes: impact, quality, delivery) and the \
            "how" (collaboration, ownership, judgement, mentoring), and the `balance` says how much each \
            weighs. Weights that do not add up to 100 make that promise meaningless. And a rating built only \
            on shipped outcomes rewards whoever got there at any cost, while one built only on behaviour \
            rewards being pleasant over delivering: the review must cite at least one item tagged with a \
            dimension of each aspect its level has. A review is reported at its `rating`, the decision that \
            rests on the one-sided evidence.
            """,
        triggeringExamples: [
            RuleExample(
                """
                ---
                kind: level
                id: eng-4
                title: Staff Engineer
                1️⃣balance: { what: 70, how: 40 }
                dimensions:
                  - { id: reach, name: Reach, aspect: what, expectations: [Moves metrics beyond the team] }
                  - { id: influence, name: Influence, aspect: how, expectations: [Sets technical direction across teams] }
                ---
                """, file: "levels/eng-4.md", caption: "weights that sum to 110"),
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
                Alice cut checkout p99 from 900 ms to 250 ms [@checkout-latency].

                ## Technical judgment
                Her judgment showed in how the latency work was staged [@checkout-latency].
                """, caption: "a review citing only 'what' evidence"),
        ],
        nonTriggeringExamples: [
            RuleExample(ExampleRepository.files[RuleExample.defaultFile] ?? "", caption: "evidence for both aspects"),
            RuleExample(
                """
                ---
                kind: level
                id: eng-4
                title: Staff Engineer
                balance: { what: 100, how: 0 }
                dimensions:
                  - { id: reach, name: Reach, aspect: what, expectations: [Moves metrics beyond the team] }
                ---
                """, file: "levels/eng-4.md", caption: "a level with only one aspect"),
        ])

    func check(_ context: RuleContext) {
        let organisation = context.organisation
        for level in organisation.levels {
            let sum = level.balanceWhat + level.balanceHow
            guard sum != 100 else { continue }
            // A balance that failed to decode is already a schema problem at that spot.
            let problems = organisation.file(level.file)?.problems ?? []
            if problems.contains(where: { $0.location.line == level.balanceLocation.line }) { continue }
            context.report(
                "balance of level \(public: level.id.value) sums to \(sum) (what \(level.balanceWhat) + how \(level.balanceHow)); it must sum to 100",
                at: level.balanceLocation)
        }
        for (position, personCycle) in organisation.personCycles.enumerated() {
            guard let review = personCycle.review, let level = organisation.level(for: personCycle) else { continue }
            checkReview(
                review, personCycle: personCycle, items: context.itemPositions(at: position, of: personCycle),
                level: level, context)
        }
    }

    private func checkReview(
        _ review: ReviewDocument, personCycle: PersonCycle, items: [String: Int], level: Level, _ context: RuleContext
    ) {
        var covered: [Aspect] = []  // two aspects: an array, not a hashed set
        var citedAny = false
        for citation in review.body.publicCitations {
            guard let item = items[citation.id] else { continue }
            citedAny = true
            for dimension in personCycle.items[item].dimensions {
                if let aspect = level.dimension(dimension.value)?.aspect, !covered.contains(aspect) {
                    covered.append(aspect)
                }
            }
        }
        // A review citing nothing at all is rating-evidence's and rubric-coverage's finding.
        guard citedAny else { return }
        for aspect in Aspect.allCases where !covered.contains(aspect) {
            let dimensions = level.dimensions.filter { $0.aspect == aspect }
            guard !dimensions.isEmpty else { continue }
            let weight = aspect == .what ? level.balanceWhat : level.balanceHow
            let names = dimensions.map { "'\($0.name)'" }.joined(separator: ", ")
            context.report(
                "the review cites no evidence for the '\(public: aspect.rawValue)' aspect of level \(public: level.id.value) (\(public: names), \(weight)% of the balance); cite an item tagged with one of its dimensions",
                at: review.rating?.location ?? review.headerLocation)
        }
    }
}
