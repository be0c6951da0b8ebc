import EvidentCore
import XCTest

@testable import EvidentRules

/// Level guides that fit real ladders: levels that build on each other (`includes:`),
/// grades shared across tracks, examples beside expectations, specialisms, names with
/// emoji, and guides that promise nothing (empty expectations).
final class LevelGuideTests: XCTestCase {
    private let review = RuleExample.defaultFile

    private func load(_ overrides: [String: String]) throws -> (Organisation, [Diagnostic]) {
        var files = ExampleRepository.files
        for (path, text) in overrides { files[path] = text }
        let source = MemorySource(root: "/example", texts: files)
        let organisation = try RepositoryLoader.load(from: source)
        return (organisation, RuleEngine().check(organisation, source: source))
    }

    private func found(_ diagnostics: [Diagnostic], _ rule: String) -> [String] {
        diagnostics.filter { $0.ruleID == rule }.map {
            "\($0.location.file):\($0.location.line):\($0.location.column) \($0.message)"
        }
    }

    /// eng-4 written the way ladders are: on top of eng-3, with one dimension of its own
    /// and one of eng-3's raised.
    private let eng4OnTopOfEng3 = """
        ---
        kind: level
        id: eng-4
        title: Staff Engineer
        grade: 4
        includes: eng-3
        balance: { what: 50, how: 50 }
        dimensions:
          - { id: influence, name: Influence, aspect: how, expectations: [Sets technical direction across teams] }
          - id: delivery
            name: Delivery impact
            aspect: what
            expectations: [Ships work that moves an organisation-level metric]
            examples: [The checkout rewrite that cut p99 for every payment method]
        ---

        """

    func testIncludesInheritsDimensionsAndAddsExpectations() throws {
        let (organisation, _) = try load(["levels/eng-4.md": eng4OnTopOfEng3])
        let level = try XCTUnwrap(organisation.level("eng-4"))
        XCTAssertEqual(level.dimensions.map(\.id.value), ["delivery", "technical-judgment", "influence"])
        let delivery = try XCTUnwrap(level.dimension("delivery"))
        XCTAssertEqual(
            delivery.expectations,
            [
                "Ships multi-quarter projects that move a team-level metric",
                "Ships work that moves an organisation-level metric",
            ])
        XCTAssertEqual(delivery.examples, ["The checkout rewrite that cut p99 for every payment method"])
        XCTAssertNil(delivery.inheritedFrom, "written again in eng-4: its own")
        XCTAssertEqual(level.dimension("technical-judgment")?.inheritedFrom, "eng-3")
        XCTAssertEqual(level.grade?.value, 4)
        // eng-3 itself is untouched.
        XCTAssertEqual(organisation.level("eng-3")?.dimensions.count, 2)
    }

    func testAReviewAtAnIncludingLevelCoversTheInheritedDimensions() throws {
        let text = """
            ---
            kind: review
            person: alice
            cycle: 2026-h2
            reviewer: dana
            level: eng-4
            rating: meets
            ---
            ## Delivery impact
            Alice cut checkout p99 from 900 ms to 250 ms [@checkout-latency].

            ## Influence
            She set the direction for the retry queue across teams [@queue-design].
            """
        let (_, diagnostics) = try load(["levels/eng-4.md": eng4OnTopOfEng3, review: text])
        let missing = found(diagnostics, "rubric-coverage").filter { $0.hasPrefix(review) }
            .map { $0.components(separatedBy: " ").dropFirst().joined(separator: " ") }.filter {
                $0.hasPrefix("no '## ")
            }
        XCTAssertEqual(
            missing, ["no '## Technical judgment' section: the review must cover every dimension of level eng-4"])
    }

    func testIncludesThatLoopOrNameNothingAreReported() throws {
        let loop = eng4OnTopOfEng3.replacingOccurrences(of: "includes: eng-3", with: "includes: eng-5")
        let eng5 = """
            ---
            kind: level
            id: eng-5
            title: Principal Engineer
            includes: eng-4
            balance: { what: 50, how: 50 }
            ---

            """
        let (organisation, diagnostics) = try load(["levels/eng-4.md": loop, "levels/eng-5.md": eng5])
        XCTAssertEqual(organisation.level("eng-4")?.includeCycle, ["eng-4", "eng-5", "eng-4"])
        XCTAssertEqual(
            found(diagnostics, "unknown-reference").filter { $0.contains("leads back") }.count, 2,
            "each level of the loop: \(found(diagnostics, "unknown-reference"))")
        let missing = eng4OnTopOfEng3.replacingOccurrences(of: "includes: eng-3", with: "includes: eng-33")
        let (_, unknown) = try load(["levels/eng-4.md": missing])
        XCTAssertEqual(
            found(unknown, "unknown-reference"),
            ["levels/eng-4.md:6:11 unknown included level 'eng-33': no level guide levels/eng-33.md"])
    }

    func testEmptyExpectationsAreAnError() throws {
        for empty in ["[]", "~", ""] {
            let guide = (ExampleRepository.files["levels/eng-3.md"] ?? "").replacingOccurrences(
                of: "expectations: [Ships multi-quarter projects that move a team-level metric]",
                with: "expectations: \(empty)")
            let (_, diagnostics) = try load(["levels/eng-3.md": guide])
            XCTAssertEqual(
                found(diagnostics, "front-matter-schema").map {
                    $0.components(separatedBy: " ").dropFirst().joined(separator: " ")
                },
                [
                    "dimension 'delivery' lists no expectations: write at least one observable behaviour it is judged against"
                ],
                "expectations: \(empty)")
        }
    }

    func testSpecialismsAreKnownToTheLevel() throws {
        let people = (ExampleRepository.files["people.yaml"] ?? "").replacingOccurrences(
            of: "team: payments, manager: dana }\n  - { id: bob",
            with: "team: payments, manager: dana, specialism: anlytics }\n  - { id: bob")
        let (organisation, diagnostics) = try load(["people.yaml": people])
        XCTAssertEqual(organisation.person("alice")?.specialism?.value, "anlytics")
        XCTAssertEqual(
            found(diagnostics, "unknown-reference").map {
                $0.components(separatedBy: " ").dropFirst().joined(separator: " ")
            },
            [
                "unknown specialism 'anlytics': no dimension of level eng-3 is for it (the level has no specialism dimensions)"
            ])
    }

    func testNamesWithEmojiMatchAndUnknownSectionsSuggestTheNearestDimension() throws {
        let guide = (ExampleRepository.files["levels/eng-3.md"] ?? "").replacingOccurrences(
            of: "name: Technical judgment", with: "name: \"🧠 Technical judgment\"")
        let text = """
            ---
            kind: review
            person: alice
            cycle: 2026-h2
            reviewer: dana
            level: eng-3
            rating: meets
            ---
            ## Delivery impakt
            Alice cut checkout p99 from 900 ms to 250 ms [@checkout-latency].

            ## Technical judgment
            She designed the retry queue with its failure modes first [@queue-design].
            """
        let (_, diagnostics) = try load(["levels/eng-3.md": guide, review: text])
        let unknown = found(diagnostics, "rubric-unknown-section")
        XCTAssertEqual(unknown.count, 1, "\(unknown)")
        XCTAssertTrue(unknown[0].hasPrefix("\(review):9:1 section 'Delivery impakt'"), unknown[0])
        XCTAssertTrue(unknown[0].contains("'Delivery impact' or 'delivery'"), "ids are listed: \(unknown[0])")
        XCTAssertTrue(unknown[0].hasSuffix("did you mean '## Delivery impact'?"), unknown[0])
        // The emoji-named dimension is covered by its plain heading.
        XCTAssertFalse(found(diagnostics, "rubric-coverage").contains { $0.contains("Technical judgment") })
    }
}
