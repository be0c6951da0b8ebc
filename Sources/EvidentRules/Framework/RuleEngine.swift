import EvidentCore

/// Runs the rule catalogue over an organisation and applies configuration.
///
/// Order: every rule reports into one collector (rules run in parallel); then severities
/// from `evident.yaml` are applied and `off` rules dropped; then inline
/// `<!-- evident-disable … -->` comments silence what they cover; then, for partial
/// checks, only diagnostics in the requested files are kept.
public struct RuleEngine: Sendable {
    public let rules: [any Rule.Type]

    public init(rules: [any Rule.Type] = RuleRegistry.all) {
        self.rules = rules
    }

    /// Checks `organisation`. `files`, when given, limits the report to those paths.
    public func check(
        _ organisation: Organisation, source: any RepositorySource, signoffs: SignoffLedger? = nil,
        files: Set<String>? = nil
    ) -> [Diagnostic] {
        let collector = DiagnosticCollector()
        let contexts = rules.map { rule in
            RuleContext(
                organisation: organisation, source: source, signoffs: signoffs, description: rule.description,
                collector: collector)
        }
        let instances: [any Rule] = rules.map { $0.init() }
        _ = parallelMap(Array(instances.indices)) { index in instances[index].check(contexts[index]) }
        var diagnostics = collector.diagnostics
        diagnostics += configurationProblems(organisation)
        diagnostics = applySettings(diagnostics, policy: organisation.policy)
        diagnostics = applyDirectives(diagnostics, organisation: organisation)
        if let files { diagnostics = diagnostics.filter { files.contains($0.location.file) } }
        return diagnostics.sorted()
    }

    private var knownIDs: Set<String> { Set(rules.map { $0.description.id }) }

    /// Unknown rule ids in `rules:` or in inline comments are mistakes worth reporting:
    /// a misspelt id silences nothing.
    private func configurationProblems(_ organisation: Organisation) -> [Diagnostic] {
        let known = RuleRegistry.allIDs
        var problems: [Diagnostic] = []
        for setting in organisation.policy?.ruleSettings ?? [] where !known.contains(setting.ruleID.value) {
            problems.append(unknownRule(setting.ruleID.value, at: setting.ruleID.location, place: "evident.yaml"))
        }
        for file in organisation.files {
            for directive in file.directives {
                if directive.rules.isEmpty {
                    problems.append(
                        Diagnostic(
                            ruleID: UnknownReferenceRule.description.id, severity: .error,
                            message: "evident-\(directive.kind.rawValue) needs at least one rule id",
                            location: SourceLocation(file: file.path, line: directive.line, column: directive.column)))
                }
                for rule in directive.rules where !known.contains(rule) {
                    problems.append(
                        unknownRule(
                            rule, at: SourceLocation(file: file.path, line: directive.line, column: directive.column),
                            place: "an evident-\(directive.kind.rawValue) comment"))
                }
            }
        }
        return problems
    }

    private func unknownRule(_ id: String, at location: SourceLocation, place: String) -> Diagnostic {
        Diagnostic(
            ruleID: UnknownReferenceRule.description.id, severity: .error,
            message: "unknown rule '\(Sanitised.id(id))' in \(place); run 'evident rules' for the list",
            location: location)
    }

    private func applySettings(_ diagnostics: [Diagnostic], policy: Policy?) -> [Diagnostic] {
        guard let settings = policy?.ruleSettings, !settings.isEmpty else { return diagnostics }
        var severities: [String: Severity?] = [:]
        for setting in settings { severities[setting.ruleID.value] = setting.severity }
        return diagnostics.compactMap { diagnostic in
            guard let configured = severities[diagnostic.ruleID] else { return diagnostic }
            guard let severity = configured else { return nil }
            var adjusted = diagnostic
            adjusted.severity = severity
            return adjusted
        }
    }

    private func applyDirectives(_ diagnostics: [Diagnostic], organisation: Organisation) -> [Diagnostic] {
        var silencers: [String: Silencer] = [:]
        for file in organisation.files where !file.directives.isEmpty {
            silencers[file.path] = Silencer(file.directives)
        }
        guard !silencers.isEmpty else { return diagnostics }
        return diagnostics.filter { diagnostic in
            guard let silencer = silencers[diagnostic.location.file] else { return true }
            return !silencer.silences(diagnostic.ruleID, line: diagnostic.location.line)
        }
    }
}

/// Which lines of a file have which rules switched off by inline comments.
struct Silencer {
    private var ranges: [String: [ClosedRange<Int>]] = [:]

    init(_ directives: [Directive]) {
        var open: [String: Int] = [:]
        for directive in directives.sorted(by: { $0.line < $1.line }) {
            for rule in directive.rules {
                switch directive.kind {
                case .disable:
                    if open[rule] == nil { open[rule] = directive.line }
                case .enable:
                    if let start = open.removeValue(forKey: rule) { ranges[rule, default: []].append(start...directive.line) }
                case .disableNextLine:
                    ranges[rule, default: []].append(directive.line...(directive.line + 1))
                }
            }
        }
        for (rule, start) in open { ranges[rule, default: []].append(start...Int.max) }
    }

    func silences(_ rule: String, line: Int) -> Bool {
        ranges[rule]?.contains { $0.contains(line) } ?? false
    }
}

/// Makes user-supplied ids safe to embed in a message (reporters sanitise again; this
/// keeps messages short when an id is absurdly long).
public enum Sanitised {
    public static func id(_ text: String) -> String {
        text.count > 80 ? String(text.prefix(80)) + "…" : text
    }
}
