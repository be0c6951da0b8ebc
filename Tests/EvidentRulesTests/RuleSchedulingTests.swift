import XCTest

@testable import EvidentRules

/// The engine starts the slow rules first; the order must still run every rule once.
final class RuleSchedulingTests: XCTestCase {
    func testSlowRulesStartFirstAndEveryRuleRunsOnce() {
        let order = RuleEngine.longestFirst(RuleRegistry.all)
        XCTAssertEqual(order.sorted(), Array(RuleRegistry.all.indices))
        let ids = order.map { RuleRegistry.all[$0].description.id }
        XCTAssertEqual(ids.first, "evidence-link-disallowed")
        // A renamed rule would silently lose its place: every listed id must be registered.
        let listed = [
            "evidence-link-disallowed", "vague-language", "biased-language", "rubric-coverage", "citation-unknown",
            "unknown-reference", "evidence-uncited", "private-heading-unrecognised",
        ]
        XCTAssertEqual(Array(ids.prefix(listed.count)), listed)
    }
}
