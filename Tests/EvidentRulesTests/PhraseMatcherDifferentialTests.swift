import EvidentCore
import EvidentTestSupport
import XCTest

@testable import EvidentRules

/// The phrase matcher's ASCII fast paths (bytes and hashes instead of a string per
/// word) against the reference implementation they replaced: random prose mixing ASCII,
/// other scripts, canonically equivalent spellings and markup must give the same
/// matches, texts and positions.
final class PhraseMatcherDifferentialTests: XCTestCase {
    /// Words and marks prose is made of here: listed words in several cases, words that
    /// only start like them, non-ASCII letters, decomposed and precomposed é, the Kelvin
    /// sign (which lowercases to ASCII k), U+037E (canonically `;`), typographic
    /// apostrophes and hyphens, emoji, and the markup the matcher skips.
    private static let pieces = [
        "abrasive", "Abrasive", "ABRASIVE", "bossy", "Bossy", "too", "nice", "drama", "queen", "aggressive",
        "timeline", "Timeline", "emotional", "intelligence", "strong", "leader", "go", "getter", "-", "'", ";",
        ".", ",", "ninja", "ninjas", "rockstar", "café", "cafe\u{301}", "CAFÉ", "naïve", "NAÏVE", "doesn",
        "t", "listen", "\u{2019}", "\u{2011}", "\u{212A}", "k", "K", "ok", "o\u{212A}", "\u{037E}", "İ", "i\u{307}",
        "ß", "ss", "ﬁ", "fi", "Σ", "σ", "👍🏽", "—", "hot", "headed", "high", "maintenance", "https://acme.example/bossy",
        "[@bossy]", "@abrasive", "](bossy.md)", "*", "_", "~", ">", "h", "http", "he", "1️⃣", "10x", "x",
    ]
    private static let separators = [" ", " ", " ", "", "  ", "\t", "\u{00A0}"]

    private static let phrases =
        BiasedLanguageRule.builtInPhrases + VagueLanguageRule.builtInPhrases + [
            "café", "Naïve", "doesn't listen", "go-getter", "strong leader", "ninja", "o\u{212A}", "a\u{037E}b",
            "\u{037E}", "k", "İ", "ß", "ﬁ", "σ", "👍🏽 rockstar", "10x", "high - maintenance",
        ]
    private static let allowing =
        BiasedLanguageRule.builtInAllowed + ["strong leader role", "CAFE\u{301} ninja", "ok", "too nice to"]

    private func randomLines(_ generator: inout SeededGenerator) -> [String] {
        (0..<Int.random(in: 1...4, using: &generator)).map { _ in
            var line = ""
            for _ in 0..<Int.random(in: 0...14, using: &generator) {
                line += Self.pieces.randomElement(using: &generator)!
                line += Self.separators.randomElement(using: &generator)!
            }
            return line
        }
    }

    private func describe(_ matches: [PhraseMatcher.Match]) -> [String] {
        matches.map { "\($0.line):\($0.column) \($0.phrase) | \($0.text)" }
    }

    private func describe(_ matches: [ReferencePhraseMatcher.Match]) -> [String] {
        matches.map { "\($0.line):\($0.column) \($0.phrase) | \($0.text)" }
    }

    func testRandomProseMatchesTheReference() {
        let configurations: [([String], [String])] = [
            (Self.phrases, Self.allowing), (Self.phrases, []), (BiasedLanguageRule.builtInPhrases, Self.allowing),
        ]
        var generator = SeededGenerator(seed: 2026)
        for (phrases, allowing) in configurations {
            let matcher = PhraseMatcher(phrases: phrases, allowing: allowing)
            let reference = ReferencePhraseMatcher(phrases: phrases, allowing: allowing)
            var matched = 0
            for _ in 0..<3000 {
                let lines = randomLines(&generator)
                let expected = describe(reference.matches(inLines: lines, firstLine: 7))
                XCTAssertEqual(describe(matcher.matches(inLines: lines, firstLine: 7)), expected, "\(lines)")
                matched += expected.count
            }
            XCTAssertGreaterThan(matched, 1000, "the random prose should exercise matching")
        }
    }

    /// ASCII prose against phrases that all start with ASCII words: the matcher passes
    /// over most lines without tokenising them (`PhraseMatcher.mayMatch`), and must still
    /// find exactly what the reference finds, with listed words hidden in URLs, citation
    /// keys, link destinations and emphasis around them.
    func testASCIIProsePassedOverMatchesTheReference() {
        let ascii =
            Self.pieces.filter { $0.utf8.allSatisfy { $0 < 0x80 } } + [
                "team", "player", "Team-player", "works", "hard", "great", "job", "above", "and", "beyond", "10X",
                "https://x.example/team player", "[@team]", "@great-job", "](great job)", "*great*", "_team_", "**",
                "not", "a", "fit", "culture",
            ]
        let separators = [" ", " ", "", "\t", ",", ".", "-", "/"]
        var generator = SeededGenerator(seed: 1811)
        for phrases in [VagueLanguageRule.builtInPhrases, BiasedLanguageRule.builtInPhrases, ["team player", "10x"]] {
            let matcher = PhraseMatcher(phrases: phrases, allowing: ["great job done"])
            let reference = ReferencePhraseMatcher(phrases: phrases, allowing: ["great job done"])
            var matched = 0
            var passedOver = 0
            for _ in 0..<3000 {
                let lines = (0..<Int.random(in: 1...3, using: &generator)).map { _ in
                    (0..<Int.random(in: 0...12, using: &generator)).map { _ in
                        ascii.randomElement(using: &generator)! + separators.randomElement(using: &generator)!
                    }.joined()
                }
                let expected = describe(reference.matches(inLines: lines, firstLine: 3))
                XCTAssertEqual(describe(matcher.matches(inLines: lines, firstLine: 3)), expected, "\(lines)")
                matched += expected.count
                if !matcher.mayMatch(lines) {
                    passedOver += 1
                    XCTAssertEqual(expected, [], "\(lines)")
                }
            }
            XCTAssertGreaterThan(matched, 100, "\(phrases.prefix(3))")
            XCTAssertGreaterThan(passedOver, 100, "\(phrases.prefix(3))")
        }
    }

    func testCanonicallyEquivalentSpellingsMatchAsBefore() {
        // Phrases and a line each, written with spellings Swift considers equal.
        let cases: [([String], String)] = [
            (["\u{037E}"], "a ; b \u{037E} c"),
            ([";"], "a ; b \u{037E} c"),
            (["o\u{212A}"], "ok OK o\u{212A}"),
            (["café"], "cafe\u{301} CAFÉ café"),
            (["cafe\u{301}"], "cafe\u{301} CAFÉ café"),
            (["i\u{307}"], "İ i\u{307}"),
        ]
        for (phrases, line) in cases {
            XCTAssertEqual(
                describe(PhraseMatcher(phrases: phrases).matches(inLines: [line])),
                describe(ReferencePhraseMatcher(phrases: phrases).matches(inLines: [line])), "\(phrases) in \(line)")
        }
    }
}
