import EvidentCore
import XCTest

/// Values interpolated into a message are quoted (withheld for sealed files) unless
/// marked public or whole numbers; Evident's own words always stay.
final class DiagnosticMessageTests: XCTestCase {
    func testQuotedValuesAreWithheldWithTheirQuoteMarks() {
        let id = "secret-id"
        let message: DiagnosticMessage = "unknown person '\(id)': not in people.yaml"
        XCTAssertEqual(message.text, "unknown person 'secret-id': not in people.yaml")
        XCTAssertEqual(message.withheld, "unknown person [text withheld]: not in people.yaml")
        XCTAssertTrue(message.quotesText)
    }

    func testPublicValuesAndNumbersStay() {
        let level = "eng-3"
        let heading = "Secret plans"
        let message: DiagnosticMessage = "section '\(heading)' of level \(public: level) has \(42) words"
        XCTAssertEqual(message.withheld, "section [text withheld] of level eng-3 has 42 words")
        let plain: DiagnosticMessage = "level \(public: level) sums to \(90)"
        XCTAssertFalse(plain.quotesText)
        XCTAssertEqual(plain.withheld, plain.text)
    }

    func testQuotesNotAroundTheValueStayAndAdjacentValuesMerge() {
        let a = "x"
        let b = "y"
        let citation: DiagnosticMessage = "citation '@\(a)' names nothing"
        XCTAssertEqual(citation.withheld, "citation '@[text withheld]' names nothing")
        let pair: DiagnosticMessage = "from '\(a)\(b)' to '\(b)'"
        XCTAssertEqual(pair.withheld, "from [text withheld] to [text withheld]")
        XCTAssertEqual(DiagnosticMessage(quoting: "anything").withheld, "[text withheld]")
    }

    func testNestedMessagesKeepTheirMarks() {
        let inner: DiagnosticMessage = "; passed in section '\("Secret")'"
        let outer: DiagnosticMessage = "review of \(1300) words\(inner)"
        XCTAssertEqual(outer.text, "review of 1300 words; passed in section 'Secret'")
        XCTAssertEqual(outer.withheld, "review of 1300 words; passed in section [text withheld]")
    }

    func testDiagnosticsInSealedFilesWithholdMessageAndNotes() {
        let secret = "Secret"
        let inSealed = Diagnostic(
            ruleID: "r", severity: .error, message: "heading '\(secret)'",
            location: SourceLocation(file: "cycles/c/a/review.md", line: 1, column: 1),
            notes: [DiagnosticNote("did you mean '\(secret)'?")])
        let pointingIn = Diagnostic(
            ruleID: "r", severity: .error, message: "id '\(secret)'",
            location: SourceLocation(file: "people.yaml", line: 1, column: 1),
            notes: [DiagnosticNote("first here", at: SourceLocation(file: "cycles/c/a/review.md", line: 2, column: 1))])
        let elsewhere = Diagnostic(
            ruleID: "r", severity: .error, message: "id '\(secret)'",
            location: SourceLocation(file: "people.yaml", line: 1, column: 1))
        let shown = [inSealed, pointingIn, elsewhere].withholdingText { $0.hasPrefix("cycles/") }
        XCTAssertEqual(shown.map(\.message), ["heading [text withheld]", "id [text withheld]", "id 'Secret'"])
        XCTAssertEqual(shown[0].notes.map(\.message), ["did you mean [text withheld]?"])
    }
}
