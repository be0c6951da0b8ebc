import EvidentCore
import Foundation

/// Making user text safe for each output format.
///
/// Everything a report shows that came from a review repository (names, summaries,
/// rationales, links, diagnostic messages) is written by people, and a review can hold
/// `<script>` as easily as prose. Every renderer in this module sends user text through
/// one of these functions; none builds markup from raw input.
public enum SafeText {
    /// Removes characters that can reformat a terminal or reorder text: C0 and C1
    /// controls (ESC starts terminal escape sequences), DEL, and the Unicode bidi
    /// overrides that make text display differently from how it reads. Line and
    /// paragraph separators become spaces when `keepNewlines` is false.
    public static func clean(_ text: String, keepNewlines: Bool = false) -> String {
        // Reports hold thousands of short strings; most are plain printable ASCII.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0A where keepNewlines: result.append(scalar)
            case 0x09, 0x0A, 0x0D, 0x2028, 0x2029: result.append(" ")
            case 0x00...0x1F, 0x7F...0x9F: continue
            case 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: continue
            default: result.append(scalar)
            }
        }
        return String(result)
    }

    /// One line of plain text, for terminals: controls removed, whitespace runs folded.
    public static func line(_ text: String) -> String {
        collapseSpaces(clean(text))
    }

    static func collapseSpaces(_ text: String) -> String {
        let bytes = text.utf8
        var previousSpace = true
        var needsWork = false
        for byte in bytes {
            let isSpace = byte == 0x20
            if isSpace && previousSpace {
                needsWork = true
                break
            }
            previousSpace = isSpace
        }
        if !needsWork && bytes.last != 0x20 { return text }
        var result = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if scalar == " " {
                pendingSpace = !result.isEmpty
            } else {
                if pendingSpace { result.append(" ") }
                pendingSpace = false
                result.append(scalar)
            }
        }
        return String(result)
    }
}

/// HTML escaping. Text goes into element content and double-quoted attributes only.
public enum HTMLText {
    /// Escapes `& < > " '` and removes control characters, so user text can never open
    /// a tag, close an attribute or start an entity.
    public static func escape(_ text: String) -> String {
        let cleaned = SafeText.clean(text, keepNewlines: true)
        if !cleaned.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) {
            return cleaned
        }
        var result = ""
        result.reserveCapacity(cleaned.utf8.count + 16)
        for scalar in cleaned.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// A link target safe to put in `href`, or nil. Only absolute `http` and `https`
    /// URLs qualify: `javascript:` and `data:` URLs run code, and repository-relative
    /// paths lead nowhere from a standalone file, so those are shown as text instead.
    public static func safeURL(_ link: String) -> String? {
        let trimmed = link.trimmingCharacters(in: .whitespaces)
        let lower = trimmed.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://") else { return nil }
        guard !trimmed.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F }) else { return nil }
        return trimmed
    }

    /// A link when the target is a safe URL, else the escaped text alone.
    public static func link(_ text: String, to target: String?) -> String {
        guard let target, let url = safeURL(target) else { return escape(text) }
        return "<a href=\"\(escape(url))\" rel=\"noopener noreferrer\">\(escape(text))</a>"
    }
}

/// Markdown escaping for reports pasted into pull requests.
public enum MarkdownText {
    /// User text inside a line of Markdown (a table cell, a list item, a heading).
    ///
    /// Newlines would end the table row or list item, `|` would split a cell, `<` would
    /// open raw HTML (a git host renders `<img>`), and `[`/`]` would make links or
    /// images that load from anywhere. Those, plus the emphasis and code markers that
    /// would swallow the rest of a line, are backslash-escaped, which every CommonMark
    /// renderer shows as the plain character.
    public static func inline(_ text: String) -> String {
        let line = SafeText.line(text)
        if !line.utf8.contains(where: markdownSpecial.contains) { return line }
        var result = ""
        result.reserveCapacity(line.utf8.count + 8)
        for scalar in line.unicodeScalars {
            if scalar.isASCII, markdownSpecial.contains(UInt8(scalar.value)) { result.unicodeScalars.append("\\") }
            result.unicodeScalars.append(scalar)
        }
        return result
    }

    /// The characters `inline` escapes, as bytes.
    private static let markdownSpecial: Set<UInt8> = Set("\\`*[]<>|_".utf8)

    /// An inline link when `target` is an http(s) URL, else the escaped text.
    public static func link(_ text: String, to target: String?) -> String {
        guard let target, let url = HTMLText.safeURL(target) else { return inline(text) }
        // Parentheses and spaces would end the destination early; angle brackets allow
        // any characters except `<`, `>` and line breaks.
        let destination = url.replacingOccurrences(of: "<", with: "%3C").replacingOccurrences(of: ">", with: "%3E")
        return "[\(inline(text))](<\(destination)>)"
    }

    /// A code span holding an identifier or path: backticks inside are replaced, so
    /// the span cannot be closed early.
    public static func code(_ text: String) -> String {
        "`" + SafeText.line(text).replacingOccurrences(of: "`", with: "'") + "`"
    }
}

/// Prose taken from a review (a growth plan) made readable outside Markdown: citations
/// such as `[@a; @b]` become "(evidence: a, b)", HTML comments are dropped.
enum Prose {
    static func paragraphs(fromLines lines: [String]) -> [String] {
        var withoutComments: [String] = []
        var inComment = false
        for line in lines {
            var rest = Substring(line)
            var kept = ""
            while !rest.isEmpty {
                if inComment {
                    guard let end = rest.range(of: "-->") else {
                        rest = ""
                        break
                    }
                    rest = rest[end.upperBound...]
                    inComment = false
                } else if let start = rest.range(of: "<!--") {
                    kept += rest[..<start.lowerBound]
                    rest = rest[start.upperBound...]
                    inComment = true
                } else {
                    kept += rest
                    rest = ""
                }
            }
            withoutComments.append(kept)
        }
        var paragraphs: [String] = []
        var current: [String] = []
        for line in withoutComments {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty {
                if !current.isEmpty { paragraphs.append(current.joined(separator: " ")) }
                current = []
            } else {
                current.append(trimmed)
            }
        }
        if !current.isEmpty { paragraphs.append(current.joined(separator: " ")) }
        return paragraphs.map { SafeText.line(replacingCitations(in: $0)) }
    }

    /// `[@a; @b]` → `(evidence: a, b)`; other brackets are left alone.
    static func replacingCitations(in text: String) -> String {
        let characters = Array(text)
        var result = ""
        var index = 0
        while index < characters.count {
            guard characters[index] == "[", let close = characters[index...].firstIndex(of: "]") else {
                result.append(characters[index])
                index += 1
                continue
            }
            let group = String(characters[index...close])
            let isLink = close + 1 < characters.count && (characters[close + 1] == "(" || characters[close + 1] == "[")
            let citations = isLink ? [] : CitationScanner.scan(group, line: 1).map(\.id)
            if citations.isEmpty {
                result += group
            } else {
                result += "(evidence: " + citations.joined(separator: ", ") + ")"
            }
            index = close + 1
        }
        return result
    }
}
