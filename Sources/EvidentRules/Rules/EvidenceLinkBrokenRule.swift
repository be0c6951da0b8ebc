import EvidentCore

/// Repository-relative links that do not resolve: a missing target, a `..` that climbs
/// out of the repository, a symbolic link that leads outside it, or an `#anchor` that
/// names no heading of the target Markdown file.
struct EvidenceLinkBrokenRule: Rule {
    static let description = RuleDescription(
        id: "evidence-link-broken",
        defaultSeverity: .error,
        summary: "a repository-relative link that does not resolve, or that leaves the repository",
        rationale: """
            A rating is only as fair as the evidence behind it, and evidence that cannot be opened cannot be \
            checked by the calibrator, the skip-level or the person reviewed. Links inside the repository are \
            therefore resolved like a git host does: relative to the file's folder, or to the repository root \
            when they start with `/`, with `%20`-style escapes decoded. A target that is missing, a `..` that \
            climbs above the repository root, or a symbolic link that leads outside it is an error: the first \
            is a dead reference, the others point at files that are not part of the reviewed record and may \
            not be visible to everyone who must see the evidence. An `#anchor` must name a heading of the \
            target Markdown file (GitHub's slug: lowercase, punctuation dropped, spaces to hyphens); a bare \
            `#anchor` refers to the file itself. The check is offline: web addresses are left to \
            `evidence-link-disallowed`.
            """,
        triggeringExamples: [
            RuleExample(
                files: [
                    "cycles/2026-h2/alice/evidence.md": """
                    ---
                    kind: evidence
                    person: alice
                    cycle: 2026-h2
                    items:
                      - id: checkout-latency
                        date: 2026-08-14
                        type: pull-request
                        link: 1️⃣notes/benchmark.md
                        summary: Cut checkout p99 from 900 ms to 250 ms
                        dimensions: [delivery]
                      - id: queue-design
                        date: 2026-09-02
                        type: design-doc
                        link: 2️⃣/docs/retry-queue.md#rollback-plan
                        summary: Design for the retry queue, with the failure modes written down
                        dimensions: [technical-judgment]
                    ---
                    Older notes are in 3️⃣[the archive](../../../../archive/alice.md), see 4️⃣[risks](#risks).
                    """,
                    "docs/retry-queue.md": """
                    # Retry queue

                    ## Failure modes
                    Poison messages, duplicate delivery, a full disk.
                    """,
                ],
                caption:
                    "a missing target, an anchor the target lacks, a path above the repository root, and a bare anchor naming no heading of the file itself"
            ),
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
                Alice cut checkout p99 from 900 ms to 250 ms [@checkout-latency], measured against
                1️⃣[the level guide](../../../levels/eng-3.md#delivery) and 2️⃣[Bob's log](../bob/evidence.md).

                ## Technical judgment
                She designed the retry queue with its failure modes first [@queue-design].
                """, caption: "an anchor that is not the heading's slug, and a file in a folder that does not exist"),
        ],
        nonTriggeringExamples: [
            RuleExample(
                files: [
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
                    Alice cut checkout p99 from 900 ms to 250 ms [@checkout-latency]; the bar is in
                    [the level guide](../../../levels/eng-3.md#delivery-impact) and her
                    [evidence log](./evidence.md) has the rest.

                    ## Technical judgment
                    She designed the retry queue with its failure modes first [@queue-design]: see
                    [the design](/docs/retry-queue.md#failure-modes), [the benchmark](/docs/queue%20benchmark.md),
                    [the docs folder](/docs/) and [the growth plan below](#growth-plan).
                    The [pull request](https://github.com/acme/api/pull/1423) is outside this rule.

                    ## Growth plan
                    Take a cross-team project next half.
                    """,
                    "docs/retry-queue.md": """
                    # Retry queue

                    ## Failure modes
                    Poison messages, duplicate delivery, a full disk.
                    """,
                    "docs/queue benchmark.md": """
                    Throughput before and after the change.
                    """,
                ],
                caption: "relative, root-relative, percent-encoded and anchored links that all resolve")
        ])

    func check(_ context: RuleContext) {
        var resolver = LinkResolver(context)
        for targeted in context.targetedLinks {
            guard case .repository(let rawPath, let rawAnchor) = targeted.target else { continue }
            let link = targeted.link
            let path = LinkTarget.percentDecoded(rawPath)
            let anchor = rawAnchor.map(LinkTarget.percentDecoded) ?? ""
            let target: String
            if path.isEmpty {
                target = link.file
            } else {
                switch RepositoryPath.resolve(path, relativeTo: link.file) {
                case .escapes:
                    context.report(
                        "link '\(Sanitised.id(rawPath))' leaves the repository: '..' climbs above its root",
                        at: link.location)
                    continue
                case .inside(let resolved):
                    target = resolved
                }
                switch resolver.status(of: target) {
                case .missing:
                    context.report(message(target, rawPath, "does not exist"), at: link.location)
                    continue
                case .outsideRepository:
                    context.report(
                        message(target, rawPath, "is a symbolic link that leads outside the repository"),
                        at: link.location)
                    continue
                case .directory:
                    continue
                case .file:
                    break
                }
            }
            guard !anchor.isEmpty, RepositoryPath.isMarkdown(target) else { continue }
            guard !resolver.anchors(of: target).contains(LinkResolver.comparable(anchor)) else { continue }
            let place: DiagnosticMessage = path.isEmpty ? "this file" : "'\(Sanitised.id(target))'"
            context.report("'#\(Sanitised.id(anchor))' names no heading of \(place)", at: link.location)
        }
    }

    /// `link target 'cycles/2026-h2/bob/x.md' does not exist`, with the path as written
    /// when it differs from the resolved one.
    private func message(_ target: String, _ written: String, _ problem: String) -> DiagnosticMessage {
        let shown = Sanitised.id(target)
        let trimmed = written.hasPrefix("/") ? String(written.dropFirst()) : written
        if LinkTarget.percentDecoded(trimmed) == target { return "link target '\(shown)' \(public: problem)" }
        return "link target '\(shown)' (written '\(Sanitised.id(written))') \(public: problem)"
    }
}

/// Answers "does this path exist?" and "what anchors does this Markdown file have?"
/// once per path, so a repository with many links to one file reads it once.
struct LinkResolver {
    private let context: RuleContext
    private var statuses: [String: PathStatus] = [:]
    private var anchorSets: [String: Set<String>] = [:]

    init(_ context: RuleContext) { self.context = context }

    /// The status of a repository path, `.outsideRepository` when any folder on the way
    /// is a symbolic link that leads outside (a link to a folder escapes as surely as a
    /// link to a file).
    mutating func status(of path: String) -> PathStatus {
        if let known = statuses[path] { return known }
        let status: PathStatus
        if path.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            status = .missing  // a NUL or control character names no file a git host serves
        } else if let slash = path.lastIndex(of: "/") {
            let parent = self.status(of: String(path[..<slash]))
            switch parent {
            case .directory: status = context.source.status(of: path)
            case .outsideRepository: status = .outsideRepository
            case .missing, .file: status = .missing
            }
        } else {
            status = path.isEmpty ? .directory : context.source.status(of: path)
        }
        statuses[path] = status
        return status
    }

    /// Every anchor a git host generates for the file's headings, duplicates numbered
    /// (`#notes`, `#notes-1`…), in the form `comparable` returns.
    mutating func anchors(of path: String) -> Set<String> {
        if let known = anchorSets[path] { return known }
        let headings: [MarkdownHeading]
        if let loaded = context.organisation.file(path), loaded.document != nil || !loaded.headings.isEmpty {
            headings = loaded.headings
        } else {
            headings = context.markdownBody(of: path)?.headings ?? []
        }
        var anchors: Set<String> = []
        var seen: [String: Int] = [:]
        for heading in headings {
            let count = seen[heading.slug, default: 0]
            seen[heading.slug] = count + 1
            anchors.insert(count == 0 ? heading.slug : "\(heading.slug)-\(count)")
        }
        anchorSets[path] = anchors
        return anchors
    }

    /// Anchors compare without case, and GitHub's `user-content-` prefix is accepted.
    static func comparable(_ anchor: String) -> String {
        let lower = anchor.lowercased()
        return lower.hasPrefix("user-content-") ? String(lower.dropFirst("user-content-".count)) : lower
    }
}
