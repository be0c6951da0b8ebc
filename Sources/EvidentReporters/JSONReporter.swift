import EvidentCore

/// Machine-readable output with a versioned, stable shape:
///
///     {"version": 1, "tool": {"name": "evident", "version": "…"}, "root": "/abs/root",
///      "diagnostics": [{"rule", "severity", "message", "file", "line", "column", "notes"}],
///      "summary": {"files", "people", "reviews", "evidence_items", "errors", "warnings"}}
///
/// `file` is repository-relative; notes without a location omit file, line and column.
/// Bump `formatVersion` on any incompatible change: scripts depend on this shape.
public struct JSONReporter: DiagnosticReporter {
    public static let formatVersion = 1

    public init() {}

    public func render(_ diagnostics: [Diagnostic], context: ReportContext) -> String {
        StableJSON.encode(Document(diagnostics: diagnostics, context: context))
    }

    struct Document: Encodable {
        let version = JSONReporter.formatVersion
        let tool: Tool
        let root: String
        let diagnostics: [Entry]
        let summary: CheckSummary

        init(diagnostics: [Diagnostic], context: ReportContext) {
            tool = Tool(name: "evident", version: context.toolVersion)
            root = context.repositoryRoot
            self.diagnostics = diagnostics.map(Entry.init)
            summary = context.summary
        }
    }

    struct Tool: Encodable {
        let name: String
        let version: String
    }

    struct Entry: Encodable {
        let rule: String
        let severity: Severity
        let message: String
        let file: String
        let line: Int
        let column: Int
        let notes: [Note]

        init(_ diagnostic: Diagnostic) {
            rule = diagnostic.ruleID
            severity = diagnostic.severity
            message = diagnostic.message
            file = diagnostic.location.file
            line = diagnostic.location.line
            column = diagnostic.location.column
            notes = diagnostic.notes.map(Note.init)
        }
    }

    /// Optional properties are left out, not written as `null`, when absent.
    struct Note: Encodable {
        let message: String
        let file: String?
        let line: Int?
        let column: Int?

        init(_ note: DiagnosticNote) {
            message = note.message
            file = note.location?.file
            line = note.location?.line
            column = note.location?.column
        }
    }
}
