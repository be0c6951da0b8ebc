import EvidentCore

/// What a rule is, in one value: the source of `evident rules`, `evident explain`, the
/// SARIF rule catalogue and the example tests.
///
/// Modelled on SwiftLint's `RuleDescription`: the examples document the rule and are
/// run as tests from the registry, so the documentation cannot drift from behaviour.
public struct RuleDescription: Sendable {
    /// The spec's rule id, e.g. `citation-unknown`. Part of the public contract.
    public let id: String
    /// Severity when `evident.yaml` does not override it.
    public let defaultSeverity: Severity
    /// How long the rule takes, for scheduling only (`RuleEngine.longestFirst`).
    public let cost: RuleCost
    /// One line, lowercase, no final period.
    public let summary: String
    /// Why the rule exists, in a few sentences of Markdown.
    public let rationale: String
    /// Repositories in which the rule reports exactly at the `1️⃣`, `2️⃣`… markers.
    public var triggeringExamples: [RuleExample] { makeTriggeringExamples() }
    /// Repositories in which the rule reports nothing.
    public var nonTriggeringExamples: [RuleExample] { makeNonTriggeringExamples() }

    /// The examples are built when read, not with the description: a check needs only the
    /// id, severity and cost, and building every rule's examples (whole example files,
    /// some edited with Foundation) was 11 M instructions of a 174 M pre-commit check.
    /// Only `evident explain` and the tests read them.
    private let makeTriggeringExamples: @Sendable () -> [RuleExample]
    private let makeNonTriggeringExamples: @Sendable () -> [RuleExample]

    public init(
        id: String, defaultSeverity: Severity, cost: RuleCost = .light, summary: String, rationale: String,
        triggeringExamples: @autoclosure @escaping @Sendable () -> [RuleExample],
        nonTriggeringExamples: @autoclosure @escaping @Sendable () -> [RuleExample]
    ) {
        self.id = id
        self.defaultSeverity = defaultSeverity
        self.cost = cost
        self.summary = summary
        self.rationale = rationale
        self.makeTriggeringExamples = triggeringExamples
        self.makeNonTriggeringExamples = nonTriggeringExamples
    }
}

/// A rule's share of the time of a check. The engine starts the slow rules first so that
/// no core is left finishing one alone; the cost changes nothing else.
public enum RuleCost: Sendable, Hashable {
    /// A few fields per file or person: a small share of a check.
    case light
    /// Walks every review or link. `rank` 1 is the slowest, by the rules' shares of the CPU
    /// samples of a check of the 10,000-person benchmark organisation (`perf record`); an
    /// unranked slow rule starts last and finishes alone while the other core idles.
    case slow(rank: Int)
}

/// One example for a rule: files that replace or add to a small, clean base repository.
///
/// Position markers (`1️⃣`, `2️⃣`, … ) inside the text mark where the rule must report;
/// they are removed before the example is loaded. `file` is repository-relative.
public struct RuleExample: Sendable {
    public let files: [String: String]
    /// Files of the base repository to delete for this example.
    public let removedFiles: [String]
    /// A short caption shown by `evident explain`.
    public let caption: String
    /// Sign-off commits the example's history holds, for the `signoff-*` rules; the
    /// example tests check with this ledger when it is not empty, and with none otherwise.
    public let signoffs: [SignoffLedger.Entry]
    /// Where the example is written, so a failing example test points at the example
    /// rather than at the loop that runs them all.
    public let sourceFile: StaticString
    public let sourceLine: UInt

    /// An example that replaces one file (a review by default).
    public init(
        _ text: String, file: String = RuleExample.defaultFile, caption: String = "",
        removing removedFiles: [String] = [], signoffs: [SignoffLedger.Entry] = [],
        sourceFile: StaticString = #filePath, sourceLine: UInt = #line
    ) {
        self.files = [file: text]
        self.caption = caption
        self.removedFiles = removedFiles
        self.signoffs = signoffs
        self.sourceFile = sourceFile
        self.sourceLine = sourceLine
    }

    /// An example that replaces several files.
    public init(
        files: [String: String], caption: String = "", removing removedFiles: [String] = [],
        signoffs: [SignoffLedger.Entry] = [], sourceFile: StaticString = #filePath, sourceLine: UInt = #line
    ) {
        self.files = files
        self.caption = caption
        self.removedFiles = removedFiles
        self.signoffs = signoffs
        self.sourceFile = sourceFile
        self.sourceLine = sourceLine
    }

    public static let defaultFile = "cycles/2026-h2/alice/review.md"
}
