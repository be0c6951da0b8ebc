import XCTest

@testable import EvidentCore

/// `PrivateSections.bodyByteRanges`: the bytes sealing replaces, found with the one
/// definition of a private section.
final class PrivateBodyRangesTests: XCTestCase {
    private func bodies(_ text: String) -> [String] {
        let bytes = Array(text.utf8)
        return PrivateSections.bodyByteRanges(in: bytes).map { String(decoding: bytes[$0], as: UTF8.self) }
    }

    func testBodiesRunToTheNextHeadingOfTheSameLevel() {
        let text =
            "---\nkind: review\n---\n# R\n\nPublic.\n\n## Private\n\nSecret.\n\n### Detail\nMore secret.\n\n## Next\nPublic.\n"
        XCTAssertEqual(bodies(text), ["\nSecret.\n\n### Detail\nMore secret.\n\n"])
    }

    func testSpellingsTheDefinitionAccepts() {
        XCTAssertEqual(bodies("## **Private**\nA.\n"), ["A.\n"])
        XCTAssertEqual(bodies("## Priv&#97;te\nB.\n## X\n"), ["B.\n"])
        XCTAssertEqual(bodies("> ### private\n> C.\n"), ["> C.\n"])
        XCTAssertEqual(bodies("Private\n-------\nD.\n"), ["D.\n"], "a setext underline belongs to the heading")
        XCTAssertEqual(bodies("## Private\nE, no final newline"), ["E, no final newline"])
        XCTAssertEqual(bodies("## Private\r\nF.\r\n## G\r\n"), ["F.\r\n"])
    }

    func testNothingToSeal() {
        XCTAssertEqual(bodies("## Private\n## Next\n"), [], "an empty section")
        XCTAssertEqual(bodies("## Private\n\n   \n## Next\nx\n"), [], "blank lines only")
        XCTAssertEqual(bodies("## Privately\nNot private.\n"), [])
        XCTAssertEqual(bodies("```\n## Private\n```\nCode, not a heading.\n"), [])
        XCTAssertEqual(bodies(""), [])
    }

    /// The byte pre-test of `isPrivateTitle` never rejects a title the definition accepts.
    func testPrivateTitleSpellings() {
        for title in ["Private", "PRIVATE", " private\t", "\nPrIvAtE\n", "private\u{A0}"] {
            XCTAssertTrue(PrivateSections.isPrivateTitle(title), title)
            XCTAssertTrue(PrivateSections.mayMentionPrivate(title), title)
        }
        for title in ["Privately", "privat", "PRİVATE", "", "Delivery impact", "p r i v a t e"] {
            XCTAssertFalse(PrivateSections.isPrivateTitle(title), title)
        }
        XCTAssertTrue(PrivateSections.mayMentionPrivate("Notes (PRIVATE)"))
        XCTAssertFalse(PrivateSections.mayMentionPrivate("privat e"))
        XCTAssertFalse(PrivateSections.mayMentionPrivate("Delivery impact"))
    }

    /// A body over the piece threshold is parsed in pieces: a private section in a later
    /// piece, and one that runs across a cut, are still private, so sealing covers them.
    func testPrivateSectionsOfAPieceWiseParse() throws {
        let filler = String(repeating: "## S\nPublic text [@x].\n\n", count: 88_000)
        let text =
            "---\nkind: review\n---\n" + filler + "## Private\nSecret one.\n\n" + filler
            + "## Private\n" + String(repeating: "Secret paragraph.\n\n", count: 20_000) + "## Public\nEnd.\n"
        let split = FrontMatterSplit.split(text)
        XCTAssertGreaterThan(split.body.utf8.count, MarkdownPieces.threshold)
        XCTAssertGreaterThan(try XCTUnwrap(MarkdownPieces.cut(split.body)).count, 2)
        let sealed = bodies(text)
        XCTAssertEqual(sealed.count, 2)
        XCTAssertEqual(sealed.first, "Secret one.\n\n")
        XCTAssertEqual(sealed.last?.components(separatedBy: "Secret paragraph.").count, 20_001)
    }
}
