import XCTest

@testable import EvidentLanguageServer

final class PositionTests: XCTestCase {
    func testASCIIColumnsAreUTF16Offsets() {
        let text = LineText("abc\ndef")
        XCTAssertEqual(text.position(line: 2, column: 3), LSPPosition(line: 1, character: 2))
    }

    func testBMPCharactersCountOnce() {
        // é (U+00E9) and 中 are one scalar and one UTF-16 unit each.
        let text = LineText("é中x")
        XCTAssertEqual(text.position(line: 1, column: 3), LSPPosition(line: 0, character: 2))
    }

    func testSurrogatePairsCountTwice() {
        // 😀 is U+1F600: one Unicode scalar (one Evident column), two UTF-16 units.
        let text = LineText("a😀b😀c")
        XCTAssertEqual(text.position(line: 1, column: 2), LSPPosition(line: 0, character: 1))
        XCTAssertEqual(text.position(line: 1, column: 3), LSPPosition(line: 0, character: 3))
        XCTAssertEqual(text.position(line: 1, column: 5), LSPPosition(line: 0, character: 6))
    }

    func testUTF16OffsetInsideSurrogatePairRoundsDown() {
        let line = Substring("a😀b")
        XCTAssertEqual(LineText.scalarIndex(ofUTF16: 0, in: line), 0)
        XCTAssertEqual(LineText.scalarIndex(ofUTF16: 1, in: line), 1)
        XCTAssertEqual(LineText.scalarIndex(ofUTF16: 2, in: line), 1)  // between the halves
        XCTAssertEqual(LineText.scalarIndex(ofUTF16: 3, in: line), 2)
        XCTAssertEqual(LineText.scalarIndex(ofUTF16: 99, in: line), 3)
    }

    func testCombiningMarksAreSeparateScalars() {
        // "e" + U+0301 is one character on screen but two scalars, as Evident counts.
        let text = LineText("e\u{301}x")
        XCTAssertEqual(text.position(line: 1, column: 3), LSPPosition(line: 0, character: 2))
    }

    func testCRLFAndLoneCREndLines() {
        let text = LineText("one\r\ntwo\rthree\nfour")
        XCTAssertEqual(text.lines, ["one", "two", "three", "four"])
        XCTAssertEqual(text.position(line: 3, column: 2), LSPPosition(line: 2, character: 1))
        // The terminator is not part of the line: a column past the end clamps.
        XCTAssertEqual(text.position(line: 1, column: 10), LSPPosition(line: 0, character: 3))
    }

    func testTrailingNewlineMakesAnEmptyLastLine() {
        XCTAssertEqual(LineText("a\r\n").lines, ["a", ""])
        XCTAssertEqual(LineText("").lines, [""])
    }

    func testPrefixBeforePosition() {
        let text = LineText("x\r\n[@😀ab")
        XCTAssertEqual(text.prefix(before: LSPPosition(line: 1, character: 4)), "[@😀")
        XCTAssertEqual(text.prefix(before: LSPPosition(line: 1, character: 3)), "[@")
        XCTAssertEqual(text.prefix(before: LSPPosition(line: 7, character: 3)), "")
    }

    func testDiagnosticRangeCoversACitation() {
        let text = LineText("She shipped it [@no-such-item; @b].")
        let range = text.diagnosticRange(line: 1, column: 17)
        XCTAssertEqual(range.start, LSPPosition(line: 0, character: 16))
        XCTAssertEqual(range.end, LSPPosition(line: 0, character: 29))
    }

    func testDiagnosticRangeAfterAnAstralCharacter() {
        let text = LineText("😀 [@gone]")
        // `@` is scalar column 4 (😀, space, [, @): UTF-16 character 4.
        let range = text.diagnosticRange(line: 1, column: 4)
        XCTAssertEqual(range, LSPRange(start: .init(line: 0, character: 4), end: .init(line: 0, character: 9)))
    }

    func testDiagnosticRangeCoversAnIdAndStopsAtTheKeyColon() {
        let text = LineText("reviewer: dania\nlevel: eng-3")
        XCTAssertEqual(text.diagnosticRange(line: 1, column: 11).end, LSPPosition(line: 0, character: 15))
        XCTAssertEqual(text.diagnosticRange(line: 2, column: 1).end, LSPPosition(line: 1, character: 5))
    }

    func testDiagnosticRangeCoversAHeadingAndAQuotedValue() {
        let text = LineText("## Speed  \nname: \"Dana O\" # x")
        XCTAssertEqual(text.diagnosticRange(line: 1, column: 1).end, LSPPosition(line: 0, character: 8))
        XCTAssertEqual(text.diagnosticRange(line: 2, column: 7).end, LSPPosition(line: 1, character: 14))
    }

    func testDiagnosticRangeFallsBackToOneCharacter() {
        let text = LineText("a , b\n")
        XCTAssertEqual(
            text.diagnosticRange(line: 1, column: 3),
            LSPRange(start: .init(line: 0, character: 2), end: .init(line: 0, character: 3)))
        // An empty line, and a line past the end of the buffer.
        XCTAssertEqual(text.diagnosticRange(line: 2, column: 1).end, LSPPosition(line: 1, character: 1))
        XCTAssertEqual(text.diagnosticRange(line: 9, column: 1).start.line, 8)
    }

    func testDiagnosticRangeOnAnAstralCharacterCoversBothHalves() {
        let text = LineText("x 😀")
        XCTAssertEqual(text.diagnosticRange(line: 1, column: 3).end, LSPPosition(line: 0, character: 4))
    }
}
