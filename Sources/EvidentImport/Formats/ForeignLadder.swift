import Foundation

/// Recognises a foreign ladder dropped into `levels/`, so `check` can say which
/// `evident import` converts it instead of listing every field it does not know.
public enum ForeignLadder {
    public enum Format: String, Sendable {
        case monzo
        case markdownTable = "markdown-table"
    }

    /// The format `text` is in, when it is not a level guide but looks like a ladder.
    public static func detect(_ text: String) -> Format? {
        let normalised = text.replacingOccurrences(of: "\r\n", with: "\n")
        if let (yaml, body) = SourceFile.frontMatter(normalised) {
            if MonzoFormat.looksLikeFramework(yaml: yaml) { return .monzo }
            if yaml.split(separator: "\n").contains(where: { $0.hasPrefix("kind:") }) { return nil }
            if MonzoMarkdownBody.looksLikeFramework(body: body) { return .monzo }
            return hasLevelTable(body) ? .markdownTable : nil
        }
        return hasLevelTable(normalised) ? .markdownTable : nil
    }

    static func hasLevelTable(_ text: String) -> Bool {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for index in lines.indices.dropLast() {
            let line = lines[index].trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("|"), MarkdownTableFormat.isDelimiterRow(lines[index + 1]),
                MarkdownTableFormat.cells(of: line).count >= 3
            {
                return true
            }
        }
        return false
    }
}
