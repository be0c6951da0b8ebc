/// The result of splitting a Markdown document into its YAML front matter and its body.
///
/// Line numbers are kept so that positions found by the YAML and Markdown parsers can be
/// shifted back to positions in the whole file.
public struct FrontMatterSplit: Sendable {
    /// The YAML between the fences, or nil when the document has no opening fence.
    public var yaml: String?
    /// The 1-based file line on which the YAML starts (the line after the opening fence).
    public var yamlFirstLine: Int
    /// The Markdown after the closing fence (the whole text when there is no front matter).
    public var body: String
    /// The 1-based file line on which the body starts.
    public var bodyFirstLine: Int
    /// Set when an opening fence has no closing fence.
    public var unclosed: Bool

    /// Splits `text` (already LF-normalised). The opening fence must be the first line;
    /// the closing fence is the next line that is exactly `---` or `...`.
    public static func split(_ text: String) -> FrontMatterSplit {
        // Every file of a check comes through here: find the fences in the UTF-8 bytes
        // and copy the two parts out once, rather than cutting every line into a
        // Substring (which walks grapheme clusters) and joining them again. Without a
        // carriage return, lines split on bytes are exactly the lines split on
        // Characters; with one ("\r\n" is a single Character), `splitCharacters` keeps
        // its meaning.
        if let split = text.utf8.withContiguousStorageIfAvailable({ splitBytes($0, text: text) }), let split {
            return split
        }
        return splitCharacters(text)
    }

    /// `split` line by line, in Characters: the reference, and the path for text with
    /// carriage returns.
    static func splitCharacters(_ text: String) -> FrontMatterSplit {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)[...]
        guard let first = lines.first, first.trimmingTrailingSpaces == "---" else {
            return FrontMatterSplit(yaml: nil, yamlFirstLine: 1, body: text, bodyFirstLine: 1, unclosed: false)
        }
        lines = lines.dropFirst()
        var yamlLines: [Substring] = []
        var lineNumber = 2
        for line in lines {
            let trimmed = line.trimmingTrailingSpaces
            if trimmed == "---" || trimmed == "..." {
                let bodyLines = lines.dropFirst(yamlLines.count + 1)
                return FrontMatterSplit(
                    yaml: yamlLines.joined(separator: "\n"), yamlFirstLine: 2,
                    body: bodyLines.joined(separator: "\n"), bodyFirstLine: lineNumber + 1, unclosed: false)
            }
            yamlLines.append(line)
            lineNumber += 1
        }
        return FrontMatterSplit(
            yaml: yamlLines.joined(separator: "\n"), yamlFirstLine: 2, body: "", bodyFirstLine: lineNumber,
            unclosed: true)
    }
}

extension FrontMatterSplit {
    /// `split` on the UTF-8 bytes of `text`; nil when the text has a carriage return.
    private static func splitBytes(_ bytes: UnsafeBufferPointer<UInt8>, text: String) -> FrontMatterSplit? {
        let newline = UInt8(ascii: "\n")
        guard !bytes.contains(UInt8(ascii: "\r")) else { return nil }
        func lineEnd(from start: Int) -> Int {
            var end = start
            while end < bytes.count, bytes[end] != newline { end += 1 }
            return end
        }
        func isFence(_ start: Int, _ end: Int, _ mark: UInt8) -> Bool {
            var end = end
            while end > start, bytes[end - 1] == UInt8(ascii: " ") || bytes[end - 1] == UInt8(ascii: "\t") { end -= 1 }
            return end - start == 3 && bytes[start] == mark && bytes[start + 1] == mark && bytes[start + 2] == mark
        }
        func slice(_ start: Int, _ end: Int) -> String {
            start < end ? String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self) : ""
        }
        let firstEnd = lineEnd(from: 0)
        guard isFence(0, firstEnd, UInt8(ascii: "-")) else {
            return FrontMatterSplit(yaml: nil, yamlFirstLine: 1, body: text, bodyFirstLine: 1, unclosed: false)
        }
        let yamlStart = firstEnd + 1
        var lineStart = yamlStart
        var lineNumber = 2
        // The line after the last newline counts as a line, even when empty.
        while lineStart <= bytes.count {
            let end = lineEnd(from: lineStart)
            if isFence(lineStart, end, UInt8(ascii: "-")) || isFence(lineStart, end, UInt8(ascii: ".")) {
                return FrontMatterSplit(
                    yaml: slice(yamlStart, lineStart - 1), yamlFirstLine: 2, body: slice(end + 1, bytes.count),
                    bodyFirstLine: lineNumber + 1, unclosed: false)
            }
            lineStart = end + 1
            lineNumber += 1
        }
        return FrontMatterSplit(
            yaml: slice(yamlStart, bytes.count), yamlFirstLine: 2, body: "", bodyFirstLine: lineNumber, unclosed: true)
    }
}

extension Substring {
    var trimmingTrailingSpaces: Substring {
        var end = endIndex
        while end > startIndex {
            let previous = index(before: end)
            guard self[previous] == " " || self[previous] == "\t" else { break }
            end = previous
        }
        return self[startIndex..<end]
    }
}
