import EvidentCore
import XCTest

@testable import EvidentRules

/// Rules that skip work whose findings a partial check would drop (`files:`, as
/// `check --staged` passes it) must report exactly what a full check keeps for the
/// reported files.
final class PartialCheckTests: XCTestCase {
    /// people.yaml with a second `bob` and a manager, level and team that do not exist.
    private func organisation() throws -> (Organisation, MemorySource) {
        var texts = ExampleRepository.files
        texts["people.yaml", default: ""] += """
              - { id: bob, name: Bob Again, email: bob2@example.com, level: eng-3, team: payments, manager: dana }
              - { id: gus, name: Gus Finn, email: gus@example.com, level: eng-9, team: payments, manager: nobody }

            """
        let source = MemorySource(root: "/example", texts: texts)
        return (try RepositoryLoader.load(from: source), source)
    }

    private func findings(_ files: Set<String>?) throws -> [String] {
        let (organisation, source) = try organisation()
        return RuleEngine(rules: [DuplicateIDRule.self, UnknownReferenceRule.self])
            .check(organisation, source: source, files: files)
            .map { "\($0.ruleID) \($0.location.file):\($0.location.line): \($0.message)" }
    }

    func testPeopleFindingsAreKeptWhenPeopleYAMLIsReported() throws {
        let full = try findings(nil)
        XCTAssertTrue(full.contains { $0.hasPrefix("duplicate-id people.yaml:") && $0.contains("'bob'") }, "\(full)")
        XCTAssertTrue(full.contains { $0.hasPrefix("unknown-reference people.yaml:") && $0.contains("'nobody'") })
        XCTAssertTrue(full.contains { $0.hasPrefix("unknown-reference people.yaml:") && $0.contains("'eng-9'") })
        XCTAssertEqual(try findings(["people.yaml"]), full.filter { $0.contains(" people.yaml:") })
        XCTAssertEqual(
            try findings(["people.yaml", "cycles/2026-h2/alice/review.md"]),
            full.filter {
                $0.contains(" people.yaml:") || $0.contains(" cycles/2026-h2/alice/review.md:")
            })
    }

    func testPeopleFindingsAreSkippedWhenOnlyAReviewIsReported() throws {
        let review = "cycles/2026-h2/alice/review.md"
        let full = try findings(nil)
        XCTAssertEqual(try findings([review]), full.filter { $0.contains(" \(review):") })
        XCTAssertEqual(try findings([review]).filter { $0.contains("people.yaml") }, [])
    }
}
