import EvidentCore
import XCTest

@testable import EvidentRules

/// `duplicate-id` compares a folder's few items directly and hashes longer lists: both
/// must report every repeat once, at the repeat, with a note at the first declaration.
final class DuplicateIDTests: XCTestCase {
    private func findings(items count: Int) throws -> [Diagnostic] {
        var files = ExampleRepository.files
        // Item i's id repeats item i - 3's every fifth item, so repeats fall on both sides
        // of the 16-item line.
        let items = (0..<count).map { index in
            let id = index % 5 == 4 ? "item-\(index - 3)" : "item-\(index)"
            return "  - id: \(id)\n    date: 2026-08-14\n    type: pull-request\n"
                + "    link: https://github.com/acme/api/pull/\(index)\n    summary: Item \(index)\n"
                + "    dimensions: [delivery]\n"
        }
        files["cycles/2026-h2/alice/evidence.md"] =
            "---\nkind: evidence\nperson: alice\ncycle: 2026-h2\nitems:\n" + items.joined() + "---\nNotes.\n"
        let source = MemorySource(root: "/example", texts: files)
        let organisation = try RepositoryLoader.load(from: source)
        return RuleEngine(rules: [DuplicateIDRule.self]).check(organisation, source: source)
            .filter { $0.ruleID == "duplicate-id" }
    }

    func testRepeatsAreReportedAtTheRepeatWithTheFirstAsANote() throws {
        for count in [6, 20] {
            let found = try findings(items: count)
            let repeats = (0..<count).filter { $0 % 5 == 4 }
            XCTAssertEqual(found.count, repeats.count, "\(count) items")
            for (diagnostic, index) in zip(found, repeats) {
                XCTAssertEqual(diagnostic.message, "duplicate evidence item id 'item-\(index - 3)'", "\(count) items")
                XCTAssertEqual(diagnostic.notes.count, 1)
                XCTAssertLessThan(try XCTUnwrap(diagnostic.notes[0].location).line, diagnostic.location.line)
            }
        }
    }
}
