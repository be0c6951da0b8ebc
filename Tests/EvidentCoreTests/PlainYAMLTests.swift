import EvidentTestSupport
import Foundation
import XCTest

@testable import EvidentCore

/// The byte reader of plain YAML must give exactly libyaml's tree, or step aside.
final class PlainYAMLTests: XCTestCase {
    /// Asserts agreement with libyaml when the reader answers; returns whether it did.
    @discardableResult
    private func agree(_ yaml: String, firstLine: Int = 1, file: StaticString = #filePath, line: UInt = #line) -> Bool {
        guard let node = PlainYAML.parse(yaml, lineOffset: firstLine - 1) else { return false }
        let reference = YAMLComposer.compose(
            yaml, lineOffset: firstLine - 1, budget: YAMLParser.nodeBudget(for: yaml),
            maximumDepth: YAMLParser.maximumDepth)
        guard case .composed(let expected) = reference else {
            XCTFail("read what libyaml does not compose:\n\(yaml)", file: file, line: line)
            return true
        }
        XCTAssertEqual(yamlDump(node), yamlDump(expected), yaml, file: file, line: line)
        return true
    }

    func testReviewShapesReadAsLibyamlReadsThem() {
        let documents = [
            "", "# a comment only\n", "\n\n", "kind: review\nperson: alice\ncycle: 2026-h2\n",
            "kind: evidence\nitems:\n  - id: x\n    date: 2026-08-14\n    dimensions: [delivery, technical-judgment]\n  - id: y\n    summary: Cut p99 from 900 ms to 250 ms, by batching [see notes]\n",
            "items:\n- id: x\n  date: 2026-08-14\n- id: y\n",
            "promotion: { readiness: next-cycle, target: eng-4 }\ncalibration:\n  rating: meets\n  evidence: [a, b]\n",
            "ratings:\n  - { id: below, label: Below expectations, min_evidence: 3 }\n  - { id: meets, label: Meets, min_evidence: 1 }\n",
            "allowed_links: [\"https://github.com/acme/*\", 'https://acme.atlassian.net/browse/*']\n",
            "roles: []\nempty: {}\nspaced: [ a , b ]\nflow: {a: 1}\n",
            "# yaml-language-server: $schema=x\npeople:\n  - id: a\n    name: Ann Lee\n    manager: b\n\n  # comment\n  - id: b\n    name: Bo\n",
            "name: \"Quoted: with colon\"\nsingle: 'it is'\ntrailing: value   \nnumber: 0.6\ntime: 12:30\n",
            "dims:\n  - delivery\n  - quality\nnext: x\n",
            "summary: Alice's design, \"quoted\" words - and dashes\n",
            "a:\n  b:\n    c:\n      d: deep\n",
            "key:    spaced value\n",
            "-  a\n-   b: c\n    d: e\n",
        ]
        for document in documents {
            XCTAssertTrue(agree(document, firstLine: 2), "expected the byte reader to read:\n\(document)")
        }
    }

    func testOtherShapesAreLeftToLibyaml() {
        let documents = [
            "a: b\n  continued\n", "a: |\n  text\n", "a: >\n  text\n", "a: &x 1\nb: *x\n", "a: !!str 1\n",
            "a: 1 # comment\n", "a: x#y\n", "a: \"esc\\n\"\n", "a: 'it''s'\n", "a: [b, [c]]\n", "a:\n", "a:\nb: 1\n",
            "a: 1\na: 2\n", "a: -1\n", "a: ?x\n", "a: :x\n", "a: x:\n", "a: b: c\n", "\"k\": 1\n", "? k\n: v\n",
            "---\na: 1\n", "%YAML 1.1\n---\na: 1\n", "a: ü\n", "a:\tb\n", "a: 1\r\nb: 2\n", "  a: 1\n", "- - a\n",
            "-\n  a: 1\n", "a: [https://x]\n", "a: {b: [c]}\n", "a: [b,]\n", "a: [b, , c]\n", "just a scalar\n",
            "a: 1\n b: 2\n", "a:\n  b: 1\n c: 2\n", "a: [b] c\n",
        ]
        for document in documents {
            XCTAssertFalse(agree(document), "expected the byte reader to step aside:\n\(document)")
        }
    }

    /// `YAMLParser.parse` skips its nesting scan for what the byte reader reads, so the
    /// reader must never read a document the scan refuses.
    func testReaderOnlyReadsWhatTheNestingScanPasses() {
        let manyBrackets = String(repeating: "[", count: YAMLParser.maximumDepth)
        let tooMany = manyBrackets + "["
        XCTAssertTrue(PlainYAML.parse("a: x\(manyBrackets)\n", lineOffset: 0) != nil)
        XCTAssertTrue(PlainYAML.parse("a: x\(tooMany)\n", lineOffset: 0) == nil)
        guard case .failure(let problem) = YAMLParser.parse("a: x\(tooMany)\n", firstLine: 3) else {
            return XCTFail("a line of \(tooMany.count) brackets is reported as nesting")
        }
        XCTAssertEqual(problem.line, 3)
        XCTAssertTrue(problem.message.contains("nested more than"), problem.message)
        // The deepest block nesting the reader reads is far inside the scan's limit.
        var deep = ""
        for level in 0..<30 { deep += String(repeating: " ", count: 2 * level) + "k\(level):\n" }
        deep += String(repeating: " ", count: 60) + "leaf: x\n"
        if PlainYAML.parse(deep, lineOffset: 0) != nil {
            XCTAssertNil(YAMLParser.nestingProblem(deep, firstLine: 1))
        }
        var generator = SeededGenerator.forTest(self)
        let pieces = [
            "a: b", "- c", "  - d: [e, {f: g}]", "    h: i[j{k", "  l:", "    - m", "- - n", "o: '[[['", "# [[[",
        ]
        for _ in 0..<3000 {
            let lines = (0..<Int.random(in: 1...10, using: &generator)).map { _ in
                String(repeating: " ", count: 2 * Int.random(in: 0...3, using: &generator))
                    + pieces.randomElement(using: &generator)!
            }
            let yaml = lines.joined(separator: "\n")
            if PlainYAML.parse(yaml, lineOffset: 0) != nil {
                XCTAssertNil(YAMLParser.nestingProblem(yaml, firstLine: 1), yaml)
            }
        }
    }

    /// Random documents built from pieces, supported and not, compared with libyaml.
    func testRandomDocumentsAgreeWithLibyaml() {
        let keys = ["id", "name", "date", "dimensions", "items", "a", "b", "x-y", "k_1", "1", "true", "null"]
        let scalars = [
            "alice", "Alice Chen", "2026-08-14", "0.6", "~", "null", "yes", "a, b", "a [b] {c}", "12:30", "x - y",
            "\"q\"", "'s'", "\"a: b\"", "[]", "{}", "[a, b]", "[ a ,b ]", "{ k: v, l: 2 }", "{k: v}", "[\"x\", 'y']",
            "-x", "x:", "a: b", "#c", "x #c", "|", "*a", "&a x", "!t x", "[a, [b]]", "ü", "",
        ]
        var generator = SeededGenerator.forTest(self)
        var read = 0
        for _ in 0..<3000 {
            var lines: [String] = []
            var indent = 0
            for _ in 0..<Int.random(in: 1...8, using: &generator) {
                let pad = String(repeating: " ", count: indent)
                switch Int.random(in: 0..<10, using: &generator) {
                case 0...4:
                    lines.append(
                        "\(pad)\(keys.randomElement(using: &generator)!): \(scalars.randomElement(using: &generator)!)")
                case 5:
                    lines.append("\(pad)\(keys.randomElement(using: &generator)!):")
                    indent += [0, 2, 4].randomElement(using: &generator)!
                case 6:
                    lines.append("\(pad)- \(scalars.randomElement(using: &generator)!)")
                case 7:
                    lines.append(
                        "\(pad)- \(keys.randomElement(using: &generator)!): \(scalars.randomElement(using: &generator)!)"
                    )
                case 8:
                    indent = max(0, indent - 2)
                    lines.append("\(String(repeating: " ", count: indent))# note")
                default:
                    lines.append(
                        ["", "  ", "\(pad)  \(keys.randomElement(using: &generator)!): x"].randomElement(
                            using: &generator)!)
                }
            }
            if agree(lines.joined(separator: "\n") + "\n", firstLine: 2) { read += 1 }
        }
        XCTAssertGreaterThan(read, 100, "the generator should produce readable documents")
    }

    func testExamplesAndTemplatesReadAsLibyamlReadsThem() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        var read = 0
        for folder in ["examples", "templates"] {
            guard
                let walker = FileManager.default.enumerator(
                    at: root.appendingPathComponent(folder), includingPropertiesForKeys: nil)
            else { continue }
            for case let url as URL in walker where ["md", "yaml", "yml"].contains(url.pathExtension) {
                let text = try String(contentsOf: url, encoding: .utf8)
                if url.pathExtension == "md" {
                    let split = FrontMatterSplit.split(text)
                    guard let yaml = split.yaml, !split.unclosed else { continue }
                    if agree(yaml, firstLine: split.yamlFirstLine) { read += 1 }
                } else if agree(text) {
                    read += 1
                }
            }
        }
        XCTAssertGreaterThan(read, 10)
    }

    /// Compares every document below a folder: the example organisation by default, or
    /// `EVIDENT_YAML_CORPUS=<folder>` (a generated benchmark repository, say), where the
    /// byte reader must also read every document itself.
    func testCorpusFolderReadsAsLibyamlReadsIt() throws {
        let configured = ProcessInfo.processInfo.environment["EVIDENT_YAML_CORPUS"]
        let folder =
            configured
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("examples/acme").path
        var read = 0
        var skipped: [String] = []
        let walker = FileManager.default.enumerator(at: URL(fileURLWithPath: folder), includingPropertiesForKeys: nil)
        while let url = walker?.nextObject() as? URL {
            guard ["md", "yaml", "yml"].contains(url.pathExtension), !url.path.contains("/.git/") else { continue }
            let text = try String(contentsOf: url, encoding: .utf8)
            let split = url.pathExtension == "md" ? FrontMatterSplit.split(text) : nil
            let yaml = split?.yaml ?? text
            if agree(yaml, firstLine: split?.yamlFirstLine ?? 1) { read += 1 } else { skipped.append(url.path) }
        }
        if configured != nil { XCTAssertEqual(skipped, [], "documents the byte reader left to libyaml") }
        XCTAssertGreaterThan(read, 0)
    }
}
