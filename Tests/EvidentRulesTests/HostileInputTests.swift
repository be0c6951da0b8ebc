import EvidentCore
import XCTest

@testable import EvidentRules

/// Rules on hostile input: bounded time on bodies built to be slow.
final class HostileInputTests: XCTestCase {
    /// Regression: each match copied its whole line to spell out the words matched, so a
    /// one-line paragraph with 100,000 matches was quadratic (a 6 MB review took minutes).
    func testManyMatchesOnOneLongLineAreLinear() {
        let sentence = "She is a strong leader and a rockstar, abrasive and bossy. "
        let line = String(repeating: sentence, count: 20_000)
        let matcher = PhraseMatcher(phrases: ["strong leader", "rockstar", "abrasive", "bossy"])
        let started = Date()
        let matches = matcher.matches(inLines: [line], firstLine: 3)
        XCTAssertLessThan(Date().timeIntervalSince(started), 20, "matching must take linear time")
        XCTAssertEqual(matches.count, 80_000)
        let last = matches.last
        XCTAssertEqual(last?.text, "bossy")
        XCTAssertEqual(last?.line, 3)
        XCTAssertEqual(last?.column, sentence.count * 19_999 + 53)
    }
}
