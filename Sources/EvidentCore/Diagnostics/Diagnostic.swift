/// How much a finding matters. `error` fails `evident check` (exit 1); `warning` is shown but passes.
public enum Severity: String, Sendable, Codable, Comparable, CaseIterable {
    case warning
    case error

    public static func < (lhs: Severity, rhs: Severity) -> Bool {
        lhs == .warning && rhs == .error
    }
}

/// A 1-based position in a file of the review repository.
///
/// `file` is repository-relative with `/` separators, so the same diagnostic reads the
/// same on every machine; reporters turn it into whatever path their reader needs.
/// `column` counts Unicode scalars (what an editor shows), never bytes.
public struct SourceLocation: Hashable, Sendable, Codable, Comparable {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = max(1, line)
        self.column = max(1, column)
    }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.file, lhs.line, lhs.column) < (rhs.file, rhs.line, rhs.column)
    }
}

/// An extra line of explanation attached to a diagnostic, optionally pointing elsewhere
/// (for example at the first of two duplicate ids).
public struct DiagnosticNote: Hashable, Sendable, Codable {
    public var message: String
    public var location: SourceLocation?

    public init(_ message: String, at location: SourceLocation? = nil) {
        self.message = message
        self.location = location
    }
}

/// One finding. Every rule, and the loader, reports in this one shape; the reporters
/// (text, JSON, SARIF, GitHub) only format it.
///
/// Messages are lowercase and carry no final period, like a compiler's.
public struct Diagnostic: Hashable, Sendable, Codable {
    public var ruleID: String
    public var severity: Severity
    public var message: String
    public var location: SourceLocation
    public var notes: [DiagnosticNote]

    public init(
        ruleID: String, severity: Severity, message: String,
        location: SourceLocation, notes: [DiagnosticNote] = []
    ) {
        self.ruleID = ruleID
        self.severity = severity
        self.message = message
        self.location = location
        self.notes = notes
    }
}

extension Diagnostic: Comparable {
    /// Diagnostics sort by position, then rule, so output is stable across parallel runs.
    public static func < (lhs: Diagnostic, rhs: Diagnostic) -> Bool {
        if lhs.location != rhs.location { return lhs.location < rhs.location }
        if lhs.ruleID != rhs.ruleID { return lhs.ruleID < rhs.ruleID }
        return lhs.message < rhs.message
    }
}
