import EvidentCore
import Foundation

/// Web links that match no `evidence.allowed_links` glob, and links with any scheme
/// other than http(s): `file:`, `javascript:`, `data:`, `ftp:`… `mailto:` passes only
/// when a glob names it.
struct EvidenceLinkDisallowedRule: Rule {
    static let description = RuleDescription(
        id: "evidence-link-disallowed",
        defaultSeverity: .error,
        cost: .slow(rank: 1),
        summary: "a url that matches no allowed_links pattern, or a link with a scheme other than http(s)",
        rationale: """
            Evidence has to stay reachable, durable and visible to everyone entitled to check it: the \
            calibrators, the skip-level and the person reviewed. `evidence.allowed_links` lists the systems \
            of record where such evidence lives (the code host, the ticket tracker), so a link to a personal \
            drive, a chat export or a private paste site is caught before a rating rests on it. Patterns are \
            globs: `*` matches any run of characters, `/` included, and `?` one character; scheme and host \
            compare without case, and `.`/`..` segments are resolved first so `https://github.com/acme/../x` \
            cannot pass as `https://github.com/acme/*`. Any scheme other than http(s) is refused outright, \
            whatever the patterns say: `file:` points at one person's disk, `javascript:`, `data:` and \
            `vbscript:` run code in whoever opens the decision record. `mailto:` is also refused unless a \
            pattern names it (for example `mailto:*@acme.example`), because an address is a way to ask for \
            evidence, not evidence. Paths inside the repository are checked by `evidence-link-broken`. Level \
            guides and values.md are guidance, not evidence, so their links may point anywhere.
            """,
        triggeringExamples: [
            RuleExample(
                """
                ---
                kind: evidence
                person: alice
                cycle: 2026-h2
                items:
                  - id: checkout-latency
                    date: 2026-08-14
                    type: pull-request
                    link: 1️⃣https://gitlab.com/acme/api/-/merge_requests/7
                    summary: Cut checkout p99 from 900 ms to 250 ms
                    dimensions: [delivery]
                  - id: queue-design
                    date: 2026-09-02
                    type: design-doc
                    link: 2️⃣https://github.com/acme/../someone-else/queue/pull/3
                    summary: Design for the retry queue, with the failure modes written down
                    dimensions: [technical-judgment]
                ---
                The benchmark is 3️⃣[on my laptop](file:///home/alice/bench.txt); ask 4️⃣[Alice](mailto:alice@example.com).
                """, file: "cycles/2026-h2/alice/evidence.md",
                caption: "a host not in allowed_links, a '..' that leaves the allowed path, file: and mailto:"),
            RuleExample(
                """
                ---
                kind: review
                person: alice
                cycle: 2026-h2
                reviewer: dana
                level: eng-3
                rating: meets
                ---
                ## Delivery impact
                Alice cut checkout p99 from 900 ms to 250 ms [@checkout-latency] (1️⃣[details](JavaScript:alert(1))).

                ## Technical judgment
                She designed the retry queue with its failure modes first [@queue-design], as
                2️⃣[the chart](data:text/html;base64,PHNjcmlwdD4=) and 3️⃣[the notes](//paste.example.net/x) show.
                """, caption: "script-running schemes and a protocol-relative link to another host"),
        ],
        nonTriggeringExamples: [
            RuleExample(
                (ExampleRepository.files["levels/eng-3.md"] ?? "")
                    + "See [Effective Go](https://go.dev/doc/effective_go) for what idiomatic means here.\n",
                file: "levels/eng-3.md", caption: "a level guide's prose links wherever its authors like"),
            RuleExample(
                """
                ---
                kind: review
                person: alice
                cycle: 2026-h2
                reviewer: dana
                level: eng-3
                rating: meets
                ---
                ## Delivery impact
                Alice cut checkout p99 from 900 ms to 250 ms [@checkout-latency]: see
                [the pull request](https://github.com/acme/api/pull/1423),
                [the follow-up](HTTPS://GitHub.com/acme/api/pull/1424) and [the ticket](https://acme.atlassian.net/browse/PAY-90).

                ## Technical judgment
                She designed the retry queue with its failure modes first [@queue-design]
                ([her log](evidence.md) is a repository path, not a URL).
                """, caption: "links that match allowed_links, whatever the case of scheme and host"),
            RuleExample(
                files: [
                    "evident.yaml": (ExampleRepository.files["evident.yaml"] ?? "").replacingAllowedLinks(
                        with:
                            #"["https://github.com/acme/*", "https://acme.atlassian.net/browse/*", "mailto:*@example.com"]"#
                    ),
                    RuleExample.defaultFile: """
                    ---
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
                    She designed the retry queue with its failure modes first [@queue-design];
                    [Bob](mailto:bob@example.com) reviewed it.
                    """,
                ], caption: "a mailto: address that an allowed_links pattern names"),
        ])

    func check(_ context: RuleContext) {
        let globs = context.policy.allowedLinks.map(LinkGlob.init)
        let allowedNote =
            globs.isEmpty
            ? DiagnosticNote("evident.yaml lists no evidence.allowed_links")
            : DiagnosticNote("allowed_links: \(public: globs.map(\.pattern).joined(separator: ", "))")
        // Level guides and values.md are guidance, not evidence: a ladder may link a
        // language's style guide or a talk. Their repository links are still resolved
        // (evidence-link-broken).
        let guidance = Set(
            context.organisation.files.compactMap { file -> String? in
                switch file.document {
                case .level?, .values?: return file.path
                default: return nil
                }
            })
        for targeted in context.targetedLinks where !guidance.contains(targeted.link.file) {
            let link = targeted.link
            switch targeted.target {
            case .repository:
                continue
            case .networkPath(let address):
                guard LinkGlob.firstMatch(in: globs, for: LinkTarget.normalisedURL("https:" + address)) == nil
                else { continue }
                context.report(
                    "'\(Sanitised.id(address))' matches no allowed_links pattern", at: link.location,
                    notes: [allowedNote])
            case .url(let scheme, let address):
                switch scheme {
                case "http", "https":
                    guard LinkGlob.firstMatch(in: globs, for: LinkTarget.normalisedURL(address)) == nil
                    else { continue }
                    context.report(
                        "'\(Sanitised.id(address))' matches no allowed_links pattern", at: link.location,
                        notes: [allowedNote])
                case "mailto":
                    guard LinkGlob.firstMatch(in: globs, for: address) == nil else { continue }
                    context.report(
                        "'mailto:' links are not allowed unless an allowed_links pattern names them",
                        at: link.location)
                default:
                    context.report(
                        "'\(Sanitised.id(scheme)):' links are not allowed: use an http(s) link that matches allowed_links or a path inside the repository",
                        at: link.location)
                }
            }
        }
    }
}

extension String {
    /// The example policy with another `allowed_links` list (for rule examples).
    fileprivate func replacingAllowedLinks(with list: String) -> String {
        let old = #"["https://github.com/acme/*", "https://acme.atlassian.net/browse/*"]"#
        guard let range = range(of: old) else { return self }
        return replacingCharacters(in: range, with: list)
    }
}
