import EvidentCore

/// A check over the organisation. Each rule is one type in one file under `Rules/`,
/// registered in `RuleRegistry.all`.
///
/// Rules never throw and never stop at the first problem: they report every finding
/// through the context and return.
public protocol Rule: Sendable {
    static var description: RuleDescription { get }
    init()
    func check(_ context: RuleContext)
}

/// What a rule sees: the resolved organisation, the source (for link targets), and a
/// place to report. Reports carry the rule's id and default severity; the engine applies
/// `evident.yaml`'s `rules:` settings and inline `evident-disable` comments afterwards.
public struct RuleContext: Sendable {
    public let organisation: Organisation
    public let source: any RepositorySource
    /// Sign-off commits found in history, when the check runs inside a git repository.
    public let signoffs: SignoffLedger?
    let description: RuleDescription
    let collector: DiagnosticCollector

    /// The policy, or the spec's defaults when `evident.yaml` failed to load.
    public var policy: Policy { organisation.policy ?? Policy() }

    public func report(_ message: String, at location: SourceLocation, notes: [DiagnosticNote] = []) {
        collector.report(
            Diagnostic(
                ruleID: description.id, severity: description.defaultSeverity, message: message, location: location,
                notes: notes))
    }

    /// Reports with an explicit severity, for rules whose severity depends on the file
    /// (rubric coverage is an error in a review, a warning in a self review).
    public func report(_ message: String, at location: SourceLocation, severity: Severity, notes: [DiagnosticNote] = []) {
        collector.report(
            Diagnostic(ruleID: description.id, severity: severity, message: message, location: location, notes: notes))
    }
}
