import EvidentCore
import XCTest

@testable import EvidentCalibration

final class EscapingTests: XCTestCase {
    static let script = "<script>alert(1)</script>"
    static let image = "<img src=x onerror=alert(1)>"

    func testHTMLEscapesMarkupAndQuotes() {
        XCTAssertEqual(HTMLText.escape(Self.script), "&lt;script&gt;alert(1)&lt;/script&gt;")
        XCTAssertEqual(HTMLText.escape(Self.image), "&lt;img src=x onerror=alert(1)&gt;")
        XCTAssertEqual(HTMLText.escape("\"a\" & 'b'"), "&quot;a&quot; &amp; &#39;b&#39;")
        XCTAssertEqual(HTMLText.escape("bell\u{07}esc\u{1B}[31m"), "bellesc[31m")
    }

    func testOnlyHTTPLinksBecomeHrefs() {
        XCTAssertNil(HTMLText.safeURL("javascript:alert(1)"))
        XCTAssertNil(HTMLText.safeURL(" JaVaScRiPt:alert(1)"))
        XCTAssertNil(HTMLText.safeURL("data:text/html,<script>"))
        XCTAssertNil(HTMLText.safeURL("../review.md"))
        XCTAssertEqual(HTMLText.link("x", to: "javascript:alert(1)"), "x")
        XCTAssertEqual(
            HTMLText.link("a\"b", to: "https://e.example/?q=\"><script>"),
            "<a href=\"https://e.example/?q=&quot;&gt;&lt;script&gt;\" rel=\"noopener noreferrer\">a&quot;b</a>")
    }

    func testMarkdownNeutralisesTableBreakersAndMarkup() {
        XCTAssertEqual(MarkdownText.inline("a | b"), "a \\| b")
        XCTAssertEqual(MarkdownText.inline("line\nbreak\r\there"), "line break here")
        XCTAssertEqual(MarkdownText.inline("esc\u{1B}[2Jape\u{202E}"), "esc\\[2Jape")
        XCTAssertEqual(MarkdownText.inline(Self.image), "\\<img src=x onerror=alert(1)\\>")
        XCTAssertEqual(MarkdownText.inline("![x](http://t.example/p.png)"), "!\\[x\\](http://t.example/p.png)")
        XCTAssertEqual(MarkdownText.code("a`b"), "`a'b`")
        XCTAssertEqual(MarkdownText.link("t", to: "javascript:alert(1)"), "t")
        XCTAssertEqual(MarkdownText.link("t|x", to: "https://e.example/a_(b)"), "[t\\|x](<https://e.example/a_(b)>)")
        XCTAssertEqual(MarkdownText.link("t", to: "https://e.example/a b"), "t")
    }

    /// A review repository whose every free-text field carries an injection attempt.
    func hostileOrganisation() throws -> (Organisation, MemorySource) {
        let hostile = "\(Self.script) \(Self.image) | pipe"
        let review = """
            ---
            kind: review
            person: amy
            cycle: c1
            reviewer: boss
            level: eng
            rating: exceeds
            calibration:
              rating: meets
              rationale: \(Fixture.quote("Rationale " + hostile))
              evidence: [a1]
            ---
            ## Delivery

            Shipped [@a1].

            ## Collaboration

            Helped [@a1].

            ## Growth plan

            Grow \(Self.script) and \(Self.image) now.

            """
        return try Fixture.load([
            "people.yaml": Fixture.people([
                .init(id: "boss", name: "Boss \(Self.image)", team: "red"),
                .init(id: "amy", name: "Amy \(Self.script)", team: "red", manager: "boss"),
            ]),
            "cycles/c1/amy/evidence.md": Fixture.evidence(
                "amy", [.init(id: "a1", summary: "Summary " + hostile, link: "javascript:alert(1)")]),
            "cycles/c1/amy/review.md": review,
        ])
    }

    func assertInert(_ html: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(html.contains("<script"), file: file, line: line)
        XCTAssertFalse(html.contains("<img"), file: file, line: line)
        XCTAssertFalse(html.contains("javascript:alert"), file: file, line: line)
        XCTAssertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), file: file, line: line)
        XCTAssertTrue(html.contains("&lt;img src=x onerror=alert(1)&gt;"), file: file, line: line)
    }

    /// In Markdown, `\\<` shows a literal `<`; an unescaped `<` would open raw HTML.
    func assertNoRawMarkup(_ markdown: String, file: StaticString = #filePath, line: UInt = #line) {
        let unescaped = markdown.replacingOccurrences(of: "\\<", with: "")
        XCTAssertFalse(unescaped.contains("<script"), file: file, line: line)
        XCTAssertFalse(unescaped.contains("<img"), file: file, line: line)
        XCTAssertTrue(markdown.contains("\\<script\\>alert(1)\\</script\\>"), file: file, line: line)
    }

    func testPacketHTMLRendersInjectionsAsText() throws {
        let (organisation, _) = try hostileOrganisation()
        let packet = try PacketBuilder.build(organisation: organisation, cycle: "c1", group: "g", diagnostics: [])
        assertInert(PacketRenderer.html(packet))
        let markdown = PacketRenderer.markdown(packet)
        assertNoRawMarkup(markdown)
        XCTAssertTrue(markdown.contains("\\| pipe"))
        // Every row of the people table still has exactly the header's number of cells.
        let rows = markdown.split(separator: "\n").filter { $0.hasPrefix("| Amy") || $0.hasPrefix("| Person") }
        XCTAssertEqual(rows.count, 2)
        let cellCounts = rows.map { $0.replacingOccurrences(of: "\\|", with: "").filter { $0 == "|" }.count }
        XCTAssertEqual(Set(cellCounts).count, 1)
    }

    func testRecordHTMLRendersInjectionsAsText() throws {
        let (organisation, source) = try hostileOrganisation()
        let record = try DecisionRecordBuilder.build(
            organisation: organisation, person: "amy", cycle: "c1", source: source, signoffs: nil)
        XCTAssertTrue(record.growthPlans.first?.paragraphs.first?.contains(Self.script) == true)
        assertInert(RecordRenderer.html(record))
        let markdown = RecordRenderer.markdown(record)
        assertNoRawMarkup(markdown)
        XCTAssertFalse(markdown.contains("](javascript"))
    }

    func testHealthAndDiffTextStripTerminalEscapes() throws {
        // YAML's "\\e" is ESC: the start of a terminal escape sequence.
        let people = Fixture.people([.init(id: "boss", team: "red"), .init(id: "amy", team: "red", manager: "boss")])
            .replacingOccurrences(of: "name: \"Boss\"", with: "name: \"Boss\\e[31mRED\"")
        XCTAssertTrue(people.contains("\\e[31m"))
        let (organisation, _) = try Fixture.load([
            "people.yaml": people,
            "cycles/c1/amy/review.md": Fixture.review("amy", reviewer: "boss", rating: "meets", cites: []),
        ])
        let report = TeamHealth.build(organisation: organisation, cycle: try XCTUnwrap(organisation.cycle("c1")))
        XCTAssertEqual(organisation.person("boss")?.name, "Boss\u{1B}[31mRED")
        XCTAssertFalse(TeamHealthRenderer.text(report).contains("\u{1B}"))
        XCTAssertTrue(TeamHealthRenderer.text(report).contains("Boss[31mRED"))
    }
}
