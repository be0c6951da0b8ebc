import XCTest

@testable import EvidentCore

/// The shared matching of the language rules: whole words, any case, across line
/// breaks, never inside code, URLs, link destinations or citation keys, and columns in
/// Unicode scalars.
final class PhraseMatcherTests: XCTestCase {
    private func find(_ phrases: [String], in lines: [String], allowing: [String] = [], firstLine: Int = 1)
        -> [String]
    {
        PhraseMatcher(phrases: phrases, allowing: allowing).matches(inLines: lines, firstLine: firstLine).map {
            "\($0.line):\($0.column) \($0.text)"
        }
    }

    func testWholeWordsOnlyAndAnyCase() {
        // A hyphen separates words: "ninja-like" contains the word "ninja".
        XCTAssertEqual(find(["ninja"], in: ["A Ninja. ninjas, ninja-like, unninja"]), ["1:3 Ninja", "1:18 ninja"])
        XCTAssertEqual(find(["10x"], in: ["a 10x engineer, not 100x or 10xer"]), ["1:3 10x"])
        XCTAssertEqual(find(["rockstar"], in: ["ROCKSTAR"]), ["1:1 ROCKSTAR"])
    }

    func testPhrasesSpanLineBreaksAndAnyWhiteSpace() {
        XCTAssertEqual(
            find(["strong leader"], in: ["She is a strong", "   leader.", "strong \t leader"], firstLine: 12),
            ["12:10 strong leader", "14:1 strong leader"])
    }

    func testSpacingMustAgree() {
        XCTAssertEqual(find(["go-getter"], in: ["a go-getter, a go getter, a go - getter"]), ["1:3 go-getter"])
        XCTAssertEqual(find(["rock star"], in: ["rock-star, rock star"]), ["1:12 rock star"])
        XCTAssertEqual(find(["strong leader"], in: ["strong, leader; strong. Leader"]), [])
    }

    func testTypographicApostrophesAndHyphens() {
        XCTAssertEqual(find(["doesn't listen"], in: ["she doesn\u{2019}t listen"]), ["1:5 doesn\u{2019}t listen"])
        XCTAssertEqual(find(["go-getter"], in: ["a go\u{2011}getter"]), ["1:3 go\u{2011}getter"])
    }

    func testColumnsCountUnicodeScalars() {
        // 👍🏽 is one character of two scalars; e + U+0301 is one character of two scalars.
        XCTAssertEqual(find(["rockstar"], in: ["👍🏽 rockstar"]), ["1:4 rockstar"])
        XCTAssertEqual(find(["rockstar"], in: ["cafe\u{301} rockstar"]), ["1:7 rockstar"])
        // Swift compares strings by canonical equivalence: a decomposed é is an é.
        XCTAssertEqual(find(["café"], in: ["un cafe\u{301}"]), ["1:4 cafe\u{301}"])
    }

    func testMarkupIsNotProse() {
        let lines = [
            "see https://github.com/acme/ninja-tools and <http://ninja.example> and [docs](ninja.md \"ninja\")",
            "and [@ninja-run; @rockstar] and bob@ninja.example",
        ]
        XCTAssertEqual(find(["ninja", "rockstar"], in: lines), [])
        XCTAssertEqual(find(["ninja"], in: ["the [ninja](https://x.example) link text"]), ["1:6 ninja"])
    }

    func testEmphasisAndQuotesDoNotBreakPhrases() {
        XCTAssertEqual(find(["strong leader"], in: ["a **strong** _leader_"]), ["1:5 strong leader"])
        XCTAssertEqual(find(["strong leader"], in: ["> a strong", "> leader"]), ["1:5 strong leader"])
    }

    func testInlineCodeMaskedByTheParserNeverMatches() {
        let body = MarkdownParser.parse("Our `ninja` tool and ``a rockstar`` flag, but a rockstar too.\n")
        let matches = body.blocks.flatMap { PhraseMatcher(phrases: ["ninja", "rockstar"]).matches(in: $0) }
        XCTAssertEqual(matches.map(\.column), [49])
    }

    func testLongestPhraseWinsAndMatchesDoNotOverlap() {
        XCTAssertEqual(
            find(["above and beyond", "goes above and beyond", "beyond"], in: ["she goes above and beyond, beyond"]),
            ["1:5 goes above and beyond", "1:28 beyond"])
    }

    func testAllowedPhrasesExemptWhatTheyContain() {
        XCTAssertEqual(
            find(
                ["aggressive"], in: ["an aggressive timeline and an aggressive tone"], allowing: ["Aggressive timeline"]
            ),
            ["1:31 aggressive"])
        XCTAssertEqual(find(["team player"], in: ["a team player"], allowing: ["team player"]), [])
        // An allowed phrase that only overlaps a match does not exempt it.
        XCTAssertEqual(
            find(["strong leader"], in: ["a strong leader role"], allowing: ["leader role"]), ["1:3 strong leader"])
    }

    func testBlankAndDuplicatePhrasesAreIgnored() {
        XCTAssertEqual(find(["", "  ", "ninja", "NINJA"], in: ["ninja"]), ["1:1 ninja"])
        XCTAssertEqual(PhraseMatcher(phrases: []).matches(inLines: ["anything"]), [])
    }

    func testMatchReportsThePhraseAsListed() {
        let match = PhraseMatcher(phrases: ["Strong Leader"]).matches(inLines: ["a strong", "leader"]).first
        XCTAssertEqual(match?.phrase, "Strong Leader")
        XCTAssertEqual(match?.text, "strong leader")
    }

    /// One scratch passed from paragraph to paragraph must leave nothing of one paragraph
    /// in the next: long after short, short after long, non-ASCII words, no words at all.
    func testReusedScratchMatchesLikeFreshBuffers() {
        let matcher = PhraseMatcher(
            phrases: ["strong leader", "ninja", "caf\u{E9} regular", "go-getter"], allowing: ["ninja tools"])
        let long = Array(repeating: "a strong leader and a ninja, then ninja tools and a go-getter", count: 40)
        let paragraphs: [[String]] = [
            long, ["ninja"], [], ["", "  "], ["Caf\u{C9} regular, strong", "leader"], long,
            ["a go getter, a Go-Getter"], ["ninja tools"], ["\u{2019}ninja\u{2019} \u{00FC}ber-ninja"],
        ]
        var scratch = PhraseMatcher.Scratch()
        var matchedSome = false
        for (index, lines) in paragraphs.enumerated() {
            let fresh = matcher.matches(inLines: lines, firstLine: index + 1)
            let reused = matcher.matches(inLines: lines, firstLine: index + 1, reusing: &scratch)
            XCTAssertEqual(reused, fresh, "paragraph \(index)")
            matchedSome = matchedSome || !fresh.isEmpty
        }
        XCTAssertTrue(matchedSome)
        let block = TextBlock(firstLine: 7, lines: ["a Strong", "Leader"], citations: [], section: 0)
        XCTAssertEqual(matcher.matches(in: block, reusing: &scratch).map { "\($0.line):\($0.column)" }, ["7:3"])
    }

    /// Text is passed over untokenised only when it is ASCII and none of its words
    /// starts a phrase; phrases starting with punctuation always take the tokeniser.
    func testPassingOverTextWithoutFirstWords() {
        let matcher = PhraseMatcher(phrases: ["strong leader", "10x"])
        XCTAssertFalse(matcher.mayMatch(["a leader, strongly; 100x", "", "x10"]))
        XCTAssertTrue(matcher.mayMatch(["weak", "STRONG."]))
        XCTAssertTrue(matcher.mayMatch(["a 10X"]))
        // Words in URLs and keys are still looked at (the tokeniser decides).
        XCTAssertTrue(matcher.mayMatch(["https://x.example/strong [@strong-leader]"]))
        XCTAssertEqual(matcher.matches(inLines: ["https://x.example/strong [@strong-leader]"]), [])
        XCTAssertTrue(matcher.mayMatch(["caf\u{E9}"]))
        XCTAssertTrue(PhraseMatcher(phrases: ["-ish"]).mayMatch(["nothing"]))
        XCTAssertTrue(PhraseMatcher(phrases: ["caf\u{E9}"]).mayMatch(["nothing"]))
        XCTAssertEqual(find(["-ish"], in: ["good -ish"]), ["1:6 -ish"])
    }
}
