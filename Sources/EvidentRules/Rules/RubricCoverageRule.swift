import EvidentCore

/// Every dimension of the person's level needs a `##` section in the review (and should
/// have one in the self review), citing at least `min_per_dimension` items tagged with
/// that dimension.
///
/// Positions: a missing section is reported at the document's header (the opening
/// `---`), since there is no line to point at; too few citations at the section heading.
/// Peer feedback is exempt: a peer writes about what they saw.
struct RubricCoverageRule: Rule {
    static let description = RuleDescription(
        id: "rubric-coverage",
        defaultSeverity: .error,
        cost: .slow(rank: 4),
        summary: "a dimension of the level with no section, or fewer cited items than min_per_dimension",
        rationale: """
            A level guide is the promise of what a person is judged on. When a review skips a dimension, the \
            rating quietly rests on the dimensions the reviewer found easiest to write about, and two people \
            at one level end up judged on different criteria. Each dimension therefore needs its own `##` \
            section (named by the dimension's name or id), and that section must cite evidence tagged with \
            the dimension, so the claim and the proof line up. A missing section is reported where it \
            belongs, after the section of the dimension before it in the level guide, with the level's \
            expectations for it in notes; a section with too little evidence at its heading. In a review this is \
            an error; in a self review a warning, because the person should cover every dimension but may \
            have little to say on one. Peer feedback is exempt: peers write about what they saw. A dimension \
            with `specialism:` is asked only of people whose `specialism:` in people.yaml matches, so one \
            data-track guide serves data scientists and analysts alike; dimensions inherited through \
            `includes:` are asked like the level's own.
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
                rating: meets
                ---
                ## Delivery impact
                1️⃣Alice cut checkout p99 from 900 ms to 250 ms [@checkout-latency].
                """, caption: "a review with no section for technical judgment, reported where it belongs"),
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
                files: [
                    "levels/eng-3.md": RubricCoverageRule.levelWithSpecialism,
                    "people.yaml": (ExampleRepository.files["people.yaml"] ?? "").replacingOccurrences(
                        of: "team: payments, manager: dana }\n  - { id: bob",
                        with: "team: payments, manager: dana, specialism: analytics }\n  - { id: bob"),
                    RuleExample.defaultFile: (ExampleRepository.files[RuleExample.defaultFile] ?? "")
                        .replacingOccurrences(of: "## Growth plan", with: "1️⃣## Growth plan"),
                    "cycles/2026-h2/alice/self.md": (ExampleRepository.files["cycles/2026-h2/alice/self.md"] ?? "")
                        + "2️⃣",
                ], caption: "a specialism's dimension, asked of a person of that specialism (where its section belongs)"
            ),
            RuleExample(
                """
                ---
                kind: self-review
                person: alice
                cycle: 2026-h2
                ---
                1️⃣## Technical judgment
                I wrote the retry queue design before building it [@queue-design].
                """, file: "cycles/2026-h2/alice/self.md",
                caption: "a self review missing a dimension (a warning)"),
        ],
        nonTriggeringExamples: [
            RuleExample(
                files: ["levels/eng-3.md": RubricCoverageRule.levelWithSpecialism],
                caption: "a specialism's dimension is not asked of someone without that specialism"),
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

    /// The example level with a dimension for analysts only.
    static let levelWithSpecialism = (ExampleRepository.files["levels/eng-3.md"] ?? "").replacingOccurrences(
        of: "    expectations: [Identifies architectural risk early and proposes mitigations]\n",
        with: """
                expectations: [Identifies architectural risk early and proposes mitigations]
              - id: analytics
                name: Analytics
                aspect: what
                specialism: analytics
                expectations: [Designs experiments whose results change a product decision]
                examples: [An A/B test that stopped a launch]

            """)

    func check(_ context: RuleContext) {
        let organisation = context.organisation
        let minimum = context.policy.minPerDimension
        var namesByLevel = DimensionNamesByLevel()
        for (position, personCycle) in organisation.personCycles.enumerated() {
            guard let level = organisation.level(for: personCycle), !level.dimensions.isEmpty else { continue }
            let documents: [(ReviewDocument, Severity)] = [
                personCycle.review.map { ($0, Severity.error) }, personCycle.selfReview.map { ($0, Severity.warning) },
            ].compactMap { $0 }
            guard !documents.isEmpty else { continue }
            let names = namesByLevel.names(for: level)
            let items = context.itemPositions(at: position, of: personCycle)
            let specialism = organisation.person(personCycle.personFolder)?.specialism?.value
            for (document, severity) in documents {
                check(
                    document, level: level, names: names, items: items, of: personCycle, minimum: minimum,
                    severity: severity, specialism: specialism, context)
            }
        }
    }

    private func check(
        _ document: ReviewDocument, level: Level, names: DimensionNames, items: [String: Int],
        of personCycle: PersonCycle, minimum: Int, severity: Severity, specialism: String?, _ context: RuleContext
    ) {
        let duty = document.kind == .review ? "the review must" : "the self review should"
        let sections = document.body.sections
        // Each title normalised once, not once per dimension.
        let titles = sections.map { $0.heading.map { SectionTitle.asciiNormalised($0.text) } }
        let namedSections = level.dimensions.indices.map { index in
            sections.indices.filter { position in
                guard let title = titles[position] else { return false }  // the text before any `##`
                return names.dimension(index, isNamedBy: sections[position].title, normalised: title)
            }
        }
        for (index, dimension) in level.dimensions.enumerated() {
            // A specialism's dimension is asked only of people of that specialism; when
            // someone else writes the section anyway, it is still checked below.
            let named = namedSections[index]
            if named.isEmpty, !dimension.applies(toSpecialism: specialism) { continue }
            guard let first = named.first, let heading = sections[first].heading else {
                let (location, placement) = Self.placeForMissingSection(
                    index, namedSections: namedSections, sections: sections, document: document)
                context.report(
                    "no '## \(public: dimension.name)' section: \(public: duty) cover every dimension of level \(public: level.id.value)",
                    at: location, severity: severity,
                    notes: [placement].compactMap { $0.map { DiagnosticNote(DiagnosticMessage(public: $0)) } }
                        + dimension.expectations.map {
                            DiagnosticNote("\(public: level.id.value) expects: \(public: $0)")
                        })
                continue
            }
            guard minimum > 0 else { continue }
            // Only a shortfall is reported, so counting stops at the minimum.
            var cited = CitedIDs(minimum: minimum)
            counting: for position in named {
                for citation in document.body.citations(in: sections[position]) where !cited.contains(citation.id) {
                    if let item = items[citation.id],
                        personCycle.items[item].dimensions.contains(where: { $0.value == dimension.id.value })
                    {
                        cited.insert(citation.id)
                        if cited.count >= minimum { break counting }
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

    /// Where a missing dimension's section belongs: after the section of the nearest
    /// dimension before it in the level guide (at the heading that follows it, or at its
    /// last line when it ends the file); failing that, before the first section of a
    /// later dimension; failing that, at the first section; failing that, at the
    /// document's opening `---`. An author is sent to where the text should go.
    static func placeForMissingSection(
        _ index: Int, namedSections: [[Int]], sections: [MarkdownSection], document: ReviewDocument
    ) -> (SourceLocation, String?) {
        func at(_ line: Int) -> SourceLocation { SourceLocation(file: document.file, line: line, column: 1) }
        if let previous = namedSections[..<index].reversed().first(where: { !$0.isEmpty }), let last = previous.first {
            let title = sections[last].title
            if last + 1 < sections.count, let next = sections[last + 1].heading {
                return (at(next.line), "it belongs after the '\(title)' section, before '\(next.text)'")
            }
            return (at(sections[last].lastLine), "it belongs after the '\(title)' section, at the end")
        }
        if let later = namedSections[(index + 1)...].first(where: { !$0.isEmpty }), let next = later.first,
            let heading = sections[next].heading
        {
            return (at(heading.line), "it belongs before the '\(heading.text)' section")
        }
        if let heading = sections.first(where: { $0.heading != nil })?.heading {
            return (at(heading.line), "it belongs with the other dimension sections, before '\(heading.text)'")
        }
        return (document.headerLocation, nil)
    }
}

/// The distinct ids cited for one dimension, at most `minimum` of them: in an array when
/// the minimum is small (a comparison or two per citation), since a set per dimension and
/// document cost an allocation and a hash per insertion; in a set for a large minimum.
private struct CitedIDs {
    private var few: [String] = []
    private var many: Set<String> = []
    private let usesSet: Bool

    init(minimum: Int) { usesSet = minimum > 8 }

    var count: Int { usesSet ? many.count : few.count }

    func contains(_ id: String) -> Bool { usesSet ? many.contains(id) : few.contains(id) }

    mutating func insert(_ id: String) {
        if usesSet { many.insert(id) } else { few.append(id) }
    }
}
