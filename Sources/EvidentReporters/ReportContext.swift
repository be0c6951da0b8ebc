/// Everything about one run that a reporter needs besides the diagnostics.
///
/// Reporters do no I/O and call no registry: the command layer gathers these facts
/// once and hands them over, which keeps every format testable from plain values.
public struct ReportContext: Sendable {
    /// Absolute path of the review repository (the folder holding `evident.yaml`).
    /// Diagnostic locations are relative to it.
    public var repositoryRoot: String
    /// Absolute path the user stands in (the working directory). Text output prints
    /// paths relative to it, so they can be pasted into a shell or opened by an editor.
    public var displayBase: String
    /// The name the text summary line starts with, e.g. `acme`. User-controlled, so
    /// reporters sanitise it like any other text.
    public var name: String
    /// The version of `evident` that produced the report (JSON `tool.version`, SARIF
    /// `semanticVersion`).
    public var toolVersion: String
    public var summary: CheckSummary

    public init(
        repositoryRoot: String, displayBase: String, name: String,
        toolVersion: String, summary: CheckSummary
    ) {
        self.repositoryRoot = repositoryRoot
        self.displayBase = displayBase
        self.name = name
        self.toolVersion = toolVersion
        self.summary = summary
    }
}
