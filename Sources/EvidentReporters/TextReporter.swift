import EvidentCore

/// Compiler-style text for people and editors:
///
///     cycles/2026-h2/alice/review.md:12:5: error: citation names no evidence item [citation-unknown]
///         cycles/2026-h2/alice/evidence.md:3:5: note: items of alice in 2026-h2 are listed here
///     acme: 12 people, 11 reviews, 84 evidence items, 1 error, 0 warnings
///
/// Paths are relative to where the user stands, so they can be clicked or pasted.
/// Every piece of user-controlled text goes through `TerminalSanitizer`.
public struct TextReporter: DiagnosticReporter {
    /// Whether to emit ANSI colour; see `TerminalCapabilities.shouldColor`.
    public var color: Bool

    public init(color: Bool) {
        self.color = color
    }

    public func render(_ diagnostics: [Diagnostic], context: ReportContext) -> String {
        var output = ""
        for diagnostic in diagnostics {
            output += line(
                at: diagnostic.location, label: diagnostic.severity.rawValue,
                style: style(for: diagnostic.severity),
                message: diagnostic.message + " [\(diagnostic.ruleID)]", context: context)
            for note in diagnostic.notes {
                output +=
                    Self.noteIndent
                    + line(
                        at: note.location, label: "note", style: ANSI.note,
                        message: note.message, context: context)
            }
        }
        output += summaryLine(context)
        return output
    }

    /// Notes are indented so a reader sees which diagnostic they belong to.
    static let noteIndent = "    "

    private func line(
        at location: SourceLocation?, label: String, style: String, message: String,
        context: ReportContext
    ) -> String {
        var text = ""
        if let location {
            let path = PathDisplay.displayPath(
                of: location.file, inRepository: context.repositoryRoot, from: context.displayBase)
            text += paint("\(sanitize(path)):\(location.line):\(location.column):", ANSI.bold) + " "
        }
        return text + paint(label + ":", style) + " " + sanitize(message) + "\n"
    }

    private func summaryLine(_ context: ReportContext) -> String {
        let summary = context.summary
        let errors = counted(summary.errors, "error")
        let warnings = counted(summary.warnings, "warning")
        return [
            paint(sanitize(context.name) + ":", ANSI.bold),
            counted(summary.people, "person", "people") + ",",
            counted(summary.reviews, "review") + ",",
            counted(summary.evidenceItems, "evidence item") + ",",
            (summary.errors > 0 ? paint(errors, ANSI.error) : errors) + ",",
            summary.warnings > 0 ? paint(warnings, ANSI.warning) : warnings,
        ].joined(separator: " ") + "\n"
    }

    private func style(for severity: Severity) -> String {
        switch severity {
        case .error: ANSI.error
        case .warning: ANSI.warning
        }
    }

    private func sanitize(_ text: String) -> String {
        TerminalSanitizer.sanitize(text)
    }

    private func paint(_ text: String, _ style: String) -> String {
        color ? style + text + ANSI.reset : text
    }
}

/// The few SGR sequences text output uses: bold, and bold colours by severity.
enum ANSI {
    static let reset = "\u{1B}[0m"
    static let bold = "\u{1B}[1m"
    static let error = "\u{1B}[1;31m"
    static let warning = "\u{1B}[1;33m"
    static let note = "\u{1B}[1;36m"
}
