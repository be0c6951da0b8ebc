import EvidentCore
import XCTest

@testable import EvidentRules

/// `rules:` in evident.yaml and inline `<!-- evident-… -->` comments: each switches off
/// or re-grades exactly what it names and covers, and a misspelt rule id is reported.
final class ConfigurationTests: XCTestCase {
    private let review = RuleExample.defaultFile
    private let policyText = ExampleRepository.files["evident.yaml"]!

    private func check(_ overrides: [String: String], removing: [String] = []) throws -> [Diagnostic] {
        var files = ExampleRepository.files
        for path in removing { files.removeValue(forKey: path) }
        for (path, text) in overrides { files[path] = text }
        let source = MemorySource(root: "/example", texts: files)
        return RuleEngine().check(try RepositoryLoader.load(from: source), source: source)
    }

    private func lines(_ diagnostics: [Diagnostic], _ rule: String? = nil) -> [String] {
        diagnostics.filter { rule == nil || $0.ruleID == rule }.map {
            "\($0.location.file):\($0.location.line):\($0.location.column) \($0.severity.rawValue) [\($0.ruleID)]"
        }
    }

    /// A review: eight lines of front matter, then `body` from line 9.
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

    /// Vague phrases without citations at 12:10, 14:8 and 16:1.
    private let vagueBody = """
        ## Delivery impact
        Alice cut checkout p99 from 900 ms to 250 ms [@checkout-latency].

        She is a rockstar.

        A true team player.

        Great job overall.

        ## Technical judgment
        She designed the retry queue with its failure modes first [@queue-design].

        """

    private func vagueReview() -> String { reviewWith(vagueBody) }

    // MARK: rules: in evident.yaml

    func testBaselineVagueReviewReportsThreeErrors() throws {
        XCTAssertEqual(
            lines(try check([review: vagueReview()]), "vague-language"),
            [
                "\(review):12:10 error [vague-language]", "\(review):14:8 error [vague-language]",
                "\(review):16:1 error [vague-language]",
            ])
    }

    func testRuleTurnedIntoAWarning() throws {
        let policy = policyText + "rules:\n  vague-language: warning\n  summary-missing: off\n"
        let found = try check(["evident.yaml": policy, review: vagueReview()])
        XCTAssertEqual(found.filter { $0.ruleID == "vague-language" }.map(\.severity), [.warning, .warning, .warning])
        XCTAssertEqual(found.errorCount, 0)
    }

    func testWordLimitAsInTheSpec() throws {
        let policy =
            policyText.replacingOccurrences(of: "review: 1200", with: "review: 10") + "rules:\n  word-limit: warning\n"
        let found = try check(["evident.yaml": policy])
        XCTAssertEqual(lines(found), ["\(review):11:1 warning [word-limit]"])
    }

    func testRuleTurnedOffLeavesOtherRules() throws {
        let policy = policyText + "rules:\n  vague-language: off\n  biased-language: error\n  summary-missing: off\n"
        let text = vagueReview().replacingOccurrences(of: "A true team player.", with: "A bit bossy.")
        let found = try check(["evident.yaml": policy, review: text])
        XCTAssertEqual(lines(found), ["\(review):14:7 error [biased-language]"])
    }

    func testWarningRaisedToError() throws {
        let values = """
            ---
            kind: values
            values:
              - { id: ownership, name: Ownership, behaviors: [Follows incidents through to the fix] }
            ---
            """
        let quiet = try check(["values.md": values])
        XCTAssertEqual(lines(quiet, "values-count"), ["values.md:3:1 warning [values-count]"])
        let policy = policyText + "rules: { values-count: error }\n"
        let loud = try check(["evident.yaml": policy, "values.md": values])
        XCTAssertEqual(lines(loud, "values-count"), ["values.md:3:1 error [values-count]"])
    }

    func testUnknownRuleInPolicyIsReportedAtItsKey() throws {
        let policy = policyText + "rules:\n  word-limit: warning\n  vague-langauge: off\n"
        let found = try check(["evident.yaml": policy, review: vagueReview()])
        let unknown = found.filter { $0.ruleID == "config-invalid" }
        XCTAssertEqual(lines(unknown), ["evident.yaml:25:3 error [config-invalid]"])
        XCTAssertTrue(unknown.first?.message.contains("vague-langauge") ?? false)
        // The misspelt entry silences nothing.
        XCTAssertEqual(lines(found, "vague-language").count, 3)
    }

    /// Configuration mistakes have their own rule: switching unknown-reference off (for
    /// people, levels and cycles) does not hide a misspelt rule id.
    func testUnknownRuleIsReportedWithUnknownReferenceOff() throws {
        let policy = policyText + "rules:\n  unknown-reference: off\n  vague-langauge: off\n"
        let found = try check(["evident.yaml": policy, review: vagueReview()])
        XCTAssertEqual(lines(found, "config-invalid"), ["evident.yaml:25:3 error [config-invalid]"])
        XCTAssertEqual(lines(found, "unknown-reference"), [])
        let quiet = policyText + "rules:\n  config-invalid: off\n  vague-langauge: off\n"
        XCTAssertEqual(lines(try check(["evident.yaml": quiet, review: vagueReview()]), "config-invalid"), [])
    }

    // MARK: inline comments

    func testDisableEnableSilencesExactlyTheLinesBetween() throws {
        let text = reviewWith(
            """
            ## Delivery impact
            Alice cut checkout p99 from 900 ms to 250 ms [@checkout-latency].

            She is a rockstar.
            <!-- evident-disable vague-language -->
            A true team player.
            <!-- evident-enable vague-language -->
            Great job overall.

            ## Technical judgment
            She designed the retry queue with its failure modes first [@queue-design].
            """)
        XCTAssertEqual(
            lines(try check([review: text]), "vague-language"),
            ["\(review):12:10 error [vague-language]", "\(review):16:1 error [vague-language]"])
    }

    func testDisableWithoutEnableRunsToTheEnd() throws {
        let text = reviewWith(
            vagueBody.replacingOccurrences(
                of: "She is a rockstar.\n", with: "She is a rockstar.\n<!-- evident-disable vague-language -->\n"))
        XCTAssertEqual(lines(try check([review: text]), "vague-language"), ["\(review):12:10 error [vague-language]"])
    }

    func testDisableNextLineSilencesOnlyTheNextLineAndTheNamedRule() throws {
        let text = reviewWith(
            """
            ## Delivery impact
            Alice cut checkout p99 from 900 ms to 250 ms [@checkout-latency].

            <!-- evident-disable-next-line vague-language -->
            She is a rockstar,
            a team player.

            <!-- evident-disable-next-line vague-language -->

            Great job overall.

            <!-- evident-disable-next-line biased-language -->
            Great job again.

            ## Technical judgment
            She designed the retry queue with its failure modes first [@queue-design].
            """)
        // The paragraph's second line, the line after a blank line and another rule's
        // comment are not covered.
        XCTAssertEqual(
            lines(try check([review: text]), "vague-language"),
            [
                "\(review):14:3 error [vague-language]", "\(review):18:1 error [vague-language]",
                "\(review):21:1 error [vague-language]",
            ])
    }

    func testOneCommentMayNameSeveralRules() throws {
        let text = reviewWith(
            vagueBody.replacingOccurrences(
                of: "A true team player.",
                with:
                    "<!-- evident-disable-next-line biased-language, vague-language -->\nA true team player, never bossy."
            ))
        let found = try check([review: text])
        XCTAssertEqual(lines(found, "vague-language").count, 2)
        XCTAssertEqual(lines(found, "biased-language"), [])
    }

    func testDisableAtTheTopOfTheBodyCoversTheFrontMatter() throws {
        // peer-feedback-missing is reported at the review's opening '---'.
        let removing = ["cycles/2026-h2/alice/peer-carol.md"]
        XCTAssertEqual(lines(try check([:], removing: removing)), ["\(review):1:1 error [peer-feedback-missing]"])

        let base = ExampleRepository.files[review]!
        let top = base.replacingOccurrences(
            of: "---\n## Delivery impact",
            with: "---\n\n<!-- evident-disable peer-feedback-missing -->\n## Delivery impact")
        XCTAssertNotEqual(top, base)
        XCTAssertEqual(lines(try check([review: top], removing: removing)), [])

        // Below the first heading the comment covers only what follows it.
        let lower = base.replacingOccurrences(
            of: "## Technical judgment", with: "<!-- evident-disable peer-feedback-missing -->\n## Technical judgment")
        XCTAssertEqual(
            lines(try check([review: lower], removing: removing)), ["\(review):1:1 error [peer-feedback-missing]"])
    }

    func testCommentsInCodeBlocksAreNotDirectives() throws {
        let text = reviewWith(
            vagueBody.replacingOccurrences(
                of: "She is a rockstar.\n",
                with: "She is a rockstar.\n\n```\nsee <!-- evident-disable vague-language -->\n```\n"))
        XCTAssertEqual(lines(try check([review: text]), "vague-language").count, 3)
    }

    func testUnknownRuleInCommentIsReportedAtTheComment() throws {
        let text = reviewWith(
            """
            ## Delivery impact
            Alice cut checkout p99 from 900 ms to 250 ms [@checkout-latency].

            🙂 <!-- evident-disable vague-langauge -->

            <!-- evident-disable-next-line -->
            She is a rockstar.

            ## Technical judgment
            She designed the retry queue with its failure modes first [@queue-design].
            """)
        let found = try check([review: text])
        XCTAssertEqual(
            lines(found, "config-invalid"),
            ["\(review):12:3 error [config-invalid]", "\(review):14:1 error [config-invalid]"])
        let messages = found.filter { $0.ruleID == "config-invalid" }.map(\.message)
        XCTAssertTrue(messages.first?.contains("vague-langauge") ?? false, "\(messages)")
        XCTAssertTrue(messages.last?.contains("needs at least one rule id") ?? false, "\(messages)")
        XCTAssertEqual(lines(found, "vague-language"), ["\(review):15:10 error [vague-language]"])
    }

    // MARK: the silencer itself

    /// Directives as the Markdown parser finds them, one comment text per line number.
    private func directives(_ comments: [Int: String]) -> [Directive] {
        let last = comments.keys.max() ?? 0
        let text = (1...max(1, last)).map { comments[$0] ?? "" }.joined(separator: "\n") + "\n"
        return MarkdownParser.parse(text).directives
    }

    func testSilencerRanges() {
        let found = directives([
            2: "<!-- evident-enable b -->",  // no open disable: ignored
            10: "<!-- evident-disable a -->",
            12: "<!-- evident-disable a -->",  // already off: keeps the first
            20: "<!-- evident-enable a -->",
            30: "<!-- evident-disable-next-line b -->",
            40: "<!-- evident-disable c -->",
        ])
        XCTAssertEqual(found.count, 6)
        let silencer = Silencer(found, firstContentLine: 5)
        XCTAssertEqual((8...21).filter { silencer.silences("a", line: $0) }, Array(10...20))
        XCTAssertEqual((1...40).filter { silencer.silences("b", line: $0) }, [31])
        XCTAssertTrue(silencer.silences("c", line: Int.max - 1))
        XCTAssertFalse(silencer.silences("c", line: 39))
        XCTAssertFalse(silencer.silences("d", line: 10))
    }

    func testSilencerReachesBackOnlyFromAboveTheFirstContent() {
        let found = directives([9: "<!-- evident-disable a -->", 15: "<!-- evident-enable a -->"])
        let top = Silencer(found, firstContentLine: 10)
        XCTAssertEqual((1...16).filter { top.silences("a", line: $0) }, Array(1...15))
        let below = Silencer(found, firstContentLine: 9)
        XCTAssertEqual((1...16).filter { below.silences("a", line: $0) }, Array(9...15))
        let unknownBody = Silencer(found)
        XCTAssertFalse(unknownBody.silences("a", line: 1))
    }

    func testSilencerOrdersDirectivesOnOneLineByColumn() {
        // `<!-- evident-disable a --> … <!-- evident-enable a -->` on one line, given out of order.
        let found = directives([7: "<!-- evident-disable a --> text <!-- evident-enable a -->"])
        XCTAssertEqual(found.map(\.kind), [.disable, .enable])
        let silencer = Silencer(Array(found.reversed()), firstContentLine: 1)
        XCTAssertEqual((1...10).filter { silencer.silences("a", line: $0) }, [7])
    }
}
