import EvidentCore

/// A rating above the middle of the scale whose cited evidence is all `type: metric`.
///
/// Reported at the rating (the calibrated one when calibration set it). Citations in
/// private sections do not count, as everywhere outside calibration.
struct MetricOnlyRule: Rule {
    static let description = RuleDescription(
        id: "metric-only",
        defaultSeverity: .warning,
        summary: "a rating above the scale's middle that rests only on evidence of type metric",
        rationale: """
            Metrics are evidence, not truth. "14,000 lines added, the most on the team" is a number anyone can \
            move without the outcome improving, and a high rating that rests on numbers alone rewards whoever \
            games them best. A rating above the middle of the scale (`exceeds` and `outstanding` in a \
            four-step scale) therefore needs at least one cited item that is not `type: metric`: a pull \
            request, an incident, a design, someone's feedback, the work behind the number. Each metric's \
            indicator and gaming risks (required in metrics.yaml) are shown beside the evidence that uses it \
            in the calibration packet and the editor's hover, so calibrators see how the number could lie. \
            It is a warning: a calibrator may accept a metric with eyes open.
            """,
        triggeringExamples: [
            RuleExample(
                files: [
                    "cycles/2026-h2/alice/evidence.md": MetricOnlyRule.metricEvidence,
                    RuleExample.defaultFile: """
                    ---
                    kind: review
                    person: alice
                    cycle: 2026-h2
                    reviewer: dana
                    level: eng-3
                    rating: 1️⃣exceeds
                    ---
                    ## Delivery impact
                    Checkout p99 fell from 900 ms to 250 ms [@p99-drop] and she added the most code [@loc].

                    ## Technical judgment
                    The error budget held all cycle [@error-budget].
                    """,
                ], caption: "an 'exceeds' resting on numbers alone")
        ],
        nonTriggeringExamples: [
            RuleExample(
                files: [
                    "cycles/2026-h2/alice/evidence.md": MetricOnlyRule.metricEvidence,
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
                    Checkout p99 fell from 900 ms to 250 ms [@p99-drop] and she added the most code [@loc].

                    ## Technical judgment
                    The error budget held all cycle [@error-budget].
                    """,
                ], caption: "numbers behind a rating at the middle of the scale"),
            RuleExample(
                ExampleRepository.files[RuleExample.defaultFile] ?? "", caption: "metrics beside the work behind them"),
        ])

    /// Three items of `type: metric` for the examples.
    static let metricEvidence = """
        ---
        kind: evidence
        person: alice
        cycle: 2026-h2
        items:
          - { id: p99-drop, date: 2026-08-14, type: metric, metric: checkout-p99, summary: Checkout p99 from 900 ms to 250 ms, dimensions: [delivery] }
          - { id: loc, date: 2026-09-01, type: metric, summary: 14000 lines added, dimensions: [delivery] }
          - { id: error-budget, date: 2026-10-01, type: metric, summary: Error budget kept all cycle, dimensions: [technical-judgment] }
          - { id: checkout-latency, date: 2026-08-14, type: pull-request, summary: Cut checkout p99, dimensions: [delivery] }
          - { id: queue-design, date: 2026-09-02, type: design-doc, summary: Retry queue design, dimensions: [technical-judgment] }
        ---
        """

    func check(_ context: RuleContext) {
        guard let policy = context.organisation.policy, policy.ratings.count > 1 else { return }
        let unreadable = UnreadableFiles(context.organisation)
        for personCycle in context.organisation.personCycles where !unreadable.any(in: personCycle) {
            guard let review = personCycle.review else { continue }
            let calibrated = review.calibration?.rating
            guard let rating = calibrated ?? review.rating, let rank = policy.rank(of: rating.value),
                rank * 2 > policy.ratings.count - 1
            else { continue }
            let items = personCycle.evidenceItemsByID()
            var cited = review.body.publicCitations.compactMap { items[$0.id] }
            if calibrated != nil { cited += (review.calibration?.evidence ?? []).compactMap { items[$0.value] } }
            // Nothing cited is rating-evidence's finding; one non-metric item is enough here.
            guard !cited.isEmpty, cited.allSatisfy({ $0.type == .metric }) else { continue }
            let metrics = Set(cited.compactMap { $0.metric?.value }).sorted()
            context.report(
                "rating '\(rating.value)' rests only on metrics (\(cited.count) cited item\(cited.count == 1 ? "" : "s") of type metric): cite the work behind the numbers",
                at: rating.location,
                notes: metrics.compactMap { id in
                    context.organisation.metric(id).map { metric in
                        DiagnosticNote(
                            "\(metric.id.value) is a \(metric.indicator.rawValue) indicator; gaming risks: \(metric.gamingRisks.joined(separator: "; "))"
                        )
                    }
                })
        }
    }
}
