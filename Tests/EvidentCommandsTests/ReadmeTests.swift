import EvidentRules
import XCTest

/// The README's catalogue is written by hand for readability; this keeps it honest.
final class ReadmeTests: XCTestCase {
    func testReadmeListsEveryRuleWithItsDefaultSeverity() throws {
        let readme = try String(
            contentsOf: EvidentProcess.projectRoot.appendingPathComponent("README.md"), encoding: .utf8)
        for description in RuleRegistry.descriptions {
            let row = "| `\(description.id)` | \(description.defaultSeverity.rawValue) |"
            XCTAssertTrue(readme.contains(row), "README.md lacks the row for \(description.id): \(row)")
        }
    }

    /// docs/reference.md's rule table is generated from the catalogue (what `evident rules`
    /// prints); any rule added, removed or reworded must show there too.
    func testReferenceRuleTableIsTheCatalogue() throws {
        let reference = try String(
            contentsOf: EvidentProcess.projectRoot.appendingPathComponent("docs/reference.md"), encoding: .utf8)
        let begin = "<!-- rules: generated from `evident rules`; ReadmeTests fails when it drifts -->\n"
        let end = "<!-- rules: end -->"
        guard let start = reference.range(of: begin),
            let stop = reference.range(of: end, range: start.upperBound..<reference.endIndex)
        else {
            return XCTFail("docs/reference.md lacks the rule table markers")
        }
        let table = String(reference[start.upperBound..<stop.lowerBound])
        let expected =
            (["| rule | default | reports |", "|---|---|---|"]
            + RuleRegistry.descriptions.map { "| `\($0.id)` | \($0.defaultSeverity.rawValue) | \($0.summary) |" })
            .joined(separator: "\n") + "\n"
        XCTAssertGreaterThanOrEqual(RuleRegistry.descriptions.count, 24)
        XCTAssertEqual(
            table, expected, "docs/reference.md's rule table differs from the catalogue; it should read:\n\(expected)")
    }
}
