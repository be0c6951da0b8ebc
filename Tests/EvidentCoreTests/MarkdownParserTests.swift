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

    func testBareWwwAutolinkPosition() {
        let body = MarkdownParser.parse("See notes at www.example.com/x today.\n")
        XCTAssertEqual(
            body.links.map { "\($0.destination)@\($0.line):\($0.column)" }, ["http://www.example.com/x@1:14"])
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

    func testColumnsCountScalarsAfterMultiScalarCharacters() {
        // 👍🏽 is one character of two scalars; "e\u{301}" is one character of two scalars.
        let body = MarkdownParser.parse("👍🏽 e\u{301} `👍🏽` [@a] <!-- evident-disable x -->\n")
        XCTAssertEqual(body.citations.first?.column, 13)
        XCTAssertEqual(body.directives.first?.column, 17)
        XCTAssertEqual(MarkdownParser.maskInlineCode("`👍🏽` x").unicodeScalars.count, "`👍🏽` x".unicodeScalars.count)
    }

    func testDirectivesInsideFencedCodeAreIgnored() {
        let body = MarkdownParser.parse(
            "```\n<!-- evident-disable vague-language -->\n```\n\n<!-- evident-disable word-limit -->\n")
        XCTAssertEqual(body.directives.map(\.rules), [["word-limit"]])
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
