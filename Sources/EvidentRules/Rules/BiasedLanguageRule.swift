import EvidentCore

/// Personality words that reviews of some groups attract far more than others, flagged
/// whether or not the paragraph cites evidence.
///
/// Checked in self reviews, peer feedback, reviews and the evidence log's notes, with
/// the same matching as vague-language (whole words, any case, across line breaks,
/// never in code, URLs or citation keys). `language.allow` exempts a word or a phrase
/// containing it.
struct BiasedLanguageRule: Rule {
    /// Words about temperament rather than work, each documented as applied unevenly.
    static let builtInPhrases: [String] = [
        "abrasive", "bossy", "emotional", "aggressive", "shrill", "strident", "hysterical", "histrionic", "feisty",
        "sassy", "pushy", "hormonal", "irrational", "brash", "temperamental", "catty", "ditzy", "moody",
        "prickly", "whiny", "nagging", "diva", "drama queen", "too dramatic", "overly dramatic", "being dramatic",
        "high-maintenance", "hot-headed", "overbearing", "too nice", "too soft", "overly sensitive", "too sensitive",
    ]

    /// Common technical uses of listed words, never flagged.
    static let builtInAllowed: [String] = [
        "emotional intelligence", "emotional safety", "emotional support", "aggressive timeline",
        "aggressive timelines", "aggressive deadline", "aggressive deadlines", "aggressive schedule",
        "aggressive target", "aggressive targets", "aggressive goal", "aggressive goals", "aggressive caching",
        "aggressive retries", "aggressive timeout", "aggressive timeouts", "aggressive optimization",
        "aggressive optimisation", "aggressive estimate", "aggressive estimates", "aggressive roadmap",
    ]

    static let description = RuleDescription(
        id: "biased-language",
        defaultSeverity: .error,
        cost: .slow(rank: 3),
        summary: "personality words that reviews of some groups attract far more than others",
        rationale: """
            Studies of real performance reviews find that words like "abrasive", "bossy", "emotional" and \
            "aggressive" appear far more often in reviews of women and of minority groups than in reviews \
            of others who behave the same way. They describe how the reviewer felt about a person, not \
            what the person did, and they are impossible to answer or improve on. A citation does not make \
            them fair, so they are flagged even in a paragraph with evidence: describe the behaviour and \
            its impact instead ("interrupted the design review twice; the team dropped two options \
            unheard"). Technical uses such as "aggressive timeline" and "emotional intelligence" are not \
            flagged; `language.allow` exempts others. It is an error by default, like the spec's other \
            review-content rules, because the word reaches the person's record; `rules:` can lower it. The \
            review's `summary:`, `calibration.rationale`, an appeal answer's `rationale` and the reasons of \
            current dissenting or withdrawn sign-offs are checked too: the record and the packet show them.
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
                summary: 1️⃣"Meets, though she can be abrasive in design reviews [@queue-design]."
                ---
                ## Delivery impact
                Alice cut checkout p99 from 900 ms to 250 ms [@checkout-latency].

                ## Technical judgment
                She designed the retry queue with its failure modes first [@queue-design].
                """, caption: "a personality word in the summary, cited or not"),
            RuleExample(
                SignoffExamples.markedReview,
                caption: "the reason of a withdrawn sign-off",
                signoffs: [
                    SignoffExamples.entry(
                        "manager", by: "Dana Okafor", "dana@example.com", position: .withdraw,
                        reason: "On reflection she was too emotional in the incident review")
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

                ## Technical judgment
                She designed the retry queue with its failure modes first [@queue-design], but she
                can be 1️⃣abrasive in design reviews and a bit 2️⃣Bossy with juniors.

                ## Private
                Others find her 3️⃣too
                nice to push back.
                """, caption: "personality words, with and without a citation"),
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
                ## Delivery impact
                Alice met an aggressive timeline and cut checkout p99 from 900 ms to 250 ms [@checkout-latency].

                ## Technical judgment
                She designed the retry queue with its failure modes first [@queue-design]. In the design
                review she interrupted twice, and two options were dropped before they were heard.
                Set `aggressive_retries: false` in the `bossy` config.
                """, caption: "behaviour and impact described; technical uses and code")
        ])

    func check(_ context: RuleContext) {
        let organisation = context.organisation
        let matcher = PhraseMatcher(
            phrases: Self.builtInPhrases, allowing: Self.builtInAllowed + context.policy.allowedPhrases)
        let message = { (match: String, what: String) -> DiagnosticMessage in
            "'\(match)' in \(public: what) describes temperament, not work, and is applied unevenly across groups: describe the behaviour and its impact instead"
        }
        for text in context.currentSignoffReasons() {
            for match in matcher.matches(inLines: text.lines) {
                context.report(message(match.text, text.what), at: text.location)
            }
        }
        var scratch = PhraseMatcher.Scratch()
        for personCycle in organisation.personCycles {
            checkRationale(personCycle, matcher, context)
            for text in context.judgementTexts(of: personCycle) {
                for match in matcher.matches(inLines: text.lines) {
                    context.report(message(match.text, text.what), at: text.location)
                }
            }
            var documents = personCycle.writtenDocuments
            if let path = personCycle.evidenceFile, case .review(let log)? = organisation.file(path)?.document {
                documents.append(log)
            }
            for document in documents {
                for block in document.body.blocks {
                    for match in matcher.matches(in: block, reusing: &scratch) {
                        context.report(
                            "'\(match.text)' describes temperament, not work, and is applied unevenly across groups: describe the behaviour and its impact instead",
                            at: SourceLocation(file: document.file, line: match.line, column: match.column))
                    }
                }
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
                "'\(match.text)' in the calibration rationale describes temperament, not work, and is applied unevenly across groups: describe the behaviour and its impact instead",
                at: rationale.location)
        }
    }
}
