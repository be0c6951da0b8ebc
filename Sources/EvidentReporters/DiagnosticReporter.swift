import EvidentCore
import EvidentRules

/// Turns diagnostics into one output format.
///
/// Rendering returns the whole report as one string (ending with a newline), so a
/// report is written in one go and never half-written when a later step fails.
public protocol DiagnosticReporter: Sendable {
    func render(_ diagnostics: [Diagnostic], context: ReportContext) -> String
}

extension DiagnosticReporter {
    /// Renders and writes the report to `target` (standard output, a file, a buffer).
    public func write<Target: TextOutputStream>(
        _ diagnostics: [Diagnostic], context: ReportContext, to target: inout Target
    ) {
        target.write(render(diagnostics, context: context))
    }
}

/// The values of `evident check --format`.
public enum ReportFormat: String, Sendable, CaseIterable {
    case text, json, sarif, github

    /// The reporter for this format.
    ///
    /// - Parameters:
    ///   - color: whether text output may use ANSI colour (see `TerminalCapabilities`).
    ///   - rules: the rule catalogue, listed in SARIF's `tool.driver.rules`.
    ///   - pathPrefix: where the review repository sits inside the git checkout, for
    ///     GitHub annotations (empty when it is the checkout's root).
    public func reporter(color: Bool, rules: [RuleDescription], pathPrefix: String = "") -> any DiagnosticReporter {
        switch self {
        case .text: TextReporter(color: color)
        case .json: JSONReporter()
        case .sarif: SARIFReporter(rules: rules)
        case .github: GitHubReporter(pathPrefix: pathPrefix)
        }
    }
}
