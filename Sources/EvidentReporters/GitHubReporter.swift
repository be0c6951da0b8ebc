import EvidentCore

/// GitHub Actions workflow commands, which GitHub shows as annotations on the pull
/// request's diff:
///
///     ::error file=reviews/cycles/2026-h2/alice/review.md,line=12,col=5,title=citation-unknown::message
///     evident: 1 error, 0 warnings in 57 files
///
/// GitHub shows only the first few annotations of a step, so the last line is a
/// plain summary (not a command) that always appears in the log.
public struct GitHubReporter: DiagnosticReporter {
    /// Where the review repository sits inside the git checkout, e.g. `reviews`;
    /// empty when it is the checkout's root. Annotations need checkout-relative paths.
    public var pathPrefix: String

    public init(pathPrefix: String = "") {
        self.pathPrefix = pathPrefix
    }

    public func render(_ diagnostics: [Diagnostic], context: ReportContext) -> String {
        var output = ""
        for diagnostic in diagnostics {
            let location = diagnostic.location
            let properties = [
                "file=" + Self.escapeProperty(sanitize(path(location.file))),
                "line=\(location.line)",
                "col=\(location.column)",
                "title=" + Self.escapeProperty(sanitize(diagnostic.ruleID)),
            ].joined(separator: ",")
            let text = ([sanitize(diagnostic.message)] + diagnostic.notes.map(noteText))
                .joined(separator: "\n")
            output += "::\(diagnostic.severity.rawValue) \(properties)::\(Self.escapeData(text))\n"
        }
        let summary = context.summary
        output +=
            "evident: \(counted(summary.errors, "error")), \(counted(summary.warnings, "warning"))"
            + " in \(counted(summary.files, "file"))\n"
        return output
    }

    /// Escaping of a command's message, as `@actions/core` does it: without it a
    /// newline in a message could start a command of its own.
    static func escapeData(_ text: String) -> String {
        text.replacingAll("%", with: "%25")
            .replacingAll("\r", with: "%0D")
            .replacingAll("\n", with: "%0A")
    }

    /// Escaping of a property value (`file=`, `title=`), which `:` and `,` would end.
    static func escapeProperty(_ text: String) -> String {
        escapeData(text)
            .replacingAll(":", with: "%3A")
            .replacingAll(",", with: "%2C")
    }

    private func noteText(_ note: DiagnosticNote) -> String {
        guard let location = note.location else { return "note: " + sanitize(note.message) }
        return "\(sanitize(path(location.file))):\(location.line):\(location.column): note: "
            + sanitize(note.message)
    }

    /// The checkout-relative path: prefix and repository-relative file, normalised,
    /// never absolute (GitHub resolves it against the checkout).
    private func path(_ file: String) -> String {
        PathDisplay.components(of: pathPrefix + "/" + file).joined(separator: "/")
    }

    /// GitHub's log viewer renders ANSI sequences, so the same terminal sanitising
    /// as text output applies; GitHub's own escaping then follows.
    private func sanitize(_ text: String) -> String {
        TerminalSanitizer.sanitize(text)
    }
}

extension String {
    /// Literal replacement without Foundation, on Unicode scalars so `\r\n` is not
    /// treated as one character.
    fileprivate func replacingAll(_ target: Unicode.Scalar, with replacement: String) -> String {
        guard unicodeScalars.contains(target) else { return self }
        var result = ""
        for scalar in unicodeScalars {
            if scalar == target { result += replacement } else { result.unicodeScalars.append(scalar) }
        }
        return result
    }
}
