import EvidentCore

/// A sign-off whose `Evident-Blob` is no longer the review's content.
public struct SignoffStaleRule: Rule {
    public static let description = RuleDescription(
        id: "signoff-stale",
        defaultSeverity: .warning,
        summary: "a sign-off approved an earlier version of the review",
        rationale: """
            A sign-off binds to the exact content it approved (`Evident-Blob`). When the review changes \
            afterwards, the sign-off no longer covers what the person will read, so that role has to look \
            again and sign off anew. It is a warning, not an error: a review is edited after a first sign-off \
            all the time during calibration, and the change itself is legitimate; `evident status` lists the \
            roles still to sign. Only the newest sign-off per role is considered, and none once that role has \
            signed the current version.
            """,
        triggeringExamples: [
            RuleExample(
                SignoffExamples.markedReview, caption: "Dana signed off, then the review changed",
                signoffs: [
                    SignoffExamples.entry(
                        "manager", by: "Dana Okafor", "dana@example.com", blob: SignoffExamples.earlierBlob)
                ])
        ],
        nonTriggeringExamples: [
            RuleExample(
                SignoffExamples.review, caption: "the sign-off approved the current content",
                signoffs: [SignoffExamples.entry("manager", by: "Dana Okafor", "dana@example.com")]),
            RuleExample(
                SignoffExamples.review, caption: "Dana signed off again after the change",
                signoffs: [
                    SignoffExamples.entry(
                        "manager", by: "Dana Okafor", "dana@example.com",
                        commit: "b7e1a3d5c9f2e4a6b8d0c2e4f6a8b0d2c4e6f8a0"),
                    SignoffExamples.entry(
                        "manager", by: "Dana Okafor", "dana@example.com", blob: SignoffExamples.earlierBlob),
                ]),
        ])

    public init() {}

    public func check(_ context: RuleContext) {
        for review in context.judgedSignoffs {
            guard let location = context.signoffLocation(review.file) else { continue }
            for judged in review.stale {
                let entry = judged.entry
                let now = entry.currentBlob.map { "is now \($0.prefix(7))" } ?? "is gone"
                context.report(
                    "the \(entry.role) sign-off by \(entry.signerName) approved an earlier version of this review",
                    at: location,
                    notes: [
                        context.signoffCommitNote(judged),
                        DiagnosticNote("it approved blob \(entry.blob.prefix(7)); the file \(now)"),
                        DiagnosticNote("to approve this version: evident signoff \(review.file) --as \(entry.role)"),
                    ])
            }
        }
    }
}
