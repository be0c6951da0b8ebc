import EvidentCore
import Foundation
import XCTest

@testable import EvidentRules

/// The language rules' own phrase lists through `PhraseMatcher`: a long review costs
/// time linear in its length.
final class BuiltInPhrasesTests: XCTestCase {
    func testCostIsLinearInTheText() {
        let line = String(repeating: "the quick brown fox jumps over a lazy dog ", count: 50)
        let lines = Array(repeating: line, count: 1000)  // 450,000 words
        let matcher = PhraseMatcher(phrases: VagueLanguageRule.builtInPhrases + BiasedLanguageRule.builtInPhrases)
        let start = Date()
        XCTAssertEqual(matcher.matches(inLines: lines), [])
        XCTAssertLessThan(Date().timeIntervalSince(start), 20)
    }
}
