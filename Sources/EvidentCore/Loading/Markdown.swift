import CCmarkGFM
import Foundation

/// A heading of a Markdown body, with its GitHub-style anchor slug.
public struct MarkdownHeading: Sendable, Equatable {
    public var level: Int
    public var text: String
    public var line: Int
    public var column: Int
    /// The anchor a git host generates for it (`## Growth plan` → `growth-plan`).
    public var slug: String
}

/// A link or image destination, with the position of the link itself.
public struct MarkdownLink: Sendable, Equatable {
    public var destination: String
    public var line: Int
    public var column: Int
}

/// A pandoc-style citation key: `@checkout-latency` in `[@checkout-latency]`.
public struct Citation: Sendable, Equatable, Hashable {
    public var id: String
    /// Position of the `@`.
    public var line: Int
    public var column: Int
}

/// A paragraph (or other leaf of prose) with inline code masked out, so language rules
/// and citation scanning never look inside code.
public struct TextBlock: Sendable {
    /// 1-based file line of `lines[0]`.
    public var firstLine: Int
    public var lines: [String]
    public var citations: [Citation]
    /// Index into `MarkdownBody.sections`.
    public var section: Int
}

/// A `##` section: a dimension, `Values`, `Growth plan`, `Private`, or the text before
/// the first `##` heading (which has no heading).
public struct MarkdownSection: Sendable {
    public var heading: MarkdownHeading?
    public var title: String { heading?.text ?? "" }
    public var wordCount: Int
    public var citations: [Citation]
    /// 1-based file lines covered, heading included.
    public var firstLine: Int
    public var lastLine: Int

    /// `## Private` sections are for calibrators only. Private sections at other levels
    /// are in `MarkdownBody.privateLineRanges`, which covers these too.
    public var isPrivate: Bool { heading.map { PrivateSections.isPrivateTitle($0.text) } ?? false }
}

/// An inline switch for rules: `<!-- evident-disable rule-id -->`.
public struct Directive: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case disable, enable
        case disableNextLine = "disable-next-line"
    }
    public var kind: Kind
    public var rules: [String]
    public var line: Int
    public var column: Int

    public init(kind: Kind, rules: [String], line: Int, column: Int) {
        self.kind = kind
        self.rules = rules
        self.line = line
        self.column = column
    }
}

/// Everything Evident needs from a Markdown body, extracted in one cmark pass and
/// positioned in the whole file.
public struct MarkdownBody: Sendable {
    public var headings: [MarkdownHeading] = []
    public var links: [MarkdownLink] = []
    public var blocks: [TextBlock] = []
    public var sections: [MarkdownSection] = []
    public var directives: [Directive] = []
    /// File lines of private sections, heading included (see `PrivateSections`).
    public var privateLineRanges: [ClosedRange<Int>] = []

    public var wordCount: Int { sections.reduce(0) { $0 + $1.wordCount } }
    public var citations: [Citation] { sections.flatMap(\.citations) }
    /// Citations outside private sections: what the employee's decision record shows, and
    /// so the only ones a rating may rest on.
    public var publicCitations: [Citation] {
        privateLineRanges.isEmpty ? citations : citations.filter { !isPrivate(line: $0.line) }
    }
}

/// Registers cmark-gfm's extensions once; a global initialiser runs once and is thread safe.
private let autolinkExtensionName: Bool = {
    cmark_gfm_core_extensions_ensure_registered()
    return true
}()

/// Parses Markdown bodies with cmark-gfm. No cmark pointer leaves this type.
public enum MarkdownParser {
    /// Parses `body`, whose first line is line `firstLine` of the file. A body over
    /// `MarkdownPieces.threshold` bytes is parsed in pieces (see `MarkdownPieces`);
    /// `wholeBody` forces one parse, for the tests that compare the two.
    public static func parse(_ body: String, firstLine: Int = 1, wholeBody: Bool = false) -> MarkdownBody {
        if !wholeBody, body.utf8.count > MarkdownPieces.threshold,
            let pieces = MarkdownPieces.cut(body), pieces.count > 1
        {
            return MarkdownPieces.parse(pieces, firstLine: firstLine)
        }
        return parseWhole(body, firstLine: firstLine)
    }

    /// One cmark parse of the whole body.
    static func parseWhole(_ body: String, firstLine: Int) -> MarkdownBody {
        _ = autolinkExtensionName
        let table = LineTable(body)
        let offset = firstLine - 1
        var result = MarkdownBody()
        result.sections.append(
            MarkdownSection(heading: nil, wordCount: 0, citations: [], firstLine: firstLine, lastLine: firstLine))
        var codeLines = Set<Int>()

        // A big body's tree is allocated in cmark-gfm's arena and dropped at once (see
        // `CmarkArena`); the defer that ends the arena runs last, after every free below.
        let arena = body.utf8.count >= CmarkArena.minimumBytes ? CmarkArena.enter() : nil
        defer { arena?.leave() }
        guard
            let parser = cmark_parser_new_with_mem(
                CMARK_OPT_DEFAULT, arena?.allocator ?? cmark_get_default_mem_allocator())
        else { return result }
        defer { cmark_parser_free(parser) }
        if let autolink = cmark_find_syntax_extension("autolink") {
            cmark_parser_attach_syntax_extension(parser, autolink)
        }
        body.utf8CString.withUnsafeBufferPointer { buffer in
            if let base = buffer.baseAddress { cmark_parser_feed(parser, base, buffer.count - 1) }
        }
        guard let document = cmark_parser_finish(parser) else { return result }
        // In the arena, freeing node by node would only walk the tree: leaving drops it.
        defer { if arena == nil { cmark_node_free(document) } }
        guard let iterator = cmark_iter_new(document) else { return result }
        defer { cmark_iter_free(iterator) }

        var paragraphRange: ClosedRange<Int>?
        var searchFrom: (line: Int, byte: Int) = (0, 0)
        // Hostile bodies (100,000 autolinks whose text differs from their URL) must not
        // make every link rescan its paragraph: searching stops after a few passes over
        // the body, and later links fall back to their paragraph's start.
        var searchBudget = (1 << 20) + 4 * body.utf8.count
        var linkColumns = ColumnCursor()
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) else { continue }
            let type = cmark_node_get_type(node)
            let startLine = Int(cmark_node_get_start_line(node))
            let endLine = Int(cmark_node_get_end_line(node))
            switch type {
            case CMARK_NODE_HEADING:
                let level = Int(cmark_node_get_heading_level(node))
                let text = trimmingWhitespace(plainText(of: node))
                let column = firstContentColumn(table.line(startLine))
                let heading = MarkdownHeading(
                    level: level, text: text, line: startLine + offset, column: column, slug: slug(text))
                result.headings.append(heading)
                if level == 2 {
                    result.sections[result.sections.count - 1].lastLine = startLine + offset - 1
                    result.sections.append(
                        MarkdownSection(
                            heading: heading, wordCount: 0, citations: [], firstLine: startLine + offset,
                            lastLine: startLine + offset))
                } else {
                    result.sections[result.sections.count - 1].wordCount += countWords(text)
                }
            case CMARK_NODE_PARAGRAPH:
                paragraphRange = startLine...max(startLine, endLine)
                searchFrom = (startLine, 0)
                let block = textBlock(
                    lines: startLine...max(startLine, endLine), table: table, offset: offset,
                    section: result.sections.count - 1)
                result.sections[result.sections.count - 1].citations += block.citations
                result.blocks.append(block)
            case CMARK_NODE_CODE_BLOCK:
                if startLine > 0 { for line in startLine...max(startLine, endLine) { codeLines.insert(line) } }
            case CMARK_NODE_TEXT, CMARK_NODE_CODE:
                if let parent = cmark_node_parent(node), cmark_node_get_type(parent) == CMARK_NODE_HEADING {
                    break  // counted with the heading
                }
                result.sections[result.sections.count - 1].wordCount += countWords(literalOf: node)
            case CMARK_NODE_LINK, CMARK_NODE_IMAGE:
                let destination = string(cmark_node_get_url(node))
                guard !destination.isEmpty else { break }
                var line = startLine
                var byteColumn = Int(cmark_node_get_start_column(node))
                let first = line > 0 && byteColumn >= 1 ? byte(table.line(line), at: byteColumn - 1) : nil
                let plausible = first == UInt8(ascii: "[") || first == UInt8(ascii: "!")
                if !plausible, let range = paragraphRange,
                    let found = find(destination, in: table, lines: range, from: searchFrom, budget: &searchBudget)
                {
                    (line, byteColumn) = found
                    searchFrom = (found.line, found.byte)
                } else if !plausible, let range = paragraphRange {
                    (line, byteColumn) = (range.lowerBound, 1)
                }
                let column = linkColumns.scalarColumn(in: table, line: line, byteColumn: byteColumn)
                result.links.append(MarkdownLink(destination: destination, line: line + offset, column: column))
            default:
                break
            }
        }
        result.sections[result.sections.count - 1].lastLine = max(
            result.sections[result.sections.count - 1].firstLine, table.lines.count + offset)
        result.privateLineRanges = PrivateSections.ranges(
            headings: result.headings, lastLine: result.sections[result.sections.count - 1].lastLine)
        // Nearly every body has no directive at all: one byte search settles that.
        result.directives =
            body.containsBytes("evident-") ? directives(in: table, skipping: codeLines, offset: offset) : []
        return result
    }

    // MARK: - Pieces

    private static func string(_ pointer: UnsafePointer<CChar>?) -> String {
        guard let pointer else { return "" }
        return String(cString: pointer)
    }

    /// `countWords(literal(of: node))`, counted in the C string when it is ASCII (as
    /// nearly all prose is), without making a String of every text node.
    private static func countWords(literalOf node: OpaquePointer) -> Int {
        guard let pointer = cmark_node_get_literal(node) else { return 0 }
        var count = 0
        var inWord = false
        var wordHasAlphanumeric = false
        var position = 0
        while true {
            let byte = UInt8(bitPattern: pointer[position])
            if byte == 0 { break }
            if byte >= 0x80 { return countWords(String(cString: pointer)) }
            if byte == 0x20 || (0x09...0x0D).contains(byte) {
                if inWord && wordHasAlphanumeric { count += 1 }
                inWord = false
                wordHasAlphanumeric = false
            } else {
                inWord = true
                if (0x61...0x7A).contains(byte | 0x20) || (0x30...0x39).contains(byte) { wordHasAlphanumeric = true }
            }
            position += 1
        }
        return inWord && wordHasAlphanumeric ? count + 1 : count
    }

    private static func literal(of node: OpaquePointer) -> String {
        string(cmark_node_get_literal(node))
    }

    /// Concatenated text and code of a node's descendants.
    private static func plainText(of node: OpaquePointer) -> String {
        var text = ""
        var child = cmark_node_first_child(node)
        while let current = child {
            let type = cmark_node_get_type(current)
            if type == CMARK_NODE_TEXT || type == CMARK_NODE_CODE {
                text += literal(of: current)
            } else if type == CMARK_NODE_SOFTBREAK || type == CMARK_NODE_LINEBREAK {
                text += " "
            } else {
                text += plainText(of: current)
            }
            child = cmark_node_next(current)
        }
        return text
    }

    private static func firstContentColumn(_ line: Substring) -> Int {
        (line.firstIndex(where: { $0 != " " }).map { line.distance(from: line.startIndex, to: $0) } ?? 0) + 1
    }

    /// `text.trimmingCharacters(in: .whitespaces)`, without Foundation when both ends are
    /// ASCII other than space and tab (the only ASCII members of the set), as in nearly
    /// every heading.
    static func trimmingWhitespace(_ text: String) -> String {
        func keeps(_ byte: UInt8?) -> Bool {
            guard let byte else { return false }
            return byte < 0x80 && byte != UInt8(ascii: " ") && byte != UInt8(ascii: "\t")
        }
        if keeps(text.utf8.first) && keeps(text.utf8.last) { return text }
        return text.trimmingCharacters(in: .whitespaces)
    }

    /// A word is a run of non-space characters containing a letter or digit.
    static func countWords(_ text: String) -> Int {
        var count = 0
        var inWord = false
        var wordHasAlphanumeric = false
        for scalar in text.unicodeScalars {
            // ASCII answers without a Unicode property lookup (most prose is ASCII):
            // White_Space there is tab to carriage return and space; letters are A-Z, a-z.
            let isWhitespace: Bool
            if scalar.isASCII {
                let value = scalar.value
                isWhitespace = value == 0x20 || (0x09...0x0D).contains(value)
                if !isWhitespace {
                    inWord = true
                    let lowercase = value | 0x20
                    if (0x61...0x7A).contains(lowercase) || (0x30...0x39).contains(value) { wordHasAlphanumeric = true }
                    continue
                }
            } else {
                isWhitespace = scalar.properties.isWhitespace
            }
            if isWhitespace {
                if inWord && wordHasAlphanumeric { count += 1 }
                inWord = false
                wordHasAlphanumeric = false
            } else {
                inWord = true
                if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) { wordHasAlphanumeric = true }
            }
        }
        if inWord && wordHasAlphanumeric { count += 1 }
        return count
    }

    /// GitHub's anchor for a heading: lowercase, punctuation dropped, spaces to hyphens.
    public static func slug(_ text: String) -> String {
        // Every heading gets a slug: ASCII headings are done on bytes (letters and digits
        // are then A-Z, a-z, 0-9, and lowercasing touches only A-Z).
        if text.isAllASCII {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(text.utf8.count)
            for byte in text.utf8 {
                let lowercase = (0x41...0x5A).contains(byte) ? byte | 0x20 : byte
                if (0x61...0x7A).contains(lowercase) || (0x30...0x39).contains(lowercase) || lowercase == 0x2D
                    || lowercase == 0x5F
                {
                    bytes.append(lowercase)
                } else if lowercase == 0x20 {
                    bytes.append(0x2D)
                }
            }
            return String(decoding: bytes, as: UTF8.self)
        }
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

    /// Where `needle` was typed in the paragraph's lines, from `start` on. Every byte
    /// compared is taken from `budget`; nil once it runs out.
    private static func find(
        _ needle: String, in table: LineTable, lines: ClosedRange<Int>, from start: (line: Int, byte: Int),
        budget: inout Int
    ) -> (line: Int, byte: Int)? {
        var candidates = [Array(needle.utf8)]
        // Autolinks rewrite what was typed: `bob@x.example` becomes `mailto:bob@x.example`
        // and `www.x.example` becomes `http://www.x.example`.
        if needle.hasPrefix("mailto:") || needle.hasPrefix("http://www.") {
            candidates.append(Array(needle.utf8.dropFirst(7)))
        }
        let firstLine = max(lines.lowerBound, start.line)
        guard firstLine <= lines.upperBound else { return nil }
        for line in firstLine...lines.upperBound {
            for target in candidates where !target.isEmpty {
                guard budget > 0 else { return nil }
                if let index = search(
                    target, in: table.line(line), from: line == start.line ? start.byte : 0, budget: &budget)
                {
                    return (line, index + 1)
                }
            }
        }
        return nil
    }

    /// The 0-based byte offset of `target` in `line` at or after `first`, charging each
    /// byte compared to `budget`.
    private static func search(_ target: [UInt8], in line: Substring, from first: Int, budget: inout Int) -> Int? {
        var line = line
        return line.withUTF8 { bytes -> Int? in
            guard first >= 0, bytes.count - first >= target.count else { return nil }
            let head = target[0]
            var index = first
            let last = bytes.count - target.count
            while index <= last, budget > 0 {
                budget -= 1
                if bytes[index] == head {
                    var matched = 1
                    while matched < target.count, bytes[index + matched] == target[matched] { matched += 1 }
                    budget -= matched - 1
                    if matched == target.count { return index }
                }
                index += 1
            }
            return nil
        }
    }

    /// The byte at a 0-based offset of a line, or nil past its end.
    private static func byte(_ line: Substring, at offset: Int) -> UInt8? {
        var line = line
        return line.withUTF8 { offset >= 0 && offset < $0.count ? $0[offset] : nil }
    }

    /// The block's source lines with inline code masked, and the citations in them.
    private static func textBlock(lines: ClosedRange<Int>, table: LineTable, offset: Int, section: Int) -> TextBlock {
        var masked: [String] = []
        var citations: [Citation] = []
        for number in lines {
            let line = maskInlineCode(String(table.line(number)))
            citations += CitationScanner.scan(line, line: number + offset)
            masked.append(line)
        }
        return TextBlock(firstLine: lines.lowerBound + offset, lines: masked, citations: citations, section: section)
    }

    /// Replaces backtick code spans (on one line) with spaces, one space per Unicode
    /// scalar, so every later column is unchanged.
    static func maskInlineCode(_ line: String) -> String {
        guard line.containsByte(UInt8(ascii: "`")) else { return line }
        // An ASCII line's bytes are its scalars: mask them in place, without an array of
        // `Unicode.Scalar` and a String rebuilt one scalar at a time.
        if line.isAllASCII {
            var bytes = Array(line.utf8)
            maskCodeSpans(in: &bytes, backtick: UInt8(ascii: "`"), space: UInt8(ascii: " "))
            return String(decoding: bytes, as: UTF8.self)
        }
        var scalars = Array(line.unicodeScalars)
        maskCodeSpans(in: &scalars, backtick: "`", space: " ")
        var result = ""
        result.unicodeScalars.append(contentsOf: scalars)
        return result
    }

    /// `maskInlineCode` on a line's scalars, or its bytes when it is ASCII.
    private static func maskCodeSpans<Unit: Equatable>(in scalars: inout [Unit], backtick: Unit, space: Unit) {
        // Every backtick run once, then for each opening run the next run of the same
        // length: one cursor per length, so a line of runs of every length from 1 to
        // 4,000 is not rescanned for each of them.
        var runs: [(start: Int, length: Int)] = []
        var runsOfLength: [Int: [Int]] = [:]
        var position = 0
        while position < scalars.count {
            guard scalars[position] == backtick else {
                position += 1
                continue
            }
            var length = 0
            while position + length < scalars.count, scalars[position + length] == backtick { length += 1 }
            runsOfLength[length, default: []].append(runs.count)
            runs.append((position, length))
            position += length
        }
        var cursors: [Int: Int] = [:]
        var opening = 0
        while opening < runs.count {
            let run = runs[opening]
            let candidates = runsOfLength[run.length] ?? []
            var cursor = cursors[run.length] ?? 0
            while cursor < candidates.count, candidates[cursor] <= opening { cursor += 1 }
            cursors[run.length] = cursor
            guard cursor < candidates.count else {
                opening += 1
                continue
            }
            let closing = runs[candidates[cursor]]
            for index in run.start..<(closing.start + closing.length) { scalars[index] = space }
            opening = candidates[cursor] + 1
        }
    }

    /// Whether the UTF-8 bytes of `line` hold "evident-": a cheap necessary condition for
    /// `line.contains("evident-")`, whose canonical-equivalence search is much slower.
    private static func mayContainDirective(_ line: Substring) -> Bool { line.containsBytes("evident-") }

    /// Finds `<!-- evident-disable a, b -->` style comments outside code.
    private static func directives(in table: LineTable, skipping codeLines: Set<Int>, offset: Int) -> [Directive] {
        var found: [Directive] = []
        let commentOpen = Array("<!--".utf8)
        let commentClose = Array("-->".utf8)
        // A byte search first: Foundation's `contains` (a Unicode-aware search) only
        // runs on the rare lines that hold the bytes it could match.
        for (index, line) in table.lines.enumerated() where mayContainDirective(line) && line.contains("evident-") {
            let number = index + 1
            var rest = line[...]
            // Columns are counted on from the previous comment, not from the line's start.
            var counted = (index: line.startIndex, scalars: 0)
            // Byte searches: Foundation's `range(of:)` copies what it searches into an
            // NSString, once per comment, which made a line of 80,000 comments quadratic.
            while let open = rest.utf8.firstRange(of: commentOpen) {
                guard let close = rest.utf8[open.upperBound...].firstRange(of: commentClose) else { break }
                let content = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
                counted = (
                    open.lowerBound, counted.scalars + line.unicodeScalars[counted.index..<open.lowerBound].count
                )
                let column = counted.scalars + 1
                rest = rest[close.upperBound...]
                let words = content.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" }).map(String.init)
                guard let keyword = words.first, keyword.hasPrefix("evident-"),
                    let kind = Directive.Kind(rawValue: String(keyword.dropFirst("evident-".count)))
                else { continue }
                if codeLines.contains(number) { continue }
                found.append(
                    Directive(kind: kind, rules: Array(words.dropFirst()), line: number + offset, column: column))
            }
        }
        return found
    }
}

/// cmark-gfm's arena allocator, for big bodies.
///
/// A hostile body of 300,000 sections makes millions of small nodes: with the system
/// allocator their mallocs and frees, and walking nodes scattered among the remains of
/// the previous piece's tree, cost more CPU time than parsing. The arena hands out
/// memory in a few growing slabs and drops them all at once. It is one global arena in
/// cmark-gfm, so one body at a time uses it (a lock); small bodies, nearly all of them,
/// keep the system allocator and parse in parallel.
struct CmarkArena {
    /// Bodies from this size on are parsed in the arena.
    static let minimumBytes = 64 * 1024
    private static let lock = NSLock()

    let allocator: UnsafeMutablePointer<cmark_mem>

    /// Takes the arena; `leave` gives it back, emptied.
    static func enter() -> CmarkArena? {
        lock.lock()
        guard let allocator = cmark_get_arena_mem_allocator() else {
            lock.unlock()
            return nil
        }
        return CmarkArena(allocator: allocator)
    }

    /// Frees everything allocated in the arena since `enter`, and releases it.
    func leave() {
        cmark_arena_reset()
        CmarkArena.lock.unlock()
    }
}

/// Converts byte columns (cmark's) to scalar columns for links met in document order,
/// going on from the previous link on the same line instead of recounting the line:
/// what `LineTable.scalarColumn` answers, in linear time over a line of many links.
struct ColumnCursor {
    private var line = 0
    private var bytesSeen = 0
    private var scalars = 0

    mutating func scalarColumn(in table: LineTable, line number: Int, byteColumn: Int) -> Int {
        if number != line || byteColumn - 1 < bytesSeen { (line, bytesSeen, scalars) = (number, 0, 0) }
        var text = table.line(number)
        let target = byteColumn - 1
        text.withUTF8 { bytes in
            while bytesSeen < target, bytesSeen < bytes.count {
                if bytes[bytesSeen] & 0xC0 != 0x80 { scalars += 1 }
                bytesSeen += 1
            }
        }
        return scalars + 1 + max(0, target - bytesSeen)
    }
}

/// Finds pandoc-style citations: `[@a]`, `[@a; @b]`, `[see @a, p. 4]`, `[-@a]`.
public enum CitationScanner {
    public static func scan(_ line: String, line number: Int) -> [Citation] {
        guard line.containsByte(UInt8(ascii: "@")) else { return [] }
        // Every paragraph line of every review is scanned: an ASCII line is scanned as
        // its bytes (one per scalar, and the scalar properties asked about reduce to
        // ASCII ranges); any other line as its Unicode scalars.
        let ascii = line.utf8.withContiguousStorageIfAvailable { bytes -> [Citation]? in
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            return scanASCII(bytes, line: number)
        }
        if let ascii, let ascii { return ascii }
        let scalars = line.unicodeScalars.map(\.value)
        return scan(scalars, line: number) { range in
            String(String.UnicodeScalarView(scalars[range].compactMap(Unicode.Scalar.init)))
        }
    }

    /// The scan below, written out for ASCII bytes: one pass, no closures, no copies but
    /// the keys.
    private static func scanASCII(_ bytes: UnsafeBufferPointer<UInt8>, line number: Int) -> [Citation] {
        var citations: [Citation] = []
        var index = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "[") else {
                index += 1
                continue
            }
            var close = index + 1
            while close < bytes.count, bytes[close] != UInt8(ascii: "]") { close += 1 }
            guard close < bytes.count else { break }
            let firstFound = citations.count
            var inner = index + 1
            while inner < close {
                let previous = bytes[inner - 1]
                let atBoundary =
                    inner == index + 1 || previous == UInt8(ascii: " ") || previous == UInt8(ascii: ";")
                    || previous == UInt8(ascii: "-") || previous == UInt8(ascii: "\t")
                if bytes[inner] == UInt8(ascii: "@"), atBoundary, inner + 1 < close, isKeyStart(bytes[inner + 1]) {
                    var end = inner + 1
                    while end < close, isKeyCharacter(bytes[end]) { end += 1 }
                    // A key does not end in `.` or `:` (sentence punctuation); its first
                    // character is neither, so something is always left.
                    var keyEnd = end
                    while bytes[keyEnd - 1] == UInt8(ascii: ".") || bytes[keyEnd - 1] == UInt8(ascii: ":") {
                        keyEnd -= 1
                    }
                    let key = String(
                        decoding: UnsafeBufferPointer(rebasing: bytes[(inner + 1)..<keyEnd]), as: UTF8.self)
                    citations.append(Citation(id: key, line: number, column: inner + 1))
                    inner = end
                } else {
                    inner += 1
                }
            }
            // `[text](url)` with an @ inside is a link, not a citation.
            if close + 1 < bytes.count, bytes[close + 1] == UInt8(ascii: "(") || bytes[close + 1] == UInt8(ascii: "[") {
                citations.removeSubrange(firstFound...)
            }
            index = close + 1
        }
        return citations
    }

    /// The scan over a line's scalar values; `key` makes the text of a range of them.
    private static func scan<Units: RandomAccessCollection>(
        _ scalars: Units, line number: Int, key makeKey: (Range<Int>) -> String
    ) -> [Citation] where Units.Element: FixedWidthInteger, Units.Index == Int {
        func isUnit(_ unit: Units.Element, _ ascii: Unicode.Scalar) -> Bool { unit == Units.Element(ascii.value) }
        var citations: [Citation] = []
        var index = 0
        while index < scalars.count {
            guard isUnit(scalars[index], "[") else {
                index += 1
                continue
            }
            guard let close = scalars[index...].firstIndex(where: { isUnit($0, "]") }) else { break }
            var inner = index + 1
            var found: [Citation] = []
            while inner < close {
                let previous = scalars[inner - 1]
                let atBoundary =
                    inner == index + 1 || isUnit(previous, " ") || isUnit(previous, ";") || isUnit(previous, "-")
                    || isUnit(previous, "\t")
                if isUnit(scalars[inner], "@"), atBoundary, inner + 1 < close, isKeyStart(scalars[inner + 1]) {
                    var end = inner + 1
                    while end < close, isKeyCharacter(scalars[end]) { end += 1 }
                    var key = makeKey((inner + 1)..<end)
                    while let last = key.last, ".:".contains(last) { key.removeLast() }
                    found.append(Citation(id: key, line: number, column: inner + 1))
                    inner = end
                } else {
                    inner += 1
                }
            }
            // `[text](url)` with an @ inside is a link, not a citation.
            let isLink =
                close + 1 < scalars.count && (isUnit(scalars[close + 1], "(") || isUnit(scalars[close + 1], "["))
            if !isLink { citations += found }
            index = close + 1
        }
        return citations
    }

    /// Letters (Unicode Alphabetic), ASCII digits and `_`.
    private static func isKeyStart(_ unit: some FixedWidthInteger) -> Bool {
        let value = UInt32(unit)
        if value < 0x80 {
            let lowercase = value | 0x20
            return (0x61...0x7A).contains(lowercase) || (0x30...0x39).contains(value) || value == 0x5F
        }
        return Unicode.Scalar(value)?.properties.isAlphabetic ?? false
    }

    private static func isKeyCharacter(_ unit: some FixedWidthInteger) -> Bool {
        isKeyStart(unit) || unit == 0x2D || unit == 0x2E || unit == 0x3A  // - . :
    }
}
