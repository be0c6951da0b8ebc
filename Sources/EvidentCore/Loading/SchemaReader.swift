/// A problem found while loading a file: it does not parse (`front-matter-syntax`) or
/// does not have the shape its kind requires (`front-matter-schema`).
public struct LoadProblem: Sendable, Equatable {
    public enum Kind: String, Sendable { case syntax, schema }
    public var kind: Kind
    /// The message, its values marked as `DiagnosticMessage` marks them.
    public var text: DiagnosticMessage
    public var location: SourceLocation

    public init(kind: Kind, message: DiagnosticMessage, location: SourceLocation) {
        self.kind = kind
        self.text = message
        self.location = location
    }

    public var message: String { text.text }
}

/// Reads typed fields out of a `YAMLNode` tree, reporting missing, unknown and mistyped
/// fields at the position of the offending key or value.
///
/// Decoding never throws: a bad field is reported and skipped, so one mistake does not
/// hide the rest of the file's problems.
struct SchemaReader {
    let file: String
    private(set) var problems: [LoadProblem] = []
    /// Shares the ids read with the other files of the load.
    var interner: Interner?

    init(file: String) { self.file = file }

    func location(_ node: YAMLNode) -> SourceLocation {
        SourceLocation(file: file, line: node.line, column: node.column)
    }

    mutating func report(_ message: DiagnosticMessage, at node: YAMLNode) {
        problems.append(LoadProblem(kind: .schema, message: message, location: location(node)))
    }

    mutating func report(_ message: DiagnosticMessage, line: Int, column: Int) {
        problems.append(
            LoadProblem(
                kind: .schema, message: message, location: SourceLocation(file: file, line: line, column: column)))
    }

    /// A mapping's fields, after reporting unknown and missing keys. `what` names the
    /// object in messages ("a review", "an evidence item").
    mutating func fields(
        _ node: YAMLNode?, _ what: String, required: [String], optional: [String], at fallback: YAMLNode? = nil
    ) -> Fields? {
        guard let node else { return nil }
        guard case .mapping(let pairs) = node.value else {
            if node.isNull, !required.isEmpty {
                report("expected \(public: what) as a mapping, found nothing", at: node)
            } else if !node.isNull {
                report("expected \(public: what) as a mapping, found \(public: node.typeName)", at: node)
            }
            return nil
        }
        // A handful of known names and keys per mapping, decoded some 500,000 times in a
        // 10,000-person check: arrays scanned in place beat building sets and dictionaries.
        var entries: [Fields.Entry] = []
        entries.reserveCapacity(pairs.count)
        for pair in pairs {
            guard let key = pair.key.scalar else {
                report("keys of \(public: what) must be plain names", at: pair.key)
                continue
            }
            if !required.contains(key) && !optional.contains(key) {
                let expected = (required + optional).joined(separator: ", ")
                report("unknown field '\(key)' in \(public: what); expected one of: \(public: expected)", at: pair.key)
                continue
            }
            entries.append(Fields.Entry(name: key, key: pair.key, value: pair.value))
        }
        let fields = Fields(node: node, entries: entries)
        for key in required where fields[key] == nil {
            report("missing required field '\(key)' in \(public: what)", at: node)
        }
        return fields
    }

    // MARK: Scalars

    mutating func string(_ node: YAMLNode?, _ field: String) -> Located<String>? {
        guard let node else { return nil }
        guard case .scalar(let text, _) = node.value, !node.isNull else {
            report("'\(public: field)' must be text, found \(public: node.typeName)", at: node)
            return nil
        }
        return Located(text, at: location(node))
    }

    /// An id: lowercase letters, digits and hyphens.
    mutating func id(_ node: YAMLNode?, _ field: String) -> Located<String>? {
        guard let value = string(node, field), let node else { return nil }
        guard Self.isValidID(value.value) else {
            report(
                "'\(public: field)' must be an id of lowercase letters, digits and hyphens, found '\(value.value)'",
                at: node)
            return nil
        }
        guard let interner else { return value }
        return Located(interner.intern(value.value), at: value.location)
    }

    static func isValidID(_ text: String) -> Bool {
        guard let first = text.utf8.first, first != UInt8(ascii: "-") else { return false }
        return text.utf8.allSatisfy {
            ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9"))
                || $0 == UInt8(ascii: "-")
        }
    }

    mutating func int(_ node: YAMLNode?, _ field: String, range: ClosedRange<Int>? = nil) -> Int? {
        guard let node else { return nil }
        guard case .scalar(let text, true) = node.value, let value = Int(text) else {
            report("'\(public: field)' must be a whole number, found \(describe(node))", at: node)
            return nil
        }
        if let range, !range.contains(value) {
            report(
                "'\(public: field)' must be between \(public: range.lowerBound) and \(public: range.upperBound), found \(value)",
                at: node)
            return nil
        }
        return value
    }

    mutating func double(_ node: YAMLNode?, _ field: String, range: ClosedRange<Double>? = nil) -> Double? {
        guard let node else { return nil }
        guard case .scalar(let text, true) = node.value, let value = Double(text), value.isFinite else {
            report("'\(public: field)' must be a number, found \(describe(node))", at: node)
            return nil
        }
        if let range, !range.contains(value) {
            report(
                "'\(public: field)' must be between \(public: range.lowerBound) and \(public: range.upperBound), found \(text)",
                at: node)
            return nil
        }
        return value
    }

    mutating func bool(_ node: YAMLNode?, _ field: String) -> Bool? {
        guard let node else { return nil }
        if case .scalar(let text, true) = node.value {
            switch text {
            case "true", "True", "TRUE": return true
            case "false", "False", "FALSE": return false
            default: break
            }
        }
        report("'\(public: field)' must be true or false, found \(describe(node))", at: node)
        return nil
    }

    mutating func day(_ node: YAMLNode?, _ field: String) -> Located<Day>? {
        guard let node else { return nil }
        guard case .scalar(let text, _) = node.value, let day = Day(text) else {
            report("'\(public: field)' must be a date written YYYY-MM-DD, found \(describe(node))", at: node)
            return nil
        }
        return Located(day, at: location(node))
    }

    mutating func choice<T: RawRepresentable & CaseIterable>(_ node: YAMLNode?, _ field: String, as type: T.Type)
        -> Located<T>? where T.RawValue == String
    {
        guard let node else { return nil }
        guard case .scalar(let text, _) = node.value, let value = T(rawValue: text) else {
            let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
            report("'\(public: field)' must be one of: \(public: allowed); found \(describe(node))", at: node)
            return nil
        }
        return Located(value, at: location(node))
    }

    // MARK: Lists

    mutating func list(_ node: YAMLNode?, _ field: String) -> [YAMLNode] {
        guard let node else { return [] }
        if node.isNull { return [] }
        guard case .sequence(let items) = node.value else {
            report("'\(public: field)' must be a list, found \(public: node.typeName)", at: node)
            return []
        }
        return items
    }

    mutating func strings(_ node: YAMLNode?, _ field: String) -> [Located<String>] {
        let nodes = list(node, field)
        var values: [Located<String>] = []
        values.reserveCapacity(nodes.count)
        for node in nodes { if let value = string(node, field) { values.append(value) } }
        return values
    }

    /// Sized to the list: every item's dimensions and values are kept for the whole check.
    mutating func ids(_ node: YAMLNode?, _ field: String) -> [Located<String>] {
        let nodes = list(node, field)
        var values: [Located<String>] = []
        values.reserveCapacity(nodes.count)
        for node in nodes { if let value = id(node, field) { values.append(value) } }
        return values
    }

    private func describe(_ node: YAMLNode) -> String {
        if case .scalar(let text, _) = node.value, !node.isNull {
            let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
            return "'\(shown)'"
        }
        return node.typeName
    }
}

/// The known fields of one mapping, with their keys' positions.
struct Fields {
    struct Entry {
        var name: String
        var key: YAMLNode
        var value: YAMLNode
    }

    /// The key nodes by name, for diagnostics that point at a key.
    struct Keys {
        fileprivate let entries: [Entry]
        subscript(name: String) -> YAMLNode? { entries.last { $0.name == name }?.key }
    }

    let node: YAMLNode
    /// In document order. A name can only repeat when Yams let it (`1` and `"1"`); the
    /// last one wins, as it would in a dictionary.
    let entries: [Entry]

    var keys: Keys { Keys(entries: entries) }

    subscript(key: String) -> YAMLNode? { entries.last { $0.name == key }?.value }
}
