import XCTest

@testable import EvidentCore

/// The byte-level fast paths of the loader must answer exactly as the Unicode paths they
/// shortcut. Each test compares the two on many generated texts.
final class FastPathTests: XCTestCase {
    /// Pieces that exercise the edges: fences with trailing blanks, empty lines, quotes,
    /// brackets, non-ASCII letters, combining marks, and carriage returns.
    private let pieces = [
        "---", "--- ", "---\t", "...", "-- -", "----", "", " ", "a: 1", "name: Zoë", "e\u{301}", "## Title", "\"[", "'{x}'",
        "# c", "- - x", "  - [a, {b: c}]", "\r", "\r\n", "\u{00A0}x\u{00A0}", "\t", "🙂", "`code`",
    ]

    private func texts(count: Int) -> [String] {
        var generator = SystemRandomNumberGenerator()
        var result: [String] = ["", "\n", "---", "---\n", "---\n---", "---\n---\n", "---\na\n---\nbody", "---\na\n"]
        for _ in 0..<count {
            let lines = (0..<Int.random(in: 1...8, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }
            result.append(lines.joined(separator: "\n") + (Bool.random(using: &generator) ? "\n" : ""))
        }
        return result
    }

    func testFrontMatterSplitMatchesTheCharacterSplit() {
        for text in texts(count: 3000) {
            let fast = FrontMatterSplit.split(text)
            let reference = FrontMatterSplit.splitCharacters(text)
            XCTAssertEqual(fast.yaml, reference.yaml, text.debugDescription)
            XCTAssertEqual(fast.yamlFirstLine, reference.yamlFirstLine, text.debugDescription)
            XCTAssertEqual(fast.body, reference.body, text.debugDescription)
            XCTAssertEqual(fast.bodyFirstLine, reference.bodyFirstLine, text.debugDescription)
            XCTAssertEqual(fast.unclosed, reference.unclosed, text.debugDescription)
        }
    }

    func testLineTableMatchesTheCharacterSplit() {
        for text in texts(count: 3000) {
            let reference = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            XCTAssertEqual(LineTable(text).lines.map(String.init), reference, text.debugDescription)
        }
    }

    func testWordCountMatchesUnicodeProperties() {
        func reference(_ text: String) -> Int {
            var count = 0
            var inWord = false
            var alphanumeric = false
            for scalar in text.unicodeScalars {
                if scalar.properties.isWhitespace {
                    if inWord && alphanumeric { count += 1 }
                    inWord = false
                    alphanumeric = false
                } else {
                    inWord = true
                    if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) { alphanumeric = true }
                }
            }
            return inWord && alphanumeric ? count + 1 : count
        }
        let ascii = (0..<128).map { String(UnicodeScalar(UInt8($0))) }
        for text in texts(count: 2000) + ascii + ["a b\u{0B}c\u{0C}d\u{1C}e", "x \u{2003} y", "— -- 42 _ @id"] {
            XCTAssertEqual(MarkdownParser.countWords(text), reference(text), text.debugDescription)
        }
    }

    func testHeadingTrimMatchesFoundation() {
        for text in texts(count: 2000) {
            XCTAssertEqual(
                MarkdownParser.trimmingWhitespace(text), text.trimmingCharacters(in: .whitespaces), text.debugDescription)
        }
    }

    func testDimensionNamesMatchTheUnicodeComparison() {
        let location = SourceLocation(file: "levels/eng-3.md", line: 1, column: 1)
        let dimensions = [("delivery", "Delivery impact"), ("judgment", "Technical Judgment"), ("i18n", "Straße"), ("k", "\u{212A}elvin")]
        let titles = [
            "delivery", "  Delivery Impact\t", "DELIVERY", "Delivery  impact", "technical judgment", " JUDGMENT ", "straße",
            "STRASSE", "kelvin", "Kelvin", "\u{00A0}delivery", "deliver", "", "i18n ", "K",
        ]
        for (id, name) in dimensions {
            let dimension = Dimension(
                id: Located(id, at: location), name: name, aspect: .what, expectations: [])
            for title in titles {
                let normalised = title.trimmingCharacters(in: .whitespaces).lowercased()
                let expected = normalised == id.lowercased() || normalised == name.lowercased()
                XCTAssertEqual(dimension.isNamed(by: title), expected, "\(title) / \(name)")
            }
        }
    }
}
