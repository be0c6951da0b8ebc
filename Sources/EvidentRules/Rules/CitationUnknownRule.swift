import EvidentCore

/// `[@id]` citations, and `calibration.evidence` ids, that name no evidence item of the
/// person's cycle folder.
struct CitationUnknownRule: Rule {
    static let description = RuleDescription(
        id: "citation-unknown",
        defaultSeverity: .error,
        cost: .slow(rank: 5),
        summary: "a citation that names no evidence item of the person's cycle folder",
        rationale: """
            A citation is the link between a claim and the fact behind it. `[@checkout-latncy]` looks like \
            evidence to a reader skimming the review, but it supports nothing, and the claim it decorates is \
            as unsupported as one with no citation at all. Every `[@id]` in a self review, peer feedback, \
            review, response, appeal or evidence log, and every id in a review's `calibration.evidence` or an \
            appeal answer's `evidence`, must name an item \
            declared in some file of the same person's cycle folder. When an existing id is within two edits, \
            the diagnostic suggests it. While a file of the folder cannot be read at all, the folder is \
            skipped: its items are unknown, and `front-matter-syntax` already names the one real problem.
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
                calibration:
                  rating: meets
                  rationale: Solid half, one service deep.
                  evidence: [queue-design, 1️⃣incident-review]
                ---
                ## Delivery impact
                Alice cut checkout p99 from 900 ms to 250 ms [2️⃣@checkout-latncy].

                ## Technical judgment
                She designed the retry queue with its failure modes first [@queue-design; 3️⃣@queue-rollout].
                """, caption: "a misspelt id (with a suggestion) and ids that exist nowhere")
        ],
        nonTriggeringExamples: [
            RuleExample(
                files: [
                    "cycles/2026-h2/alice/peer-bob.md": """
                    ---
                    kind: peer-feedback
                    person: alice
                    cycle: 2026-h2
                    author: bob
                    items:
                      - id: pairing-sessions
                        date: 2026-10-05
                        type: feedback
                        summary: Paired with me weekly on the queue consumer
                        dimensions: [technical-judgment]
                    ---
                    ## Technical judgment
                    Her queue design named the failure modes we later hit [@queue-design], and she
                    taught me to test them [@pairing-sessions].
                    """,
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
                    Alice cut checkout p99 from 900 ms to 250 ms [@checkout-latency].

                    ## Technical judgment
                    She designed the retry queue with its failure modes first [see @queue-design, p. 2] and
                    coached Bob on it [-@pairing-sessions]. `[@not-a-citation]` in code is ignored.
                    """,
                ], caption: "citations of items declared in any file of the folder, including peer feedback")
        ])

    /// Above this many items, or this many distinct unknown ids, a folder gets no
    /// suggestions.
    static let suggestionLimit = 500

    func check(_ context: RuleContext) {
        let unreadable = UnreadableFiles(context.organisation)
        for (position, personCycle) in context.organisation.personCycles.enumerated()
        where !unreadable.any(in: personCycle) {
            let items = context.itemPositions(at: position, of: personCycle)
            var documents = personCycle.writtenDocuments + personCycle.voiceDocuments
            if let path = personCycle.evidenceFile, case .review(let log)? = context.organisation.file(path)?.document {
                documents.append(log)
            }
            // Suggestions are built lazily, once per unknown id, and only for folders of a
            // plausible size, so a hostile folder cannot make "did you mean" quadratic.
            var candidates: [String]?
            var suggestions: [String: [DiagnosticNote]] = [:]
            func notes(for id: String) -> [DiagnosticNote] {
                if let known = suggestions[id] { return known }
                if candidates == nil {
                    candidates = items.count <= Self.suggestionLimit ? Array(items.keys).sorted() : []
                }
                var notes: [DiagnosticNote] = []
                if suggestions.count < Self.suggestionLimit,
                    let suggestion = EditDistance.closest(to: id, in: candidates ?? [])
                {
                    notes = [
                        DiagnosticNote(
                            "did you mean '\(suggestion)'?",
                            at: items[suggestion].map { personCycle.items[$0].id.location })
                    ]
                }
                suggestions[id] = notes
                return notes
            }
            for document in documents {
                // Section by section, in the order of `body.citations`, without collecting them.
                for section in document.body.sections {
                    for citation in document.body.citations(in: section) where items[citation.id] == nil {
                        let location = SourceLocation(file: document.file, line: citation.line, column: citation.column)
                        // Messages reach CI logs and pull requests: a private citation is
                        // pointed at, never quoted.
                        if document.body.isPrivate(line: citation.line) {
                            context.report(
                                "a citation in a private section names no evidence item in \(public: personCycle.folder)",
                                at: location)
                            continue
                        }
                        context.report(
                            "citation '@\(Sanitised.id(citation.id))' names no evidence item in \(public: personCycle.folder)",
                            at: location, notes: notes(for: citation.id))
                    }
                }
                for id in document.calibration?.evidence ?? [] where items[id.value] == nil {
                    context.report(
                        "calibration evidence '\(Sanitised.id(id.value))' names no evidence item in \(public: personCycle.folder)",
                        at: id.location, notes: notes(for: id.value))
                }
                for id in document.appeal?.answer?.evidence ?? [] where items[id.value] == nil {
                    context.report(
                        "the appeal answer's evidence '\(Sanitised.id(id.value))' names no evidence item in \(personCycle.folder)",
                        at: id.location, notes: notes(for: id.value))
                }
            }
        }
    }
}
