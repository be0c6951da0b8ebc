import EvidentCore

/// Two things with one id: people, evidence items in one person's cycle folder, levels,
/// dimensions of a level, values, metrics, teams, cycles, ratings, calibration groups.
struct DuplicateIDRule: Rule {
    static let description = RuleDescription(
        id: "duplicate-id",
        defaultSeverity: .error,
        summary: "two evidence items, people or other declarations share one id",
        rationale: """
            A citation names exactly one piece of evidence and a sign-off names exactly one person. When two \
            items share an id, a citation silently means whichever the tool found first, and a reader cannot \
            tell which fact a rating rests on. The second declaration is reported, with a note at the first.
            """,
        triggeringExamples: [
            RuleExample(
                """
                ---
                kind: evidence
                person: alice
                cycle: 2026-h2
                items:
                  - id: checkout-latency
                    date: 2026-08-14
                    type: pull-request
                    summary: Cut checkout p99 from 900 ms to 250 ms
                    dimensions: [delivery]
                  - id: queue-design
                    date: 2026-09-02
                    type: design-doc
                    summary: Retry queue design
                    dimensions: [technical-judgment]
                  - id: 1️⃣checkout-latency
                    date: 2026-09-14
                    type: metric
                    summary: Checkout error rate halved
                    dimensions: [delivery]
                ---
                """, file: "cycles/2026-h2/alice/evidence.md", caption: "one id used for two items")
        ],
        nonTriggeringExamples: [
            RuleExample(
                ExampleRepository.files["cycles/2026-h2/alice/evidence.md"] ?? "",
                file: "cycles/2026-h2/alice/evidence.md", caption: "distinct ids")
        ])

    func check(_ context: RuleContext) {
        let organisation = context.organisation
        // Every person id is reported in the file declaring it; a check of one staged
        // review does not report on people.yaml, and its 10,000 ids need no comparing.
        if context.reportsAny(of: organisation.people) { report(organisation.people.map(\.id), "person", context) }
        report(organisation.levels.map(\.id), "level", context)
        report(organisation.values.map(\.id), "value", context)
        report(organisation.metrics.map(\.id), "metric", context)
        report(organisation.teams.map(\.id), "team", context)
        report(organisation.cycles.map(\.id), "cycle", context)
        report(organisation.policy?.ratings.map(\.id) ?? [], "rating", context)
        for level in organisation.levels { report(level.dimensions.map(\.id), "dimension", context) }
        for cycle in organisation.cycles { report(cycle.groups.map(\.id), "calibration group", context) }
        for personCycle in organisation.personCycles {
            report(personCycle.items.map(\.id), "evidence item", context)
        }
    }

    private func report(_ ids: [Located<String>], _ what: String, _ context: RuleContext) {
        guard ids.count > 1 else { return }
        // A folder's few items are compared with those before them: that costs less than
        // hashing them into a table grown from empty. Either way the note names the first
        // declaration.
        let fewEnoughToCompare = ids.count <= 16
        var first: [String: SourceLocation] = [:]
        if !fewEnoughToCompare { first.reserveCapacity(ids.count) }
        for (index, id) in ids.enumerated() {
            let earlier: SourceLocation?
            if fewEnoughToCompare {
                earlier = ids[..<index].first { $0.value == id.value }?.location
            } else {
                earlier = first[id.value]
                if earlier == nil { first[id.value] = id.location }
            }
            guard let earlier else { continue }
            context.report(
                "duplicate \(public: what) id '\(id.value)'", at: id.location,
                notes: [DiagnosticNote("first declared here", at: earlier)])
        }
    }
}
