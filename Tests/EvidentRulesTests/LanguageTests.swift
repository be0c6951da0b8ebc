import EvidentCore
import XCTest

@testable import EvidentRules

/// vague-language and biased-language over whole repositories: which files and
/// paragraphs they read, the policy's extra and allowed phrases, and their messages.
final class LanguageTests: XCTestCase {
    private let review = RuleExample.defaultFile
    private let policyText = ExampleRepository.files["evident.yaml"]!

    private func check(_ overrides: [String: String]) throws -> [Diagnostic] {
        var files = ExampleRepository.files
        for (path, text) in overrides { files[path] = text }
        let source = MemorySource(root: "/example", texts: files)
        return RuleEngine().check(try RepositoryLoader.load(from: source), source: source)
    }

    private func found(_ diagnostics: [Diagnostic], _ rule: String) -> [String] {
        diagnostics.filter { $0.ruleID == rule }.map {
            "\($0.location.file):\($0.location.line):\($0.location.column) \($0.severity.rawValue)"
        }
    }

    private func reviewWith(_ body: String) -> String {
        """
        ---
        kind: review
        person: alice
        cycle: 2026-h2
        reviewer: dana
        level: eng-3
        rating: meets
        ---

        """ + body
    }

    func testDefaultSeverities() {
        XCTAssertEqual(VagueLanguageRule.description.defaultSeverity, .error)
        XCTAssertEqual(BiasedLanguageRule.description.defaultSeverity, .error)
    }

    func testACitationAnywhereInTheParagraphAnswersAVaguePhrase() throws {
        let text = reviewWith(
            """
            ## Delivery impact
            A rockstar quarter: the latency work
            shipped in three flagged releases [@checkout-latency].

            A rockstar, truly.

            ## Technical judgment
            - Great job on the queue design [@queue-design].
            - Great job on everything else.
            """)
        XCTAssertEqual(
            found(try check([review: text]), "vague-language"), ["\(review):13:3 error", "\(review):17:3 error"])
    }

    func testVagueLanguageReadsSelfReviewsPeerFeedbackAndPrivateNotes() throws {
        let diagnostics = try check([
            "cycles/2026-h2/alice/self.md": """
            ---
            kind: self-review
            person: alice
            cycle: 2026-h2
            ---
            ## Delivery impact
            I led the checkout latency work [@checkout-latency].

            I am a team player.

            ## Technical judgment
            I wrote the retry queue design before building it [@queue-design].
            """,
            "cycles/2026-h2/alice/peer-bob.md": """
            ---
            kind: peer-feedback
            person: alice
            cycle: 2026-h2
            author: bob
            ---
            ## Technical judgment
            Her queue design named the failure modes we later hit [@queue-design]. A natural leader.

            Goes above and beyond.
            """,
            review: reviewWith(
                """
                ## Delivery impact
                Alice cut checkout p99 from 900 ms to 250 ms [@checkout-latency].

                ## Technical judgment
                She designed the retry queue with its failure modes first [@queue-design].

                ## Private
                Lacks confidence in calibration meetings.
                """),
        ])
        XCTAssertEqual(
            found(diagnostics, "vague-language"),
            [
                // "A natural leader." is a sentence of its own: the citation before it vouches for nothing.
                "cycles/2026-h2/alice/peer-bob.md:8:74 error", "cycles/2026-h2/alice/peer-bob.md:10:1 error",
                "\(review):16:1 error", "cycles/2026-h2/alice/self.md:9:8 error",
            ])
    }

    func testACitationVouchesOnlyForItsOwnSentence() throws {
        let diagnostics = try check([
            review: reviewWith(
                """
                ## Delivery impact
                She is a rockstar [@checkout-latency]. Everyone loves working with her. A team player, e.g. in
                the p99.9 work [@checkout-latency]! Very passionate. [@queue-design] Great work (see acme.com). Goes
                above and beyond?

                ## Technical judgment
                She designed the retry queue with its failure modes first [@queue-design].
                """)
        ])
        XCTAssertEqual(
            found(diagnostics, "vague-language"),
            [
                // Cleared: "rockstar" (cited in its sentence), "team player" (an abbreviation and a
                // decimal do not end its sentence), "very passionate" (cited right after its full stop).
                "\(review):10:40 error", "\(review):11:70 error", "\(review):11:97 error",
            ])
    }

    func testPolicyAddsAndAllowsPhrases() throws {
        let policy = policyText + "language:\n  vague: [synergy champion]\n  allow: [team player, Abrasive]\n"
        let text = reviewWith(
            """
            ## Delivery impact
            Alice cut checkout p99 from 900 ms to 250 ms [@checkout-latency].

            A synergy
            champion and a team player, abrasive at times.

            ## Technical judgment
            She designed the retry queue with its failure modes first [@queue-design].
            """)
        let diagnostics = try check(["evident.yaml": policy, review: text])
        XCTAssertEqual(found(diagnostics, "vague-language"), ["\(review):12:3 error"])
        XCTAssertEqual(found(diagnostics, "biased-language"), [])
        XCTAssertEqual(
            diagnostics.first { $0.ruleID == "vague-language" }?.message,
            "'synergy champion' judges without evidence: cite an example in the same sentence ([@item-id]) or describe what happened"
        )
    }

    func testBiasedLanguageIgnoresCitationsAndReadsTheEvidenceLog() throws {
        let log = ExampleRepository.files["cycles/2026-h2/alice/evidence.md"]!.replacingOccurrences(
            of: "Notes gathered during the cycle.", with: "Notes gathered during the cycle. Pushy in standups.")
        let text = reviewWith(
            """
            ## Delivery impact
            Alice cut checkout p99 from 900 ms to 250 ms [@checkout-latency], though she was emotional
            about the rollback.

            ## Technical judgment
            She designed the retry queue with its failure modes first [@queue-design].
            """)
        let diagnostics = try check([review: text, "cycles/2026-h2/alice/evidence.md": log])
        XCTAssertEqual(
            found(diagnostics, "biased-language"),
            ["cycles/2026-h2/alice/evidence.md:21:34 error", "\(review):10:82 error"])
        XCTAssertEqual(
            diagnostics.first { $0.ruleID == "biased-language" && $0.location.file == review }?.message,
            "'emotional' describes temperament, not work, and is applied unevenly across groups: describe the behaviour and its impact instead"
        )
    }

    func testTechnicalUsesAreNotFlagged() throws {
        let text = reviewWith(
            """
            ## Delivery impact
            Alice met an aggressive deadline with aggressive caching [@checkout-latency].

            ## Technical judgment
            Her emotional intelligence showed in the queue design review [@queue-design].
            """)
        XCTAssertEqual(found(try check([review: text]), "biased-language"), [])
    }

    /// Headings and front matter are not prose, except `calibration.rationale`, which is
    /// copied into the employee's record word for word.
    func testHeadingsAndFrontMatterAreNotProseButTheRationaleIs() throws {
        let text = """
            ---
            kind: review
            person: alice
            cycle: 2026-h2
            reviewer: dana
            level: eng-3
            rating: meets
            calibration:
              rating: meets
              rationale: A rockstar, but bossy.
              evidence: [checkout-latency]
            ---
            ## Delivery impact: a rockstar
            Alice cut checkout p99 from 900 ms to 250 ms [@checkout-latency].

            ## Technical judgment
            She designed the retry queue with its failure modes first [@queue-design].
            """
        let diagnostics = try check([review: text])
        XCTAssertEqual(found(diagnostics, "vague-language"), ["\(review):10:14 error"])
        XCTAssertEqual(found(diagnostics, "biased-language"), ["\(review):10:14 error"])
        XCTAssertEqual(
            diagnostics.filter { $0.ruleID == "vague-language" }.map(\.message),
            [
                "'rockstar' in the calibration rationale judges without describing anything: say what happened and cite the items in calibration.evidence"
            ])
    }

    func testBuiltInListsAreWellFormed() {
        for list in [VagueLanguageRule.builtInPhrases, BiasedLanguageRule.builtInPhrases] {
            XCTAssertEqual(Set(list.map { $0.lowercased() }).count, list.count, "duplicates")
            for phrase in list {
                XCTAssertEqual(phrase, phrase.lowercased())
                XCTAssertEqual(
                    PhraseMatcher(phrases: [phrase]).matches(inLines: ["x \(phrase) y"]).map(\.column), [3], phrase)
            }
        }
        // No built-in exemption swallows a whole listed phrase.
        let biased = PhraseMatcher(
            phrases: BiasedLanguageRule.builtInPhrases, allowing: BiasedLanguageRule.builtInAllowed)
        for phrase in BiasedLanguageRule.builtInPhrases {
            XCTAssertEqual(biased.matches(inLines: [phrase]).count, 1, phrase)
        }
    }
}
