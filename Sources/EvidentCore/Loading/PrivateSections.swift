import Foundation

/// The one definition of a private section (every command uses it): a heading at any
/// level, in any container (block quote, list item), whose text after inline markup,
/// entities and comments are resolved is `Private`, ignoring case. The section runs to
/// the line before the next heading of the same or a higher level, or to the body's end.
///
/// It works on the parsed headings (cmark-gfm's text of each heading), never on raw
/// lines, so `### **Private**`, `### Priv&#97;te` and `> ### Private` all count.
public enum PrivateSections {
    /// Whether a heading's resolved text names a private section.
    ///
    /// Runs on every heading of every file while loading, so ASCII text (nearly all
    /// headings) is compared on its bytes; Foundation's trimming and lowercasing, which
    /// cost some 9 % of a whole check at 10,000 people, handle the rest.
    public static func isPrivateTitle(_ text: String) -> Bool {
        var text = text
        if let ascii = text.withUTF8({ bytes -> Bool? in
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            // CharacterSet.whitespacesAndNewlines in ASCII: tab, line feed, vertical tab,
            // form feed, carriage return and space.
            func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) }
            var start = 0
            var end = bytes.count
            while start < end, isBlank(bytes[start]) { start += 1 }
            while end > start, isBlank(bytes[end - 1]) { end -= 1 }
            guard end - start == privateWord.count else { return false }
            for offset in 0..<privateWord.count {
                let byte = bytes[start + offset]
                guard (byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte) == privateWord[offset] else { return false }
            }
            return true
        }) {
            return ascii
        }
        return mayMentionPrivate(text) && text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() == "private"
    }

    /// Whether the UTF-8 bytes of `text` hold `private` in any ASCII case: a necessary
    /// condition for its lowercased text to hold `private` (no other scalar lowercases to
    /// these letters alone: `İ` gives `i` and a combining dot), so a cheap test first.
    public static func mayMentionPrivate(_ text: String) -> Bool {
        let word: [UInt8] = Array("private".utf8)
        var text = text
        return text.withUTF8 { bytes in
            guard bytes.count >= word.count else { return false }
            for start in 0...(bytes.count - word.count) where bytes[start] | 0x20 == word[0] {
                var matched = 1
                while matched < word.count, bytes[start + matched] | 0x20 == word[matched] { matched += 1 }
                if matched == word.count { return true }
            }
            return false
        }
    }

    private static let privateWord: [UInt8] = Array("private".utf8)

    /// File lines of every private section of a body, heading included, in order and
    /// merged where they nest. `lastLine` is the body's last file line.
    public static func ranges(headings: [MarkdownHeading], lastLine: Int) -> [ClosedRange<Int>] {
        var ranges: [ClosedRange<Int>] = []
        var index = 0
        while index < headings.count {
            let heading = headings[index]
            guard isPrivateTitle(heading.text) else {
                index += 1
                continue
            }
            var next = index + 1
            while next < headings.count, headings[next].level > heading.level { next += 1 }
            let end = next < headings.count ? max(heading.line, headings[next].line - 1) : max(heading.line, lastLine)
            ranges.append(heading.line...end)
            // Headings nested inside this section are already covered by it.
            index = next
        }
        return ranges
    }
}

extension MarkdownBody {
    /// Whether a file line lies in a private section.
    public func isPrivate(line: Int) -> Bool {
        privateLineRanges.contains { $0.contains(line) }
    }
}

extension MarkdownParser {
    /// Words of a plain text (a front matter value such as `summary:`), counted as the
    /// body's words are, so every word limit agrees.
    public static func wordCount(of text: String) -> Int { countWords(text) }
}

extension PrivateSections {
    /// Byte ranges of the bodies of a file's private sections (the lines after each
    /// private heading, to the section's end, line ends included): what sealing replaces
    /// with an age block. Computed with the one definition above on the whole file
    /// (front matter and CRLF line ends allowed); bodies that are only whitespace, and a
    /// setext heading's underline, are left out.
    public static func bodyByteRanges(in bytes: [UInt8]) -> [Range<Int>] {
        var lineStarts = [0]
        for (index, byte) in bytes.enumerated() where byte == 0x0A && index + 1 < bytes.count {
            lineStarts.append(index + 1)
        }
        // Foundation's replacing costs more than the rest of this for a file without CR.
        let decoded = String(decoding: bytes, as: UTF8.self)
        let text = bytes.contains(0x0D) ? decoded.replacingOccurrences(of: "\r\n", with: "\n") : decoded
        let split = FrontMatterSplit.split(text)
        let body = MarkdownParser.parse(split.body, firstLine: split.bodyFirstLine)
        var result: [Range<Int>] = []
        for range in body.privateLineRanges {
            var first = range.lowerBound + 1
            let last = min(range.upperBound, lineStarts.count)
            if first <= last, isSetextUnderline(line(first, of: bytes, lineStarts)) { first += 1 }
            guard first <= last else { continue }
            let start = lineStarts[first - 1]
            let end = last < lineStarts.count ? lineStarts[last] : bytes.count
            guard start < end, bytes[start..<end].contains(where: { !isBlank($0) }) else { continue }
            result.append(start..<end)
        }
        return result
    }

    private static func line(_ number: Int, of bytes: [UInt8], _ starts: [Int]) -> ArraySlice<UInt8> {
        let start = starts[number - 1]
        let end = number < starts.count ? starts[number] : bytes.count
        return bytes[start..<end]
    }

    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// `---` or `===` (up to three spaces before, blanks after): the second line of a
    /// setext heading, which belongs to the heading, not to its section.
    private static func isSetextUnderline(_ line: ArraySlice<UInt8>) -> Bool {
        let trimmed = line.drop { $0 == 0x20 }
        guard line.count - trimmed.count <= 3, let mark = trimmed.first, mark == 0x2D || mark == 0x3D else {
            return false
        }
        let run = trimmed.prefix { $0 == mark }
        return trimmed.dropFirst(run.count).allSatisfy(isBlank)
    }
}
