import EvidentCore
import XCTest

@testable import EvidentRules

/// rubric-coverage, rubric-unknown-section, peer-feedback-missing, word-limit,
/// values-count and balance beyond their documented examples.
final class RubricInputTests: XCTestCase {
    private let review = RuleExample.defaultFile
    private let selfReview = "cycles/2026-h2/alice/self.md"
    private let policyText = ExampleRepository.files["evident.yaml"]!

    private func check(_ overrides: [String: String], removing: [String] = []) throws -> [Diagnostic] {
        var files = ExampleRepository.files
        for path in removing { files.removeValue(forKey: path) }
        for (path, text) in overrides { files[path] = text }
        let source = MemorySource(root: "/example", texts: files)
        return RuleEngine().check(try RepositoryLoader.load(from: source), source: source)
    }

    private func found(_ diagnostics: [Diagnostic], _ rule: String) -> [String] {
        diagnostics.filter { $0.ruleID == rule }.map {
            "\($0.location.file):\($0.location.line):\($0.location.column) \($0.severity.rawValue): \($0.message)"
        }
    }

    private func reviewWith(_ body: String, level: String = "eng-3") -> String {
        """
        ---
        kind: review
        person: alice
        cycle: 2026-h2
        reviewer: dana
        level: \(level)
        rating: meets
        ---

        """ + body
    }

    // MARK: private-heading-unrecognised

    func testLookalikePrivateHeadingsAreFlaggedAndRealOnesAreNot() throws {
        let body = """
            ## Delivery impact
            Cut checkout p99 [@checkout-latency].

            ## Technical judgment
            Designed the queue [@queue-design].

            ### Private notes
            One.

            **Private:**
            Two.

            > ### *Private*
            > Three, under a heading that counts.

            ## Notes (private)
            Four.

            ## Private
            ### Private thoughts
            Five: under a private section already.

            """
        let diagnostics = try check([review: reviewWith(body)])
        XCTAssertEqual(
            diagnostics.filter { $0.ruleID == "private-heading-unrecognised" }.map {
                "\($0.location.line):\($0.location.column)"
            },
            ["15:1", "18:1", "24:1"])
        XCTAssertTrue(found(diagnostics, "private-heading-unrecognised")[0].contains("'Private notes'"))
        XCTAssertTrue(found(diagnostics, "private-heading-unrecognised")[0].contains("'## Private'"))
    }

    // MARK: rubric-coverage

    func testCoverageIsAnErrorInReviewsAndAWarningInSelfReviews() throws {
        let body = """
            ## Delivery impact
            Cut checkout p99 [@checkout-latency].
            """
        let diagnostics = try check([
            review: reviewWith(body),
            selfReview: "---\nkind: self-review\nperson: alice\ncycle: 2026-h2\n---\n" + body,
            "cycles/2026-h2/alice/peer-bob.md":
                "---\nkind: peer-feedback\nperson: alice\ncycle: 2026-h2\nauthor: bob\n---\n"
                + body,
        ])
        XCTAssertEqual(
            found(diagnostics, "rubric-coverage"),
            [
                // Where the section belongs: after the last line of 'Delivery impact', which ends the file.
                "\(review):10:1 error: no '## Technical judgment' section: the review must cover every dimension of level eng-3",
                "\(selfReview):7:1 warning: no '## Technical judgment' section: the self review should cover every dimension of level eng-3",
            ])
    }

    func testCoverageCountsDistinctTaggedItemsAcrossSectionsOfOneDimension() throws {
        let policy = policyText.replacingOccurrences(of: "min_per_dimension: 1", with: "min_per_dimension: 2")
        let text = reviewWith(
            """
            ## Delivery impact
            Cut checkout p99 [@checkout-latency], and again [@checkout-latency; @queue-design].

            ## Technical judgment
            The retry queue design [@queue-design].

            ## technical-judgment
            More on the same design [@queue-design].
            """)
        XCTAssertEqual(
            found(try check(["evident.yaml": policy, review: text]), "rubric-coverage").filter { $0.hasPrefix(review) },
            [
                "\(review):9:1 error: section 'Delivery impact' cites 1 evidence item tagged 'delivery'; at least 2 items needed (min_per_dimension)",
                "\(review):12:1 error: section 'Technical judgment' cites 1 evidence item tagged 'technical-judgment'; at least 2 items needed (min_per_dimension)",
            ])
    }

    func testCoverageUsesTheReviewsLevelAndSkipsUnknownLevels() throws {
        // Against eng-4 the sections must be Reach and Influence.
        let eng4 = try check([
            review: ExampleRepository.files[review]!.replacingOccurrences(of: "level: eng-3", with: "level: eng-4")
        ])
        // The review's level applies to the whole folder: the self review and peers too.
        XCTAssertEqual(found(eng4, "rubric-coverage").filter { $0.hasPrefix(review) }.count, 2)
        XCTAssertEqual(found(eng4, "rubric-coverage").count, 4)
        XCTAssertEqual(found(eng4, "rubric-unknown-section").count, 6)
        let unknown = try check([
            review: ExampleRepository.files[review]!.replacingOccurrences(of: "level: eng-3", with: "level: eng-9")
        ])
        XCTAssertEqual(found(unknown, "rubric-coverage"), [])
        XCTAssertEqual(found(unknown, "rubric-unknown-section"), [])
        XCTAssertEqual(found(unknown, "balance"), [])
    }

    func testMinPerDimensionZeroOnlyAsksForSections() throws {
        let policy = policyText.replacingOccurrences(of: "min_per_dimension: 1", with: "min_per_dimension: 0")
        let text = reviewWith("## Delivery impact\nShipped.\n\n## Technical judgment\nThought hard.\n")
        XCTAssertEqual(found(try check(["evident.yaml": policy, review: text]), "rubric-coverage"), [])
    }

    // MARK: rubric-unknown-section

    func testUnknownSectionsInEveryWrittenDocument() throws {
        let diagnostics = try check([
            selfReview: """
            ---
            kind: self-review
            person: alice
            cycle: 2026-h2
            ---
            ## Delivery impact
            I led the checkout latency work [@checkout-latency].

            ## Technical judgment
            I wrote the retry queue design before building it [@queue-design].

            ## Achievements
            Many.
            """
        ])
        XCTAssertEqual(
            found(diagnostics, "rubric-unknown-section"),
            [
                "\(selfReview):12:1 warning: section 'Achievements' names no dimension of level eng-3 ('Delivery impact' or 'delivery', 'Technical judgment' or 'technical-judgment') and is not Values, Growth plan or Private"
            ])
    }

    // MARK: peer-feedback-missing

    func testPeerFilesAreCountedEvenWhenTheyDoNotParse() throws {
        let broken = "---\nkind: peer-feedback\nauthor: [carol\n---\nText.\n"
        let diagnostics = try check(["cycles/2026-h2/alice/peer-carol.md": broken])
        XCTAssertEqual(found(diagnostics, "peer-feedback-missing"), [])
    }

    func testNoPeersAndAPolicyOfZero() throws {
        let peers = ["cycles/2026-h2/alice/peer-bob.md", "cycles/2026-h2/alice/peer-carol.md"]
        XCTAssertEqual(
            found(try check([:], removing: peers), "peer-feedback-missing"),
            [
                "\(review):1:1 error: the review needs peer feedback from at least 2 peers (min_peer_feedback); found none"
            ])
        let policy = policyText.replacingOccurrences(of: "min_peer_feedback: 2", with: "min_peer_feedback: 0")
        XCTAssertEqual(found(try check(["evident.yaml": policy], removing: peers), "peer-feedback-missing"), [])
    }

    func testAPeerFileNamedForThePersonDoesNotCount() throws {
        let own = """
            ---
            kind: peer-feedback
            person: alice
            cycle: 2026-h2
            author: alice
            ---
            ## Delivery impact
            I shipped it [@checkout-latency].
            """
        let diagnostics = try check(
            ["cycles/2026-h2/alice/peer-alice.md": own], removing: ["cycles/2026-h2/alice/peer-carol.md"])
        XCTAssertEqual(
            found(diagnostics, "peer-feedback-missing"),
            [
                "cycles/2026-h2/alice/peer-alice.md:5:9 error: peer feedback on alice written by alice: write it in self.md instead; it does not count as peer feedback",
                "\(review):1:1 error: the review needs peer feedback from at least 2 peers (min_peer_feedback); found 1 (peer-bob.md)",
            ])
    }

    // MARK: word-limit

    func testWordLimitCountsPrivateNotesAndPointsAtTheCrossingSection() throws {
        let policy = policyText.replacingOccurrences(of: "review: 1200", with: "review: 24")
        let text = reviewWith(
            """
            ## Delivery impact
            Alice cut checkout p99 from 900 ms to 250 ms [@checkout-latency].

            ## Technical judgment
            She designed the retry queue with its failure modes first [@queue-design].

            ## Private
            Discussed with Erin.
            """)
        XCTAssertEqual(
            found(try check(["evident.yaml": policy, review: text]), "word-limit"),
            [
                "\(review):15:1 error: review of 25 words is over the limit of 24 (reviews.max_words.review); it is passed in section 'Private'"
            ])
    }

    func testWordLimitInTextBeforeTheFirstSectionPointsAtTheHeader() throws {
        let policy = policyText.replacingOccurrences(of: "self: 600", with: "self: 3")
        let text = "---\nkind: self-review\nperson: alice\ncycle: 2026-h2\n---\nOne two three four.\n"
        XCTAssertEqual(
            found(try check(["evident.yaml": policy, selfReview: text]), "word-limit"),
            ["\(selfReview):1:1 error: self review of 4 words is over the limit of 3 (reviews.max_words.self)"])
    }

    func testWordLimitAtTheLimitPasses() throws {
        let policy = policyText.replacingOccurrences(of: "review: 1200", with: "review: 28")
        XCTAssertEqual(found(try check(["evident.yaml": policy]), "word-limit"), [])
    }

    // MARK: values-count

    func testValuesCountBounds() throws {
        func values(_ count: Int) -> String {
            "---\nkind: values\nvalues:\n"
                + (0..<count).map { "  - { id: v\($0), name: V\($0), behaviors: [Does \($0)] }\n" }.joined() + "---\n"
        }
        XCTAssertEqual(found(try check(["values.md": values(6)]), "values-count"), [])
        XCTAssertEqual(found(try check(["values.md": values(4)]), "values-count"), [])
        XCTAssertEqual(
            found(try check(["values.md": values(0)]), "values-count"),
            ["values.md:3:1 warning: values.md lists 0 values; name 4 to 6 behavioural values"])
        XCTAssertEqual(
            found(try check(["values.md": values(8)]), "values-count"),
            ["values.md:10:11 warning: values.md lists 8 values; keep 4 to 6 so reviewers can apply all of them"])
    }

    /// Too few values are reported at the `values` key the decoder found, wherever it is.
    func testValuesCountPointsAtTheDecodedKey() throws {
        let later =
            "---\nkind: values\n# the values: below\n\nvalues:\n  - { id: a, name: A, behaviors: [Does a] }\n---\n"
        XCTAssertEqual(
            found(try check(["values.md": later]), "values-count"),
            ["values.md:5:1 warning: values.md lists 1 value; name 4 to 6 behavioural values"])
        let missing = "---\nkind: values\n---\nvalues: in the body\n"
        XCTAssertEqual(
            found(try check(["values.md": missing]), "values-count"),
            ["values.md:1:1 warning: values.md lists 0 values; name 4 to 6 behavioural values"])
    }

    // MARK: balance

    func testBalanceIsQuietWhenNothingIsCitedAndNamesTheMissingAspect() throws {
        let none = reviewWith("## Delivery impact\nShipped.\n\n## Technical judgment\nThought hard.\n")
        XCTAssertEqual(found(try check([review: none]), "balance"), [])
        let onlyHow = reviewWith(
            "## Delivery impact\nShipped [@queue-design].\n\n## Technical judgment\nThought hard [@queue-design].\n")
        XCTAssertEqual(
            found(try check([review: onlyHow]), "balance"),
            [
                "\(review):7:9 error: the review cites no evidence for the 'what' aspect of level eng-3 ('Delivery impact', 60% of the balance); cite an item tagged with one of its dimensions"
            ])
    }

    func testBalanceOfALevelWithAMissingKeyIsLeftToTheSchema() throws {
        let level = """
            ---
            kind: level
            id: eng-4
            title: Staff Engineer
            balance: { what: 50 }
            dimensions:
              - { id: reach, name: Reach, aspect: what, expectations: [Moves metrics beyond the team] }
            ---
            """
        let diagnostics = try check(["levels/eng-4.md": level])
        XCTAssertEqual(found(diagnostics, "balance"), [])
        XCTAssertFalse(found(diagnostics, "front-matter-schema").isEmpty)
    }

    // MARK: scale

    func testRulesStayLinearInPeople() throws {
        // 500 person folders, each a copy of Alice's: the rubric and language rules
        // must not compare folders with each other.
        var files = ExampleRepository.files
        var people = files["people.yaml"]!
        for index in 0..<500 {
            let id = "p\(index)"
            people +=
                "  - { id: \(id), name: P \(index), email: \(id)@example.com, level: eng-3, team: payments, manager: dana }\n"
            for name in ["evidence.md", "self.md", "peer-bob.md", "peer-carol.md", "review.md"] {
                files["cycles/2026-h2/\(id)/\(name)"] = files["cycles/2026-h2/alice/\(name)"]!
                    .replacingOccurrences(of: "person: alice", with: "person: \(id)")
            }
        }
        files["people.yaml"] = people
        let source = MemorySource(root: "/example", texts: files)
        let organisation = try RepositoryLoader.load(from: source)
        let mine: [any Rule.Type] = [
            RubricCoverageRule.self, RubricUnknownSectionRule.self, PeerFeedbackMissingRule.self,
            VagueLanguageRule.self, BiasedLanguageRule.self, WordLimitRule.self, ValuesCountRule.self, BalanceRule.self,
        ]
        let diagnostics = RuleEngine(rules: mine).check(organisation, source: source)
        XCTAssertEqual(diagnostics.filter { mine.map { $0.description.id }.contains($0.ruleID) }.count, 0)
    }
}
