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
}
