/// Parses a huge Markdown body in pieces, so memory stays bounded by the piece.
///
/// cmark-gfm builds the whole syntax tree before it can be walked, some 150 bytes a node
/// and several nodes per `[@id]`: a 6 MB review of 300,000 sections took 370 MB for the
/// tree alone. A body over `threshold` bytes is therefore cut, into pieces of at least
/// `pieceBytes`, before ATX headings at
/// column 0 (`## …`) where the cut cannot change the parse: such a line always starts a
/// new top-level block (it closes lists, block quotes, paragraphs and indented code)
/// unless it is inside a top-level fenced code block or an HTML block, which are tracked
/// here, conservatively (a line that might open one stops cutting until it surely
/// ends). A body without headings (600,000 paragraphs) is also cut before a line that
/// starts with an ASCII letter at column 0 after a blank line: that line cannot continue
/// a list item, a block quote, a paragraph or indented code, nor open any block but a
/// paragraph, so it too starts a new top-level block. Link reference definitions apply across the whole document, so a body that
/// might hold one (`]:`) is not cut. Each piece is parsed alone with its own line offset
/// and the results are joined: the first section of a piece continues the last one.
/// `MarkdownPiecesTests` compares the joined result with a whole parse.
enum MarkdownPieces {
    /// Bodies up to this size are parsed whole: every real review, and the buffers the
    /// language server's 1 MB target is about. Cutting costs CPU time (see `pieceBytes`),
    /// so it is kept for the bodies whose tree alone would pass the 300 MB target.
    static let threshold = 4 * 1024 * 1024
    /// Pieces are at least this long. Smaller pieces keep less of cmark's tree alive, but
    /// each costs time: the next piece's tree is allocated among the remains of the last
    /// one and of the summary built from it, and walking it then misses the cache (a
    /// 6.4 MB review took some 1.7× the CPU time of one parse in 256 KiB pieces, for half
    /// the memory).
    static let pieceBytes = 256 * 1024

    /// One piece: its text and the 0-based index of its first line in the body.
    struct Piece {
        var text: String
        var firstLine: Int
        /// The piece starts inside a paragraph of the previous one (see `isPlain`).
        var continuesParagraph = false
    }

    /// Where a piece starts: byte offset and 0-based line index in the body.
    private struct Cut {
        var byte: Int
        var line: Int
        var continuesParagraph: Bool
    }

    /// The pieces of `body`, or nil when it cannot be cut safely.
    ///
    /// One huge paragraph (500,000 bare URLs) is cut between its lines too, when the
    /// whole paragraph is plain: it starts a top-level block, and every line of it starts
    /// with a letter and holds only letters, digits, blanks and punctuation that no inline
    /// construct spanning lines uses (no brackets, backticks, emphasis marks, `<`, `\`).
    /// Such a line break cannot change how the lines parse, nor end the paragraph; the
    /// cuts are kept only once the paragraph ends at a blank line or the body's end, since
    /// a setext underline would turn all of it into a heading. The parts are joined again
    /// into one text block by `parse`.
    static func cut(_ body: String, pieceBytes: Int = MarkdownPieces.pieceBytes) -> [Piece]? {
        if body.containsBytes("]:") { return nil }
        let bytes = Array(body.utf8)
        var scanner = BlockScanner()
        var cuts: [Cut] = []
        // Cuts inside the plain paragraph being read, kept when it ends well.
        var pending: [Cut] = []
        var lastCut = 0
        var lineStart = 0
        var lineIndex = 0
        var afterBlank = false
        var afterHeading = false
        var inPlainParagraph = false
        while lineStart < bytes.count {
            var lineEnd = lineStart
            while lineEnd < bytes.count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
            let line = bytes[lineStart..<lineEnd]
            let blank = line.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
            let heading = BlockScanner.isHeading(line)
            let letter = BlockScanner.startsWithLetter(line)
            let outside = scanner.isOutsideBlocks
            if inPlainParagraph {
                if blank {
                    cuts += pending
                    pending.removeAll()
                    inPlainParagraph = false
                } else if letter, BlockScanner.isPlain(line) {
                    if lineStart - lastCut >= pieceBytes {
                        pending.append(Cut(byte: lineStart, line: lineIndex, continuesParagraph: true))
                        lastCut = lineStart
                    }
                } else {
                    // The paragraph may end otherwise (a setext underline): its cuts are dropped.
                    pending.removeAll()
                    lastCut = cuts.last?.byte ?? 0
                    inPlainParagraph = false
                }
            } else if outside {
                if lineStart - lastCut >= pieceBytes, lineIndex > 0, heading || (afterBlank && letter) {
                    cuts.append(Cut(byte: lineStart, line: lineIndex, continuesParagraph: false))
                    lastCut = lineStart
                }
                if letter, afterBlank || afterHeading || lineIndex == 0, BlockScanner.isPlain(line) {
                    inPlainParagraph = true
                }
            }
            scanner.read(line)
            afterBlank = blank
            afterHeading = heading && outside
            lineStart = lineEnd + 1
            lineIndex += 1
        }
        cuts += pending
        var pieces: [Piece] = []
        var start = Cut(byte: 0, line: 0, continuesParagraph: false)
        for cut in cuts + [Cut(byte: bytes.count, line: lineIndex, continuesParagraph: false)] {
            pieces.append(
                Piece(
                    text: String(decoding: bytes[start.byte..<cut.byte], as: UTF8.self), firstLine: start.line,
                    continuesParagraph: start.continuesParagraph))
            start = cut
        }
        return pieces
    }

    /// Parses every piece and joins the results as one parse of the body would give them.
    static func parse(_ pieces: [Piece], firstLine: Int) -> MarkdownBody {
        var result = MarkdownBody()
        for (number, piece) in pieces.enumerated() {
            let part = MarkdownParser.parseWhole(piece.text, firstLine: firstLine + piece.firstLine)
            guard number > 0 else {
                result = part
                continue
            }
            // The piece's text before its first heading (none: pieces start at headings)
            // continues the section open at the end of the previous piece.
            let continued = result.sections.count - 1
            if let head = part.sections.first {
                result.sections[continued].wordCount += head.wordCount
                result.sections[continued].lastLine = head.lastLine
            }
            let base = result.sections.count - 1
            result.sections += part.sections.dropFirst()
            result.headings += part.headings
            result.links += part.links
            result.directives += part.directives
            var blocks = part.blocks[...]
            // A paragraph cut between its lines is one text block again.
            if piece.continuesParagraph, let head = blocks.first, head.section == 0,
                head.firstLine == firstLine + piece.firstLine, !result.blocks.isEmpty
            {
                result.blocks[result.blocks.count - 1].lines += head.lines
                result.blocks[result.blocks.count - 1].citations += head.citations
                blocks = blocks.dropFirst()
            }
            for var block in blocks {
                block.section = block.section == 0 ? continued : base + block.section
                result.blocks.append(block)
            }
        }
        if pieces.count > 1 { result.indexBlocksBySection() }
        // A private section may run across pieces: found again on all the headings.
        if pieces.count > 1, let last = result.sections.last {
            result.privateLineRanges = PrivateSections.ranges(headings: result.headings, lastLine: last.lastLine)
        }
        return result
    }

    /// Which top-level fenced code or HTML block may be open after the lines read.
    struct BlockScanner {
        /// The fence character and length of an open fenced code block.
        var fence: (character: UInt8, length: Int)?
        /// The end marker of an open HTML block of kinds 1 to 5 (`-->`, `</pre>`, …).
        var htmlEnd: [UInt8]?
        /// An HTML block of kinds 6 or 7 may be open: it ends at a blank line.
        var htmlUntilBlank = false

        var isOutsideBlocks: Bool { fence == nil && htmlEnd == nil && !htmlUntilBlank }

        /// An ATX heading at column 0: one to six `#`, then a blank or the line's end.
        static func isHeading(_ line: ArraySlice<UInt8>) -> Bool {
            var index = line.startIndex
            while index < line.endIndex, line[index] == UInt8(ascii: "#") { index += 1 }
            let level = index - line.startIndex
            guard (1...6).contains(level) else { return false }
            return index == line.endIndex || line[index] == 0x20 || line[index] == 0x09 || line[index] == 0x0D
        }

        /// Letters, digits, blanks and `.,;:/-?=%+#'"()@` only: in a paragraph, no inline
        /// construct that may span lines (code, emphasis, links, HTML, hard breaks by `\`)
        /// starts or ends in such a line.
        static func isPlain(_ line: ArraySlice<UInt8>) -> Bool {
            line.allSatisfy { plainBytes[Int($0)] }
        }

        private static let plainBytes: [Bool] = (0..<256).map { value in
            let byte = UInt8(value)
            return (0x61...0x7A).contains(byte | 0x20) || (0x30...0x39).contains(byte)
                || " .,;:/-?=%+#'\"()@".utf8.contains(byte)
        }

        /// An ASCII letter at column 0: after a blank line, such a line starts a paragraph
        /// at the top level, whatever was open before the blank line.
        static func startsWithLetter(_ line: ArraySlice<UInt8>) -> Bool {
            guard let first = line.first else { return false }
            return (0x61...0x7A).contains(first | 0x20)
        }

        mutating func read(_ line: ArraySlice<UInt8>) {
            var index = line.startIndex
            var indent = 0
            while index < line.endIndex, line[index] == 0x20 || line[index] == 0x09 {
                indent += line[index] == 0x09 ? 4 : 1
                index += 1
            }
            let rest = line[index...]
            let blank = rest.allSatisfy { $0 == 0x0D }
            if let open = fence {
                // A closing fence: the same character at least as many times, then blanks.
                if indent <= 3, rest.first == open.character {
                    let run = rest.prefix { $0 == open.character }.count
                    if run >= open.length, rest.dropFirst(run).allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
                        fence = nil
                    }
                }
                return
            }
            if let end = htmlEnd {
                if BlockScanner.contains(rest, end) { htmlEnd = nil }
                return
            }
            if blank {
                htmlUntilBlank = false
                return
            }
            guard indent <= 3, let first = rest.first else { return }
            if first == UInt8(ascii: "`") || first == UInt8(ascii: "~") {
                let run = rest.prefix { $0 == first }.count
                if run >= 3 { fence = (first, run) }
                return
            }
            guard first == UInt8(ascii: "<") else { return }
            let lowered = rest.map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }
            for (start, end) in BlockScanner.htmlKinds where lowered.starts(with: start) {
                let after = lowered.dropFirst(start.count)
                if !BlockScanner.contains(after, end) { htmlEnd = end }
                return
            }
            if lowered.count > 2, lowered[1] == UInt8(ascii: "!"), (0x61...0x7A).contains(lowered[2]) {
                if !BlockScanner.contains(lowered.dropFirst(2), [UInt8(ascii: ">")]) { htmlEnd = [UInt8(ascii: ">")] }
                return
            }
            // Any other tag may open a block that runs to the next blank line.
            htmlUntilBlank = true
        }

        /// HTML blocks of kinds 1 to 5: how they start (lowercased) and what ends them.
        static let htmlKinds: [([UInt8], [UInt8])] = [
            ("<script", "</script>"), ("<pre", "</pre>"), ("<style", "</style>"), ("<textarea", "</textarea>"),
            ("<!--", "-->"), ("<?", "?>"), ("<![cdata[", "]]>"),
        ].map { (Array($0.0.utf8), Array($0.1.utf8)) }

        static func contains<Bytes: Collection>(_ bytes: Bytes, _ needle: [UInt8]) -> Bool
        where Bytes.Element == UInt8 {
            let haystack = Array(bytes).map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }
            guard haystack.count >= needle.count else { return false }
            for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
                if Array(haystack[start..<(start + needle.count)]) == needle { return true }
            }
            return false
        }
    }
}
