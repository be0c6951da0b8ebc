import EvidentCore

/// Every dimension of the person's level needs a `##` section in the review (and should
/// have one in the self review), citing at least `min_per_dimension` items tagged with
/// that dimension.
///
/// Positions: a missing section is reported at the document's header (the opening
/// `---`), since there is no line to point at; too few citations at the section heading.
/// Peer feedback is exempt: a peer writes about what they saw.
public struct RubricCoverageRule: Rule {
    public static let description = RuleDescription(
        id: "rubric-coverage",
        defaultSeverity: .error,
        summary: "a dimension of the level with no section, or fewer cited items than min_per_dimension",
        rationale: """
            A level guide is the promise of what a person is judged on. When a review skips a dimension, the \
            rating quietly rests on the dimensions the reviewer found easiest to write about, and two people \
            at one level end up judged on different criteria. Each dimension therefore needs its own `##` \
            section (named by the dimension's name or id), and that section must cite evidence tagged with \
            the dimension, so the claim and the proof line up. A missing section is reported at the \
            document's opening `---`; a section with too little evidence at its heading. In a review this is \
            an error; in a self review a warning, because the person should cover every dimension but may \
            have little to say on one. Peer feedback is exempt: peers write about what they saw.
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
                """, caption: "a review with no section for technical judgment"),
            RuleExample(
                """
                ---
                kind: review
                person: alice
                cycle: 2026-h2
                reviewer: dana
                level: eng-3
                rating: meets
                ---
                ## Delivery impact
                Alice cut checkout p99 from 900 ms to 250 ms [@checkout-latency].

                1️⃣## Technical judgment
                She thinks carefully about design, as the latency work showed [@checkout-latency].
                """, caption: "a section citing only evidence tagged with another dimension"),
            RuleExample(
                """
                1️⃣---
                kind: self-review
                person: alice
                cycle: 2026-h2
                ---
                ## Technical judgment
                I wrote the retry queue design before building it [@queue-design].
                """, file: "cycles/2026-h2/alice/self.md",
                caption: "a self review missing a dimension (a warning)"),
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
                ---
                ## delivery
                Alice cut checkout p99 from 900 ms to 250 ms [@checkout-latency].

                ## TECHNICAL JUDGMENT
                She designed the retry queue with its failure modes first [@queue-design].
                """, caption: "sections named by id or name, in any case"),
            RuleExample(
                """
                ---
                kind: peer-feedback
                person: alice
                cycle: 2026-h2
                author: bob
                ---
                ## Technical judgment
                Her queue design named the failure modes we later hit [@queue-design].
                """, file: "cycles/2026-h2/alice/peer-bob.md", caption: "peer feedback covers what the peer saw"),
        ])

    public init() {}

    public func check(_ context: RuleContext) {
        let organisation = context.organisation
        let minimum = context.policy.minPerDimension
        var namesByLevel = DimensionNamesByLevel()
        for personCycle in organisation.personCycles {
            guard let level = organisation.level(for: personCycle), !level.dimensions.isEmpty else { continue }
            let documents: [(ReviewDocument, Severity)] = [
                personCycle.review.map { ($0, Severity.error) }, personCycle.selfReview.map { ($0, Severity.warning) },
            ].compactMap { $0 }
            guard !documents.isEmpty else { continue }
            let names = namesByLevel.names(for: level)
            let items = personCycle.itemPositionsByID()
            for (document, severity) in documents {
                check(
                    document, level: level, names: names, items: items, of: personCycle, minimum: minimum,
                    severity: severity, context)
            }
        }
    }

    private func check(
        _ document: ReviewDocument, level: Level, names: DimensionNames, items: [String: Int],
        of personCycle: PersonCycle, minimum: Int, severity: Severity, _ context: RuleContext
    ) {
        let duty = document.kind == .review ? "the review must" : "the self review should"
        let sections = document.body.sections
        // Each title normalised once, not once per dimension.
        let titles = sections.map { $0.heading.map { SectionTitle.asciiNormalised($0.text) } }
        for (index, dimension) in level.dimensions.enumerated() {
            let named = sections.indices.filter { position in
                guard let title = titles[position] else { return false }  // the text before any `##`
                return names.dimension(index, isNamedBy: sections[position].title, normalised: title)
            }
            guard let first = named.first, let heading = sections[first].heading else {
                context.report(
                    "no '## \(public: dimension.name)' section: \(public: duty) cover every dimension of level \(public: level.id.value)",
                    at: document.headerLocation, severity: severity)
                continue
            }
            guard minimum > 0 else { continue }
            var cited = Set<String>()
            for position in named {
                for citation in sections[position].citations where !cited.contains(citation.id) {
                    if let item = items[citation.id],
                        personCycle.items[item].dimensions.contains(where: { $0.value == dimension.id.value })
                    {
                        cited.insert(citation.id)
                    }
                }
            }
            if cited.count < minimum {
                let noun = minimum == 1 ? "item" : "items"
                context.report(
                    "section '\(heading.text)' cites \(cited.count) evidence \(cited.count == 1 ? "item" : "items") tagged '\(public: dimension.id.value)'; at least \(minimum) \(public: noun) needed (min_per_dimension)",
                    at: SourceLocation(file: document.file, line: heading.line, column: heading.column),
                    severity: severity)
            }
        }
    }
}
