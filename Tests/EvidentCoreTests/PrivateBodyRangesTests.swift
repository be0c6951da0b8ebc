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
}
