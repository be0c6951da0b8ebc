import XCTest

@testable import EvidentCore

final class SourceTextTests: XCTestCase {
    private func decode(_ bytes: [UInt8]) -> Result<String, SourceText.Problem> { SourceText.decode(bytes) }

    func testStripsByteOrderMark() throws {
        XCTAssertEqual(try decode([0xEF, 0xBB, 0xBF] + Array("a: 1".utf8)).get(), "a: 1")
    }

    func testNormalisesCRLFAndLoneCR() throws {
        XCTAssertEqual(try decode(Array("a\r\nb\rc\n".utf8)).get(), "a\nb\nc\n")
    }

    func testReportsInvalidUTF8WithPosition() {
        let bytes = Array("ok\nab".utf8) + [0xC3, 0x28]
        XCTAssertEqual(decode(bytes), .failure(.invalidUTF8(line: 2, column: 3)))
    }

    func testRejectsOverlongAndSurrogateEncodings() {
        XCTAssertEqual(decode([0xC0, 0xAF]), .failure(.invalidUTF8(line: 1, column: 1)))
        XCTAssertEqual(decode([0xED, 0xA0, 0x80]), .failure(.invalidUTF8(line: 1, column: 1)))
        XCTAssertEqual(decode([0xE0, 0x80, 0x80]), .failure(.invalidUTF8(line: 1, column: 1)))
    }

    func testReportsNULAsBinary() {
        XCTAssertEqual(decode(Array("x".utf8) + [0]), .failure(.binary(line: 1, column: 2)))
    }

    func testAcceptsMultibyteText() throws {
        XCTAssertEqual(try decode(Array("Zoë 👩‍💻".utf8)).get(), "Zoë 👩‍💻")
    }

    func testRefusesHugeFiles() {
        let bytes = [UInt8](repeating: 0x61, count: SourceText.maximumBytes + 1)
        XCTAssertEqual(decode(bytes), .failure(.tooLarge(bytes: SourceText.maximumBytes + 1)))
    }

    /// people.yaml grows with the company (about 150 bytes a person), so it alone may pass
    /// 8 MiB; every other file keeps the limit, and people.yaml has one of its own.
    func testPeopleYAMLHasItsOwnLargerLimit() throws {
        let nineMiB = [UInt8](repeating: 0x61, count: 9 * 1024 * 1024)
        XCTAssertEqual(SourceText.maximumBytes(forPath: "people.yaml"), SourceText.maximumPeopleBytes)
        XCTAssertEqual(SourceText.maximumBytes(forPath: "cycles/2026-h2/alice/review.md"), SourceText.maximumBytes)
        XCTAssertEqual(SourceText.maximumBytes(forPath: "teams/people.yaml"), SourceText.maximumBytes)
        XCTAssertNotNil(try? SourceText.decode(nineMiB, limit: SourceText.maximumBytes(forPath: "people.yaml")).get())

        let root = FileManager.default.temporaryDirectory.appendingPathComponent("evident-limit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        try Data(nineMiB).write(to: root.appendingPathComponent("people.yaml"))
        try Data(nineMiB).write(to: root.appendingPathComponent("values.md"))
        let source = try DiskSource(root: root.path)
        XCTAssertEqual(try source.read("people.yaml").count, nineMiB.count)
        XCTAssertThrowsError(try source.read("values.md")) { error in
            XCTAssertEqual((error as? SourceError)?.problem, .tooLarge(bytes: nineMiB.count))
        }
        // Above its own limit, people.yaml is refused too, naming that limit.
        let huge = [UInt8](repeating: 0x61, count: SourceText.maximumPeopleBytes + 1)
        try Data(huge).write(to: root.appendingPathComponent("people.yaml"))
        XCTAssertThrowsError(try source.read("people.yaml")) { error in
            let problem = (error as? SourceError)?.problem
            XCTAssertEqual(problem, .tooLarge(bytes: huge.count, limit: SourceText.maximumPeopleBytes))
            XCTAssertTrue(problem?.message.contains("\(SourceText.maximumPeopleBytes)-byte limit") == true)
        }
    }

    func testScalarColumnFromByteColumn() {
        let table = LineTable("é [@a]")
        // "é" is two bytes: byte column 4 ('[') is scalar column 3.
        XCTAssertEqual(table.scalarColumn(line: 1, byteColumn: 4), 3)
        XCTAssertEqual(table.scalarColumn(line: 1, byteColumn: 1), 1)
    }
}

final class DayTests: XCTestCase {
    func testParsesAndRejects() {
        XCTAssertEqual(Day("2026-08-14")?.description, "2026-08-14")
        XCTAssertNil(Day("2026-02-30"))
        XCTAssertNotNil(Day("2024-02-29"))
        XCTAssertNil(Day("2026-8-14"))
        XCTAssertNil(Day("yesterday"))
    }

    func testArithmeticRoundTrips() throws {
        let day = try XCTUnwrap(Day("2026-12-31"))
        XCTAssertEqual(day.adding(days: -42).description, "2026-11-19")
        XCTAssertEqual(day.adding(days: 1).description, "2027-01-01")
        XCTAssertEqual(Day(daysSinceEpoch: 0).description, "1970-01-01")
    }
}

final class FrontMatterTests: XCTestCase {
    func testSplitsAndKeepsLineNumbers() {
        let split = FrontMatterSplit.split("---\na: 1\nb: 2\n---\n# Title\n")
        XCTAssertEqual(split.yaml, "a: 1\nb: 2")
        XCTAssertEqual(split.yamlFirstLine, 2)
        XCTAssertEqual(split.bodyFirstLine, 5)
        XCTAssertEqual(split.body, "# Title\n")
        XCTAssertFalse(split.unclosed)
    }

    func testMissingAndUnclosedFences() {
        XCTAssertNil(FrontMatterSplit.split("a: 1\n").yaml)
        XCTAssertTrue(FrontMatterSplit.split("---\na: 1\n").unclosed)
        XCTAssertEqual(FrontMatterSplit.split("---\n---\n").yaml, "")
    }
}
