import EvidentCore

/// A sign-off whose SSH signature is missing where required, or does not verify.
struct SignoffSignatureRule: Rule {
    static let description = RuleDescription(
        id: "signoff-signature",
        defaultSeverity: .error,
        summary: "a required sign-off signature is missing or does not verify against the signer's key",
        rationale: """
            Without a signature, a sign-off commit proves nothing about who wrote it: anyone can type \
            another person's name into `Signed-off-by`. With `signoff.require_signature: true` every sign-off \
            of the current content must carry an SSH signature (which `evident signoff` adds) that verifies \
            against the signer's `signing_key` in people.yaml, as `git verify-commit` and `ssh-keygen -Y verify` \
            check it with the signer's email as principal. A signature that is present but does not verify is \
            reported even when signatures are optional: it claims an identity it cannot prove. An unsigned or \
            badly signed sign-off also replaces nothing: it cannot withdraw or supersede a genuine one. It is an \
            error because a forged approval must not pass CI.
            """,
        triggeringExamples: [
            RuleExample(
                files: [
                    "evident.yaml": SignoffExamples.policyRequiringSignatures,
                    RuleExample.defaultFile: SignoffExamples.markedReview,
                ], caption: "an unsigned sign-off where signatures are required",
                signoffs: [SignoffExamples.entry("manager", by: "Dana Okafor", "dana@example.com")]),
            RuleExample(
                SignoffExamples.markedReview, caption: "signed, but not with Dana's key",
                signoffs: [
                    SignoffExamples.entry(
                        "manager", by: "Dana Okafor", "dana@example.com", signed: true, verified: false)
                ]),
        ],
        nonTriggeringExamples: [
            RuleExample(
                files: ["evident.yaml": SignoffExamples.policyRequiringSignatures],
                caption: "signed with the key people.yaml lists for Dana",
                signoffs: [
                    SignoffExamples.entry(
                        "manager", by: "Dana Okafor", "dana@example.com", signed: true, verified: true)
                ]),
            RuleExample(
                SignoffExamples.review, caption: "unsigned, and signatures are optional",
                signoffs: [SignoffExamples.entry("manager", by: "Dana Okafor", "dana@example.com")]),
        ])

    func check(_ context: RuleContext) {
        for review in context.judgedSignoffs {
            guard let location = context.signoffLocation(review.file) else { continue }
            for judged in review.signatureProblems {
                let entry = judged.entry
                context.report(
                    "the \(public: entry.role) sign-off by \(public: entry.signerName) does not meet the signature policy: \(public: judged.signatureProblem ?? "")",
                    at: location, notes: [context.signoffCommitNote(judged)])
            }
        }
    }
}
