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
