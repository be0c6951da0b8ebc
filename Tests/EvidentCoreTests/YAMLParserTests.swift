import XCTest

@testable import EvidentCore

final class YAMLParserTests: XCTestCase {
    private func parse(_ yaml: String, firstLine: Int = 1) -> Result<YAMLNode?, YAMLParser.Problem> {
        YAMLParser.parse(yaml, firstLine: firstLine)
    }

    func testKeepsPositionsOfKeysAndValues() throws {
        let node = try XCTUnwrap(parse("a: 1\nlist:\n  - x\n  - { id: y }\n", firstLine: 2).get())
        guard case .mapping(let pairs) = node.value else { return XCTFail("not a mapping") }
        XCTAssertEqual(pairs[1].key.line, 3)
        XCTAssertEqual(pairs[1].key.column, 1)
        guard case .sequence(let items) = pairs[1].value.value else { return XCTFail("not a list") }
        XCTAssertEqual(items[1]["id"]?.line, 5)
        XCTAssertEqual(items[1]["id"]?.column, 11)
    }

    func testColumnsCountUnicodeScalars() throws {
        let node = try XCTUnwrap(parse("name: Zoë\nnext: x\n").get())
        XCTAssertEqual(node["next"]?.column, 7)
    }

    func testSyntaxErrorPointsAtTheProblem() {
        guard case .failure(let problem) = parse("a: 1\nb: [x\n", firstLine: 2) else { return XCTFail("parsed") }
        XCTAssertEqual(problem.line, 3)
        XCTAssertTrue(problem.message.hasPrefix("yaml does not parse"), problem.message)
    }

    func testDuplicateKeyReportedAtTheSecondKey() {
        guard case .failure(let problem) = parse("a: 1\nb: 2\na: 3\n") else { return XCTFail("parsed") }
        XCTAssertEqual(problem.message, "duplicate key 'a' in a mapping")
        XCTAssertEqual(problem.line, 3)
        XCTAssertEqual(problem.column, 1)
    }

    func testAliasBombIsRefusedQuickly() {
        var yaml = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        var previous = "a"
        for name in ["b", "c", "d", "e", "f", "g", "h", "i"] {
            yaml += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ", ") + "]\n"
            previous = name
        }
        let started = Date()
        guard case .failure(let problem) = parse(yaml) else { return XCTFail("expanded an alias bomb") }
        XCTAssertTrue(problem.message.contains("refusing to expand"), problem.message)
        // A bound, not a benchmark: expansion would take minutes and gigabytes.
        XCTAssertLessThan(Date().timeIntervalSince(started), 10)
    }

    func testDeepNestingIsRefusedBeforeParsing() {
        let flow = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        guard case .failure(let flowProblem) = parse("a: " + flow) else { return XCTFail("parsed") }
        XCTAssertTrue(flowProblem.message.contains("nested"), flowProblem.message)
        var block = ""
        for depth in 0..<200 { block += String(repeating: " ", count: depth) + "k\(depth):\n" }
        guard case .failure(let blockProblem) = parse(block) else { return XCTFail("parsed") }
        XCTAssertTrue(blockProblem.message.contains("nested"), blockProblem.message)
    }

    func testEmptyDocumentIsNil() throws {
        XCTAssertNil(try parse("").get())
        XCTAssertNil(try parse("# only a comment\n").get())
    }

    func testQuotedScalarsAreNotPlain() throws {
        let node = try XCTUnwrap(parse("a: \"1\"\nb: 1\n").get())
        guard case .scalar(_, let plainA) = node["a"]?.value, case .scalar(_, let plainB) = node["b"]?.value else {
            return XCTFail("not scalars")
        }
        XCTAssertFalse(plainA)
        XCTAssertTrue(plainB)
    }
}
