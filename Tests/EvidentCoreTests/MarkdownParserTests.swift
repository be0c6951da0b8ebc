import XCTest

@testable import EvidentCore

final class MarkdownParserTests: XCTestCase {
    func testHeadingsSectionsAndWordCounts() {
        let body = MarkdownParser.parse(
            "Intro words here.\n\n## Delivery impact\nShipped two things `code span`.\n\n## Private\nSecret.\n",
            firstLine: 10)
        XCTAssertEqual(body.headings.map(\.text), ["Delivery impact", "Private"])
        XCTAssertEqual(body.headings.map(\.line), [12, 15])
        XCTAssertEqual(body.sections.map(\.title), ["", "Delivery impact", "Private"])
        XCTAssertEqual(body.sections.map(\.wordCount), [3, 5, 1])
        XCTAssertTrue(body.sections[2].isPrivate)
        XCTAssertEqual(body.headings[0].slug, "delivery-impact")
    }

    func testCitationsWithPositionsOutsideCode() {
        let body = MarkdownParser.parse("See [@a; @b-2] and `[@not]` and [see @c, p. 3].\n", firstLine: 5)
        XCTAssertEqual(body.citations.map(\.id), ["a", "b-2", "c"])
        XCTAssertEqual(body.citations.map(\.line), [5, 5, 5])
        XCTAssertEqual(body.citations.map(\.column), [6, 10, 38])
    }

    func testFencedCodeHasNoCitations() {
        let body = MarkdownParser.parse("```\n[@hidden]\n```\n\nText [@shown].\n")
        XCTAssertEqual(body.citations.map(\.id), ["shown"])
    }

    func testLinkPositionsIncludingAutolinks() {
        let text = "A [doc](docs/a.md) here.\nAnd <https://github.com/acme/x> and https://example.com/bare.\n"
        let body = MarkdownParser.parse(text, firstLine: 3)
        let links = body.links.map { "\($0.destination)@\($0.line):\($0.column)" }
        XCTAssertEqual(
            links, ["docs/a.md@3:3", "https://github.com/acme/x@4:6", "https://example.com/bare@4:37"])
    }

    func testLinkColumnsCountScalars() {
        let body = MarkdownParser.parse("Zoë’s [x](a.md)\n")
        XCTAssertEqual(body.links.first?.column, 7)
    }

    func testDirectivesAreFound() {
        let body = MarkdownParser.parse(
            "<!-- evident-disable vague-language, word-limit -->\nText\n<!-- evident-enable vague-language -->\n")
        XCTAssertEqual(body.directives.map(\.kind), [.disable, .enable])
        XCTAssertEqual(body.directives[0].rules, ["vague-language", "word-limit"])
        XCTAssertEqual(body.directives[1].line, 3)
    }

    func testInlineCodeMasking() {
        XCTAssertEqual(MarkdownParser.maskInlineCode("a `b` c ``d`e`` f"), "a     c         f")
        XCTAssertEqual(MarkdownParser.maskInlineCode("unclosed `tick"), "unclosed `tick")
    }

    func testWordCounting() {
        XCTAssertEqual(MarkdownParser.countWords("one two  three - 4"), 4)
        XCTAssertEqual(MarkdownParser.countWords(""), 0)
    }
}
