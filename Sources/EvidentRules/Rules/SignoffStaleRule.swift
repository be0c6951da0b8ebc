import EvidentCore

/// A sign-off whose `Evident-Blob` is no longer the review's content, or an approval of
/// the current content that its signer has since replaced with a newer sign-off.
struct SignoffStaleRule: Rule {
    static let description = RuleDescription(
        id: "signoff-stale",
        defaultSeverity: .warning,
        summary: "a sign-off approved an earlier version of the review",
        rationale: """
            A sign-off binds to the exact content it approved (`Evident-Blob`). When the review changes \
            afterwards, the sign-off no longer covers what the person will read, so that role has to look \
            again and sign off anew. It is a warning, not an error: a review is edited after a first sign-off \
            all the time during calibration, and the change itself is legitimate; `evident status` lists the \
            roles still to sign. Only each signer's newest sign-off per role is considered, and none once that \
            role has signed the current version.

            A signer's newest sign-off of a file in a role replaces their older ones, whatever content they \
            approved. So when a review is restored to a version that was approved earlier (a revert, a \
            `git checkout <old> -- review.md`), the old approvals do not come back: they are reported here as \
            superseded, and the signers must look at the restored version and sign it again \
            (`evident signoff --renew`).
            """,
        triggeringExamples: [
            RuleExample(
                SignoffExamples.markedReview, caption: "Dana signed off, then the review changed",
                signoffs: [
                    SignoffExamples.entry(
                        "manager", by: "Dana Okafor", "dana@example.com", blob: SignoffExamples.earlierBlob)
                ]),
            RuleExample(
                SignoffExamples.markedReview.replacingOccurrences(of: "1️⃣meets", with: "1️⃣2️⃣meets"),
                caption: "the review was restored to a version Dana approved before she approved a newer one",
                signoffs: [
                    SignoffExamples.entry(
                        "manager", by: "Dana Okafor", "dana@example.com", blob: SignoffExamples.earlierBlob,
                        commit: SignoffExamples.newerCommit),
                    SignoffExamples.entry("manager", by: "Dana Okafor", "dana@example.com"),
                ]),
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

    func check(_ context: RuleContext) {
        for review in context.judgedSignoffs {
            guard let location = context.signoffLocation(review.file) else { continue }
            for judged in review.superseded {
                let entry = judged.entry
                let newer = judged.supersededBy.map { " of \($0.date.prefix(10)) (\($0.commitID.prefix(12)))" } ?? ""
                context.report(
                    "the \(public: entry.role) sign-off by \(public: entry.signerName) approved this version, but their newer sign-off\(public: newer) replaced it",
                    at: location,
                    notes: [
                        context.signoffCommitNote(judged),
                        DiagnosticNote(
                            "a signer's newest sign-off of a file in a role is their word on it; an earlier approval does not come back when the file returns to an earlier version"
                        ),
                        DiagnosticNote(
                            "to approve this version: evident signoff \(public: review.file) --as \(public: entry.role)"
                        ),
                    ])
            }
            for judged in review.stale {
                let entry = judged.entry
                let now = entry.currentBlob.map { "is now \($0.prefix(7))" } ?? "is gone"
                context.report(
                    "the \(public: entry.role) sign-off by \(public: entry.signerName) approved an earlier version of this review",
                    at: location,
                    notes: [
                        context.signoffCommitNote(judged),
                        DiagnosticNote("it approved blob \(public: entry.blob.prefix(7)); the file \(public: now)"),
                        DiagnosticNote(
                            "to approve this version: evident signoff \(public: review.file) --as \(public: entry.role)"
                        ),
                    ])
            }
        }
    }
}
