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
/// place to report. Reports carry the rule's id and default severity; the collector applies
/// `evident.yaml`'s `rules:` settings and inline `evident-disable` comments as they arrive.
public struct RuleContext: Sendable {
    public let organisation: Organisation
    public let source: any RepositorySource
    /// Sign-off commits found in history, when the check runs inside a git repository.
    public let signoffs: SignoffLedger?
    /// What git stores for the files, when the caller knows (the sealing rules judge
    /// storage); nil means the source shows what is stored.
    public let stored: (any StoredContent)?
    /// The day deadlines are judged against (`Day.today()` unless the caller pins it).
    public let today: Day
    let description: RuleDescription
    let collector: DiagnosticCollector
    /// The files whose findings are kept (a partial check); nil for all.
    var files: Set<String>? = nil
    /// Each person folder's item positions, built once per check (`ItemPositionTable`).
    var itemPositionTable: ItemPositionTable? = nil
    /// The organisation's links with their destinations read, built once per check for
    /// both link rules (`LinkTable`).
    var linkTable: LinkTable? = nil

    /// Whether findings in `path` are kept: a partial check (`--staged`) drops the rest,
    /// so a rule that works file by file may skip them.
    public func reports(_ path: String) -> Bool { files?.contains(path) ?? true }

    /// The policy, or the spec's defaults when `evident.yaml` failed to load.
    public var policy: Policy { organisation.policy ?? Policy() }

    /// Whether any of `people` is declared in a file whose findings are kept (a
    /// person's fields all lie in the file declaring them). A partial check (`--staged`)
    /// keeps only findings in the files it reports on, so a rule may skip work whose
    /// findings would all land elsewhere, such as the 10,000 entries of people.yaml when
    /// one review is staged. Skipping changes no result: those findings would be dropped.
    public func reportsAny(of people: [Person]) -> Bool {
        guard let files else { return true }
        var previous: String?
        for person in people where person.id.location.file != previous {
            if files.contains(person.id.location.file) { return true }
            previous = person.id.location.file
        }
        return false
    }

    /// The message and notes are built only when the finding is kept: past the collector's
    /// cap a finding costs a count, which keeps hostile input (300,000 bad citations) cheap.
    public func report(
        _ message: @autoclosure () -> DiagnosticMessage, at location: SourceLocation,
        notes: @autoclosure () -> [DiagnosticNote] = []
    ) {
        collector.report(ruleID: description.id, severity: description.defaultSeverity, at: location) {
            (message(), notes())
        }
    }

    /// Reports with an explicit severity, for rules whose severity depends on the file
    /// (rubric coverage is an error in a review, a warning in a self review).
    public func report(
        _ message: @autoclosure () -> DiagnosticMessage, at location: SourceLocation, severity: Severity,
        notes: @autoclosure () -> [DiagnosticNote] = []
    ) {
        collector.report(ruleID: description.id, severity: severity, at: location) { (message(), notes()) }
    }
}
