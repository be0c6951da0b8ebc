import Yams

/// A YAML value with the file position of every key and value.
///
/// Built from Yams' composed `Node` tree. Keeping positions on every node is what lets a
/// schema or reference diagnostic point at the offending key or value instead of at the
/// top of the file.
public struct YAMLNode: Sendable {
    public enum Value: Sendable {
        /// A scalar. `plain` is false for quoted and block scalars, which are always strings.
        case scalar(String, plain: Bool)
        case sequence([YAMLNode])
        case mapping([YAMLPair])
    }

    public var value: Value
    /// 1-based line in the whole file.
    public var line: Int
    /// 1-based column in Unicode scalars.
    public var column: Int

    public init(_ value: Value, line: Int, column: Int) {
        self.value = value
        self.line = line
        self.column = column
    }

    /// The scalar's text, or nil for collections.
    public var scalar: String? {
        if case .scalar(let text, _) = value { return text }
        return nil
    }

    /// True for an explicit or implicit YAML null (`~`, `null`, or nothing).
    public var isNull: Bool {
        if case .scalar(let text, let plain) = value, plain {
            return text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL"
        }
        return false
    }

    /// True for null or `[]`: a list that was written but holds nothing.
    public var isEmptyList: Bool {
        if case .sequence(let items) = value { return items.isEmpty }
        return isNull
    }

    /// A short name for the node's type, used in "expected X, found Y" messages.
    public var typeName: String {
        switch value {
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        case .scalar:
            if isNull { return "nothing" }
            return "a scalar"
        }
    }

    /// The value of `key` in a mapping.
    public subscript(key: String) -> YAMLNode? {
        guard case .mapping(let pairs) = value else { return nil }
        return pairs.first(where: { $0.key.scalar == key })?.value
    }
}

/// One `key: value` entry, with the key's own position.
public struct YAMLPair: Sendable {
    public var key: YAMLNode
    public var value: YAMLNode
}

/// Parses front matter and YAML files into `YAMLNode` trees, guarding against input that
/// would make a naive parser hang or exhaust memory.
public enum YAMLParser {
    /// Nesting deeper than this is refused before Yams sees it: its composer recurses,
    /// and loader threads have small stacks.
    public static let maximumDepth = 64
    /// Nodes materialised from one document, aliases expanded, beyond one per byte of
    /// the document. A "billion laughs" document is tiny on disk and stops here instead
    /// of expanding; a large registry (people.yaml of 10,000 people holds some 130,000
    /// values) needs about one node per 10 bytes and is never near its budget.
    public static let maximumNodes = 100_000

    /// The node budget of one document: see `maximumNodes`.
    static func nodeBudget(for yaml: String) -> Int { maximumNodes + yaml.utf8.count }

    public struct Problem: Error, Sendable, Equatable {
        /// The message, its values marked as `DiagnosticMessage` marks them.
        public var text: DiagnosticMessage
        public var line: Int
        public var column: Int

        public init(message: DiagnosticMessage, line: Int, column: Int) {
            self.text = message
            self.line = line
            self.column = column
        }

        public var message: String { text.text }
    }

    /// Parses `yaml`, whose first line is line `firstLine` of the file.
    /// Returns nil for an empty document.
    public static func parse(_ yaml: String, firstLine: Int = 1) -> Result<YAMLNode?, Problem> {
        // Three readers, fastest first, each leaving what it does not handle to the next:
        // the plain shapes review files are made of, read from the bytes; then libyaml's
        // events; then Yams, whose answer (errors included) is the reference. The first
        // only accepts documents the nesting scan passes (few brackets, shallow), so the
        // scan, a sixth of the time of a large registry, runs only ahead of the others.
        if let node = PlainYAML.parse(yaml, lineOffset: firstLine - 1) { return .success(node) }
        if let problem = nestingProblem(yaml, firstLine: firstLine) { return .failure(problem) }
        let budget = nodeBudget(for: yaml)
        if case .composed(let node) = YAMLComposer.compose(
            yaml, lineOffset: firstLine - 1, budget: budget, maximumDepth: maximumDepth)
        {
            return .success(node)
        }
        return parseWithYams(yaml, firstLine: firstLine, budget: budget)
    }

    /// The reference path: Yams composes a `Node` tree, which is converted. Slower than
    /// `YAMLComposer`, and the one that words every error.
    static func parseWithYams(_ yaml: String, firstLine: Int, budget: Int) -> Result<YAMLNode?, Problem> {
        let composed: Node?
        do {
            composed = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            return .failure(problem(from: error, yaml: yaml, firstLine: firstLine))
        } catch {
            return .failure(Problem(message: "yaml does not parse: \(error)", line: firstLine, column: 1))
        }
        guard let root = composed else { return .success(nil) }
        var remaining = budget
        var tooDeep: Problem?
        guard let node = convert(root, lineOffset: firstLine - 1, budget: &remaining, depth: 0, tooDeep: &tooDeep)
        else {
            // Nesting the pre-scan cannot see (block sequences nested by indentation
            // alone) is still nesting, not an alias expansion: say so, where it happens.
            if let tooDeep { return .failure(tooDeep) }
            return .failure(
                Problem(
                    message:
                        "yaml expands to more than \(budget) values (aliases nested too deeply?); refusing to expand it",
                    line: firstLine, column: 1))
        }
        return .success(node)
    }

    private static func convert(
        _ node: Node, lineOffset: Int, budget: inout Int, depth: Int, tooDeep: inout Problem?
    ) -> YAMLNode? {
        let line = (node.mark?.line ?? 1) + lineOffset
        let column = node.mark?.column ?? 1
        budget -= 1
        guard budget >= 0 else { return nil }
        guard depth <= maximumDepth else {
            tooDeep = Problem(
                message: "yaml is nested more than \(maximumDepth) levels deep", line: line, column: column)
            return nil
        }
        switch node {
        case .scalar(let scalar):
            return YAMLNode(.scalar(scalar.string, plain: scalar.style == .plain), line: line, column: column)
        case .sequence(let sequence):
            var items: [YAMLNode] = []
            items.reserveCapacity(sequence.count)
            for item in sequence {
                guard
                    let converted = convert(
                        item, lineOffset: lineOffset, budget: &budget, depth: depth + 1, tooDeep: &tooDeep)
                else { return nil }
                items.append(converted)
            }
            return YAMLNode(.sequence(items), line: line, column: column)
        case .mapping(let mapping):
            var pairs: [YAMLPair] = []
            pairs.reserveCapacity(mapping.count)
            for (key, value) in mapping {
                guard
                    let convertedKey = convert(
                        key, lineOffset: lineOffset, budget: &budget, depth: depth + 1, tooDeep: &tooDeep),
                    let convertedValue = convert(
                        value, lineOffset: lineOffset, budget: &budget, depth: depth + 1, tooDeep: &tooDeep)
                else { return nil }
                pairs.append(YAMLPair(key: convertedKey, value: convertedValue))
            }
            return YAMLNode(.mapping(pairs), line: line, column: column)
        case .alias:
            // Yams resolves aliases while composing; an unresolved one carries no value.
            return YAMLNode(.scalar("", plain: true), line: line, column: column)
        }
    }

    /// Rejects documents nested deeper than `maximumDepth`, by flow brackets or by
    /// indentation, with a cheap scan that cannot itself recurse.
    static func nestingProblem(_ yaml: String, firstLine: Int) -> Problem? {
        var indentStack: [Int] = []
        var lineNumber = firstLine
        func tooDeep(_ column: Int) -> Problem {
            Problem(message: "yaml is nested more than \(maximumDepth) levels deep", line: lineNumber, column: column)
        }
        /// Takes one line's scan; returns the problem, if the line nests too deep.
        func take(_ scan: (indent: Int, sawContent: Bool, tooDeepAt: Int?)) -> Problem? {
            defer { lineNumber += 1 }
            if let column = scan.tooDeepAt { return tooDeep(column) }
            guard scan.sawContent else { return nil }
            while let last = indentStack.last, last >= scan.indent { indentStack.removeLast() }
            indentStack.append(scan.indent)
            return indentStack.count > maximumDepth ? tooDeep(scan.indent + 1) : nil
        }
        // Every front matter of a check is scanned, so lines are cut at newline bytes
        // (the same lines as a Character split when there is no "\r\n") and ASCII lines
        // are scanned as bytes. Other lines are scanned by Character, each as its ASCII
        // value or 0x80 for anything else (no special character of the scan): the same
        // scan.
        var text = yaml
        let byBytes = text.withUTF8 { bytes -> Problem?? in
            guard !bytes.contains(UInt8(ascii: "\r")) else { return .none }
            var start = 0
            while start <= bytes.count {
                var end = start
                while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
                let line = UnsafeBufferPointer(rebasing: bytes[start..<end])
                let scan =
                    line.allSatisfy { $0 < 0x80 }
                    ? scanLine(line)
                    : scanLine(String(decoding: line, as: UTF8.self).lazy.map { $0.asciiValue ?? 0x80 })
                if let problem = take(scan) { return .some(problem) }
                start = end + 1
            }
            return .some(nil)
        }
        if let byBytes { return byBytes }
        for line in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            if let problem = take(scanLine(line.lazy.map { $0.asciiValue ?? 0x80 })) { return problem }
        }
        return nil
    }

    /// One line of the nesting scan: its indentation (spaces and `-`), whether it holds
    /// content, and the column where flow brackets first nest too deep. `units` are the
    /// line's characters as ASCII values.
    private static func scanLine(_ units: some Sequence<UInt8>) -> (indent: Int, sawContent: Bool, tooDeepAt: Int?) {
        var indent = 0
        var flowDepth = 0
        var quote: UInt8?
        var column = 0
        var sawContent = false
        for unit in units {
            column += 1
            if !sawContent {
                if unit == UInt8(ascii: " ") || unit == UInt8(ascii: "-") {
                    indent += 1
                    continue
                }
                if unit == UInt8(ascii: "#") { break }
                sawContent = true
            }
            if let open = quote {
                if unit == open { quote = nil }
                continue
            }
            switch unit {
            case UInt8(ascii: "\""), UInt8(ascii: "'"): quote = unit
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                flowDepth += 1
                if flowDepth > maximumDepth { return (indent, sawContent, column) }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): flowDepth = max(0, flowDepth - 1)
            default: continue
            }
        }
        return (indent, sawContent, nil)
    }

    /// Turns a Yams error into a message and a file position.
    private static func problem(from error: YamlError, yaml: String, firstLine: Int) -> Problem {
        switch error {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            var message: DiagnosticMessage = "yaml does not parse: \(public: problem)"
            // For an unclosed construct the context (where it opened) is what to fix. A
            // tab is the exception: it is at the mark, often lines after the context.
            var position = mark
            if let context {
                message = "\(message) \(public: context.text)"
                if !problem.contains("tab character") { position = context.mark }
            }
            return Problem(message: message, line: position.line + firstLine - 1, column: position.column)
        case .reader(let problem, let offset, _, _):
            let position = offset.map { self.position(ofByte: $0, in: yaml) } ?? (line: 1, column: 1)
            return Problem(
                message: "yaml does not parse: \(public: problem)", line: position.line + firstLine - 1,
                column: position.column)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let name = duplicates.first ?? ""
            let position = secondOccurrence(ofKey: name, in: yaml, after: context.mark.line)
            return Problem(
                message: "duplicate key '\(name)' in a mapping",
                line: (position?.line ?? context.mark.line) + firstLine - 1,
                column: position?.column ?? context.mark.column)
        default:
            return Problem(message: "yaml does not parse: \(error)", line: firstLine, column: 1)
        }
    }

    /// The 1-based line and scalar column of a byte offset (libyaml's reader errors carry
    /// only an offset).
    private static func position(ofByte offset: Int, in text: String) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        var consumed = 0
        for scalar in text.unicodeScalars {
            if consumed >= offset { break }
            consumed += String(scalar).utf8.count
            if scalar == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return (line, column)
    }

    /// Yams reports duplicate keys at the mapping; find the repeated key itself.
    private static func secondOccurrence(ofKey key: String, in yaml: String, after line: Int) -> (
        line: Int, column: Int
    )? {
        var seen = 0
        var lineNumber = 0
        for text in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            guard lineNumber >= line else { continue }
            let stripped = text.drop(while: { $0 == " " || $0 == "-" })
            if stripped.hasPrefix(key + ":") || stripped.hasPrefix("\"\(key)\":") || stripped.hasPrefix("'\(key)':") {
                seen += 1
                if seen == 2 { return (lineNumber, text.count - stripped.count + 1) }
            }
        }
        return nil
    }
}
