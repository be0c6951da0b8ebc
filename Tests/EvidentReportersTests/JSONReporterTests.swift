import EvidentCore
import Foundation
import XCTest

@testable import EvidentReporters

final class JSONReporterTests: XCTestCase {
    func testExactStableOutput() {
        let output = JSONReporter().render(Fixtures.diagnostics, context: Fixtures.context())
        XCTAssertEqual(
            output,
            """
            {
              "diagnostics" : [
                {
                  "column" : 5,
                  "file" : "cycles/2026-h2/alice/review.md",
                  "line" : 12,
                  "message" : "citation names no evidence item 'no-such-item'",
                  "notes" : [
                    {
                      "column" : 1,
                      "file" : "cycles/2026-h2/alice/evidence.md",
                      "line" : 3,
                      "message" : "evidence items of alice in 2026-h2 are listed here"
                    }
                  ],
                  "rule" : "citation-unknown",
                  "severity" : "error"
                },
                {
                  "column" : 1,
                  "file" : "cycles/2026-h2/bob/self.md",
                  "line" : 1,
                  "message" : "self review has 712 words, over the limit of 600",
                  "notes" : [
                    {
                      "message" : "limits are set by reviews.max_words in evident.yaml"
                    }
                  ],
                  "rule" : "word-limit",
                  "severity" : "warning"
                }
              ],
              "root" : "/work/acme",
              "summary" : {
                "errors" : 1,
                "evidence_items" : 84,
                "files" : 57,
                "people" : 12,
                "reviews" : 11,
                "warnings" : 1
              },
              "tool" : {
                "name" : "evident",
                "version" : "0.1.0"
              },
              "version" : 1
            }

            """)
    }

    func testParsesWithTheDocumentedKeysAndVersion() throws {
        let document = try parse(JSONReporter().render(Fixtures.diagnostics, context: Fixtures.context()))
        XCTAssertEqual(Set(document.keys), ["version", "tool", "root", "diagnostics", "summary"])
        XCTAssertEqual(document["version"] as? Int, 1)
        XCTAssertEqual(document["root"] as? String, "/work/acme")
        let tool = try XCTUnwrap(document["tool"] as? [String: Any])
        XCTAssertEqual(tool["name"] as? String, "evident")
        XCTAssertEqual(tool["version"] as? String, "0.1.0")

        let summary = try XCTUnwrap(document["summary"] as? [String: Int])
        XCTAssertEqual(
            summary,
            ["files": 57, "people": 12, "reviews": 11, "evidence_items": 84, "errors": 1, "warnings": 1])

        let diagnostics = try XCTUnwrap(document["diagnostics"] as? [[String: Any]])
        XCTAssertEqual(diagnostics.count, 2)
        XCTAssertEqual(
            Set(diagnostics[0].keys), ["rule", "severity", "message", "file", "line", "column", "notes"])
        let located = try XCTUnwrap((diagnostics[0]["notes"] as? [[String: Any]])?.first)
        XCTAssertEqual(Set(located.keys), ["message", "file", "line", "column"])
        let plain = try XCTUnwrap((diagnostics[1]["notes"] as? [[String: Any]])?.first)
        XCTAssertEqual(Set(plain.keys), ["message"], "a note without a location has no file, line or column")
        XCTAssertEqual(diagnostics[1]["severity"] as? String, "warning")
    }

    func testHostileTextIsEscapedAndRoundTrips() throws {
        let message = "say \"hi\" \u{1B}[31mred\u{1B}]0;title\u{07} back\\slash\nnext \u{202E}line"
        let file = "cycles/2026 h2/zoë/\"quoted\".md"
        let diagnostic = Diagnostic(
            ruleID: "vague-language", severity: .warning, message: "\(message)",
            location: SourceLocation(file: file, line: 4, column: 2))
        let output = JSONReporter().render([diagnostic], context: Fixtures.context())
        XCTAssertFalse(output.unicodeScalars.contains("\u{1B}"), "control characters are escaped by JSONEncoder")
        XCTAssertTrue(output.contains(#"\u001b[31m"#), output)

        let entry = try XCTUnwrap((try parse(output)["diagnostics"] as? [[String: Any]])?.first)
        XCTAssertEqual(entry["message"] as? String, message)
        XCTAssertEqual(entry["file"] as? String, file)
    }

    func testCheckSummaryEncodesInSnakeCaseAndDecodesBack() throws {
        let data = try JSONEncoder().encode(Fixtures.summary)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Int])
        XCTAssertEqual(object["evidence_items"], 84)
        XCTAssertEqual(try JSONDecoder().decode(CheckSummary.self, from: data), Fixtures.summary)
    }

    private func parse(_ output: String) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
    }
}
