import Foundation
import XCTest

@testable import EvidentCore

/// The fast YAML path must give exactly what the Yams path gives, or step aside.
final class YAMLComposerTests: XCTestCase {
    /// Asserts that the fast path either steps aside or agrees with Yams; returns
    /// whether it composed.
    @discardableResult
    private func agree(_ yaml: String, firstLine: Int = 1, file: StaticString = #filePath, line: UInt = #line) -> Bool {
        let budget = YAMLParser.nodeBudget(for: yaml)
        let fast = YAMLComposer.compose(
            yaml, lineOffset: firstLine - 1, budget: budget, maximumDepth: YAMLParser.maximumDepth)
        guard case .composed(let node) = fast else { return false }
        switch YAMLParser.parseWithYams(yaml, firstLine: firstLine, budget: budget) {
        case .success(let reference):
            XCTAssertEqual(yamlDump(node), yamlDump(reference), yaml, file: file, line: line)
        case .failure(let problem):
            XCTFail("fast path composed what Yams refuses (\(problem.message)): \(yaml)", file: file, line: line)
        }
        return true
    }

    func testCommonDocumentsComposeAsYamsDoes() {
        let documents = [
            "", "# only a comment\n", "---\n", "---\n...\n", "a: 1\n", "a:\n", "a: ~\nb: null\n",
            "kind: review\nperson: alice\ncycle: 2026-h2\nrating: meets\n",
            "items:\n  - id: x\n    date: 2026-08-14\n    dimensions: [delivery, judgment]\n  - { id: y, date: 2026-09-01 }\n",
            "promotion: { readiness: next-cycle, target: eng-4 }\n",
            "quoted: \"a: b\"\nsingle: 'it''s'\nplain: text, with # comment\n",
            "literal: |\n  line one\n  line two\nfolded: >\n  folded\n  text\n",
            "name: Zoë Ångström\nnext: 名前\nemoji: 🙂 x\n",
            "%YAML 1.1\n---\ntagged: !!str 123\nnumber: 0x1F\n",
            "anchor: &a { x: 1, y: [2, 3] }\nalias: *a\nagain: *a\n",
            "base: &b value\nlist: [*b, *b]\n",
            "shadow: &s one\nfirst: *s\nredefined: &s two\nsecond: *s\n",
            "- a\n- - b\n  - c\n- { k: v }\n",
            "? complex\n: value\n",
            "k: v # trailing comment\n\n\n",
            "\"quoted key\": 1\n'single key': 2\n",
            "a: 1\nb: 2\nc: 3\nd: 4\ne: 5\nf: 6\ng: 7\nh: 8\ni: 9\nj: 10\nk: 11\nl: 12\nm: 13\nn: 14\no: 15\np: 16\nq: 17\nr: 18\n",
        ]
        for document in documents {
            XCTAssertTrue(agree(document, firstLine: 3), "expected the fast path to compose: \(document)")
        }
    }

    func testUnusualDocumentsAreLeftToYams() {
        let documents = [
            "a: 1\na: 2\n",  // duplicate key: Yams words the error
            "1: x\n\"1\": y\n",  // same text, different tags: Yams decides
            "a: [x\n",  // syntax error
            "a: *missing\n",  // undefined alias
            "a: 1\n---\nb: 2\n",  // two documents
            "[a, b]: c\n",  // a key that is not a scalar
        ]
        for document in documents {
            XCTAssertFalse(agree(document), "expected the fast path to step aside: \(document)")
        }
        // Whatever path answers, `parse` keeps Yams' results.
        guard case .failure(let problem) = YAMLParser.parse("a: 1\na: 2\n") else { return XCTFail("parsed") }
        XCTAssertEqual(problem.message, "duplicate key 'a' in a mapping")
        guard case .success(let node?) = YAMLParser.parse("1: x\n\"1\": y\n"),
            case .mapping(let pairs) = node.value
        else { return XCTFail("not parsed") }
        XCTAssertEqual(pairs.count, 2)
    }

    func testBudgetsAreTheYamsPathBudgets() {
        var bomb = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        var previous = "a"
        for name in ["b", "c", "d", "e", "f", "g", "h", "i"] {
            bomb += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ", ") + "]\n"
            previous = name
        }
        XCTAssertFalse(agree(bomb))
        // Nodes at the depth limit compose (the root is at depth 0); one more level is left to Yams.
        let levels = YAMLParser.maximumDepth + 1
        XCTAssertTrue(agree(String(repeating: "[", count: levels) + String(repeating: "]", count: levels)))
        XCTAssertFalse(agree(String(repeating: "[", count: levels + 1) + String(repeating: "]", count: levels + 1)))
    }

    func testEveryExampleAndTemplateComposesAsYamsDoes() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        var checked = 0
        for folder in ["examples", "templates"] {
            let base = root.appendingPathComponent(folder)
            guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else {
                continue
            }
            for case let url as URL in walker where ["md", "yaml", "yml"].contains(url.pathExtension) {
                let text = try String(contentsOf: url, encoding: .utf8)
                if url.pathExtension == "md" {
                    let split = FrontMatterSplit.split(text)
                    guard let yaml = split.yaml, !split.unclosed else { continue }
                    if agree(yaml, firstLine: split.yamlFirstLine) { checked += 1 }
                } else if agree(text) {
                    checked += 1
                }
            }
        }
        XCTAssertGreaterThan(checked, 20)
    }
}
