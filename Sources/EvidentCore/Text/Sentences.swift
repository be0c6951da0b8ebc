/// Where the sentences of a paragraph end, so that a judgement is held to the citations
/// of its own sentence: "She is a rockstar [@pr-writeups]. Everyone loves working with
/// her." cites nothing for its second sentence.
///
/// A sentence ends at `.`, `!` or `?` (after any closing quotes, brackets or emphasis
/// marks) followed by white space. Not at the dot of a common abbreviation (`e.g.`,
/// `etc.`, `vs.`) or of an initial (`J. Smith`), nor inside `p99.9` or `acme.com`. A
/// citation written just after the full stop (`Great launch. [@launch]`) still belongs
/// to the sentence before it. Positions are 1-based file lines and Unicode-scalar
/// columns, like `Citation` and `PhraseMatcher.Match`.
public struct Sentences {
    public struct Position: Comparable {
        public var line: Int
        public var column: Int

        public init(line: Int, column: Int) {
            self.line = line
            self.column = column
        }

        public static func < (lhs: Position, rhs: Position) -> Bool {
            (lhs.line, lhs.column) < (rhs.line, rhs.column)
        }
    }

    /// The last character of every sentence but the last, in order.
    public private(set) var ends: [Position] = []

    /// Abbreviations whose dot does not end a sentence (lowercased, without the last dot).
    public static let abbreviations: Set<String> = [
        "e.g", "i.e", "etc", "vs", "cf", "approx", "dr", "mr", "mrs", "ms", "jr", "sr", "st", "no", "fig",
        "inc", "ltd", "al",
    ]

    public init(_ block: TextBlock) {
        self.init(lines: block.lines, firstLine: block.firstLine)
    }

    public init(lines: [String], firstLine: Int) {
        // The paragraph as one run of scalars; a line break is white space.
        var scalars: [Unicode.Scalar] = []
        var positions: [Position] = []
        for (offset, line) in lines.enumerated() {
            if offset > 0 {
                scalars.append("\n")
                positions.append(Position(line: firstLine + offset - 1, column: (positions.last?.column ?? 0) + 1))
            }
            for (index, scalar) in line.unicodeScalars.enumerated() {
                scalars.append(scalar)
                positions.append(Position(line: firstLine + offset, column: index + 1))
            }
        }
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            guard scalar == "." || scalar == "!" || scalar == "?" else {
                index += 1
                continue
            }
            var end = index
            while end + 1 < scalars.count, Self.closers.contains(scalars[end + 1]) { end += 1 }
            // The end of the paragraph is the end of the last sentence: nothing to record.
            guard end + 1 < scalars.count else { break }
            guard scalars[end + 1].properties.isWhitespace,
                scalar != "." || !Self.isAbbreviation(scalars, dotAt: index)
            else {
                index = end + 1
                continue
            }
            end = Self.endOfTrailingCitations(scalars, after: end)
            ends.append(positions[end])
            index = end + 1
        }
    }

    /// Which sentence a position is in: 0 for the first.
    public func sentence(at position: Position) -> Int {
        var low = 0
        var high = ends.count
        while low < high {
            let middle = (low + high) / 2
            if ends[middle] < position { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Quotes, brackets and emphasis marks that may close a sentence after its full stop.
    private static let closers: Set<Unicode.Scalar> = [")", "]", "\"", "'", "\u{201D}", "\u{2019}", "*", "_"]

    /// Whether the dot at `dot` ends an abbreviation or an initial: the word before it,
    /// back to white space or an opening bracket, is listed, or is one letter.
    private static func isAbbreviation(_ scalars: [Unicode.Scalar], dotAt dot: Int) -> Bool {
        var start = dot
        while start > 0, !scalars[start - 1].properties.isWhitespace, scalars[start - 1] != "(" { start -= 1 }
        let word = String(String.UnicodeScalarView(scalars[start..<dot])).lowercased()
        if word.count == 1, word.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic }) { return true }
        return abbreviations.contains(word)
    }

    /// Citation groups (`[@a]`, `[@a; @b]`, several in a row) that follow a sentence's
    /// end belong to it: returns the index of the last `]` of them, or `end`.
    private static func endOfTrailingCitations(_ scalars: [Unicode.Scalar], after end: Int) -> Int {
        var last = end
        var index = end + 1
        while true {
            while index < scalars.count, scalars[index].properties.isWhitespace { index += 1 }
            guard index + 1 < scalars.count, scalars[index] == "[", scalars[index + 1] == "@",
                let close = scalars[index...].firstIndex(of: "]")
            else { return last }
            last = close
            // Punctuation right after the group stays with it: `[@a].`
            while last + 1 < scalars.count, ".!?".unicodeScalars.contains(scalars[last + 1]) { last += 1 }
            index = last + 1
        }
    }
}
