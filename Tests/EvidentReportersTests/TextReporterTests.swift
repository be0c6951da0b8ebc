import EvidentCore
import XCTest

@testable import EvidentReporters

final class TextReporterTests: XCTestCase {
    func testCompilerStyleLinesNotesAndSummary() {
        let output = TextReporter(color: false).render(Fixtures.diagnostics, context: Fixtures.context())
        XCTAssertEqual(
            output,
            """
            cycles/2026-h2/alice/review.md:12:5: error: citation names no evidence item 'no-such-item' [citation-unknown]
                cycles/2026-h2/alice/evidence.md:3:1: note: evidence items of alice in 2026-h2 are listed here
            cycles/2026-h2/bob/self.md:1:1: warning: self review has 712 words, over the limit of 600 [word-limit]
                note: limits are set by reviews.max_words in evident.yaml
            acme: 12 people, 11 reviews, 84 evidence items, 1 error, 1 warning

            """)
    }

    func testPathsAreRelativeToWhereTheUserStands() {
        let context = Fixtures.context(displayBase: "/work/main")
        let output = TextReporter(color: false).render([Fixtures.citation], context: context)
        XCTAssertTrue(
            output.hasPrefix("../acme/cycles/2026-h2/alice/review.md:12:5: error: "), output)
        XCTAssertTrue(output.contains("    ../acme/cycles/2026-h2/alice/evidence.md:3:1: note: "), output)
    }

    func testACleanRunPrintsOnlyTheSummaryWithSingularsAndPlurals() {
        let summary = CheckSummary(files: 1, people: 1, reviews: 0, evidenceItems: 1, errors: 0, warnings: 2)
        let output = TextReporter(color: false).render([], context: Fixtures.context(summary: summary))
        XCTAssertEqual(output, "acme: 1 person, 0 reviews, 1 evidence item, 0 errors, 2 warnings\n")
    }

    func testColourWhenAsked() {
        let output = TextReporter(color: true).render([Fixtures.citation], context: Fixtures.context())
        let esc = "\u{1B}"
        XCTAssertEqual(
            output,
            "\(esc)[1mcycles/2026-h2/alice/review.md:12:5:\(esc)[0m \(esc)[1;31merror:\(esc)[0m "
                + "citation names no evidence item 'no-such-item' [citation-unknown]\n"
                + "    \(esc)[1mcycles/2026-h2/alice/evidence.md:3:1:\(esc)[0m \(esc)[1;36mnote:\(esc)[0m "
                + "evidence items of alice in 2026-h2 are listed here\n"
                + "\(esc)[1macme:\(esc)[0m 12 people, 11 reviews, 84 evidence items, "
                + "\(esc)[1;31m1 error\(esc)[0m, \(esc)[1;33m1 warning\(esc)[0m\n")
    }

    func testNoColourMeansNoEscapeCharacterAtAll() {
        let output = TextReporter(color: false).render(Fixtures.diagnostics, context: Fixtures.context())
        XCTAssertFalse(output.unicodeScalars.contains("\u{1B}"))
    }

    func testUserTextCannotInjectTerminalSequencesOrLines() {
        let hostile = Diagnostic(
            ruleID: "citation-unknown", severity: .error,
            message: "\u{1B}[31mred\u{1B}]0;title\u{07} and\nfake.md:1:1: error: forged",
            location: SourceLocation(file: "cycles/2026-h2/\u{202E}dm.txt\t/review.md", line: 2, column: 3),
            notes: [DiagnosticNote("note \u{9B}2J", at: SourceLocation(file: "x\u{1B}.md", line: 1, column: 1))])
        var context = Fixtures.context()
        context.name = "ac\u{1B}[2Jme"
        for color in [false, true] {
            let output = TextReporter(color: color).render([hostile], context: context)
            let lines = output.split(separator: "\n")
            XCTAssertEqual(lines.count, 3, output)
            XCTAssertTrue(output.contains(#"\u{1B}[31mred\u{1B}]0;title\u{07} and\u{0A}fake.md:1:1"#), output)
            XCTAssertTrue(output.contains(#"cycles/2026-h2/\u{202E}dm.txt /review.md:2:3:"#), output)
            XCTAssertTrue(output.contains(#"x\u{1B}.md:1:1:"#), output)
            XCTAssertTrue(output.contains(#"note \u{9B}2J"#), output)
            XCTAssertTrue(output.contains(#"ac\u{1B}[2Jme:"#), output)
            XCTAssertFalse(output.unicodeScalars.contains("\u{202E}"))
            XCTAssertFalse(output.unicodeScalars.contains("\u{9B}"))
            XCTAssertFalse(output.unicodeScalars.contains("\u{07}"))
            // With colour on, every ESC left must open one of the reporter's own styles.
            let ours = ["\u{1B}[0m", "\u{1B}[1m", "\u{1B}[1;31m", "\u{1B}[1;33m", "\u{1B}[1;36m"]
            let stripped = ours.reduce(output) { $0.replacingOccurrences(of: $1, with: "") }
            XCTAssertFalse(stripped.unicodeScalars.contains("\u{1B}"), stripped)
        }
    }

    func testWritesToATextOutputStream() {
        var buffer = ""
        TextReporter(color: false).write([], context: Fixtures.context(), to: &buffer)
        XCTAssertEqual(buffer, "acme: 12 people, 11 reviews, 84 evidence items, 1 error, 1 warning\n")
    }
}
