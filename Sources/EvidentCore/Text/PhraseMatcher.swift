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
public struct PhraseMatcher: Sendable {
    public struct Match: Sendable, Equatable {
        /// The phrase as it was listed.
        public var phrase: String
        /// The words as written, with white space (line breaks included) collapsed to one space.
        public var text: String
        /// 1-based line and Unicode-scalar column of the first character.
        public var line: Int
        public var column: Int
    }

    /// A word or punctuation token. Its lowercased text lives in the `Tokens` it belongs
    /// to, so a token is plain data: cutting a review into tokens allocates no string
    /// per word, and copying tokens retains nothing.
    struct Token: Equatable {
        /// Whether the text is ASCII: then it is `Tokens.asciiText[textStart..<textEnd]`
        /// and `key` is its hash; otherwise it is `Tokens.unicodeText[textStart]`.
        var isASCII: Bool
        var textStart: Int
        var textEnd: Int
        var key: UInt64
        var gapBefore: Bool
        /// Index of the line in the input, the token's UTF-8 range in it, and its
        /// 1-based Unicode-scalar column.
        var lineOffset: Int
        var start: Int
        var end: Int
        var column: Int
    }

    /// The tokens of some lines and their lowercased texts.
    struct Tokens {
        var tokens: [Token] = []
        /// The texts of ASCII tokens, one after the other.
        var asciiText: [UInt8] = []
        /// The texts of other tokens.
        var unicodeText: [String] = []

        /// The lowercased text of a token.
        func text(of token: Token) -> String {
            token.isASCII
                ? String(decoding: asciiText[token.textStart..<token.textEnd], as: UTF8.self)
                : unicodeText[token.textStart]
        }
    }

    /// One token of a phrase: its lowercased text, and the same text as ASCII bytes when
    /// an ASCII token of prose can equal it.
    struct PatternToken {
        var text: String
        var ascii: [UInt8]?
        var gapBefore: Bool
    }

    private struct Pattern {
        var phrase: String
        var tokens: [PatternToken]
    }

    /// Patterns by their first token: the lookup made for every token of every review.
    ///
    /// Swift compares strings by canonical equivalence, so the general lookup is a
    /// dictionary keyed by the lowercased text. Prose is nearly all ASCII, and for ASCII
    /// texts equality is byte equality, so ASCII tokens take a second table keyed by a
    /// hash of their bytes, computed while the token is cut out; a bit per hash slot
    /// answers "no phrase starts with this word" (almost every word) without hashing
    /// again. Candidates found by hash are confirmed byte by byte, as are all others.
    private struct FirstTokenIndex {
        var byText: [String: [Int]] = [:]
        var byASCIIKey: [UInt64: [Int]] = [:]
        var slotsInUse = [Bool](repeating: false, count: FirstTokenIndex.slotCount)

        static let slotCount = 1024

        mutating func add(_ pattern: Int, firstToken: PatternToken) {
            byText[firstToken.text, default: []].append(pattern)
            if let ascii = firstToken.ascii {
                let key = PhraseMatcher.key(of: ascii)
                byASCIIKey[key, default: []].append(pattern)
                slotsInUse[Int(key % UInt64(Self.slotCount))] = true
            }
        }

        /// Whether some pattern's first token is ASCII text with this `key(of:)`.
        func startsAPattern(_ key: UInt64) -> Bool {
            slotsInUse[Int(key % UInt64(Self.slotCount))] && byASCIIKey[key] != nil
        }

        /// The patterns, in the order they were listed, whose first token may equal `token`.
        func candidates(for token: Token, in tokens: Tokens) -> [Int]? {
            guard token.isASCII else { return byText[tokens.unicodeText[token.textStart]] }
            guard slotsInUse[Int(token.key % UInt64(Self.slotCount))] else { return nil }
            return byASCIIKey[token.key]
        }
    }

    private let patterns: [Pattern]
    private let patternIndex: FirstTokenIndex
    private let allowed: [Pattern]
    private let allowedIndex: FirstTokenIndex
    /// Whether every phrase starts with a word of ASCII letters and digits, so that ASCII
    /// text whose words start no phrase can be passed over without cutting it into
    /// tokens (`mayMatch`).
    private let firstWordsAreASCII: Bool
    /// For each lowercased ASCII byte, the lengths (bit `min(length, 63)`) of the phrases'
    /// first words that start with it: `mayMatch` hashes a word of prose only when some
    /// phrase's first word has its first letter and length, which most words have not.
    private let firstWordLengths: [UInt64]

    /// `phrases` are reported; a match that lies inside a match of an `allowing` phrase is
    /// not (allowing `aggressive timeline` keeps "aggressive" in it from being flagged, and
    /// allowing a listed phrase itself switches it off). Blank phrases are ignored.
    public init(phrases: [String], allowing allowedPhrases: [String] = []) {
        (patterns, patternIndex) = PhraseMatcher.compile(phrases)
        (allowed, allowedIndex) = PhraseMatcher.compile(allowedPhrases)
        firstWordsAreASCII = patterns.allSatisfy { pattern in
            guard let ascii = pattern.tokens.first?.ascii, !ascii.isEmpty else { return false }
            return ascii.allSatisfy { PhraseMatcher.isASCIIWordByte($0) }
        }
        var lengths = [UInt64](repeating: 0, count: 128)
        for pattern in patterns {
            guard let ascii = pattern.tokens.first?.ascii, let first = ascii.first, first < 0x80 else { continue }
            lengths[Int(first)] |= PhraseMatcher.lengthBit(ascii.count)
        }
        firstWordLengths = lengths
    }

    /// Token buffers kept from one paragraph to the next. A rule scanning every paragraph
    /// of an organisation passes the same one to each call: fresh buffers, sized for the
    /// paragraph, were two allocations per paragraph too large for the allocator's
    /// per-thread cache, in each of two rules.
    public struct Scratch {
        var tokens = Tokens()
        public init() {}
    }

    /// Matches in a paragraph, at file positions.
    public func matches(in block: TextBlock) -> [Match] {
        matches(inLines: block.lines, firstLine: block.firstLine)
    }

    /// Matches in a paragraph, at file positions, cutting it into tokens in `scratch`.
    public func matches(in block: TextBlock, reusing scratch: inout Scratch) -> [Match] {
        matches(inLines: block.lines, firstLine: block.firstLine, reusing: &scratch)
    }

    /// Matches in consecutive lines, the first of which is file line `firstLine`. Matches
    /// do not overlap: from left to right, the longest phrase starting at a token wins.
    public func matches(inLines lines: [String], firstLine: Int = 1) -> [Match] {
        var scratch = Scratch()
        return matches(inLines: lines, firstLine: firstLine, reusing: &scratch)
    }

    /// `matches(inLines:firstLine:)`, cutting the lines into tokens in `scratch`.
    public func matches(inLines lines: [String], firstLine: Int = 1, reusing scratch: inout Scratch) -> [Match] {
        guard !patterns.isEmpty, mayMatch(lines) else { return [] }
        PhraseMatcher.tokenize(lines, into: &scratch.tokens)
        return matches(in: scratch.tokens, lines: lines, firstLine: firstLine)
    }

    /// False when no phrase can match in `lines`: they are ASCII and none of their words
    /// (maximal runs of letters and digits) is the first word of a phrase. Most
    /// paragraphs are passed over so, at the cost of one pass over their bytes.
    ///
    /// Why it is exact: every phrase then starts with such a word, and every word token
    /// the tokeniser cuts from ASCII text is one of these runs (markup it skips only
    /// removes runs: a URL, a citation key or a link destination ends before a byte
    /// that is not a letter or digit). A run whose first letter and length no phrase's
    /// first word has cannot equal one; any other is looked up by the same hash of its
    /// lowercased bytes as a token, and a collision only means tokenising after all.
    public func mayMatch(_ lines: [String]) -> Bool {
        guard firstWordsAreASCII else { return true }
        return firstWordLengths.withUnsafeBufferPointer { lengths in
            for line in lines {
                var line = line
                let possible = line.withUTF8 { bytes -> Bool in
                    let count = bytes.count
                    var index = 0
                    while index < count {
                        let byte = bytes[index]
                        if byte >= 0x80 { return true }
                        guard PhraseMatcher.isASCIIWordByte(byte) else {
                            index += 1
                            continue
                        }
                        let start = index
                        index += 1
                        while index < count, PhraseMatcher.isASCIIWordByte(bytes[index]) { index += 1 }
                        // Lowercasing a letter or digit is setting bit 5 (digits have it).
                        guard lengths[Int(byte | 0x20)] & PhraseMatcher.lengthBit(index - start) != 0 else { continue }
                        var hash = FNV1a()
                        for offset in start..<index { hash.add(bytes[offset] | 0x20) }
                        if patternIndex.startsAPattern(hash.value) { return true }
                    }
                    return false
                }
                if possible { return true }
            }
            return false
        }
    }

    /// The bit standing for a word of `length` bytes in `firstWordLengths` (63 for any
    /// longer word, so the test stays a superset).
    private static func lengthBit(_ length: Int) -> UInt64 { 1 << UInt64(min(length, 63)) }

    /// ASCII letters and digits: what `isWordScalar` accepts below 0x80.
    static func isASCIIWordByte(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39)
    }

    private func matches(in tokens: Tokens, lines: [String], firstLine: Int) -> [Match] {
        // Found only once a phrase matches: most paragraphs have none.
        var allowedSpans: [ClosedRange<Int>]?
        var found: [Match] = []
        var index = 0
        while index < tokens.tokens.count {
            guard let candidates = patternIndex.candidates(for: tokens.tokens[index], in: tokens) else {
                index += 1
                continue
            }
            var best: Pattern?
            for candidate in candidates where PhraseMatcher.matches(patterns[candidate], tokens, at: index) {
                if best == nil || patterns[candidate].tokens.count > best!.tokens.count { best = patterns[candidate] }
            }
            guard let pattern = best else {
                index += 1
                continue
            }
            let range = index...(index + pattern.tokens.count - 1)
            if allowedSpans == nil { allowedSpans = spans(of: allowed, indexedBy: allowedIndex, in: tokens) }
            if !allowedSpans!.contains(where: { $0.lowerBound <= range.lowerBound && range.upperBound <= $0.upperBound }
            ) {
                let first = tokens.tokens[index]
                found.append(
                    Match(
                        phrase: pattern.phrase, text: PhraseMatcher.written(tokens.tokens[range], lines: lines),
                        line: firstLine + first.lineOffset, column: first.column))
            }
            index = range.upperBound + 1
        }
        return found
    }

    // MARK: - Compiling phrases

    private static func compile(_ phrases: [String]) -> ([Pattern], FirstTokenIndex) {
        var patterns: [Pattern] = []
        var index = FirstTokenIndex()
        var seen = Set<[String]>()
        for phrase in phrases {
            let tokenized = tokenize([phrase], skippingMarkup: false)
            let tokens = tokenized.tokens.map { token in
                let text = tokenized.text(of: token)
                return PatternToken(text: text, ascii: asciiForm(of: text), gapBefore: token.gapBefore)
            }
            guard let first = tokens.first else { continue }
            // The first token's gap is irrelevant; compare the rest by text and spacing.
            let key = tokens.enumerated().map { ($0.offset > 0 && $0.element.gapBefore ? " " : "") + $0.element.text }
            guard seen.insert(key).inserted else { continue }
            index.add(patterns.count, firstToken: first)
            patterns.append(Pattern(phrase: phrase.trimmingCharacters(in: .whitespaces), tokens: tokens))
        }
        return (patterns, index)
    }

    /// The ASCII text that equals `text` as Swift compares strings, if there is one: the
    /// text itself when it is ASCII; for other texts their canonical decomposition, when
    /// that is ASCII and equal (U+037E GREEK QUESTION MARK is `;`, say). Texts without
    /// one can never equal an ASCII token, so ASCII tokens skip them.
    static func asciiForm(of text: String) -> [UInt8]? {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return Array(text.utf8) }
        let decomposed = text.decomposedStringWithCanonicalMapping
        guard decomposed.utf8.allSatisfy({ $0 < 0x80 }), decomposed == text else { return nil }
        return Array(decomposed.utf8)
    }

    /// FNV-1a of ASCII text, the key of the ASCII lookup table.
    static func key(of bytes: some Sequence<UInt8>) -> UInt64 {
        var hash = FNV1a()
        for byte in bytes { hash.add(byte) }
        return hash.value
    }

    /// Whether a token of prose has the text of a phrase's token: by bytes when both are
    /// ASCII, else as Swift compares strings (by canonical equivalence).
    private static func sameText(_ token: Token, in tokens: Tokens, as expected: PatternToken) -> Bool {
        guard token.isASCII else { return tokens.unicodeText[token.textStart] == expected.text }
        guard let ascii = expected.ascii, ascii.count == token.textEnd - token.textStart else { return false }
        var offset = token.textStart
        for byte in ascii {
            guard tokens.asciiText[offset] == byte else { return false }
            offset += 1
        }
        return true
    }

    private static func matches(_ pattern: Pattern, _ tokens: Tokens, at start: Int) -> Bool {
        guard start + pattern.tokens.count <= tokens.tokens.count else { return false }
        for (offset, expected) in pattern.tokens.enumerated() {
            let actual = tokens.tokens[start + offset]
            guard sameText(actual, in: tokens, as: expected) else { return false }
            if offset > 0, actual.gapBefore != expected.gapBefore { return false }
        }
        return true
    }

    private func spans(of patterns: [Pattern], indexedBy index: FirstTokenIndex, in tokens: Tokens)
        -> [ClosedRange<Int>]
    {
        guard !patterns.isEmpty else { return [] }
        var spans: [ClosedRange<Int>] = []
        for position in tokens.tokens.indices {
            for candidate in index.candidates(for: tokens.tokens[position], in: tokens) ?? []
            where PhraseMatcher.matches(patterns[candidate], tokens, at: position) {
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
    /// ASCII words are lowercased byte by byte into one buffer; only other words become
    /// strings, lowercased by Unicode's rules.
    static func tokenize(_ lines: [String], skippingMarkup: Bool = true) -> Tokens {
        var result = Tokens()
        tokenize(lines, skippingMarkup: skippingMarkup, into: &result)
        return result
    }

    /// `tokenize(_:skippingMarkup:)` into `result`, emptied first but keeping its capacity.
    static func tokenize(_ lines: [String], skippingMarkup: Bool = true, into result: inout Tokens) {
        result.tokens.removeAll(keepingCapacity: true)
        result.asciiText.removeAll(keepingCapacity: true)
        result.unicodeText.removeAll(keepingCapacity: true)
        // Room for every byte's text and, prose being words of a few letters, for a
        // token per four bytes: growing the token array cost more than filling it.
        let bytes = lines.reduce(0) { $0 + $1.utf8.count }
        result.asciiText.reserveCapacity(bytes)
        result.tokens.reserveCapacity(bytes / 4 + 1)
        for (lineOffset, line) in lines.enumerated() {
            var line = line
            line.withUTF8 { bytes in
                tokenize(line: bytes, lineOffset: lineOffset, skippingMarkup: skippingMarkup, into: &result)
            }
        }
    }

    private static func tokenize(
        line bytes: UnsafeBufferPointer<UInt8>, lineOffset: Int, skippingMarkup: Bool, into result: inout Tokens
    ) {
        var reader = ScalarReader(bytes)
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
                var ascii = scalar.isASCII
                reader.advance(length)
                while let (next, nextLength) = reader.peek(), isWordScalar(normalised(next)) {
                    if !next.isASCII { ascii = false }
                    reader.advance(nextLength)
                }
                var token = Token(
                    isASCII: ascii, textStart: 0, textEnd: 0, key: 0, gapBefore: gap, lineOffset: lineOffset,
                    start: start, end: reader.offset, column: column)
                if ascii {
                    token.textStart = result.asciiText.count
                    // `key(of:)` of the lowercased bytes, computed as they are copied.
                    var hash = FNV1a()
                    for byte in bytes[start..<reader.offset] {
                        let lowered = byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte
                        result.asciiText.append(lowered)
                        hash.add(lowered)
                    }
                    token.textEnd = result.asciiText.count
                    token.key = hash.value
                } else {
                    token.textStart = result.unicodeText.count
                    result.unicodeText.append(
                        String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<reader.offset]), as: UTF8.self)
                            .lowercased())
                }
                result.tokens.append(token)
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
            var token = Token(
                isASCII: scalar.isASCII, textStart: 0, textEnd: 0, key: 0, gapBefore: gap, lineOffset: lineOffset,
                start: reader.offset, end: reader.offset + length, column: reader.column)
            if scalar.isASCII {
                // A punctuation token is the (normalised) character itself, not lowercased.
                let byte = UInt8(scalar.value)
                token.textStart = result.asciiText.count
                result.asciiText.append(byte)
                token.textEnd = result.asciiText.count
                token.key = key(of: CollectionOfOne(byte))
            } else {
                token.textStart = result.unicodeText.count
                result.unicodeText.append(String(scalar))
            }
            result.tokens.append(token)
            gap = false
            reader.advance(length)
        }
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

/// Walks one line's UTF-8, tracking the Unicode-scalar column. It reads the line's own
/// storage (valid only inside the `withUTF8` call that lends it) rather than a copy.
private struct ScalarReader {
    let bytes: UnsafeBufferPointer<UInt8>
    private(set) var offset = 0
    private(set) var column = 1

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

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

    /// Built once: a word starting with "h" is a common thing to check.
    private static let schemes = [Array("https://".utf8), Array("http://".utf8)]

    /// Skips a URL (`http://`, `https://`, any case) up to white space or a closing
    /// bracket; false when none starts here.
    mutating func skipURL() -> Bool {
        for scheme in Self.schemes {
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

    /// The punctuation a citation key may contain besides letters and digits.
    private static func isKeyPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "_" || scalar == "-" || scalar == "." || scalar == ":"
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
                PhraseMatcher.isWordScalar(scalar) || Self.isKeyPunctuation(scalar)
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
