import EvidentCore

/// Evidence dated before the cycle's period, after its end, or after its evidence freeze.
struct EvidenceDateOutsideCycleRule: Rule {
    static let description = RuleDescription(
        id: "evidence-date-outside-cycle",
        defaultSeverity: .error,
        summary: "an evidence item dated outside the cycle period, or after the evidence freeze",
        rationale: """
            A cycle reviews one period of work. Evidence from before it was (or should have been) weighed in \
            the last cycle, and counting it again rewards the same work twice; evidence dated after the end \
            is either a typo or belongs to the next cycle. The `freeze` date closes collection so that \
            calibration compares everyone on the same body of evidence: an item added after it was not \
            available when peers and calibrators read the folder, and it favours whoever keeps adding. Each \
            item is checked against the cycle of the folder it sits in, and the diagnostic says which bound \
            it crosses.
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
                    date: 1️⃣2026-06-20
                    type: pull-request
                    summary: Cut checkout p99 from 900 ms to 250 ms
                    dimensions: [delivery]
                  - id: queue-design
                    date: 2026-09-02
                    type: design-doc
                    summary: Design for the retry queue, with the failure modes written down
                    dimensions: [technical-judgment]
                  - id: on-call-handbook
                    date: 2️⃣2026-12-20
                    type: other
                    summary: Rewrote the payments on-call handbook
                    dimensions: [delivery]
                  - id: new-year-release
                    date: 3️⃣2027-01-04
                    type: pull-request
                    summary: Shipped the retry queue to all regions
                    dimensions: [delivery]
                ---
                """, file: "cycles/2026-h2/alice/evidence.md",
                caption: "before the period, after the freeze, and after the period")
        ],
        nonTriggeringExamples: [
            RuleExample(
                """
                ---
                kind: evidence
                person: alice
                cycle: 2026-h2
                items:
                  - id: checkout-latency
                    date: 2026-07-01
                    type: pull-request
                    summary: Cut checkout p99 from 900 ms to 250 ms
                    dimensions: [delivery]
                  - id: queue-design
                    date: 2026-12-10
                    type: design-doc
                    summary: Design for the retry queue, with the failure modes written down
                    dimensions: [technical-judgment]
                ---
                """, file: "cycles/2026-h2/alice/evidence.md",
                caption: "the first day of the period and the freeze day itself are inside")
        ])

    func check(_ context: RuleContext) {
        for personCycle in context.organisation.personCycles {
            guard let cycle = context.organisation.cycle(of: personCycle) else { continue }
            let period = "\(cycle.start) to \(cycle.end)"
            for item in personCycle.items {
                guard let date = item.date else { continue }
                if date.value < cycle.start {
                    context.report(
                        "'\(date.value)' is before the cycle period (\(public: period)) of \(public: cycle.id.value)",
                        at: date.location)
                } else if date.value > cycle.end {
                    context.report(
                        "'\(date.value)' is after the cycle period (\(public: period)) of \(public: cycle.id.value)",
                        at: date.location)
                } else if let freeze = cycle.freeze, date.value > freeze.value {
                    context.report(
                        "'\(date.value)' is after the evidence freeze (\(public: freeze.value))", at: date.location,
                        notes: [DiagnosticNote("the freeze is set here", at: freeze.location)])
                }
            }
        }
    }
}
