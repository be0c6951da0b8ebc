import EvidentCore
import Foundation
import XCTest

@testable import EvidentRules

/// The language rules' own phrase lists through `PhraseMatcher` on a long review. Its cost
/// is measured in Benchmarks (`run.sh --hostile`, the 600,000-paragraph case), not timed here.
final class BuiltInPhrasesTests: XCTestCase {
    func testLongTextFindsEveryPhraseAndNothingElse() throws {
        let phrase = try XCTUnwrap(VagueLanguageRule.builtInPhrases.first)
        let filler = String(repeating: "the quick brown fox jumps over a lazy dog ", count: 50)
        let lines = (0..<1000).map { $0 % 10 == 0 ? filler + phrase : filler }  // 450,000 words
        let matcher = PhraseMatcher(phrases: VagueLanguageRule.builtInPhrases + BiasedLanguageRule.builtInPhrases)
        let matches = matcher.matches(inLines: lines)
        XCTAssertEqual(matches.count, 100)
        XCTAssertEqual(matches.map(\.line), Array(stride(from: 1, through: 991, by: 10)))
        XCTAssertEqual(matcher.matches(inLines: Array(repeating: filler, count: 1000)), [])
    }
}
