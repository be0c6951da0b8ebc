import EvidentTestSupport
import XCTest

@testable import EvidentCore

/// The byte-level fast paths of the loader must answer exactly as the Unicode paths they
/// shortcut. Each test compares the two on many generated texts.
final class FastPathTests: XCTestCase {
    /// Pieces that exercise the edges: fences with trailing blanks, empty lines, quotes,
    /// brackets, non-ASCII letters, combining marks, and carriage returns.
    private let pieces = [
        "---", "--- ", "---\t", "...", "-- -", "----", "", " ", "a: 1", "name: Zoë", "e\u{301}", "## Title", "\"[",
        "'{x}'",
        "# c", "- - x", "  - [a, {b: c}]", "\r", "\r\n", "\u{00A0}x\u{00A0}", "\t", "🙂", "`code`",
    ]

    private func texts(count: Int) -> [String] {
        var generator = SeededGenerator.forTest(self)
        var result: [String] = ["", "\n", "---", "---\n", "---\n---", "---\n---\n", "---\na\n---\nbody", "---\na\n"]
        for _ in 0..<count {
            let lines = (0..<Int.random(in: 1...8, using: &generator)).map { _ in
                pieces.randomElement(using: &generator)!
            }
            result.append(lines.joined(separator: "\n") + (Bool.random(using: &generator) ? "\n" : ""))
        }
        return result
    }

    func testByteClassificationMatchesTheCharacterClassification() {
        let parts = [
            "cycles", "levels", "teams", "evident.yaml", "people.yaml", "values.md", "metrics.yaml", "cycle.yaml",
            "evidence.md", "self.md", "review.md", "peer-a.md", "peer-.md", "peer-\r\n.md", "peer-é.md", "x.md",
            "x.yaml",
            "x.yml", ".md", "2026-h2", "ada", "", "Cycles", "é", "\r\n", "a\r", "\n.md", "\u{301}",
        ]
        var generator = SeededGenerator.forTest(self)
        for _ in 0..<5000 {
            let path = (0..<Int.random(in: 1...5, using: &generator)).map { _ in parts.randomElement(using: &generator)!
            }
            .joined(separator: "/")
            let reference = PathShape.readingCharacters(path)
            XCTAssertEqual(DocumentKind.classify(path), reference.kind, path.debugDescription)
            let read = PathShape(path)
            XCTAssertEqual(read.personFolder, reference.personFolder, path.debugDescription)
            XCTAssertEqual(read.cycleFolder, reference.cycleFolder, path.debugDescription)
            XCTAssertEqual(read.person, reference.person, path.debugDescription)
            XCTAssertEqual(read.fileName, reference.fileName, path.debugDescription)
        }
        for path in ["people.yaml", "cycles/2026-h2/ada/peer-bo.md", "cycles/2026-h2/cycle.yaml", "levels/eng-1.md"] {
            XCTAssertNotNil(PathShape.readingBytes(path), "an ASCII path is read on its bytes: \(path)")
            XCTAssertNotNil(DocumentKind.classify(path))
        }
        XCTAssertNil(PathShape.readingBytes("cycles/2026-h2/zoë/self.md"), "a non-ASCII path is split")
        let place = PathShape("cycles/2026-h2/ada/peer-bo.md")
        XCTAssertEqual(place.personFolder, "cycles/2026-h2/ada")
        XCTAssertEqual(place.cycleFolder, "2026-h2")
        XCTAssertEqual(place.person, "ada")
        XCTAssertEqual(place.fileName, "peer-bo.md")
        XCTAssertEqual(PathShape("cycles/2026-h2/cycle.yaml").cycleFolder, "2026-h2")
        XCTAssertNil(PathShape("cycles/2026-h2/cycle.yaml").person)
        XCTAssertNil(PathShape("levels/2026-h2/ada/self.md").personFolder)
        XCTAssertNil(PathShape("cycles/2026-h2/ada/x/self.md").personFolder)
        // A "/" carrying a combining mark is one Character, not a separator.
        XCTAssertEqual(PathShape("cycles/a/b/c/\u{301}x").personFolder, "cycles/a/b")
    }

    func testPlainASCIITestMatchesTheByteLoop() {
        var generator = SeededGenerator.forTest(self)
        let interesting: [UInt8] = [0, 0x0D, 0x0A, 0x7F, 0x80, 0xFF, 0x01, 0x0C, 0x0E, 0x8D, 0x20, 0x41]
        for _ in 0..<5000 {
            let count = Int.random(in: 0...40, using: &generator)
            var bytes = (0..<count).map { _ in UInt8.random(in: 0x20...0x7E, using: &generator) }
            for _ in 0..<Int.random(in: 0...2, using: &generator) where !bytes.isEmpty {
                bytes[Int.random(in: 0..<count, using: &generator)] = interesting.randomElement(using: &generator)!
            }
            let expected = !bytes.contains { $0 >= 0x80 || $0 == 0 || $0 == 0x0D }
            // Every alignment of the words read.
            for skip in 0..<min(8, count + 1) {
                let slice = bytes[skip...]
                let reference = !slice.contains { $0 >= 0x80 || $0 == 0 || $0 == 0x0D }
                XCTAssertEqual(slice.withUnsafeBufferPointer(SourceText.isPlainASCII), reference, "\(Array(slice))")
            }
            XCTAssertEqual(bytes.withUnsafeBufferPointer(SourceText.isPlainASCII), expected, "\(bytes)")
        }
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
                MarkdownParser.trimmingWhitespace(text), text.trimmingCharacters(in: .whitespaces),
                text.debugDescription)
        }
    }

    /// `TextLines` answers byte for byte as the `Character` split and Foundation's trimming
    /// it replaces, on generated texts and around every ASCII character (its byte paths
    /// assume which of them Foundation counts as white space).
    func testTextLinesMatchTheCharacterSplitAndFoundation() {
        var samples = texts(count: 3000)
        let ascii = (0..<0x80).map { String(UnicodeScalar(UInt8($0))) }
        samples += ascii + ascii.map { " \($0)\n" } + ascii.map { "\t\($0)x\($0)" }
        samples += ["\u{85}x", "x\u{2028}", "\u{3000}", " \u{301}a", "a\r\n\nb\r", "\n\u{301}", "\u{A0}\t ", "é "]
        func bytes(_ lines: [String]) -> [[UInt8]] { lines.map { Array($0.utf8) } }
        for text in samples {
            XCTAssertEqual(
                bytes(TextLines.split(text)),
                bytes(text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)),
                text.debugDescription)
            XCTAssertEqual(
                Array(TextLines.trimmed(text).utf8), Array(text.trimmingCharacters(in: .whitespacesAndNewlines).utf8),
                text.debugDescription)
            XCTAssertEqual(
                TextLines.isBlank(text), text.trimmingCharacters(in: .whitespaces).isEmpty, text.debugDescription)
        }
    }

    /// The link rules' byte-level shortcuts (`cleaned`, `normalisedURL`,
    /// `lowercasingSchemeAndHost`) answer as the general code on generated destinations.
    func testLinkShortcutsMatchTheGeneralCode() {
        let leads = ["", " ", "\t", "\u{1}"]
        let schemes = ["https:", "HTTP:", "mailto:", "javascript:", "", "1x:", ":", "Ht\ntps:", "hTtP:"]
        let slashes = ["//", "/", "\\\\", "///", "", "/\\"]
        let hosts = ["github.com", "GitHub.com", "é.example", "", "a?b", "h#x", "host:80", "xn--Ab"]
        let paths = ["/a/b", "/a/../b", "/%2e/x", "\\x", "/x.y", "", "?q=1", "#f", "/a?.b", "/é/ß", "/A\tB"]
        var generator = SeededGenerator.forTest(self)
        for _ in 0..<20000 {
            let text = [leads, schemes, slashes, hosts, paths, paths].map { $0.randomElement(using: &generator)! }
                .joined()
            let cleaned = String(
                String.UnicodeScalarView(
                    text.unicodeScalars.drop(while: { $0.value <= 0x20 }).filter { !["\t", "\n", "\r"].contains($0) }))
            XCTAssertEqual(Array(LinkTarget.cleaned(text).utf8), Array(cleaned.utf8), text.debugDescription)
            XCTAssertEqual(
                Array(LinkTarget.normalisedURL(cleaned).utf8), Array(LinkTarget.normalisedURLGenerally(cleaned).utf8),
                text.debugDescription)
            XCTAssertEqual(
                Array(LinkGlob.lowercasingSchemeAndHost(cleaned).utf8),
                Array(LinkGlob.lowercasingSchemeAndHostGenerally(cleaned).utf8), text.debugDescription)
        }
    }

    func testDimensionNamesMatchTheUnicodeComparison() {
        let location = SourceLocation(file: "levels/eng-3.md", line: 1, column: 1)
        let dimensions = [
            ("delivery", "Delivery impact"), ("judgment", "Technical Judgment"), ("i18n", "Straße"),
            ("k", "\u{212A}elvin"),
        ]
        let titles = [
            "delivery", "  Delivery Impact\t", "DELIVERY", "Delivery  impact", "technical judgment", " JUDGMENT ",
            "straße",
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

    /// The scalar-by-scalar citation scan, as it was before the ASCII path.
    private func referenceCitations(_ line: String, line number: Int) -> [Citation] {
        func isKeyStart(_ scalar: Unicode.Scalar) -> Bool {
            scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_"
        }
        func isKeyCharacter(_ scalar: Unicode.Scalar) -> Bool {
            isKeyStart(scalar) || scalar == "-" || scalar == "." || scalar == ":"
        }
        let scalars = Array(line.unicodeScalars)
        var citations: [Citation] = []
        var index = 0
        while index < scalars.count {
            guard scalars[index] == "[" else {
                index += 1
                continue
            }
            guard let close = scalars[index...].firstIndex(of: "]") else { break }
            var inner = index + 1
            var found: [Citation] = []
            while inner < close {
                let atBoundary = inner == index + 1 || " ;-\t".unicodeScalars.contains(scalars[inner - 1])
                if scalars[inner] == "@", atBoundary, inner + 1 < close, isKeyStart(scalars[inner + 1]) {
                    var end = inner + 1
                    while end < close, isKeyCharacter(scalars[end]) { end += 1 }
                    var key = String(String.UnicodeScalarView(scalars[(inner + 1)..<end]))
                    while let last = key.last, ".:".contains(last) { key.removeLast() }
                    found.append(Citation(id: key, line: number, column: inner + 1))
                    inner = end
                } else {
                    inner += 1
                }
            }
            let isLink = close + 1 < scalars.count && (scalars[close + 1] == "(" || scalars[close + 1] == "[")
            if !isLink { citations += found }
            index = close + 1
        }
        return citations
    }

    func testCitationScanMatchesTheScalarScan() {
        let parts = [
            "[@a]", "[@a; @b-c]", "[see @x_1, p. 4]", "[-@neg]", "[@end.]", "[@colon:]", "[@k](url)", "[@k][ref]",
            "@bare",
            "[", "]", " ", "text", "[@ü-ber]", "[@e\u{301}]", "[a@b]", "[;@z]", "[@9lives]", "[@_x]", "[@-no]",
            "`[@code]`",
            "[@a.b.c:d]", "[\t@tab]", "é", "[@ok]", "🙂",
        ]
        var generator = SeededGenerator.forTest(self)
        for _ in 0..<4000 {
            let line = (0..<Int.random(in: 1...6, using: &generator)).map { _ in parts.randomElement(using: &generator)!
            }
            .joined(separator: Bool.random(using: &generator) ? "" : " ")
            XCTAssertEqual(CitationScanner.scan(line, line: 7), referenceCitations(line, line: 7), line)
        }
    }

    func testSlugsMatchTheCharacterSlug() {
        func reference(_ text: String) -> String {
            var result = ""
            for character in text.lowercased() {
                if character.isLetter || character.isNumber || character == "-" || character == "_" {
                    result.append(character)
                } else if character == " " {
                    result.append("-")
                }
            }
            return result
        }
        let ascii = String((32..<127).map { Character(UnicodeScalar(UInt8($0))) })
        for text in texts(count: 2000) + [ascii, "Growth plan", "Technical Judgment (2026)", "Straße Über", "a_b-c d"] {
            XCTAssertEqual(MarkdownParser.slug(text), reference(text), text.debugDescription)
        }
    }

    func testPseudoPrivateHeadingMatchesAScalarReading() {
        func reference(_ line: String) -> Bool {
            let dressing: Set<Unicode.Scalar> = ["#", "*", "_", ":", ">", "-", " ", "\t"]
            let word = line.unicodeScalars.filter { !dressing.contains($0) }.map { scalar -> Unicode.Scalar in
                ("A"..."Z").contains(scalar) ? Unicode.Scalar(scalar.value + 32)! : scalar
            }
            return String(String.UnicodeScalarView(word)) == "private"
        }
        let pieces = [
            "Private", "private", "PRIVATE", "**", "#", ":", "> ", "-", "\t", "_", "notes", "Privat", "e", "é", "İ",
            " ",
        ]
        var generator = SeededGenerator.forTest(self)
        var lines = ["**Private**", "Private:", "#Private", "Private notes", "", "Pri vate", "p r i v a t e"]
        for _ in 0..<3000 {
            lines.append(
                (0..<Int.random(in: 1...4, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }
                    .joined())
        }
        for line in lines {
            XCTAssertEqual(ASCIIScan.isPseudoPrivateHeading(line), reference(line), line.debugDescription)
        }
        XCTAssertTrue(ASCIIScan.isPseudoPrivateHeading("**Private**"))
        XCTAssertFalse(ASCIIScan.isPseudoPrivateHeading("Private notes"))
    }

    func testLineNumbersCountLineFeeds() {
        let bytes = Array("a\r\nb\n\nc".utf8)
        XCTAssertEqual((0...bytes.count).map { ASCIIScan.lineNumber(at: $0, in: bytes) }, [1, 1, 1, 2, 2, 3, 4, 4])
    }

    func testPathClassificationMatchesTheCharacterSplit() {
        func referenceFolder(_ path: String) -> String? {
            let parts = path.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 4, parts[0] == "cycles" else { return nil }
            return parts[0...2].joined(separator: "/")
        }
        func referenceKind(_ path: String) -> DocumentKind? {
            let parts = path.split(separator: "/", omittingEmptySubsequences: false)
            switch parts.count {
            case 1:
                switch parts[0] {
                case "evident.yaml": return .policy
                case "people.yaml": return .people
                case "values.md": return .values
                case "metrics.yaml": return .metrics
                default: return nil
                }
            case 2:
                if parts[0] == "levels", parts[1].hasSuffix(".md") { return .level }
                if parts[0] == "teams", parts[1].hasSuffix(".yaml") || parts[1].hasSuffix(".yml") { return .team }
                return nil
            case 3:
                return parts[0] == "cycles" && parts[2] == "cycle.yaml" ? .cycle : nil
            case 4:
                guard parts[0] == "cycles" else { return nil }
                let name = parts[3]
                if name == "evidence.md" { return .evidence }
                if name == "self.md" { return .selfReview }
                if name == "review.md" { return .review }
                if name.hasPrefix("peer-"), name.hasSuffix(".md"), name.count > "peer-.md".count {
                    return .peerFeedback
                }
                return nil
            default:
                return nil
            }
        }
        let components = [
            "cycles", "2026-h2", "alice", "review.md", "self.md", "evidence.md", "peer-bob.md", "peer-.md",
            "cycle.yaml",
            "levels", "eng-3.md", "teams", "t.yaml", "t.yml", "people.yaml", "evident.yaml", "values.md",
            "metrics.yaml", "",
            "zoë", "x.md",
        ]
        var generator = SeededGenerator.forTest(self)
        for _ in 0..<4000 {
            let path = (0..<Int.random(in: 1...5, using: &generator)).map { _ in
                components.randomElement(using: &generator)!
            }
            .joined(separator: "/")
            XCTAssertEqual(PersonFolder.of(path), referenceFolder(path), path)
            XCTAssertEqual(DocumentKind.classify(path), referenceKind(path), path)
        }
    }

    func testByteSearchesMatchANaiveSearch() {
        func naive(_ text: String, _ needle: String) -> Bool {
            let haystack = Array(text.utf8)
            let pattern = Array(needle.utf8)
            guard haystack.count >= pattern.count else { return false }
            return (0...(haystack.count - pattern.count)).contains {
                Array(haystack[$0..<($0 + pattern.count)]) == pattern
            }
        }
        let texts =
            texts(count: 500) + [
                "evident-", "xevident-y", "evident", "evidentevident-", "<!-- evident-disable x -->", "@", "`",
            ]
        for text in texts {
            XCTAssertEqual(text.containsBytes("evident-"), naive(text, "evident-"), text.debugDescription)
            XCTAssertEqual(text.containsBytes("--"), naive(text, "--"), text.debugDescription)
            XCTAssertEqual(
                Substring(text).dropFirst().containsBytes("e"), naive(String(text.dropFirst()), "e"),
                text.debugDescription)
            XCTAssertEqual(
                text.containsByte(UInt8(ascii: "@")), text.utf8.contains(UInt8(ascii: "@")), text.debugDescription)
        }
    }

    func testDatesMatchTheGeneralParse() {
        func reference(_ text: String) -> (Int, Int, Int)? {
            let parts = text.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
                let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
                (1...12).contains(month), day >= 1, day <= Day.daysIn(month: month, year: year)
            else { return nil }
            return (year, month, day)
        }
        var generator = SeededGenerator.forTest(self)
        let pieces = [
            "2026", "2024", "1900", "0000", "+026", "12", "02", "29", "30", "31", "00", "+7", "1", "-", "x", "٢٠",
        ]
        var texts = [
            "2026-02-29", "2024-02-29", "2026-13-01", "2026-12-31", "2026-07-01", "+026-07-01", "2026-+7-01",
            "2026-07-1",
        ]
        for _ in 0..<5000 {
            texts.append(
                (0..<Int.random(in: 1...5, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }
                    .joined())
        }
        for text in texts {
            let parsed = Day(text).map { ($0.year, $0.month, $0.day) }
            let expected = reference(text)
            XCTAssertEqual(parsed.map { "\($0)" }, expected.map { "\($0)" }, text)
        }
    }

    func testSectionTitlesNormaliseAsFoundationDoes() {
        let titles = [
            "Values", "  Growth Plan\t", "PRIVATE", "growth  plan", "", " ", "\t\t", "Delivery impact", "A-Z[]@`{",
            "Lead\u{00A0}", "\u{2003}Values", "Ünïcode", "ǅ", "İstanbul", "Straße", "x\r\n",
        ]
        for title in titles {
            XCTAssertEqual(
                SectionTitle.normalised(title), title.trimmingCharacters(in: .whitespaces).lowercased(),
                title.debugDescription)
        }
    }

    func testUsualAddressesAreNormalisedAsTheyAre() {
        for address in [
            "https://github.com/acme/checkout/pull/123", "https://acme.atlassian.net/browse/ACME-1",
            "http://x.example/a/b?q=1#f", "https://github.com/acme/x?path=../../y",
        ] {
            XCTAssertEqual(LinkTarget.normalisedURL(address), address)
        }
        XCTAssertEqual(LinkTarget.normalisedURL("https:///github.com/acme"), "https://github.com/acme")
        XCTAssertEqual(LinkTarget.normalisedURL("https:/\\github.com/acme"), "https://github.com/acme")
        XCTAssertEqual(LinkTarget.normalisedURL("https://github.com/a/%2E/b"), "https://github.com/a/b")
    }

    /// The one FNV-1a both the phrase matcher's table and the interner key on: the
    /// published 64-bit test vectors, and the matcher's key of a phrase equal to the key
    /// its tokeniser computes for the same text written in capitals.
    func testFNV1aMatchesThePublishedVectorsAndTheMatcherKeysAgree() {
        func hash(_ text: String) -> UInt64 {
            var hash = FNV1a()
            for byte in text.utf8 { hash.add(byte) }
            return hash.value
        }
        XCTAssertEqual(hash(""), 0xcbf2_9ce4_8422_2325)
        XCTAssertEqual(hash("a"), 0xaf63_dc4c_8601_ec8c)
        XCTAssertEqual(hash("foobar"), 0x8594_4171_f739_67e8)
        XCTAssertEqual(PhraseMatcher.key(of: Array("rockstar".utf8)), hash("rockstar"))
        let matcher = PhraseMatcher(phrases: ["rockstar"])
        XCTAssertEqual(matcher.matches(inLines: ["A ROCKSTAR engineer."]).map(\.text), ["ROCKSTAR"])
    }
}
