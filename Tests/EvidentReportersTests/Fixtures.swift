import EvidentCore
import EvidentRules

@testable import EvidentReporters

/// A small handcrafted check result shared by the reporter tests: one error with a
/// located note, one warning with a plain note.
enum Fixtures {
    static let root = "/work/acme"

    static let citation = Diagnostic(
        ruleID: "citation-unknown", severity: .error,
        message: "citation names no evidence item 'no-such-item'",
        location: SourceLocation(file: "cycles/2026-h2/alice/review.md", line: 12, column: 5),
        notes: [
            DiagnosticNote(
                "evidence items of alice in 2026-h2 are listed here",
                at: SourceLocation(file: "cycles/2026-h2/alice/evidence.md", line: 3, column: 1))
        ])

    static let wordLimit = Diagnostic(
        ruleID: "word-limit", severity: .warning,
        message: "self review has 712 words, over the limit of 600",
        location: SourceLocation(file: "cycles/2026-h2/bob/self.md", line: 1, column: 1),
        notes: [DiagnosticNote("limits are set by reviews.max_words in evident.yaml")])

    static let diagnostics = [citation, wordLimit]

    static let summary = CheckSummary(
        files: 57, people: 12, reviews: 11, evidenceItems: 84, diagnostics: diagnostics)

    static func context(
        root: String = root, displayBase: String = root, summary: CheckSummary = summary
    ) -> ReportContext {
        ReportContext(
            repositoryRoot: root, displayBase: displayBase, name: "acme",
            toolVersion: "0.1.0", summary: summary)
    }

    static let rules = [
        RuleDescription(
            id: "citation-unknown", defaultSeverity: .error,
            summary: "a citation naming no evidence item",
            rationale: "Every claim must rest on evidence that exists.",
            triggeringExamples: [], nonTriggeringExamples: []),
        RuleDescription(
            id: "word-limit", defaultSeverity: .warning,
            summary: "a text over its max_words",
            rationale: "Short inputs beat long essays.",
            triggeringExamples: [], nonTriggeringExamples: []),
    ]
}
