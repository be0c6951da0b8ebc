import XCTest

@testable import EvidentReporters

final class TerminalSanitizerTests: XCTestCase {
    func testEscapeSequencesBecomeVisible() {
        XCTAssertEqual(
            TerminalSanitizer.sanitize("\u{1B}[31mred\u{1B}]0;title\u{07}"),
            #"\u{1B}[31mred\u{1B}]0;title\u{07}"#)
    }

    func testControlCharactersDelAndC1AreEscaped() {
        XCTAssertEqual(TerminalSanitizer.sanitize("a\u{00}b\u{7F}c\u{9B}d"), #"a\u{00}b\u{7F}c\u{9B}d"#)
        XCTAssertEqual(TerminalSanitizer.sanitize("line\r\nforged"), #"line\u{0D}\u{0A}forged"#)
    }

    func testBidiOverridesAndIsolatesAreEscaped() {
        XCTAssertEqual(
            TerminalSanitizer.sanitize("a\u{202A}b\u{202E}c\u{2066}d\u{2069}e"),
            #"a\u{202A}b\u{202E}c\u{2066}d\u{2069}e"#)
        XCTAssertEqual(TerminalSanitizer.sanitize("a\u{2028}b"), #"a\u{2028}b"#)
    }

    func testTabsBecomeSpacesAndOrdinaryTextIsKept() {
        XCTAssertEqual(TerminalSanitizer.sanitize("a\tb"), "a b")
        XCTAssertEqual(TerminalSanitizer.sanitize("Zoë — 日本 👍 \u{200D}"), "Zoë — 日本 👍 \u{200D}")
    }
}

final class TerminalCapabilitiesTests: XCTestCase {
    func testColourOnlyOnATerminal() {
        XCTAssertTrue(TerminalCapabilities.shouldColor(environment: ["TERM": "xterm-256color"], isTTY: true))
        XCTAssertTrue(TerminalCapabilities.shouldColor(environment: [:], isTTY: true))
        XCTAssertFalse(TerminalCapabilities.shouldColor(environment: ["TERM": "xterm-256color"], isTTY: false))
    }

    func testAnyNonEmptyNoColorDisablesColour() {
        XCTAssertFalse(TerminalCapabilities.shouldColor(environment: ["NO_COLOR": "1"], isTTY: true))
        XCTAssertFalse(TerminalCapabilities.shouldColor(environment: ["NO_COLOR": "0"], isTTY: true))
        XCTAssertTrue(TerminalCapabilities.shouldColor(environment: ["NO_COLOR": ""], isTTY: true))
    }

    func testADumbTerminalGetsNoColour() {
        XCTAssertFalse(TerminalCapabilities.shouldColor(environment: ["TERM": "dumb"], isTTY: true))
    }
}
