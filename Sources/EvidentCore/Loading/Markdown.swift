import CCmarkGFM
import CCmarkInlines
import Foundation

/// Registers cmark-gfm's extensions once; a global initialiser runs once and is thread safe.
/// It also refers to `CCmarkInlines`, which keeps the autolink extension's characters in
/// cmark-gfm's process-wide table (parses run on every core; see inlines.c).
private let autolinkExtensionName: Bool = {
    cmark_gfm_core_extensions_ensure_registered()
    _ = evident_cmark_kept_special_characters()
    return true
}()

/// Parses Markdown bodies with cmark-gfm. No cmark pointer leaves this type.
public enum MarkdownParser {
    /// How many times cmark-gfm was kept from taking the autolink characters out of its
    /// table: a test that the replacement in `CCmarkInlines` is the one it calls.
    static func keptInlineCharacters() -> Int { evident_cmark_kept_special_characters() }

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
    /// `systemAllocator` parses with malloc and frees the tree node by node, as before
    /// `CmarkThreadArena`: tests compare the two.
    static func parseWhole(_ body: String, firstLine: Int, systemAllocator: Bool = false) -> MarkdownBody {
        _ = autolinkExtensionName
        let table = LineTable(body)
        let offset = firstLine - 1
        var result = MarkdownBody()
        result.sections.append(
            MarkdownSection(heading: nil, wordCount: 0, blocks: 0..<0, firstLine: firstLine, lastLine: firstLine))
        var codeLines = Set<Int>()

        // A big body's tree is allocated in cmark-gfm's arena and dropped at once (see
        // `CmarkArena`), any other in this thread's slab (`CmarkThreadArena`); the defer
        // that ends the arena runs last, after every free below.
        let arena =
            body.utf8.count >= CmarkArena.minimumBytes && !systemAllocator ? CmarkArena.enter() : nil
        defer {
            if let arena { arena.leave() } else if !systemAllocator { CmarkThreadArena.reset() }
        }
        let allocator =
            systemAllocator ? cmark_get_default_mem_allocator() : arena?.allocator ?? CmarkThreadArena.allocator
        guard let parser = cmark_parser_new_with_mem(CMARK_OPT_DEFAULT, allocator) else { return result }
        defer { cmark_parser_free(parser) }
        if let autolink = cmark_find_syntax_extension("autolink") {
            cmark_parser_attach_syntax_extension(parser, autolink)
        }
        // Fed from the string's own UTF-8 (cmark takes a length, not a C string): a C
        // string would be a copy of every body of the check.
        var source = body
        source.withUTF8 { buffer in
            guard let base = buffer.baseAddress else { return }
            base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                cmark_parser_feed(parser, $0, buffer.count)
            }
        }
        guard let document = cmark_parser_finish(parser) else { return result }
        // In an arena, freeing node by node would only walk the tree: leaving drops it.
        defer { if systemAllocator { cmark_node_free(document) } }
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
                            heading: heading, wordCount: 0, blocks: 0..<0, firstLine: startLine + offset,
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
        result.indexBlocksBySection()
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
