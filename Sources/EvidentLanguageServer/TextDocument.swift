/// A position as the protocol counts it: 0-based line, 0-based UTF-16 code unit offset.
public struct LSPPosition: Hashable, Sendable, Comparable {
    public var line: Int
    public var character: Int

    public init(line: Int, character: Int) {
        self.line = line
        self.character = character
    }

    public static func < (lhs: LSPPosition, rhs: LSPPosition) -> Bool {
        (lhs.line, lhs.character) < (rhs.line, rhs.character)
    }

    var json: JSON { ["line": .integer(line), "character": .integer(character)] }

    init?(_ json: JSON?) {
        guard let line = json?["line"]?.intValue, let character = json?["character"]?.intValue else { return nil }
        self.init(line: max(0, line), character: max(0, character))
    }
}

public struct LSPRange: Hashable, Sendable {
    public var start: LSPPosition
    public var end: LSPPosition

    public init(start: LSPPosition, end: LSPPosition) {
        self.start = start
        self.end = end
    }

    var json: JSON { ["start": start.json, "end": end.json] }
}

/// The text of one document split into lines, with conversions between the positions
/// Evident reports and the positions the protocol speaks.
///
/// Evident's diagnostics are 1-based lines and 1-based Unicode scalar columns (what an
/// editor shows as a column). The protocol counts UTF-16 code units, so a character
/// outside the Basic Multilingual Plane (an emoji, a rare CJK ideograph) is one column
/// to Evident and two characters to the editor. Lines end at `\n`, `\r\n` or a lone
/// `\r`, as both the protocol and Evident's loader (which normalises all three to `\n`)
/// agree, so line numbers match with either line ending.
public struct LineText: Sendable {
    /// Lines without their terminators, as Unicode scalar arrays for O(1) column access.
    public let lines: [Substring]

    public init(_ text: String) {
        var lines: [Substring] = []
        var lineStart = text.startIndex
        var index = text.unicodeScalars.startIndex
        let scalars = text.unicodeScalars
        while index < scalars.endIndex {
            let scalar = scalars[index]
            if scalar == "\n" || scalar == "\r" {
                lines.append(text[lineStart..<index])
                var next = scalars.index(after: index)
                if scalar == "\r", next < scalars.endIndex, scalars[next] == "\n" { next = scalars.index(after: next) }
                lineStart = next
                index = next
            } else {
                index = scalars.index(after: index)
            }
        }
        lines.append(text[lineStart...])
        self.lines = lines
    }

    public var lineCount: Int { lines.count }

    /// The 0-based line `number`, or an empty line past the end.
    public func line(_ number: Int) -> Substring {
        lines.indices.contains(number) ? lines[number] : ""
    }

    /// Converts an Evident position (1-based line, 1-based scalar column) to a protocol
    /// position. Columns past the end of the line clamp to its end.
    public func position(line: Int, column: Int) -> LSPPosition {
        let lineIndex = max(0, line - 1)
        let text = self.line(lineIndex)
        return LSPPosition(line: lineIndex, character: LineText.utf16Offset(ofScalar: max(0, column - 1), in: text))
    }

    /// The UTF-16 offset of the scalar at index `scalarIndex` (clamped to the line end).
    public static func utf16Offset(ofScalar scalarIndex: Int, in text: Substring) -> Int {
        var units = 0
        var seen = 0
        for scalar in text.unicodeScalars {
            if seen == scalarIndex { break }
            units += scalar.utf16.count
            seen += 1
        }
        return units
    }

    /// The scalar index at UTF-16 `offset`; an offset inside a surrogate pair rounds down
    /// to the start of its character, an offset past the end clamps to the line end.
    public static func scalarIndex(ofUTF16 offset: Int, in text: Substring) -> Int {
        var units = 0
        var index = 0
        for scalar in text.unicodeScalars {
            let width = scalar.utf16.count
            if units + width > offset { break }
            units += width
            index += 1
        }
        return index
    }

    /// The text of a line before a protocol position (what the user has typed so far).
    public func prefix(before position: LSPPosition) -> Substring {
        let text = line(position.line)
        let count = LineText.scalarIndex(ofUTF16: position.character, in: text)
        let scalars = text.unicodeScalars
        let end = scalars.index(scalars.startIndex, offsetBy: count, limitedBy: scalars.endIndex) ?? scalars.endIndex
        return text[text.startIndex..<end]
    }

    /// The range a diagnostic at (line, column) should underline: the token that starts
    /// there (an `@citation`, an id, a word, a quoted value, a whole heading), or one
    /// character when nothing token-like starts there.
    public func diagnosticRange(line: Int, column: Int) -> LSPRange {
        let lineIndex = max(0, line - 1)
        let text = self.line(lineIndex)
        let scalars = Array(text.unicodeScalars)
        let startIndex = min(max(0, column - 1), scalars.count)
        let endIndex = LineText.tokenEnd(in: scalars, from: startIndex)
        func offset(_ index: Int) -> Int { scalars[..<min(index, scalars.count)].reduce(0) { $0 + $1.utf16.count } }
        let start = LSPPosition(line: lineIndex, character: offset(startIndex))
        var end = LSPPosition(line: lineIndex, character: offset(endIndex))
        if end.character <= start.character {
            // No token starts here: underline the one character (both halves of a
            // surrogate pair), or, on an empty line or past its end, one position, which
            // editors show as a squiggle at the line end.
            end.character = startIndex < scalars.count ? offset(startIndex + 1) : start.character + 1
        }
        return LSPRange(start: start, end: end)
    }

    /// Where the token starting at `start` ends (exclusive scalar index).
    static func tokenEnd(in scalars: [Unicode.Scalar], from start: Int) -> Int {
        guard start < scalars.count else { return start }
        let first = scalars[start]
        // A Markdown heading: the whole heading, trailing spaces excluded.
        if first == "#" && scalars[..<start].allSatisfy({ $0 == " " }) {
            var end = scalars.count
            while end > start, scalars[end - 1] == " " || scalars[end - 1] == "\t" { end -= 1 }
            return end
        }
        // A quoted YAML scalar: up to and including the closing quote.
        if first == "\"" || first == "'" {
            var index = start + 1
            while index < scalars.count {
                if scalars[index] == first {
                    if first == "\"", scalars[index - 1] == "\\" {
                        index += 1
                        continue
                    }
                    return index + 1
                }
                index += 1
            }
            return scalars.count
        }
        // `[@id]`: underline the key, not the bracket.
        var index = start
        if first == "[", start + 1 < scalars.count, scalars[start + 1] == "@" { index += 1 }
        if index < scalars.count, scalars[index] == "@" { index += 1 }
        let keyStart = index
        while index < scalars.count, isTokenScalar(scalars[index]) { index += 1 }
        // A citation key or id does not end in `.` or `:` (sentence punctuation, YAML key).
        while index > keyStart, scalars[index - 1] == "." || scalars[index - 1] == ":" { index -= 1 }
        if index == keyStart {
            return keyStart == start ? start : keyStart
        }
        return index
    }

    /// Letters, digits and the punctuation ids are made of.
    static func isTokenScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || scalar.properties.numericType != nil
            || scalar == "-" || scalar == "_" || scalar == "." || scalar == ":" || scalar == "/"
            || scalar.properties.generalCategory == .nonspacingMark
    }
}
