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
    /// The message with text quoted from the file withheld, when it quotes any.
    var withheldMessage: String?

    public init(_ message: DiagnosticMessage, at location: SourceLocation? = nil) {
        self.message = message.text
        self.location = location
        withheldMessage = message.quotesText ? message.withheld : nil
    }

    /// The note without text quoted from a sealed file.
    public func withholdingText() -> DiagnosticNote {
        var note = self
        if let withheldMessage { note.message = withheldMessage }
        note.withheldMessage = nil
        return note
    }

    enum CodingKeys: String, CodingKey { case message, location }
}

/// One finding. Every rule, and the loader, reports in this one shape; the reporters
/// (text, JSON, SARIF, GitHub) only format it.
///
/// Messages are lowercase and carry no final period, like a compiler's.
public struct Diagnostic: Hashable, Sendable, Codable {
    public var ruleID: String
    public var severity: Severity
    /// The message with every value shown; `withholdingText()` replaces it for sealed files.
    public var message: String
    public var location: SourceLocation
    public var notes: [DiagnosticNote]
    /// The message with text quoted from the file withheld, when it quotes any.
    var withheldMessage: String?

    public init(
        ruleID: String, severity: Severity, message: DiagnosticMessage,
        location: SourceLocation, notes: [DiagnosticNote] = []
    ) {
        self.ruleID = ruleID
        self.severity = severity
        self.message = message.text
        self.location = location
        self.notes = notes
        withheldMessage = message.quotesText ? message.withheld : nil
    }

    /// The diagnostic as `check` shows it for a sealed file: the rule, the position and
    /// Evident's own words, with every value that may quote the file withheld, in the
    /// message and in the notes.
    public func withholdingText() -> Diagnostic {
        var diagnostic = self
        if let withheldMessage { diagnostic.message = withheldMessage }
        diagnostic.withheldMessage = nil
        diagnostic.notes = notes.map { $0.withholdingText() }
        return diagnostic
    }

    enum CodingKeys: String, CodingKey { case ruleID, severity, message, location, notes }
}

extension Array where Element == Diagnostic {
    /// The diagnostics as `check` shows them when `sealedFile` tells which files are
    /// sealed: a diagnostic in a sealed file, or with a note pointing into one, keeps no
    /// text quoted from a file (SPEC §8: outputs don't leak).
    public func withholdingText(in sealedFile: (String) -> Bool) -> [Diagnostic] {
        map { diagnostic in
            let touchesSealed =
                sealedFile(diagnostic.location.file)
                || diagnostic.notes.contains { $0.location.map { sealedFile($0.file) } ?? false }
            return touchesSealed ? diagnostic.withholdingText() : diagnostic
        }
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
