import EvidentCore

/// A person folder with a review but fewer peer feedback files than `min_peer_feedback`,
/// or a peer feedback file written by the person themself.
///
/// Positions: the shortfall at the review's header (the opening `---`); a self-written
/// peer file at its `author` value.
struct PeerFeedbackMissingRule: Rule {
    static let description = RuleDescription(
        id: "peer-feedback-missing",
        defaultSeverity: .error,
        summary: "fewer peer feedback files than min_peer_feedback, or peer feedback written by the person reviewed",
        rationale: """
            A manager sees a slice of someone's work; peers see collaboration, code review and incidents the \
            manager never did. A review written without them leans on one person's view and on whatever \
            was most visible to that person. Every review therefore needs at least `min_peer_feedback` \
            `peer-<author>.md` files in the person's folder before it is written. A peer file whose author is \
            the person reviewed is a self review in disguise and does not count; it is reported at its \
            `author`. The shortfall is reported at the review's opening `---`.
            """,
        triggeringExamples: [
            RuleExample(
                files: [
                    "cycles/2026-h2/alice/review.md": """
                    1️⃣---
                    kind: review
                    person: alice
                    cycle: 2026-h2
                    reviewer: dana
                    level: eng-3
                    rating: meets
                    ---
                    ## Delivery impact
                    Alice cut checkout p99 from 900 ms to 250 ms [@checkout-latency].

                    ## Technical judgment
                    She designed the retry queue with its failure modes first [@queue-design].
                    """
                ], caption: "one peer file where two are required", removing: ["cycles/2026-h2/alice/peer-carol.md"]),
            RuleExample(
                files: [
                    "cycles/2026-h2/alice/peer-carol.md": """
                    ---
                    kind: peer-feedback
                    person: alice
                    cycle: 2026-h2
                    author: 2️⃣alice
                    ---
                    ## Delivery impact
                    I shipped the latency fix behind a flag [@checkout-latency].
                    """,
                    "cycles/2026-h2/alice/review.md": "1️⃣" + (ExampleRepository.files[RuleExample.defaultFile] ?? ""),
                ], caption: "peer feedback written by the person reviewed does not count"),
        ],
        nonTriggeringExamples: [
            RuleExample(ExampleRepository.files[RuleExample.defaultFile] ?? "", caption: "two peers' feedback"),
            RuleExample(
                files: ["cycles/2026-h2/alice/self.md": ExampleRepository.files["cycles/2026-h2/alice/self.md"] ?? ""],
                caption: "no review written yet", removing: ["cycles/2026-h2/alice/review.md"]),
        ])

    func check(_ context: RuleContext) {
        let organisation = context.organisation
        let minimum = context.policy.minPeerFeedback
        for personCycle in organisation.personCycles {
            let person = personCycle.personFolder
            // Decoded peer files, by path, to read their author.
            var authors: [String: Located<String>] = [:]
            for peer in personCycle.peerFeedback {
                if let author = peer.author {
                    authors[peer.file] = author
                    if author.value == person || (peer.person.map { $0.value == author.value } ?? false) {
                        context.report(
                            "peer feedback on \(author.value) written by \(author.value): write it in self.md instead; it does not count as peer feedback",
                            at: author.location)
                    }
                }
            }
            guard let review = personCycle.review, minimum > 0 else { continue }
            // Count files, not decoded documents: a peer file with a syntax error is still
            // feedback that exists (and is reported by front-matter-syntax).
            var peers: [String] = []
            for path in personCycle.files {
                guard let name = Self.peerFileName(path) else { continue }
                let author = authors[path]?.value ?? String(name.dropFirst("peer-".count).dropLast(".md".count))
                if author != person { peers.append(name) }
            }
            guard peers.count < minimum else { continue }
            let found = peers.isEmpty ? "none" : "\(peers.count) (\(peers.sorted().joined(separator: ", ")))"
            context.report(
                "the review needs peer feedback from at least \(minimum) \(minimum == 1 ? "peer" : "peers") (min_peer_feedback); found \(found)",
                at: review.headerLocation)
        }
    }

    /// The file name of a peer feedback file (`DocumentKind.classify(path) == .peerFeedback`),
    /// nil for other files.
    static func peerFileName(_ path: String) -> String? {
        let place = PathShape(path)
        guard place.kind == .peerFeedback else { return nil }
        return place.fileName.map(String.init)
    }
}
