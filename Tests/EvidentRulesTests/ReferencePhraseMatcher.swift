// The phrase matcher as it was before its ASCII fast paths (commit 7ec5028), kept
// unchanged but for its name as the reference the differential tests compare against.
import EvidentCore
import Foundation

/// Finds listed phrases in prose, for the language rules: whole words only, ignoring
/// case, and across line breaks, with each match placed at its first character.
///
/// Text and phrases are cut into tokens: a word is a maximal run of letters, digits and
/// combining marks, and every other visible character (`-`, `'`, `.`…) is a token of its own. A phrase
/// matches a run of tokens with the same text where the spacing agrees: wherever the
/// phrase has a space the text must have white space (any amount, line breaks included),
/// and where it has none the text must have none. So `go-getter` matches "Go-getter" but
/// not "go getter", `strong leader` matches "strong\nleader", and `ninja` never matches
/// inside "ninjas".
///
/// Parts of a line that are not prose are skipped: Markdown emphasis marks (`*`, `_`,
/// `~`), block-quote marks at the start of a line, URLs, link destinations `](…)` and
/// citation keys `@id`. Inline code is already blanked by the Markdown parser.
///
/// Cost is linear in the text: each token is looked up once in a table of first words.
struct ReferencePhraseMatcher: Sendable {
    struct Match: Sendable, Equatable {
        /// The phrase as it was listed.
        var phrase: String
        /// The words as written, with white space (line breaks included) collapsed to one space.
        var text: String
        /// 1-based line and Unicode-scalar column of the first character.
        var line: Int
        var column: Int
    }

    struct Token: Equatable {
        /// Lowercased text.
        var text: String
        var gapBefore: Bool
        /// Index of the line in the input, the token's UTF-8 range in it, and its
        /// 1-based Unicode-scalar column.
        var lineOffset: Int
        var start: Int
        var end: Int
        var column: Int
    }

    private struct Pattern {
        var phrase: String
        var tokens: [Token]
    }

    private let patterns: [Pattern]
    private let patternsByFirstToken: [String: [Int]]
    private let allowed: [Pattern]
    private let allowedByFirstToken: [String: [Int]]

    /// `phrases` are reported; a match that lies inside a match of an `allowing` phrase is
    /// not (allowing `aggressive timeline` keeps "aggressive" in it from being flagged, and
    /// allowing a listed phrase itself switches it off). Blank phrases are ignored.
    init(phrases: [String], allowing allowedPhrases: [String] = []) {
        (patterns, patternsByFirstToken) = ReferencePhraseMatcher.compile(phrases)
        (allowed, allowedByFirstToken) = ReferencePhraseMatcher.compile(allowedPhrases)
    }

    /// Matches in a paragraph, at file positions.
    func matches(in block: TextBlock) -> [Match] {
        matches(inLines: block.lines, firstLine: block.firstLine)
    }

    /// Matches in consecutive lines, the first of which is file line `firstLine`. Matches
    /// do not overlap: from left to right, the longest phrase starting at a token wins.
    func matches(inLines lines: [String], firstLine: Int = 1) -> [Match] {
        guard !patterns.isEmpty else { return [] }
        let tokens = ReferencePhraseMatcher.tokenize(lines)
        let allowedSpans = spans(of: allowed, indexedBy: allowedByFirstToken, in: tokens)
        var found: [Match] = []
        var index = 0
        while index < tokens.count {
            guard let candidates = patternsByFirstToken[tokens[index].text] else {
                index += 1
                continue
            }
            var best: Pattern?
            for candidate in candidates where ReferencePhraseMatcher.matches(patterns[candidate], tokens, at: index) {
                if best == nil || patterns[candidate].tokens.count > best!.tokens.count { best = patterns[candidate] }
            }
            guard let pattern = best else {
                index += 1
                continue
            }
            let range = index...(index + pattern.tokens.count - 1)
            if !allowedSpans.contains(where: { $0.lowerBound <= range.lowerBound && range.upperBound <= $0.upperBound })
            {
                found.append(
                    Match(
                        phrase: pattern.phrase, text: ReferencePhraseMatcher.written(tokens[range], lines: lines),
                        line: firstLine + tokens[index].lineOffset, column: tokens[index].column))
            }
            index = range.upperBound + 1
        }
        return found
    }

    // MARK: - Compiling phrases

    private static func compile(_ phrases: [String]) -> ([Pattern], [String: [Int]]) {
        var patterns: [Pattern] = []
        var index: [String: [Int]] = [:]
        var seen = Set<[String]>()
        for phrase in phrases {
            let tokens = tokenize([phrase], skippingMarkup: false)
            guard let first = tokens.first else { continue }
            // The first token's gap is irrelevant; compare the rest by text and spacing.
            let key = tokens.enumerated().map { ($0.offset > 0 && $0.element.gapBefore ? " " : "") + $0.element.text }
            guard seen.insert(key).inserted else { continue }
            index[first.text, default: []].append(patterns.count)
            patterns.append(Pattern(phrase: phrase.trimmingCharacters(in: .whitespaces), tokens: tokens))
        }
        return (patterns, index)
    }

    private static func matches(_ pattern: Pattern, _ tokens: [Token], at start: Int) -> Bool {
        guard start + pattern.tokens.count <= tokens.count else { return false }
        for (offset, expected) in pattern.tokens.enumerated() {
            let actual = tokens[start + offset]
            guard actual.text == expected.text else { return false }
            if offset > 0, actual.gapBefore != expected.gapBefore { return false }
        }
        return true
    }

    private func spans(of patterns: [Pattern], indexedBy index: [String: [Int]], in tokens: [Token])
        -> [ClosedRange<Int>]
    {
        guard !patterns.isEmpty else { return [] }
        var spans: [ClosedRange<Int>] = []
        for position in tokens.indices {
            for candidate in index[tokens[position].text] ?? []
            where ReferencePhraseMatcher.matches(patterns[candidate], tokens, at: position) {
                spans.append(position...(position + patterns[candidate].tokens.count - 1))
            }
        }
        return spans
    }

    /// The matched words as written. Read in place: copying the line for each match made
    /// a one-paragraph review of 100,000 matches quadratic (minutes for 6 MB).
    private static func written(_ tokens: ArraySlice<Token>, lines: [String]) -> String {
        var text = ""
        for (offset, token) in tokens.enumerated() {
            if offset > 0, token.gapBefore { text += " " }
            var line = lines[token.lineOffset]
            text += line.withUTF8 { String(decoding: $0[token.start..<token.end], as: UTF8.self) }
        }
        return text
    }

    // MARK: - Tokens

    /// Cuts lines into word and punctuation tokens. With `skippingMarkup`, URLs, link
    /// destinations, citation keys, emphasis marks and leading block-quote marks count as
    /// white space.
    ///
    /// Works on UTF-8 with an ASCII fast path (prose is mostly ASCII), decoding other
    /// scalars only to classify them; combining marks belong to the word they follow.
    static func tokenize(_ lines: [String], skippingMarkup: Bool = true) -> [Token] {
        var tokens: [Token] = []
        for (lineOffset, line) in lines.enumerated() {
            var reader = ReferenceScalarReader(Array(line.utf8))
            var gap = true
            var atLineStart = true
            while let (scalar, length) = reader.peek() {
                let scalar = normalised(scalar)
                if isWordScalar(scalar) {
                    if skippingMarkup, scalar == "h" || scalar == "H", reader.skipURL() {
                        gap = true
                        atLineStart = false
                        continue
                    }
                    let start = reader.offset
                    let column = reader.column
                    var ascii = true
                    reader.advance(length)
                    if !scalar.isASCII { ascii = false }
                    while let (next, nextLength) = reader.peek(), isWordScalar(normalised(next)) {
                        if !next.isASCII { ascii = false }
                        reader.advance(nextLength)
                    }
                    tokens.append(
                        Token(
                            text: reader.lowercasedText(start..<reader.offset, ascii: ascii), gapBefore: gap,
                            lineOffset: lineOffset, start: start, end: reader.offset, column: column))
                    gap = false
                    atLineStart = false
                    continue
                }
                if isWhitespace(scalar) {
                    gap = true
                    reader.advance(length)
                    continue
                }
                if skippingMarkup, reader.skipMarkup(atLineStart: atLineStart) {
                    gap = true
                    continue
                }
                atLineStart = false
                tokens.append(
                    Token(
                        text: String(scalar), gapBefore: gap, lineOffset: lineOffset, start: reader.offset,
                        end: reader.offset + length, column: reader.column))
                gap = false
                reader.advance(length)
            }
        }
        return tokens
    }

    /// Letters, digits and combining marks (which belong to the letter before them).
    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            let value = scalar.value
            return (value >= 0x61 && value <= 0x7A) || (value >= 0x41 && value <= 0x5A)
                || (value >= 0x30 && value <= 0x39)
        }
        let properties = scalar.properties
        if properties.isAlphabetic { return true }
        switch properties.generalCategory {
        case .decimalNumber, .letterNumber, .otherNumber, .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: return false
        }
    }

    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return scalar == " " || (scalar.value >= 0x09 && scalar.value <= 0x0D) }
        return scalar.properties.isWhitespace
    }

    /// Typographic apostrophes and hyphens count as their ASCII forms.
    private static func normalised(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        if scalar.isASCII { return scalar }
        switch scalar {
        case "\u{2019}", "\u{2018}", "\u{02BC}": return "'"
        case "\u{2010}", "\u{2011}": return "-"
        default: return scalar
        }
    }
}

/// Walks one line's UTF-8, tracking the Unicode-scalar column.
private struct ReferenceScalarReader {
    let bytes: [UInt8]
    private(set) var offset = 0
    private(set) var column = 1

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// The scalar at the current offset and its length in bytes. Swift strings hold
    /// valid UTF-8, so decoding needs no repair.
    func peek(at position: Int? = nil) -> (Unicode.Scalar, Int)? {
        let index = position ?? offset
        guard index < bytes.count else { return nil }
        let lead = bytes[index]
        if lead < 0x80 { return (Unicode.Scalar(lead), 1) }
        let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
        guard index + length <= bytes.count else { return ("\u{FFFD}", 1) }
        var value = UInt32(lead) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
        for next in 1..<length { value = (value << 6) | (UInt32(bytes[index + next]) & 0x3F) }
        return (Unicode.Scalar(value) ?? "\u{FFFD}", length)
    }

    mutating func advance(_ length: Int) {
        offset += length
        column += 1
    }

    /// Moves to `end`, counting the scalars passed.
    private mutating func skip(to end: Int) {
        while offset < end {
            if bytes[offset] & 0xC0 != 0x80 { column += 1 }
            offset += 1
        }
    }

    func lowercasedText(_ range: Range<Int>, ascii: Bool) -> String {
        guard ascii else { return String(decoding: bytes[range], as: UTF8.self).lowercased() }
        var lowered = [UInt8](bytes[range])
        for index in lowered.indices where lowered[index] >= 0x41 && lowered[index] <= 0x5A { lowered[index] += 0x20 }
        return String(decoding: lowered, as: UTF8.self)
    }

    /// Skips a URL (`http://`, `https://`, any case) up to white space or a closing
    /// bracket; false when none starts here.
    mutating func skipURL() -> Bool {
        for scheme in [Array("https://".utf8), Array("http://".utf8)] {
            guard offset + scheme.count <= bytes.count else { continue }
            var same = true
            for index in scheme.indices {
                let byte = bytes[offset + index]
                if (byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte) != scheme[index] {
                    same = false
                    break
                }
            }
            guard same else { continue }
            var end = offset + scheme.count
            while end < bytes.count, !Self.endsURL(bytes[end]) { end += 1 }
            skip(to: end)
            return true
        }
        return false
    }

    private static func endsURL(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: ")"), UInt8(ascii: ">"), UInt8(ascii: "]"),
            UInt8(ascii: "\""):
            return true
        default:
            return false
        }
    }

    /// Skips markup that is not prose at the current offset; false when there is none.
    mutating func skipMarkup(atLineStart: Bool) -> Bool {
        switch bytes[offset] {
        case UInt8(ascii: "*"), UInt8(ascii: "_"), UInt8(ascii: "~"):
            advance(1)
            return true
        case UInt8(ascii: ">") where atLineStart:
            advance(1)
            return true
        case UInt8(ascii: "@"):
            // A citation key (or an e-mail address's domain): `@checkout-latency`.
            var end = offset + 1
            while let (scalar, length) = peek(at: end),
                ReferencePhraseMatcher.isWordScalar(scalar) || "_-.:".unicodeScalars.contains(scalar)
            {
                end += length
            }
            guard end > offset + 1 else { return false }
            skip(to: end)
            return true
        case UInt8(ascii: "]") where offset + 1 < bytes.count && bytes[offset + 1] == UInt8(ascii: "("):
            // A link destination: `](target "title")`, to the closing parenthesis.
            var end = offset + 2
            var depth = 1
            while end < bytes.count {
                if bytes[end] == UInt8(ascii: "(") { depth += 1 }
                if bytes[end] == UInt8(ascii: ")") {
                    depth -= 1
                    if depth == 0 { break }
                }
                end += 1
            }
            skip(to: min(end + 1, bytes.count))
            return true
        default:
            return false
        }
    }
}
