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
    public static func isPrivateTitle(_ text: String) -> Bool {
        text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() == "private"
    }

    /// File lines of every private section of a body, heading included, in order and
    /// merged where they nest. `lastLine` is the body's last file line.
    public static func ranges(headings: [MarkdownHeading], lastLine: Int) -> [ClosedRange<Int>] {
        var ranges: [ClosedRange<Int>] = []
        var index = 0
        while index < headings.count {
            let heading = headings[index]
            guard isPrivateTitle(heading.text) else { index += 1; continue }
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
