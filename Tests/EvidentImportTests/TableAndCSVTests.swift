import XCTest

@testable import EvidentImport

final class TableAndCSVTests: XCTestCase {
    func testMarkdownTableLevelsAreColumnsAndRowsAreDimensions() throws {
        let ladder = try MarkdownTableFormat.read(Fixtures.path("markdown-table/rse.md"), track: "rse")
        let track = try XCTUnwrap(ladder.tracks.first)
        XCTAssertFalse(track.cumulative)
        XCTAssertEqual(track.levels.map(\.id), ["rse-junior", "rse-senior", "rse-principal-rse-brings-in-funding"])
        XCTAssertEqual(track.levels.map(\.title), ["Junior", "Senior", "Principal RSE(brings in funding)"])
        XCTAssertEqual(track.topics.count, 14)
        XCTAssertEqual(track.topics.first?.id, "docbb")
        XCTAssertEqual(track.topics.first?.name, "DOCBB")
        XCTAssertEqual(
            track.topics.first { $0.id == "team" }?.criteria["rse-junior"]?.expectations,
            [
                "Should be able to work in the team in order to effectively fulfil the given tasks. Should be able to learn from code review."
            ])
        XCTAssertEqual(
            track.topics.first { $0.id == "domrep" }?.criteria["rse-senior"]?.expectations, ["same as junior RSE"])
        XCTAssertTrue(
            ladder.report.guesses.contains {
                $0.message.contains("refer to another level") && $0.message.contains("DOMREP/Senior")
            })
        XCTAssertFalse(ladder.report.guesses.contains { $0.message.contains("track id") }, "--track given")
    }

    func testTableTrackDefaultsToTheFileNameAndNeedsATable() throws {
        let ladder = try MarkdownTableFormat.read(Fixtures.path("markdown-table/rse.md"))
        XCTAssertEqual(ladder.tracks.first?.id, "rse")
        XCTAssertTrue(ladder.report.guesses.contains { $0.message.contains("the track id 'rse' is the file's name") })
        XCTAssertThrowsError(try MarkdownTableFormat.read(Fixtures.path("markdown-table/NOTICE.md"))) {
            XCTAssertTrue("\($0)".contains("no Markdown table"), "\($0)")
        }
    }

    func testTableCellsPlaceholdersBreaksAndEscapedBars() {
        XCTAssertEqual(MarkdownTableFormat.cells(of: "| a | b \\| c | `x|y` |"), ["a", "b | c", "`x|y`"])
        XCTAssertEqual(MarkdownTableFormat.expectations(in: "—"), [])
        XCTAssertEqual(MarkdownTableFormat.expectations(in: "one<br>two <br/> three"), ["one", "two", "three"])
        XCTAssertTrue(MarkdownTableFormat.isDelimiterRow("| :--- | ---: |"))
        XCTAssertFalse(MarkdownTableFormat.isDelimiterRow("| a | b |"))
    }

    /// A level with no criteria at all would be a guide with no dimensions: refused.
    func testALevelWithoutCriteriaIsRefused() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("table-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("ladder.md")
        try "| | L1 | L2 |\n|---|---|---|\n| Delivery | ships | — |\n| Care | helps | n/a |\n".write(
            to: file, atomically: true, encoding: .utf8)
        let ladder = try MarkdownTableFormat.read(file.path)
        var options = ImportOptions()
        try options.addAspects("delivery=what,care=how")
        try options.addBalance("what=50,how=50")
        XCTAssertThrowsError(try LevelGuideWriter.plan(ladder, options: options, format: "markdown-table")) {
            XCTAssertTrue("\($0)".contains("level ladder-l2 of ladder.md has no criteria at all"), "\($0)")
        }
    }

    func testCSVStatedAspectsExamplesAndUnmappedDimensions() throws {
        let ladder = try CSVFormat.read(Fixtures.path("csv/ladder.csv"))
        XCTAssertEqual(ladder.tracks.map(\.id), ["backend", "mobile"])
        let backend = ladder.tracks[0]
        XCTAssertEqual(backend.levels.map(\.id), ["backend-1", "backend-2"])
        XCTAssertEqual(backend.levels.map(\.grade), [1, 2])
        XCTAssertEqual(backend.topics.map(\.statedAspect), ["what", nil])
        let communication = backend.topics[1]
        XCTAssertEqual(communication.criteria["backend-2"]?.expectations, ["Accepts feedback graciously"])
        XCTAssertEqual(
            communication.criteria["backend-2"]?.examples,
            [
                "Writes PR descriptions that provide context and provide rationale for significant decisions (for example: \"I decided to X instead of Y here\")"
            ])
        var options = ImportOptions()
        try options.addBalance("what=50,how=50")
        XCTAssertThrowsError(try LevelGuideWriter.plan(ladder, options: options, format: "csv")) {
            XCTAssertTrue("\($0)".contains("1 topic is unmapped: communication"), "\($0)")
        }
        try options.addAspects("communication=how")
        let plan = try LevelGuideWriter.plan(ladder, options: options, format: "csv")
        XCTAssertEqual(plan.guides.map(\.path), ["levels/backend-1.md", "levels/backend-2.md", "levels/mobile-1.md"])
    }

    func testCSVErrorsNameTheLine() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("csv-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let unclosed = folder.appendingPathComponent("unclosed.csv")
        try "track,level,title,dimension,aspect,expectation\nt,l,T,d,what,\"never closed\n".write(
            to: unclosed, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try CSVFormat.read(unclosed.path)) {
            XCTAssertTrue("\($0)".contains("unclosed.csv:3: a quoted field is not closed"), "\($0)")
        }
        let header = folder.appendingPathComponent("header.csv")
        try "track,level,dimension\n".write(to: header, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try CSVFormat.read(header.path)) {
            XCTAssertTrue("\($0)".contains("lacks title, aspect, expectation"), "\($0)")
        }
        let conflict = folder.appendingPathComponent("conflict.csv")
        try "track,level,title,dimension,aspect,expectation\nt,l1,T,d,what,a\nt,l2,T,d,how,b\n".write(
            to: conflict, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try CSVFormat.read(conflict.path)) {
            XCTAssertTrue("\($0)".contains("conflict.csv:3"), "\($0)")
        }
        let multiline = folder.appendingPathComponent("multiline.csv")
        try "track,level,title,dimension,aspect,expectation\nt,l1,T,d,what,\"two\nlines, \"\"quoted\"\"\"\n".write(
            to: multiline, atomically: true, encoding: .utf8)
        XCTAssertEqual(
            try CSVFormat.read(multiline.path).tracks.first?.topics.first?.criteria["l1"]?.expectations,
            ["two\nlines, \"quoted\""])
    }

    func testForeignLadderDetection() throws {
        func read(_ path: String) throws -> String { try String(contentsOfFile: Fixtures.path(path), encoding: .utf8) }
        XCTAssertEqual(ForeignLadder.detect(try read("monzo/engineering/backend.md")), .monzo)
        XCTAssertEqual(ForeignLadder.detect(try read("monzo/engineering/web.md")), .monzo)
        XCTAssertEqual(ForeignLadder.detect(try read("markdown-table/rse.md")), .markdownTable)
        XCTAssertNil(ForeignLadder.detect(try read("monzo/NOTICE.md").replacingOccurrences(of: "|", with: " ")))
        let guide =
            "---\nkind: level\nid: eng-1\ntitle: E\nbalance: { what: 50, how: 50 }\ndimensions: []\n---\n| a | b | c |\n|---|---|---|\n"
        XCTAssertNil(ForeignLadder.detect(guide), "a level guide with a table in its body is not foreign")
    }
}
