import EvidentCore

/// A sign-off by someone who does not hold the role it claims.
struct SignoffUnauthorizedRule: Rule {
    static let description = RuleDescription(
        id: "signoff-unauthorized",
        defaultSeverity: .error,
        summary: "a sign-off by someone who does not hold the role",
        rationale: """
            `evident signoff` refuses to write a sign-off for someone who does not hold the role, so one in \
            the history was written by hand or by another tool: a sign-off commit is only text, and anyone \
            can type the trailers. The signer (from `Signed-off-by`) must be, for the reviewed person, their \
            manager (`manager`), their manager's manager (`skip-level`), a calibrator of the calibration group \
            that covers their team in that cycle (`calibrator`), someone with the `hr` role, or the person \
            (`self`), as people.yaml and cycle.yaml say. It is an error because an approval by the wrong person \
            must never count silently. Sign-offs of an earlier version approve nothing any more and are not \
            reported.

            A forged commit stays in history. Rather than rewriting history, someone with the `hr` role voids \
            it: `evident signoff --void <commit> --reason "…"` writes a sign-off of its own (signed like any \
            other), after which the voided commit counts for nothing and is no longer reported. A void by \
            someone without the `hr` role is itself reported here.
            """,
        triggeringExamples: [
            RuleExample(
                SignoffExamples.markedReview, caption: "Bob, a peer, signed off as Alice's manager",
                signoffs: [SignoffExamples.entry("manager", by: "Bob Marsh", "bob@example.com")]),
            RuleExample(
                SignoffExamples.markedReview, caption: "a signer who is not in people.yaml",
                signoffs: [SignoffExamples.entry("calibrator", by: "Mallory", "mallory@example.net")]),
            RuleExample(
                SignoffExamples.markedReview.replacingOccurrences(of: "1️⃣meets", with: "1️⃣2️⃣meets"),
                caption: "Bob, without the hr role, tries to void his own forged sign-off",
                signoffs: [
                    SignoffExamples.entry(
                        "hr", by: "Bob Marsh", "bob@example.com", commit: SignoffExamples.newerCommit, position: .void,
                        reason: "never happened", voids: "4a1f0c9e2b7d3c5a6f8e9d0c1b2a3f4e5d6c7b8a"),
                    SignoffExamples.entry("manager", by: "Bob Marsh", "bob@example.com"),
                ]),
        ],
        nonTriggeringExamples: [
            RuleExample(
                SignoffExamples.review, caption: "manager, skip-level and calibrator each sign their part",
                signoffs: [
                    SignoffExamples.entry("manager", by: "Dana Okafor", "dana@example.com"),
                    SignoffExamples.entry("skip-level", by: "Vera Lind", "vera@example.com"),
                    SignoffExamples.entry("calibrator", by: "Erin Park", "erin@example.com"),
                    SignoffExamples.entry("self", by: "Alice Chen", "alice@example.com"),
                ]),
            RuleExample(
                SignoffExamples.review, caption: "Vera (hr) voided Bob's forged sign-off",
                signoffs: [
                    SignoffExamples.entry(
                        "hr", by: "Vera Lind", "vera@example.com", commit: SignoffExamples.newerCommit, position: .void,
                        reason: "Bob is not Alice's manager", voids: "4a1f0c9e2b7d3c5a6f8e9d0c1b2a3f4e5d6c7b8a"),
                    SignoffExamples.entry("manager", by: "Bob Marsh", "bob@example.com"),
                ]),
            RuleExample(
                SignoffExamples.review, caption: "a wrong sign-off of an earlier version approves nothing now",
                signoffs: [
                    SignoffExamples.entry(
                        "manager", by: "Bob Marsh", "bob@example.com", blob: SignoffExamples.earlierBlob)
                ]),
        ])

    func check(_ context: RuleContext) {
        for review in context.judgedSignoffs {
            guard let location = context.signoffLocation(review.file) else { continue }
            for judged in review.unauthorized {
                let entry = judged.entry
                let act =
                    entry.position == .void
                    ? "voided a sign-off of this review" : "signed off this review as \(entry.role)"
                context.report(
                    "\(public: entry.signerName) <\(public: entry.signerEmail)> \(public: act) without holding the role: \(public: judged.refusal ?? "not authorised")",
                    at: location, notes: [context.signoffCommitNote(judged)])
            }
        }
    }
}
