import XCTest

@testable import EvidentCore

/// A huge body is parsed in pieces cut before column-0 headings (`MarkdownPieces`):
/// the joined result must be what one parse of the whole body gives, including around
/// the constructs where a `## ` line is not a heading (fenced code, HTML blocks) and
/// those a heading closes (lists, block quotes, paragraphs).
final class MarkdownPiecesTests: XCTestCase {
    /// Every construct near a `##` line, repeated with varying content.
    static func mixedBody(repeats: Int) -> String {
        var text = "Opening paragraph citing [@intro] with <https://x.example/a>.\n\n"
        for index in 0..<repeats {
            switch index % 16 {
            case 13:
                // One plain paragraph of links over many lines: cut between its lines.
                for line in 0..<40 {
                    text += "https://x.io/\(index)/\(line) www.acme.example bob@x.example, text\n"
                }
                text += "\n"
            case 14:
                // Plain lines that a setext underline turns into a heading: never cut.
                text += "setext line one \(index)\n" + String(repeating: "more plain words here\n", count: 30) + "===\n"
            case 15:
                // A bracket on a later line may close a link opened before: not plain, not cut.
                text += "plain start \(index)\n" + String(repeating: "words words words\n", count: 30)
                text += "[a link\nover lines](https://x.example/\(index)) and `code\nspan`\n\n"
            case 9:
                text += "- item [@m-\(index)]\n\n  still the item\nlazy line\n\nTop level \(index) after a list\n\n"
            case 10:
                text += "> quote \(index)\n\nafter the quote, ninja work\n===\n\n    code \(index)\n\nafter code\n"
            case 11:
                text += "## Private\nsecret [@p-\(index)]\n\nmore secret \(index)\n\n### Inside\n\nstill private\n"
            case 12:
                text += "<div>\nhtml \(index)\n\nparagraph after the div\n\n```\n\nin a fence \(index)\n```\n\n"
            case 0:
                text += "## Section \(index)\nText [@item-\(index)] and https://github.com/acme/r/\(index) here.\n\n"
            case 1:
                text += "```\n## not a heading \(index)\n\n## still code\n```\n\n## After fence \(index)\n"
            case 2:
                text += "<!--\n## inside a comment \(index)\n-->\n## After comment \(index)\nword [@c-\(index)]\n"
            case 3:
                text += "<div>\n## inside a div \(index)\n</div>\n\n## After div \(index)\n"
            case 4:
                text += "- item one [@l-\(index)]\n  - nested `code ## x`\n## Closes the list \(index)\n"
            case 5:
                text +=
                    "> quoted [@q-\(index)]\n## Closes the quote \(index)\n<!-- evident-disable-next-line vague-language -->\n"
            case 6:
                text += "~~~~\n## tilde code \(index)\n~~~\n## still tilde \(index)\n~~~~\n### Level three \(index)\n\n"
            case 7:
                text +=
                    "Paragraph without a blank line\n## Interrupts it \(index)\n[link](https://acme.atlassian.net/browse/X-\(index))\n"
            default:
                text += "    ## indented code \(index)\n\n# Level one \(index)\n<pre>\n## in pre \(index)\n</pre>\n"
            }
        }
        return text
    }

    static func describe(_ body: MarkdownBody) -> [String] {
        [
            "\(body.headings)", "\(body.links)", "\(body.directives)",
            "\(body.blocks.map { "\($0.firstLine) \($0.section) \($0.lines) \($0.citations)" })",
            "\(body.sections.map { "\($0.title) \($0.wordCount) \(Array(body.citations(in: $0))) \($0.blocks) \($0.firstLine)-\($0.lastLine)" })",
            "\(body.privateLineRanges)",
        ]
    }

    func testPiecesGiveTheWholeParse() throws {
        let body = Self.mixedBody(repeats: 900)
        for pieceBytes in [200, 1_000, 7_777] {
            let pieces = try XCTUnwrap(MarkdownPieces.cut(body, pieceBytes: pieceBytes))
            XCTAssertGreaterThan(pieces.count, 5, "\(pieceBytes)")
            if pieceBytes < 2_000 {
                XCTAssertTrue(pieces.contains(where: \.continuesParagraph), "a plain paragraph cut: \(pieceBytes)")
            }
            XCTAssertEqual(pieces.map(\.text).joined(), body)
            let joined = MarkdownPieces.parse(pieces, firstLine: 7)
            let whole = MarkdownParser.parse(body, firstLine: 7, wholeBody: true)
            let (a, b) = (Self.describe(joined), Self.describe(whole))
            for index in a.indices where a[index] != b[index] {
                let difference = Array(zip(a[index], b[index])).firstIndex { $0.0 != $0.1 } ?? 0
                XCTFail(
                    "pieces of \(pieceBytes) bytes, part \(index) differs at \(difference): \(a[index].dropFirst(max(0, difference - 200)).prefix(400))\n--- whole:\n\(b[index].dropFirst(max(0, difference - 200)).prefix(400))"
                )
            }
            XCTAssertEqual(joined.headings.count, whole.headings.count)
        }
    }

    /// The scanner never cuts inside a fence, a comment, a `<div>` block or a paragraph.
    func testNoPieceStartsInsideABlock() throws {
        let body = Self.mixedBody(repeats: 300)
        let pieces = try XCTUnwrap(MarkdownPieces.cut(body, pieceBytes: 1))
        XCTAssertGreaterThan(pieces.count, 100)
        for piece in pieces.dropFirst() {
            let first = piece.text.prefix { $0 != "\n" }
            XCTAssertTrue(first.hasPrefix("#") || (first.first?.isLetter ?? false), "\(first)")
            XCTAssertFalse(
                first.contains("not a heading") || first.contains("still code") || first.contains("inside")
                    || first.contains("tilde code") || first.contains("still tilde") || first.contains("in pre")
                    || first.contains("in a fence") || first.contains("lazy line") || first.contains("html ")
                    || first.contains("more plain words") || first.contains("words words"),
                "cut inside a block: \(first)")
        }
    }

    /// A body without headings is cut before paragraphs that follow a blank line, never
    /// inside a fence, a block quote's or a list's blank line, or an HTML block.
    func testBodyWithoutHeadingsIsCutBetweenParagraphs() throws {
        var body = ""
        for index in 0..<2_000 {
            switch index % 4 {
            case 0: body += "ninja work \(index) [@v-\(index)]\n\n"
            case 1: body += "```\n\nfenced \(index)\n\n```\n\n"
            case 2: body += "- item\n\n  item text \(index)\n\n> quoted\n\n"
            default: body += "<div>\n\nhtml \(index)\n</div>\n\n"
            }
        }
        let pieces = try XCTUnwrap(MarkdownPieces.cut(body, pieceBytes: 500))
        XCTAssertGreaterThan(pieces.count, 50)
        XCTAssertEqual(pieces.map(\.text).joined(), body)
        for piece in pieces.dropFirst() {
            XCTAssertTrue(
                piece.text.hasPrefix("ninja work") || piece.text.hasPrefix("html "), String(piece.text.prefix(40)))
        }
        XCTAssertEqual(
            Self.describe(MarkdownPieces.parse(pieces, firstLine: 3)),
            Self.describe(MarkdownParser.parse(body, firstLine: 3, wholeBody: true)))
    }

    /// The hostile body of 600,000 uncited paragraphs (7.2 MB, no heading) is cut into
    /// pieces of bounded size, so cmark-gfm's tree of it is never built whole.
    func testHugeBodyOfParagraphsIsCutIntoBoundedPieces() throws {
        let body = String(repeating: "ninja work\n\n", count: 600_000)
        let pieces = try XCTUnwrap(MarkdownPieces.cut(body))
        XCTAssertGreaterThan(pieces.count, 20)
        XCTAssertTrue(pieces.allSatisfy { $0.text.utf8.count < MarkdownPieces.pieceBytes + 64 })
        XCTAssertEqual(pieces.map(\.text).joined(), body)
    }

    /// The hostile paragraph of 500,000 bare URLs (6.5 MB, one paragraph) is cut between
    /// its lines into pieces of bounded size, and the pieces of a plain paragraph join
    /// into the one text block a whole parse gives.
    func testHugePlainParagraphIsCutBetweenLines() throws {
        let line = Array(repeating: "https://x.io", count: 10).joined(separator: " ") + "\n"
        let body = String(repeating: line, count: 50_000)
        let pieces = try XCTUnwrap(MarkdownPieces.cut(body))
        XCTAssertGreaterThan(pieces.count, 20)
        XCTAssertTrue(pieces.dropFirst().allSatisfy(\.continuesParagraph))
        XCTAssertTrue(pieces.allSatisfy { $0.text.utf8.count < MarkdownPieces.pieceBytes + 200 })
        XCTAssertEqual(pieces.map(\.text).joined(), body)
        let small = String(repeating: line, count: 300) + "\nNext paragraph.\n"
        let cut = try XCTUnwrap(MarkdownPieces.cut(small, pieceBytes: 1_000))
        XCTAssertGreaterThan(cut.count, 10)
        let joined = MarkdownPieces.parse(cut, firstLine: 4)
        XCTAssertEqual(joined.blocks.count, 2)
        XCTAssertEqual(Self.describe(joined), Self.describe(MarkdownParser.parse(small, firstLine: 4, wholeBody: true)))
        // The same lines ending in a setext underline are one heading: not cut at all.
        XCTAssertEqual(
            try XCTUnwrap(MarkdownPieces.cut(String(repeating: line, count: 300) + "---\n", pieceBytes: 1_000)).count, 1
        )
    }

    /// Link reference definitions reach across the document: such a body is not cut.
    func testBodyWithReferenceDefinitionsIsParsedWhole() {
        let body = String(repeating: "## S\nSee [the doc][d].\n\n", count: 200_000) + "[d]: https://x.example/doc\n"
        XCTAssertGreaterThan(body.utf8.count, MarkdownPieces.threshold)
        XCTAssertNil(MarkdownPieces.cut(body))
    }

    /// A hostile review of 240,000 sections (4.9 MB) is cut into pieces of bounded size
    /// (that pieces parse as the whole does is `testPiecesGiveTheWholeParse`).
    func testHugeReviewIsCutIntoBoundedPieces() throws {
        let body = (0..<240_000).map { "## s\($0)\n[@u\($0)]\n" }.joined()
        let pieces = try XCTUnwrap(MarkdownPieces.cut(body))
        XCTAssertGreaterThan(pieces.count, 3)
        XCTAssertGreaterThan(body.utf8.count, MarkdownPieces.threshold)
        XCTAssertTrue(pieces.allSatisfy { $0.text.utf8.count < MarkdownPieces.pieceBytes + 64 })
        XCTAssertEqual(pieces.map(\.text).joined(), body)
    }
}
