/// Reads the plain YAML that review repositories are made of, without libyaml: the
/// first of the three YAML paths of `YAMLParser.parse`.
///
/// Front matter and registry files are nearly always the same few shapes: block
/// mappings of `key: value`, block sequences of such mappings, one-line flow lists and
/// mappings (`[a, b]`, `{ id: x, date: 2026-08-14 }`) and simple quoted strings. libyaml
/// reads them a character at a time through several layers of buffers and tokens; this
/// reader scans those shapes in the UTF-8 bytes directly, several times faster, which
/// is most of the difference for a 10,000-person `people.yaml` read on every
/// pre-commit check.
///
/// It is deliberately narrow. Anything outside the shapes below makes it return nil and
/// the caller asks libyaml (`YAMLComposer`), then Yams: non-ASCII bytes, tabs, carriage
/// returns, `#` anywhere but a whole-line comment, document markers and directives,
/// anchors, aliases, tags, block scalars, multi-line scalars, escapes, nested flow
/// collections, empty values, repeated keys, and plain scalars that start with an
/// indicator or hold `: `, and lines with more brackets than the nesting limit (see
/// `splitLines`). Within the shapes the result is exactly libyaml's: the same
/// values, plain or quoted, at the same 1-based lines and columns (tested against it).
enum PlainYAML {
    /// Nesting beyond this is left to libyaml (real documents are four levels deep).
    static let maximumDepth = 16

    /// The document's root, `.some(nil)` for a document of comments and blank lines, or
    /// nil when the text is outside the supported shapes.
    static func parse(_ yaml: String, lineOffset: Int) -> YAMLNode?? {
        var text = yaml
        return text.withUTF8 { bytes -> YAMLNode?? in
            var reader = Reader(bytes: bytes, lineOffset: lineOffset)
            return reader.document()
        }
    }

    private struct Line {
        var start: Int
        var end: Int
        var indent: Int
        /// 1-based line number in the document.
        var number: Int
    }

    /// Thrown to abandon the fast path; nothing else is thrown.
    private struct Unsupported: Error {}

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        let lineOffset: Int
        /// Lines with content: blank lines and whole-line comments are left out.
        var lines: [Line] = []

        init(bytes: UnsafeBufferPointer<UInt8>, lineOffset: Int) {
            self.bytes = bytes
            self.lineOffset = lineOffset
        }

        mutating func document() -> YAMLNode?? {
            do {
                try splitLines()
                guard !lines.isEmpty else { return .some(nil) }
                guard lines[0].indent == 0 else { throw Unsupported() }
                let (node, next) = try block(at: 0, column: 0, depth: 0)
                guard next == lines.count else { throw Unsupported() }
                return .some(node)
            } catch {
                return nil
            }
        }

        /// Cuts the text into lines, refusing any byte outside printable ASCII and the
        /// newline, document markers or directives, and a line with more opening
        /// brackets than `YAMLParser.maximumDepth`.
        ///
        /// That limit, with this reader's own `maximumDepth`, is what lets
        /// `YAMLParser.parse` skip its nesting scan for a document read here: the scan's
        /// flow depth on a line is at most the line's count of `[` and `{`, and its
        /// indentation stack holds one column per enclosing block node, at most
        /// `PlainYAML.maximumDepth` + 1 of them, well under `YAMLParser.maximumDepth`.
        private mutating func splitLines() throws {
            var start = 0
            var number = 1
            while start <= bytes.count {
                var end = start
                var brackets = 0
                while end < bytes.count, bytes[end] != UInt8(ascii: "\n") {
                    let byte = bytes[end]
                    guard byte >= 0x20, byte < 0x7F else { throw Unsupported() }
                    if byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{") { brackets += 1 }
                    end += 1
                }
                guard brackets <= YAMLParser.maximumDepth else { throw Unsupported() }
                var indent = 0
                while start + indent < end, bytes[start + indent] == UInt8(ascii: " ") { indent += 1 }
                let first = start + indent < end ? bytes[start + indent] : nil
                if let first, first != UInt8(ascii: "#") {
                    if indent == 0,
                        first == UInt8(ascii: "%") || startsWith("---", at: start, end: end)
                            || startsWith("...", at: start, end: end)
                    {
                        throw Unsupported()
                    }
                    lines.append(Line(start: start, end: end, indent: indent, number: number))
                }
                start = end + 1
                number += 1
            }
        }

        private func startsWith(_ prefix: StaticString, at start: Int, end: Int) -> Bool {
            let count = prefix.utf8CodeUnitCount
            guard end - start >= count else { return false }
            for offset in 0..<count where bytes[start + offset] != prefix.utf8Start[offset] { return false }
            return true
        }

        // MARK: Block structure

        /// The block node whose first line is `lines[index]`, starting at `column` of that
        /// line (past a `- ` when it is a sequence item's mapping). Returns the node and
        /// the index of the first line after it.
        private func block(at index: Int, column: Int, depth: Int) throws -> (YAMLNode, Int) {
            guard depth <= PlainYAML.maximumDepth else { throw Unsupported() }
            if isSequenceItem(lines[index], at: column) {
                return try sequence(at: index, indent: column, depth: depth)
            }
            return try mapping(at: index, column: column, depth: depth)
        }

        private func isSequenceItem(_ line: Line, at column: Int) -> Bool {
            let position = line.start + column
            return position < line.end && bytes[position] == UInt8(ascii: "-")
                && (position + 1 == line.end || bytes[position + 1] == UInt8(ascii: " "))
        }

        /// A block mapping whose keys sit at `column`; the first key may follow a `- `.
        private func mapping(at first: Int, column: Int, depth: Int) throws -> (YAMLNode, Int) {
            var pairs: [YAMLPair] = []
            var index = first
            while index < lines.count {
                let line = lines[index]
                if index != first {
                    guard line.indent == column, !isSequenceItem(line, at: column) else { break }
                }
                let keyStart = line.start + column
                let (key, afterColon) = try self.key(in: line, from: keyStart)
                guard !pairs.contains(where: { $0.key.scalar == key.scalar }) else { throw Unsupported() }
                let valueStart = skipSpaces(from: afterColon, to: line.end)
                let value: YAMLNode
                if valueStart == line.end {
                    // `key:` alone: the value is the block on the next lines, more
                    // indented, or a sequence at the key's own indentation.
                    let next = index + 1
                    guard next < lines.count else { throw Unsupported() }
                    let child = lines[next]
                    if child.indent > column {
                        (value, index) = try block(at: next, column: child.indent, depth: depth + 1)
                    } else if child.indent == column, isSequenceItem(child, at: column) {
                        (value, index) = try sequence(at: next, indent: column, depth: depth + 1)
                    } else {
                        throw Unsupported()  // an empty value
                    }
                } else {
                    value = try inline(in: line, from: valueStart)
                    index += 1
                    // A more indented line would continue a multi-line scalar.
                    if index < lines.count, lines[index].indent > column { throw Unsupported() }
                }
                pairs.append(YAMLPair(key: key, value: value))
            }
            let head = lines[first]
            return (YAMLNode(.mapping(pairs), line: lineNumber(head), column: column + 1), index)
        }

        /// A block sequence whose dashes sit at `indent`.
        private func sequence(at first: Int, indent: Int, depth: Int) throws -> (YAMLNode, Int) {
            var items: [YAMLNode] = []
            var index = first
            while index < lines.count, lines[index].indent == indent, isSequenceItem(lines[index], at: indent) {
                let line = lines[index]
                let contentStart = skipSpaces(from: line.start + indent + 1, to: line.end)
                guard contentStart < line.end, contentStart > line.start + indent + 1 else { throw Unsupported() }
                let column = contentStart - line.start
                if isSequenceItem(line, at: column) { throw Unsupported() }  // `- - x`
                if looksLikeKey(in: line, from: contentStart) {
                    let (node, next) = try mapping(at: index, column: column, depth: depth + 1)
                    items.append(node)
                    index = next
                } else {
                    items.append(try inline(in: line, from: contentStart))
                    index += 1
                    if index < lines.count, lines[index].indent > indent { throw Unsupported() }
                }
            }
            let head = lines[first]
            return (YAMLNode(.sequence(items), line: lineNumber(head), column: indent + 1), index)
        }

        // MARK: Keys and values

        private func isKeyByte(_ byte: UInt8) -> Bool { YAMLBytes.isKeyByte(byte) }

        /// Whether `key:` (then a space or the line's end) starts at `start`.
        private func looksLikeKey(in line: Line, from start: Int) -> Bool {
            guard start < line.end, bytes[start] != UInt8(ascii: "-") else { return false }
            var position = start
            while position < line.end, isKeyByte(bytes[position]) { position += 1 }
            return position > start && position < line.end && bytes[position] == UInt8(ascii: ":")
                && (position + 1 == line.end || bytes[position + 1] == UInt8(ascii: " "))
        }

        /// The key at `start` and the position after its colon.
        private func key(in line: Line, from start: Int) throws -> (YAMLNode, Int) {
            guard looksLikeKey(in: line, from: start) else { throw Unsupported() }
            var end = start
            while isKeyByte(bytes[end]) { end += 1 }
            let node = YAMLNode(
                .scalar(text(start, end), plain: true), line: lineNumber(line), column: start - line.start + 1)
            return (node, end + 1)
        }

        /// A value that ends with its line: a flow collection, a quoted or a plain scalar.
        private func inline(in line: Line, from start: Int) throws -> YAMLNode {
            let end = trimmedEnd(line.end, from: start)
            switch bytes[start] {
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                var position = start
                let node = try flow(in: line, at: &position, end: end)
                guard position == end else { throw Unsupported() }
                return node
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                var position = start
                let node = try quoted(in: line, at: &position, end: end)
                guard position == end else { throw Unsupported() }
                return node
            default:
                guard startsPlain(bytes[start]) else { throw Unsupported() }
                for position in start..<end {
                    let byte = bytes[position]
                    // `: ` would make a mapping, `#` may start a comment; a final `:` is
                    // not a plain scalar either.
                    if byte == UInt8(ascii: "#") { throw Unsupported() }
                    if byte == UInt8(ascii: ":"), position + 1 == end || bytes[position + 1] == UInt8(ascii: " ") {
                        throw Unsupported()
                    }
                }
                return YAMLNode(
                    .scalar(text(start, end), plain: true), line: lineNumber(line), column: start - line.start + 1)
            }
        }

        private func startsPlain(_ byte: UInt8) -> Bool { YAMLBytes.startsPlain(byte) }

        /// `"text"` without escapes or `'text'` without doubled quotes.
        private func quoted(in line: Line, at position: inout Int, end: Int) throws -> YAMLNode {
            let quote = bytes[position]
            let start = position
            var close = start + 1
            while close < end, bytes[close] != quote {
                if bytes[close] == UInt8(ascii: "\\") { throw Unsupported() }
                close += 1
            }
            guard close < end else { throw Unsupported() }
            // `'it''s'` continues the string after a doubled quote.
            if quote == UInt8(ascii: "'"), close + 1 < end, bytes[close + 1] == quote { throw Unsupported() }
            position = close + 1
            return YAMLNode(
                .scalar(text(start + 1, close), plain: false), line: lineNumber(line), column: start - line.start + 1)
        }

        /// A one-line `[a, b]` or `{ k: v, k2: v2 }` of scalars, from `position` (at the
        /// bracket) to just after the closing bracket.
        private func flow(in line: Line, at position: inout Int, end: Int) throws -> YAMLNode {
            let open = position
            let isMapping = bytes[open] == UInt8(ascii: "{")
            let close = isMapping ? UInt8(ascii: "}") : UInt8(ascii: "]")
            var items: [YAMLNode] = []
            var pairs: [YAMLPair] = []
            position = skipSpaces(from: open + 1, to: end)
            if position < end, bytes[position] == close {
                position += 1
            } else {
                while true {
                    if isMapping {
                        guard looksLikeKey(in: line, from: position) else { throw Unsupported() }
                        let (key, afterColon) = try self.key(in: line, from: position)
                        guard afterColon < end, bytes[afterColon] == UInt8(ascii: " ") else { throw Unsupported() }
                        guard !pairs.contains(where: { $0.key.scalar == key.scalar }) else { throw Unsupported() }
                        position = skipSpaces(from: afterColon, to: end)
                        pairs.append(YAMLPair(key: key, value: try flowScalar(in: line, at: &position, end: end)))
                    } else {
                        items.append(try flowScalar(in: line, at: &position, end: end))
                    }
                    position = skipSpaces(from: position, to: end)
                    guard position < end else { throw Unsupported() }
                    if bytes[position] == close {
                        position += 1
                        break
                    }
                    guard bytes[position] == UInt8(ascii: ",") else { throw Unsupported() }
                    position = skipSpaces(from: position + 1, to: end)
                }
            }
            let value: YAMLNode.Value = isMapping ? .mapping(pairs) : .sequence(items)
            return YAMLNode(value, line: lineNumber(line), column: open - line.start + 1)
        }

        /// A scalar inside a flow collection: quoted, or plain up to `,` or the closing
        /// bracket, with none of `:[]{}#` in it.
        private func flowScalar(in line: Line, at position: inout Int, end: Int) throws -> YAMLNode {
            guard position < end else { throw Unsupported() }
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                return try quoted(in: line, at: &position, end: end)
            }
            guard startsPlain(byte) else { throw Unsupported() }
            let start = position
            while position < end {
                switch bytes[position] {
                case UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}"):
                    let scalarEnd = trimmedEnd(position, from: start)
                    return YAMLNode(
                        .scalar(text(start, scalarEnd), plain: true), line: lineNumber(line),
                        column: start - line.start + 1)
                case UInt8(ascii: ":"), UInt8(ascii: "["), UInt8(ascii: "{"), UInt8(ascii: "#"), UInt8(ascii: "\""),
                    UInt8(ascii: "'"):
                    throw Unsupported()
                default:
                    position += 1
                }
            }
            throw Unsupported()
        }

        // MARK: Helpers

        private func skipSpaces(from start: Int, to end: Int) -> Int {
            YAMLBytes.skipSpaces(bytes, from: start, to: end)
        }

        private func trimmedEnd(_ end: Int, from start: Int) -> Int { YAMLBytes.trimmedEnd(bytes, end, from: start) }

        private func text(_ start: Int, _ end: Int) -> String { YAMLBytes.text(bytes, start, end) }

        private func lineNumber(_ line: Line) -> Int { line.number + lineOffset }
    }
}

/// The byte rules `PlainYAML` and `PeopleYAML` share, defined once so that the two fast
/// paths cannot drift apart on what a key, a plain scalar or a blank is.
enum YAMLBytes {
    /// A byte of a plain key: ASCII letters, digits, `_` and `-`.
    static func isKeyByte(_ byte: UInt8) -> Bool {
        (0x61...0x7A).contains(byte | 0x20) || (0x30...0x39).contains(byte) || byte == UInt8(ascii: "_")
            || byte == UInt8(ascii: "-")
    }

    /// A plain scalar may start with anything but an indicator (the ones that may
    /// start one when followed by a non-space, `-` `?` `:`, are refused too).
    static func startsPlain(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "-"), UInt8(ascii: "?"), UInt8(ascii: ":"), UInt8(ascii: ","), UInt8(ascii: "["),
            UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "#"), UInt8(ascii: "&"),
            UInt8(ascii: "*"), UInt8(ascii: "!"), UInt8(ascii: "|"), UInt8(ascii: ">"), UInt8(ascii: "'"),
            UInt8(ascii: "\""), UInt8(ascii: "%"), UInt8(ascii: "@"), UInt8(ascii: "`"), UInt8(ascii: " "):
            return false
        default:
            return true
        }
    }

    /// The first position from `start` that is not a space, or `end`.
    static func skipSpaces(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int {
        var position = start
        while position < end, bytes[position] == UInt8(ascii: " ") { position += 1 }
        return position
    }

    /// `end` moved back over trailing spaces, not before `start`.
    static func trimmedEnd(_ bytes: UnsafeBufferPointer<UInt8>, _ end: Int, from start: Int) -> Int {
        var end = end
        while end > start, bytes[end - 1] == UInt8(ascii: " ") { end -= 1 }
        return end
    }

    static func text(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }
}
