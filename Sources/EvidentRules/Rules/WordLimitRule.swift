import EvidentCore
import Foundation

/// A self review, peer feedback or review longer than its `max_words`.
///
/// Every word of the body counts, `## Private` notes included: calibrators read them too.
/// The finding is placed at the heading of the section in which the running count
/// passes the limit, so the writer sees where to start cutting.
struct WordLimitRule: Rule {
    static let description = RuleDescription(
        id: "word-limit",
        defaultSeverity: .error,
        summary: "a self review, peer feedback or review over its max_words",
        rationale: """
            Short inputs beat long essays. Long reviews reward whoever writes the most fluently rather than \
            whoever did the most, bury the evidence a calibrator needs, and take time from writing the \
            next review well. `reviews.max_words` sets a limit for each kind of text (self, review, peer); \
            every word of the body counts, `## Private` notes included, since calibrators must read \
            those too. The diagnostic points at the section in which the limit is passed. \
            Organisations that prefer a nudge can set `rules: { word-limit: warning }`.
            """,
        triggeringExamples: [
            RuleExample(
                files: [
                    "evident.yaml": ExampleRepository.files["evident.yaml"]!.replacingOccurrences(
                        of: "peer: 300", with: "peer: 20"),
                    "cycles/2026-h2/alice/peer-bob.md": """
                    ---
                    kind: peer-feedback
                    person: alice
                    cycle: 2026-h2
                    author: bob
                    ---
                    ## Delivery impact
                    The latency fix shipped behind a flag with a rollback plan [@checkout-latency].

                    1️⃣## Technical judgment
                    Her queue design named the failure modes we later hit, and the runbook she wrote with it
                    saved us an hour during the September incident [@queue-design].
                    """,
                ], caption: "peer feedback of 38 words with a limit of 20")
        ],
        nonTriggeringExamples: [
            RuleExample(
                files: [
                    "evident.yaml": ExampleRepository.files["evident.yaml"]!.replacingOccurrences(
                        of: "peer: 300", with: "peer: 20")
                ], caption: "peer feedback within a limit of 20 words")
        ])

    func check(_ context: RuleContext) {
        let policy = context.policy
        for personCycle in context.organisation.personCycles {
            for document in personCycle.writtenDocuments {
                let (limit, kind, key): (Int, String, String)
                switch document.kind {
                case .selfReview: (limit, kind, key) = (policy.maxWordsSelf, "self review", "self")
                case .peerFeedback: (limit, kind, key) = (policy.maxWordsPeer, "peer feedback", "peer")
                case .review: (limit, kind, key) = (policy.maxWordsReview, "review", "review")
                default: continue
                }
                let total = document.body.wordCount
                guard total > limit else { continue }
                var running = 0
                var location = document.headerLocation
                var whereText: DiagnosticMessage = ""
                for section in document.body.sections {
                    running += section.wordCount
                    guard running > limit else { continue }
                    if let heading = section.heading {
                        location = SourceLocation(file: document.file, line: heading.line, column: heading.column)
                        whereText = "; it is passed in section '\(heading.text)'"
                    }
                    break
                }
                context.report(
                    "\(public: kind) of \(total) words is over the limit of \(limit) (reviews.max_words.\(public: key))\(whereText)",
                    at: location)
            }
        }
    }
}
