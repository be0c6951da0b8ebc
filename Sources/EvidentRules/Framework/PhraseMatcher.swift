import EvidentCore
import Foundation

/// Finds listed phrases in prose, for the language rules: whole words only, ignoring
/// case, and across line breaks, with each match placed at its first character.
///
/// Text and phrases are cut into tokens: a word is a maximal run of letters and digits,
/// and every other visible character (`-`, `'`, `.`…) is a token of its own. A phrase
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

    struct Token: Equatable {
        var text: String
        var original: String
        var gapBefore: Bool
        var line: Int
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
    public init(phrases: [String], allowing allowedPhrases: [String] = []) {
        (patterns, patternsByFirstToken) = PhraseMatcher.compile(phrases)
        (allowed, allowedByFirstToken) = PhraseMatcher.compile(allowedPhrases)
    }

    /// Matches in a paragraph, at file positions.
    public func matches(in block: TextBlock) -> [Match] {
        matches(inLines: block.lines, firstLine: block.firstLine)
    }

    /// Matches in consecutive lines, the first of which is file line `firstLine`. Matches
    /// do not overlap: from left to right, the longest phrase starting at a token wins.
    public func matches(inLines lines: [String], firstLine: Int = 1) -> [Match] {
        guard !patterns.isEmpty else { return [] }
        let tokens = PhraseMatcher.tokenize(lines, firstLine: firstLine)
        let allowedSpans = spans(of: allowed, indexedBy: allowedByFirstToken, in: tokens)
        var found: [Match] = []
        var index = 0
        while index < tokens.count {
            guard let candidates = patternsByFirstToken[tokens[index].text] else {
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
            if !allowedSpans.contains(where: { $0.lowerBound <= range.lowerBound && range.upperBound <= $0.upperBound }) {
                found.append(
                    Match(
                        phrase: pattern.phrase, text: PhraseMatcher.written(tokens[range]), line: tokens[index].line,
                        column: tokens[index].column))
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
            let tokens = tokenize([phrase], firstLine: 1, skippingMarkup: false)
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
            where PhraseMatcher.matches(patterns[candidate], tokens, at: position) {
                spans.append(position...(position + patterns[candidate].tokens.count - 1))
            }
        }
        return spans
    }

    private static func written(_ tokens: ArraySlice<Token>) -> String {
        var text = ""
        for (offset, token) in tokens.enumerated() {
            if offset > 0, token.gapBefore { text += " " }
            text += token.original
        }
        return text
    }

    // MARK: - Tokens

    /// Cuts lines into word and punctuation tokens with file positions. With
    /// `skippingMarkup`, URLs, link destinations, citation keys, emphasis marks and
    /// leading block-quote marks count as white space.
    static func tokenize(_ lines: [String], firstLine: Int, skippingMarkup: Bool = true) -> [Token] {
        var tokens: [Token] = []
        var gap = true
        for (lineOffset, line) in lines.enumerated() {
            gap = true
            let characters = Array(line)
            var columns: [Int] = []
            columns.reserveCapacity(characters.count + 1)
            var column = 1
            for character in characters {
                columns.append(column)
                column += character.unicodeScalars.count
            }
            var index = 0
            var atLineStart = true
            var word = ""
            var wordStart = 0
            func flushWord() {
                guard !word.isEmpty else { return }
                tokens.append(
                    Token(
                        text: word.lowercased(), original: word, gapBefore: gap, line: firstLine + lineOffset,
                        column: columns[wordStart]))
                word = ""
                gap = false
            }
            while index < characters.count {
                let character = normalised(characters[index])
                if skippingMarkup, word.isEmpty, character == "h" || character == "H",
                    let skipped = urlLength(characters, at: index)
                {
                    gap = true
                    atLineStart = false
                    index += skipped
                    continue
                }
                if isWordCharacter(character) {
                    if word.isEmpty { wordStart = index }
                    word.append(character)
                    atLineStart = false
                    index += 1
                    continue
                }
                flushWord()
                if character.isWhitespace {
                    gap = true
                    index += 1
                    continue
                }
                if skippingMarkup, let skipped = markupLength(characters, at: index, atLineStart: atLineStart) {
                    gap = true
                    index += skipped
                    continue
                }
                atLineStart = false
                tokens.append(
                    Token(
                        text: String(character), original: String(characters[index]), gapBefore: gap,
                        line: firstLine + lineOffset, column: columns[index]))
                gap = false
                index += 1
            }
            flushWord()
        }
        return tokens
    }

    private static func isWordCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber
    }

    /// Typographic apostrophes and hyphens count as their ASCII forms.
    private static func normalised(_ character: Character) -> Character {
        switch character {
        case "\u{2019}", "\u{2018}", "\u{02BC}": return "'"
        case "\u{2010}", "\u{2011}": return "-"
        default: return character
        }
    }

    /// How many characters at `index` are markup rather than prose, or nil.
    private static func markupLength(_ characters: [Character], at index: Int, atLineStart: Bool) -> Int? {
        let character = characters[index]
        switch character {
        case "*", "_", "~":
            return 1
        case ">" where atLineStart:
            return 1
        case "@":
            // A citation key (or an e-mail address's domain): `@checkout-latency`.
            var end = index + 1
            while end < characters.count,
                isWordCharacter(characters[end]) || "_-.:".contains(characters[end])
            {
                end += 1
            }
            return end > index + 1 ? end - index : nil
        case "]" where index + 1 < characters.count && characters[index + 1] == "(":
            // A link destination: `](target "title")`, to the closing parenthesis.
            var end = index + 2
            var depth = 1
            while end < characters.count {
                if characters[end] == "(" { depth += 1 }
                if characters[end] == ")" {
                    depth -= 1
                    if depth == 0 { break }
                }
                end += 1
            }
            return min(end + 1, characters.count) - index
        default:
            return nil
        }
    }
}

extension PhraseMatcher {
    /// Length of a URL starting at `index` (`http://`, `https://`), to the next white
    /// space or closing bracket, or nil.
    static func urlLength(_ characters: [Character], at index: Int) -> Int? {
        for scheme in ["https://", "http://"] {
            let prefix = Array(scheme)
            guard index + prefix.count <= characters.count else { continue }
            var same = true
            for offset in prefix.indices where characters[index + offset].lowercased() != String(prefix[offset]) {
                same = false
                break
            }
            guard same else { continue }
            var end = index + prefix.count
            while end < characters.count, !characters[end].isWhitespace, !")>]\"".contains(characters[end]) { end += 1 }
            return end - index
        }
        return nil
    }
}
