import EvidentCore
import Foundation

/// What the text around a position is, found from the text alone (no organisation).
///
/// Completion and hover work on a buffer the user is in the middle of typing, which is
/// usually not valid YAML or finished Markdown: `reviewer: da` or `[@lat`. So the
/// context is read from the current line and the lines above it, the way a person reads
/// it, rather than from a parse tree that may not exist yet.
public enum CompletionContext: Equatable, Sendable {
    /// After `@` inside `[...]`: an evidence id. `partial` is what is typed of it so far,
    /// starting at `replaceFrom`.
    case citation(partial: String, replaceFrom: LSPPosition)
    /// A `#`/`##` heading being typed at the start of a body line; `replaceFrom` is the
    /// first `#`, since the completion rewrites the whole heading.
    case heading(partial: String, replaceFrom: LSPPosition)
    /// The value of a front matter (or YAML file) field, such as `reviewer: da` or an
    /// element of `values: [ownership, wr`. `needsSpace` is set right after the colon.
    case fieldValue(key: String, partial: String, replaceFrom: LSPPosition, needsSpace: Bool)
    case none
}

/// A token under the cursor that hover can explain.
public enum HoverTarget: Equatable, Sendable {
    /// A `## ` heading line; `title` is its text.
    case heading(title: String, range: LSPRange)
    /// `@id` inside a citation.
    case citation(id: String, range: LSPRange)
    /// An id written as the value of a front matter field.
    case fieldValue(key: String, value: String, range: LSPRange)
    case none
}

public struct DocumentContext: Sendable {
    public let text: LineText
    /// Plain YAML files (people.yaml, cycle.yaml…) are all "front matter".
    public let isYAML: Bool

    public init(text: LineText, isYAML: Bool) {
        self.text = text
        self.isYAML = isYAML
    }

    public init(_ text: String, kind: DocumentKind?) {
        self.init(text: LineText(text), isYAML: kind?.isYAML ?? false)
    }

    // MARK: Regions

    /// The 0-based lines holding YAML: between the `---` fences of a Markdown file (to
    /// the end of the file while the closing fence is not written yet), or every line of
    /// a YAML file. Nil when a Markdown file has no front matter.
    public var frontMatterLines: Range<Int>? {
        if isYAML { return 0..<text.lineCount }
        guard text.lineCount > 0, trimTrailing(text.line(0)) == "---" else { return nil }
        for index in 1..<max(1, text.lineCount) {
            let line = trimTrailing(text.line(index))
            if line == "---" || line == "..." { return 1..<index }
        }
        return 1..<text.lineCount
    }

    /// Whether the 0-based line is Markdown body (after the front matter).
    public func isBody(_ line: Int) -> Bool {
        if isYAML { return false }
        guard let yaml = frontMatterLines else { return true }
        return line >= yaml.upperBound + 1 && yaml.upperBound < text.lineCount
    }

    public func isFrontMatter(_ line: Int) -> Bool {
        frontMatterLines?.contains(line) ?? false
    }

    // MARK: Completion

    public func completionContext(at position: LSPPosition) -> CompletionContext {
        let prefix = Array(text.prefix(before: position).unicodeScalars)
        let cursor = LSPPosition(line: position.line, character: utf16Count(prefix))
        if isFrontMatter(position.line) {
            return fieldValueContext(prefix: prefix, line: position.line, cursor: cursor)
        }
        guard isBody(position.line) else { return .none }
        if let heading = headingContext(prefix: prefix, line: position.line) { return heading }
        if let citation = citationContext(prefix: prefix, line: position.line) { return citation }
        return .none
    }

    private func headingContext(prefix: [Unicode.Scalar], line: Int) -> CompletionContext? {
        var index = 0
        while index < prefix.count, index < 3, prefix[index] == " " { index += 1 }
        let hashStart = index
        while index < prefix.count, prefix[index] == "#" { index += 1 }
        let hashes = index - hashStart
        guard hashes == 1 || hashes == 2 else { return nil }
        // `#` alone may become `##`; `## text` is a section heading. A `# ` title is not.
        if hashes == 1 && index < prefix.count { return nil }
        while index < prefix.count, prefix[index] == " " { index += 1 }
        let partial = String(String.UnicodeScalarView(prefix[index...]))
        return .heading(
            partial: partial, replaceFrom: LSPPosition(line: line, character: utf16Count(prefix[..<hashStart])))
    }

    private func citationContext(prefix: [Unicode.Scalar], line: Int) -> CompletionContext? {
        guard let open = prefix.lastIndex(of: "["), !prefix[open...].contains("]") else { return nil }
        var start = prefix.count
        while start > open + 1, isKeyScalar(prefix[start - 1]) { start -= 1 }
        guard start - 1 > open, prefix[start - 1] == "@" else { return nil }
        let at = start - 1
        // Pandoc's rule: `@` starts a key at the bracket or after a space, `;` or `-`.
        guard at == open + 1 || " ;-\t".unicodeScalars.contains(prefix[at - 1]) else { return nil }
        let partial = String(String.UnicodeScalarView(prefix[start...]))
        return .citation(
            partial: partial, replaceFrom: LSPPosition(line: line, character: utf16Count(prefix[..<start])))
    }

    private func fieldValueContext(prefix: [Unicode.Scalar], line: Int, cursor: LSPPosition) -> CompletionContext {
        var start = prefix.count
        while start > 0, isKeyScalar(prefix[start - 1]) { start -= 1 }
        let partial = String(String.UnicodeScalarView(prefix[start...]))
        let replaceFrom = LSPPosition(line: line, character: utf16Count(prefix[..<start]))
        guard let (key, needsSpace) = fieldKey(before: Array(prefix[..<start]), line: line) else { return .none }
        return .fieldValue(key: key, partial: partial, replaceFrom: replaceFrom, needsSpace: needsSpace)
    }

    /// The field whose value starts after `before` on 0-based `line`: `key: `, `key: [a, `,
    /// `{ key: `, or a `- ` item of a block list under `key:`.
    func fieldKey(before: [Unicode.Scalar], line: Int) -> (key: String, needsSpace: Bool)? {
        var end = before.count
        while end > 0, before[end - 1] == " " || before[end - 1] == "\t" { end -= 1 }
        guard end > 0 else { return nil }
        let last = before[end - 1]
        if last == ":" {
            guard let key = identifier(endingAt: end - 1, in: before) else { return nil }
            // `- id: ` starts a new item; its value is new, not a reference.
            return (key, end == before.count)
        }
        if last == "[" || last == "," {
            // Inside a flow sequence on this line: find its unmatched `[`.
            var depth = 0
            var index = end - 1
            while index >= 0 {
                let scalar = before[index]
                if scalar == "]" { depth += 1 }
                if scalar == "[" {
                    if depth == 0 { break }
                    depth -= 1
                }
                if scalar == "{" && depth == 0 { return nil }
                index -= 1
            }
            guard index >= 0 else { return nil }
            var colon = index
            while colon > 0, before[colon - 1] == " " { colon -= 1 }
            guard colon > 0, before[colon - 1] == ":", let key = identifier(endingAt: colon - 1, in: before) else {
                return nil
            }
            return (key, false)
        }
        if last == "-", before[..<(end - 1)].allSatisfy({ $0 == " " }) {
            return blockListKey(line: line, indent: end - 1)
        }
        return nil
    }

    /// The `key:` that owns a `- ` list item indented by `indent` on `line`.
    private func blockListKey(line: Int, indent: Int) -> (key: String, needsSpace: Bool)? {
        var current = line - 1
        let firstYAMLLine = frontMatterLines?.lowerBound ?? 0
        while current >= firstYAMLLine {
            let scalars = Array(text.line(current).unicodeScalars)
            var lineIndent = 0
            while lineIndent < scalars.count, scalars[lineIndent] == " " { lineIndent += 1 }
            let content = scalars[lineIndent...]
            current -= 1
            if content.isEmpty || content.first == "#" { continue }
            if lineIndent > indent { continue }  // deeper content of a sibling item
            if lineIndent == indent, content.first == "-" { continue }  // a sibling item
            // `key:` (or `- key:`) with nothing after the colon but a comment.
            var body = Array(content)
            if let hash = body.firstIndex(of: "#"), hash > 0, body[hash - 1] == " " { body = Array(body[..<hash]) }
            while let tail = body.last, tail == " " || tail == "\t" { body.removeLast() }
            guard body.last == ":", let key = identifier(endingAt: body.count - 1, in: body) else { return nil }
            return (key, false)
        }
        return nil
    }

    /// The YAML key that ends just before index `colon`.
    private func identifier(endingAt colon: Int, in scalars: [Unicode.Scalar]) -> String? {
        var start = colon
        while start > 0, isFieldNameScalar(scalars[start - 1]) { start -= 1 }
        guard start < colon else { return nil }
        return String(String.UnicodeScalarView(scalars[start..<colon]))
    }

    // MARK: Hover

    public func hoverTarget(at position: LSPPosition) -> HoverTarget {
        let line = text.line(position.line)
        let scalars = Array(line.unicodeScalars)
        let cursor = min(LineText.scalarIndex(ofUTF16: position.character, in: line), scalars.count)
        if isBody(position.line) {
            if let title = Self.sectionTitle(line) {
                return .heading(title: title, range: range(line: position.line, scalars, 0, scalars.count))
            }
            if let (id, start, end) = citation(around: cursor, in: scalars) {
                return .citation(id: id, range: range(line: position.line, scalars, start, end))
            }
            return .none
        }
        guard isFrontMatter(position.line) else { return .none }
        var start = cursor
        while start > 0, isKeyScalar(scalars[start - 1]) { start -= 1 }
        var end = cursor
        while end < scalars.count, isKeyScalar(scalars[end]) { end += 1 }
        guard end > start else { return .none }
        let value = String(String.UnicodeScalarView(scalars[start..<end]))
        guard let (key, _) = fieldKey(before: Array(scalars[..<start]), line: position.line) else { return .none }
        return .fieldValue(key: key, value: value, range: range(line: position.line, scalars, start, end))
    }

    /// The `@id` of a citation whose `@` or key contains the cursor (scalar index).
    private func citation(around cursor: Int, in scalars: [Unicode.Scalar]) -> (String, Int, Int)? {
        var start = min(cursor, scalars.count)
        while start > 0, isKeyScalar(scalars[start - 1]) { start -= 1 }
        // On the `@` itself.
        if start < scalars.count, scalars[start] == "@", cursor == start { start += 1 }
        guard start > 0, scalars[start - 1] == "@" else { return nil }
        var end = start
        while end < scalars.count, isKeyScalar(scalars[end]) { end += 1 }
        while end > start, scalars[end - 1] == "." || scalars[end - 1] == ":" { end -= 1 }
        guard end > start, let open = scalars[..<start].lastIndex(of: "["),
            !scalars[open..<start].contains("]")
        else { return nil }
        return (String(String.UnicodeScalarView(scalars[start..<end])), start - 1, end)
    }

    /// The title of a `## ` heading line, or nil.
    public static func sectionTitle(_ line: Substring) -> String? {
        var rest = line[...]
        var spaces = 0
        while rest.first == " ", spaces < 3 {
            rest = rest.dropFirst()
            spaces += 1
        }
        guard rest.hasPrefix("## ") || rest == "##" else { return nil }
        var title = rest.dropFirst(2).trimmingCharacters(in: .whitespaces)
        // A closing sequence of #s is not part of the title (CommonMark).
        while title.hasSuffix("#") { title.removeLast() }
        title = title.trimmingCharacters(in: .whitespaces)
        return title.isEmpty ? nil : title
    }

    // MARK: Helpers

    private func range(line: Int, _ scalars: [Unicode.Scalar], _ start: Int, _ end: Int) -> LSPRange {
        LSPRange(
            start: LSPPosition(line: line, character: utf16Count(scalars[..<start])),
            end: LSPPosition(line: line, character: utf16Count(scalars[..<end])))
    }

    private func utf16Count<C: Collection>(_ scalars: C) -> Int where C.Element == Unicode.Scalar {
        scalars.reduce(0) { $0 + $1.utf16.count }
    }

    private func trimTrailing(_ line: Substring) -> Substring {
        var end = line.endIndex
        while end > line.startIndex {
            let previous = line.index(before: end)
            guard line[previous] == " " || line[previous] == "\t" else { break }
            end = previous
        }
        return line[line.startIndex..<end]
    }

    /// Characters of an id or citation key (`checkout-latency`, `2026-h2`, `eng-3`).
    func isKeyScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "-" || scalar == "_"
            || scalar == "."
    }

    private func isFieldNameScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "-" || scalar == "_"
    }
}
