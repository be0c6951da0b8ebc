import EvidentCore

/// Runs the rule catalogue over an organisation and applies configuration.
///
/// Every rule reports into one collector (rules run in parallel), which applies, as each
/// finding arrives, the severities of `evident.yaml` (dropping `off` rules) and the inline
/// `<!-- evident-disable … -->` comments, then caps what it keeps per file and rule
/// (`DiagnosticLimits`). For partial checks only diagnostics in the requested files are
/// kept.
public struct RuleEngine: Sendable {
    public let rules: [any Rule.Type]

    public init(rules: [any Rule.Type] = RuleRegistry.all) {
        self.rules = rules
    }

    /// Checks `organisation`. `files`, when given, limits the report to those paths;
    /// `stored`, what git stores for them (for the sealing rules).
    ///
    /// With sealing on, diagnostics in sealed files keep no text quoted from a file
    /// (`Diagnostic.withholdingText`) unless `showText`: every output of `check` is made
    /// from what this returns, so none of them can quote a sealed review into a CI log.
    /// The language server, which runs on a reader's own machine, shows the text.
    public func check(
        _ organisation: Organisation, source: any RepositorySource, signoffs: SignoffLedger? = nil,
        stored: (any StoredContent)? = nil, files: Set<String>? = nil, limits: DiagnosticLimits = .standard,
        today: Day = .today(), showText: Bool = false
    ) -> [Diagnostic] {
        let diagnostics = collect(
            organisation, source: source, signoffs: signoffs, stored: stored, files: files, limits: limits, today: today
        )
        guard !showText, organisation.policy?.sealing.enabled == true else { return diagnostics }
        return diagnostics.withholdingText(in: organisation.withholdsText(of:))
    }

    private func collect(
        _ organisation: Organisation, source: any RepositorySource, signoffs: SignoffLedger?,
        stored: (any StoredContent)?, files: Set<String>?, limits: DiagnosticLimits, today: Day
    ) -> [Diagnostic] {
        let collector = DiagnosticCollector(limits: limits, admit: admission(organisation, files: files))
        let itemPositions = ItemPositionTable(organisation)
        let links = LinkTable()
        let contexts = rules.map { rule in
            RuleContext(
                organisation: organisation, source: source, signoffs: signoffs, stored: stored, today: today,
                description: rule.description, collector: collector, files: files, itemPositionTable: itemPositions,
                linkTable: links)
        }
        let instances: [any Rule] = rules.map { $0.init() }
        _ = parallelMap(RuleEngine.longestFirst(rules)) { index in instances[index].check(contexts[index]) }
        return collector.diagnostics
    }

    /// The indices of `rules` in the order to start them: the slow ones first (by their
    /// `RuleDescription.cost`), then the rest in registry order. Rules run one per task on
    /// as many cores as there are; starting the longest last leaves the other cores idle
    /// while it finishes (from the rules' shares, in registry order the rule phase on two
    /// cores would take some 15 % longer). The order changes nothing else: every diagnostic is collected, then
    /// sorted.
    static func longestFirst(_ rules: [any Rule.Type]) -> [Int] {
        func rank(_ index: Int) -> Int {
            if case .slow(let rank) = rules[index].description.cost { return rank }
            return Int.max
        }
        return rules.indices.sorted { (rank($0), $0) < (rank($1), $1) }
    }

    /// What the collector keeps, decided before a message is built: the `rules:`
    /// severities (`off` drops), the inline comments, and for partial checks the files.
    private func admission(_ organisation: Organisation, files: Set<String>?) -> DiagnosticCollector.Admission {
        var severities: [String: Severity?] = [:]
        for setting in organisation.policy?.ruleSettings ?? [] { severities[setting.ruleID.value] = setting.severity }
        var silencers: [String: Silencer] = [:]
        for file in organisation.files where !file.directives.isEmpty {
            silencers[file.path] = Silencer(file)
        }
        // A person folder holding files sealed to others is not checked by this identity
        // (it cannot read them); only the sealing rules, which need no key, speak about it.
        let sealed = organisation.sealedPersonFolders
        return { [severities, silencers, sealed] rule, severity, location in
            if let files, !files.contains(location.file) { return nil }
            if !sealed.isEmpty, !rule.hasPrefix("seal-"), sealed.contains(PersonFolder.of(location.file) ?? "") {
                return nil
            }
            if let silencer = silencers[location.file], silencer.silences(rule, line: location.line) { return nil }
            guard let configured = severities[rule] else { return severity }
            return configured
        }
    }
}

/// Which lines of a file have which rules switched off by inline comments.
///
/// - `<!-- evident-disable a b -->` switches rules off from its own line to the matching
///   `<!-- evident-enable a -->` (that line included), or to the end of the file. A
///   `disable` placed before any heading or text of the body covers the front matter
///   too, so findings about the file as a whole (reported at its opening `---` or at a
///   front matter key) can be silenced from the top of the body.
/// - `<!-- evident-disable-next-line a -->` switches rules off on the next line only.
/// - `enable` without an open `disable` changes nothing; a second `disable` of a rule
///   that is already off keeps the first.
struct Silencer: Sendable {
    /// Per rule, the lines switched off: disjoint ranges in ascending order, so a lookup
    /// is a binary search even in a file with 100,000 comments.
    private var ranges: [String: [ClosedRange<Int>]] = [:]

    /// The directives of `file`, with the file's first line of body content found from
    /// its headings and text blocks.
    init(_ file: LoadedFile) {
        var firstContent = file.headings.map(\.line).min() ?? Int.max
        switch file.document {
        case .review(let document)?:
            if let block = document.body.blocks.first { firstContent = min(firstContent, block.firstLine) }
        case .level(let level)?:
            if let block = level.body?.blocks.first { firstContent = min(firstContent, block.firstLine) }
        default:
            break
        }
        self.init(file.directives, firstContentLine: firstContent)
    }

    /// `firstContentLine`: the first line of body content; a `disable` above it starts at
    /// line 1. Nil means the body's start is unknown and no directive reaches back.
    init(_ directives: [Directive], firstContentLine: Int? = nil) {
        var open: [String: Int] = [:]
        let ordered = directives.sorted { ($0.line, $0.column) < ($1.line, $1.column) }
        for directive in ordered {
            for rule in directive.rules {
                switch directive.kind {
                case .disable:
                    guard open[rule] == nil else { continue }
                    let reachesBack = firstContentLine.map { directive.line < $0 } ?? false
                    open[rule] = reachesBack ? 1 : directive.line
                case .enable:
                    if let start = open.removeValue(forKey: rule) {
                        ranges[rule, default: []].append(start...directive.line)
                    }
                case .disableNextLine:
                    ranges[rule, default: []].append((directive.line + 1)...(directive.line + 1))
                }
            }
        }
        for (rule, start) in open { ranges[rule, default: []].append(start...Int.max) }
        for (rule, list) in ranges { ranges[rule] = Silencer.merged(list) }
    }

    /// `ranges` sorted and with overlapping or adjacent ones joined.
    static func merged(_ ranges: [ClosedRange<Int>]) -> [ClosedRange<Int>] {
        var result: [ClosedRange<Int>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = result.last, range.lowerBound <= last.upperBound || range.lowerBound - 1 == last.upperBound {
                result[result.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                result.append(range)
            }
        }
        return result
    }

    func silences(_ rule: String, line: Int) -> Bool {
        guard let list = ranges[rule], !list.isEmpty else { return false }
        // The last range starting at or before `line`.
        var low = 0
        var high = list.count
        while low < high {
            let middle = (low + high) / 2
            if list[middle].lowerBound <= line { low = middle + 1 } else { high = middle }
        }
        return low > 0 && list[low - 1].contains(line)
    }
}

/// Makes user-supplied ids safe to embed in a message (reporters sanitise again; this
/// keeps messages short when an id is absurdly long).
public enum Sanitised {
    public static func id(_ text: String) -> String {
        text.count > 80 ? String(text.prefix(80)) + "…" : text
    }
}
