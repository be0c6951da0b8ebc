import EvidentCore

/// A review's `rating:` or `calibration.rating` that is not an id of the policy's scale.
struct RatingUnknownRule: Rule {
    static let description = RuleDescription(
        id: "rating-unknown",
        defaultSeverity: .error,
        summary: "a proposed or calibrated rating that is not in the policy's rating scale",
        rationale: """
            The rating scale in `evident.yaml` is the shared vocabulary of the decision: every rating maps to \
            one label, one evidence threshold and one place in the order that distributions and calibration \
            diffs rely on. A rating outside the scale (`strong-meets`, `exceeds+`, a typo) silently escapes \
            the evidence threshold and cannot be compared with anyone else's, which is exactly the \
            inconsistency calibration exists to remove. Both the manager's proposal and the calibrated \
            rating are checked.
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
                rating: 1️⃣strong-meets
                calibration:
                  rating: 2️⃣exceed
                  rationale: The queue design set the pattern for two other teams.
                  evidence: [queue-design]
                ---
                ## Delivery impact
                Alice cut checkout p99 from 900 ms to 250 ms [@checkout-latency].

                ## Technical judgment
                She designed the retry queue with its failure modes first [@queue-design].
                """, caption: "a rating between two steps of the scale, and a misspelt calibrated rating")
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
                  rating: meets
                ---
                ## Delivery impact
                Alice cut checkout p99 from 900 ms to 250 ms [@checkout-latency].

                ## Technical judgment
                She designed the retry queue with its failure modes first [@queue-design].
                """, caption: "ratings from the scale")
        ])

    func check(_ context: RuleContext) {
        // Without a policy there is no scale to check against; front-matter rules report why.
        guard let policy = context.organisation.policy else { return }
        let scale = Set(policy.ratings.map(\.id.value))
        let listed = policy.ratings.map(\.id.value).joined(separator: ", ")
        let candidates = policy.ratings.map(\.id.value)
        func check(_ rating: Located<String>?, _ what: String) {
            guard let rating, !scale.contains(rating.value) else { return }
            var notes: [DiagnosticNote] = []
            if let suggestion = EditDistance.closest(to: rating.value, in: candidates) {
                notes.append(DiagnosticNote("did you mean '\(suggestion)'?"))
            }
            context.report(
                "unknown \(public: what) '\(Sanitised.id(rating.value))': the scale is \(public: listed.isEmpty ? "empty" : listed)",
                at: rating.location, notes: notes)
        }
        for personCycle in context.organisation.personCycles {
            guard let review = personCycle.review else { continue }
            check(review.rating, "rating")
            check(review.calibration?.rating, "calibrated rating")
        }
    }
}
