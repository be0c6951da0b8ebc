import EvidentCore

/// Evidence items that no self review, peer feedback, review or calibration cites.
struct EvidenceUncitedRule: Rule {
    static let description = RuleDescription(
        id: "evidence-uncited",
        defaultSeverity: .warning,
        cost: .slow(rank: 7),
        summary: "an evidence item that no self review, peer feedback, review or calibration cites",
        rationale: """
            Evidence that nobody cites plays no visible part in the decision. Sometimes that is right (the \
            item turned out not to matter), but often it is work the reviewer overlooked, typically quieter \
            work such as mentoring, incident follow-up or documentation, or work from early in the cycle. \
            Surfacing it asks the writer to either use the item or consciously leave it out, which keeps the \
            narrative honest about the whole period. It is a warning because not every item has to appear in \
            the text; an item counts as cited when any self review, peer feedback or review body of the \
            folder, or the review's `calibration.evidence`, names it. While a file of the folder cannot be \
            read at all, the folder is skipped, since its citations are unknown. While the cycle's phase is \
            still `evidence`, nothing is reported: logs are written before any review exists, and an item \
            nobody has cited yet is the normal state, not a finding.
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
                    summary: Design for the retry queue, with the failure modes written down
                    dimensions: [technical-judgment]
                  - id: 1️⃣mentoring-jun
                    date: 2026-10-12
                    type: feedback
                    summary: Mentored Jun through his first on-call rotation
                    dimensions: [technical-judgment]
                ---
                Jun's first rotation went well [@mentoring-jun].
                """, file: "cycles/2026-h2/alice/evidence.md",
                caption: "an item cited only by the evidence log's own notes")
        ],
        nonTriggeringExamples: [
            RuleExample(
                files: [
                    "cycles/2026-h2/cycle.yaml": """
                    id: 2026-h2
                    period: { start: 2026-07-01, end: 2026-12-31 }
                    phase: evidence
                    calibration_groups:
                      - { id: eng, calibrators: [erin], teams: [payments] }
                    """
                ], caption: "while the cycle is collecting evidence, before any review exists",
                removing: [
                    "cycles/2026-h2/alice/review.md", "cycles/2026-h2/alice/self.md",
                    "cycles/2026-h2/alice/peer-bob.md",
                    "cycles/2026-h2/alice/peer-carol.md",
                ]),
            RuleExample(
                files: [
                    "cycles/2026-h2/alice/evidence.md": """
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
                        summary: Design for the retry queue, with the failure modes written down
                        dimensions: [technical-judgment]
                      - id: mentoring-jun
                        date: 2026-10-12
                        type: feedback
                        summary: Mentored Jun through his first on-call rotation
                        dimensions: [technical-judgment]
                    ---
                    """,
                    RuleExample.defaultFile: """
                    ---
                    kind: review
                    person: alice
                    cycle: 2026-h2
                    reviewer: dana
                    level: eng-3
                    rating: meets
                    calibration:
                      rating: meets
                      rationale: Confirmed; the mentoring shows reach beyond her own work.
                      evidence: [mentoring-jun]
                    ---
                    ## Delivery impact
                    Alice cut checkout p99 from 900 ms to 250 ms [@checkout-latency].

                    ## Technical judgment
                    She designed the retry queue with its failure modes first [@queue-design].
                    """,
                ], caption: "an item cited only by the calibration counts as cited"),
        ])

    func check(_ context: RuleContext) {
        let unreadable = UnreadableFiles(context.organisation)
        for (position, personCycle) in context.organisation.personCycles.enumerated()
        where !personCycle.items.isEmpty && !unreadable.any(in: personCycle)
            && context.organisation.cycle(of: personCycle)?.phase != .evidence
        {
            // The items not cited yet, struck off citation by citation: a flag per item of
            // the log (by the position of its id's first declaration), not a set of the
            // 300,000 citations a hostile review may hold, nor one of the ids built and
            // shrunk for every folder.
            let positions = context.itemPositions(at: position, of: personCycle)
            var isCited = [Bool](repeating: false, count: personCycle.items.count)
            var uncited = positions.count
            func strike(_ id: String) {
                guard let item = positions[id], !isCited[item] else { return }
                isCited[item] = true
                uncited -= 1
            }
            for document in personCycle.writtenDocuments where uncited > 0 {
                for section in document.body.sections where uncited > 0 {
                    for citation in document.body.citations(in: section) { strike(citation.id) }
                }
                for id in document.calibration?.evidence ?? [] { strike(id.value) }
            }
            // A duplicated id is duplicate-id's finding; only its first declaration (the
            // position it is found at) is reported.
            for (index, item) in personCycle.items.enumerated()
            where positions[item.id.value] == index && !isCited[index] {
                context.report(
                    "evidence item '\(Sanitised.id(item.id.value))' is not cited by any self review, peer feedback or review",
                    at: item.id.location)
            }
        }
    }
}
