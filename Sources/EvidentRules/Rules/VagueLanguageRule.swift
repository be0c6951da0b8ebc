import EvidentCore
import Foundation

/// Praise or criticism in review prose with no citation in the same sentence.
///
/// The phrase list is built in, extended by `language.vague` and reduced by
/// `language.allow`. Matching is whole-word, ignores case, spans line breaks and never
/// looks inside code spans, URLs or citation keys (see `PhraseMatcher`). `## Private`
/// notes are checked too: calibrators read them.
struct VagueLanguageRule: Rule {
    /// Stock phrases that judge without describing anything observable.
    static let builtInPhrases: [String] = [
        // Praise
        "rockstar", "rock star", "superstar", "ninja", "10x", "strong leader", "natural leader", "born leader",
        "great attitude", "positive attitude", "team player", "go-getter", "self-starter", "high potential",
        "works hard", "hard worker", "hard-working", "goes above and beyond", "went above and beyond",
        "above and beyond", "great job", "good job", "amazing work", "great work", "great communicator",
        "crushed it", "killing it", "pleasure to work with", "everyone loves working with", "very passionate",
        // Criticism
        "bad attitude", "needs to be more proactive", "needs to step up", "could be more strategic",
        "lacks confidence", "not a culture fit", "not leadership material", "low energy", "lacks executive presence",
        "not a team player", "not technical enough", "needs to take more ownership", "lacks ownership",
    ]

    static let description = RuleDescription(
        id: "vague-language",
        defaultSeverity: .error,
        cost: .slow(rank: 2),
        summary: "praise or criticism with no citation in the same sentence",
        rationale: """
            "Strong leader", "rockstar" and "needs to step up" sound like findings but describe nothing a \
            calibrator can check or the person can act on. Unanchored judgements are where bias enters a \
            review: the same behaviour earns "confident" for one person and "abrasive" for another, and \
            "great attitude" mostly measures how much the reviewer likes someone. Such a phrase is fine \
            when its sentence also cites the evidence it sums up, so the rule only asks for a citation \
            (`[@item-id]`) in the same sentence (or right after its full stop). One citation elsewhere in \
            the paragraph does not vouch for every judgement around it. Add phrases with `language.vague`, exempt them with \
            `language.allow`, or silence one paragraph with `<!-- evident-disable-next-line vague-language -->`. \
            Like every rule it can be made a warning under `rules:`; it is an error by default because an \
            uncited judgement is exactly what this tool exists to stop. `calibration.rationale`, an appeal \
            answer's `rationale` and the reasons of current dissenting or withdrawn sign-offs are checked too, \
            whatever evidence they list: they are copied into the employee's record word for word. A review's \
            `summary:` is checked like a paragraph of the review (a paragraph of it with a citation passes).
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
                summary: 1️⃣Alice is a team player who meets the bar.
                ---
                ## Delivery impact
                Alice cut checkout p99 from 900 ms to 250 ms [@checkout-latency].

                ## Technical judgment
                She designed the retry queue with its failure modes first [@queue-design].
                """, caption: "a summary that judges without citing"),
            RuleExample(
                """
                ---
                kind: appeal
                person: alice
                cycle: 2026-h2
                to: hr
                opened: 2026-10-01
                answer:
                  by: vera
                  date: 2026-10-08
                  outcome: upheld
                  rationale: 1️⃣Alice has a great attitude but meets is right.
                ---
                The review leaves out the migration I led [@checkout-latency].
                """, file: "cycles/2026-h2/alice/appeal.md", caption: "an appeal answer's rationale"),
            RuleExample(
                SignoffExamples.markedReview,
                caption: "the reason of a dissenting sign-off, shown in the record",
                signoffs: [
                    SignoffExamples.entry(
                        "calibrator", by: "Erin Park", "erin@example.com", position: .dissent,
                        reason: "She is a natural leader and deserved exceeds")
                ]),
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

                Alice is a 1️⃣rockstar and a 2️⃣Strong
                Leader.

                ## Technical judgment
                She designed the retry queue with its failure modes first [@queue-design].

                ## Growth plan
                She 3️⃣needs to step up in planning meetings.
                """, caption: "judgements in paragraphs without a citation, one across a line break"),
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
                She is a 1️⃣rockstar, e.g. on the launch. Alice cut checkout p99 from 900 ms to 250 ms \
                [@checkout-latency]. 2️⃣Everyone loves working with her.

                ## Technical judgment
                She designed the retry queue with its failure modes first [@queue-design].
                """, caption: "a citation in one sentence does not vouch for judgements in the others"),
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
                  rationale: 1️⃣She is a rockstar.
                  evidence: [checkout-latency]
                ---
                ## Delivery impact
                Alice cut checkout p99 from 900 ms to 250 ms [@checkout-latency].

                ## Technical judgment
                She designed the retry queue with its failure modes first [@queue-design].
                """, caption: "a calibration rationale, which reaches the employee's record word for word"),
        ],
        nonTriggeringExamples: [
            RuleExample(
                SignoffExamples.markedReview.replacingOccurrences(of: "1️⃣", with: ""),
                caption: "a dissent whose reason says what happened",
                signoffs: [
                    SignoffExamples.entry(
                        "calibrator", by: "Erin Park", "erin@example.com", position: .dissent,
                        reason: "The retry queue design prevented the October outage; that is above the eng-3 bar")
                ]),
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
                A strong leader on the latency work: she split it into three flagged releases and cut \
                checkout p99 from 900 ms to 250 ms [@checkout-latency].

                ## Technical judgment
                She designed the retry queue with its failure modes first [@queue-design]. Our `ninja` tool
                ran the load tests, see https://github.com/acme/ninja-tools/pull/7. Great work. [@queue-design]
                """,
                caption: "judgements backed by a citation in their sentence or right after it, words in code and URLs"),
        ])

    func check(_ context: RuleContext) {
        let policy = context.policy
        let matcher = PhraseMatcher(
            phrases: Self.builtInPhrases + policy.vaguePhrases, allowing: policy.allowedPhrases)
        for text in context.currentSignoffReasons() { checkJudgement(text, matcher, context) }
        var scratch = PhraseMatcher.Scratch()
        for personCycle in context.organisation.personCycles {
            checkRationale(personCycle, matcher, context)
            for text in context.judgementTexts(of: personCycle) { checkJudgement(text, matcher, context) }
            for document in personCycle.writtenDocuments {
                for block in document.body.blocks {
                    let matches = matcher.matches(in: block, reusing: &scratch)
                    guard !matches.isEmpty else { continue }
                    // Most paragraphs cite nothing, and then no sentence needs finding.
                    let sentences = block.citations.isEmpty ? nil : Sentences(block)
                    let citedSentences = Set(
                        block.citations.compactMap { citation in
                            sentences?.sentence(at: Sentences.Position(line: citation.line, column: citation.column))
                        })
                    for match in matches {
                        if let sentences,
                            citedSentences.contains(
                                sentences.sentence(at: Sentences.Position(line: match.line, column: match.column)))
                        {
                            continue
                        }
                        context.report(
                            "'\(match.text)' judges without evidence: cite an example in the same sentence ([@item-id]) or describe what happened",
                            at: SourceLocation(file: document.file, line: match.line, column: match.column))
                    }
                }
            }
        }
    }

    /// A summary, an appeal answer or a sign-off reason: judged like review prose, a
    /// summary paragraph with a citation passing as a cited review paragraph does.
    private func checkJudgement(_ text: JudgementText, _ matcher: PhraseMatcher, _ context: RuleContext) {
        var paragraphs: [[String]] = [[]]
        for line in text.lines {
            if TextLines.isBlank(line) {
                paragraphs.append([])
            } else {
                paragraphs[paragraphs.count - 1].append(line)
            }
        }
        for paragraph in paragraphs where !paragraph.isEmpty {
            if text.citationsExcuse, paragraph.contains(where: { !CitationScanner.scan($0, line: 1).isEmpty }) {
                continue
            }
            for match in matcher.matches(inLines: paragraph) {
                let cite = text.citationsExcuse ? " and cite the items that show it ([@item-id])" : ""
                context.report(
                    "'\(match.text)' in \(public: text.what) judges without describing anything: say what happened\(public: cite)",
                    at: text.location)
            }
        }
    }

    /// The calibration rationale reaches the employee's record word for word, so it is
    /// held to the same language as the review (reported where the value starts).
    private func checkRationale(_ personCycle: PersonCycle, _ matcher: PhraseMatcher, _ context: RuleContext) {
        guard let review = personCycle.review, let rationale = review.calibration?.rationale else { return }
        let lines = TextLines.split(rationale.value)
        for match in matcher.matches(inLines: lines) {
            context.report(
                "'\(match.text)' in the calibration rationale judges without describing anything: say what happened and cite the items in calibration.evidence",
                at: rationale.location)
        }
    }
}
