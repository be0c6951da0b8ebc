import EvidentCore

/// A rule id that names no rule, in `evident.yaml`'s `rules:` or in an inline
/// `evident-disable` comment, and such a comment that names no rule at all.
///
/// Positions: at the key under `rules:`; at the comment's `<!--`.
struct ConfigInvalidRule: Rule {
    static let description = RuleDescription(
        id: "config-invalid",
        defaultSeverity: .error,
        summary: "a rule id in evident.yaml's rules: or in an evident-disable comment that names no rule",
        rationale: """
            A rule switched off under a misspelt id stays on, and a comment meant to silence one finding \
            silences nothing: the configuration says one thing and the check does another, and nothing else \
            would tell. These mistakes have their own id, apart from `unknown-reference`, so that switching \
            off the check of people, levels and cycles does not also hide mistakes in the switches themselves.
            """,
        triggeringExamples: [
            RuleExample(
                """
                evident: 1
                organization: Example
                ratings:
                  - { id: meets, label: Meets expectations, min_evidence: 1 }
                rules:
                  word-limit: warning
                  1️⃣vage-language: off
                """, file: "evident.yaml", caption: "a misspelt rule id in rules:"),
            RuleExample(
                """
                ---
                kind: self-review
                person: alice
                cycle: 2026-h2
                ---
                ## Delivery impact
                I led the checkout latency work [@checkout-latency].

                1️⃣<!-- evident-disable-next-line vage-language -->
                ## Technical judgment
                I wrote the retry queue design before building it [@queue-design].
                """, file: "cycles/2026-h2/alice/self.md", caption: "a misspelt rule id in a comment"),
            RuleExample(
                """
                ---
                kind: self-review
                person: alice
                cycle: 2026-h2
                ---
                ## Delivery impact
                I led the checkout latency work [@checkout-latency].

                1️⃣<!-- evident-disable-next-line -->
                ## Technical judgment
                I wrote the retry queue design before building it [@queue-design].
                """, file: "cycles/2026-h2/alice/self.md", caption: "a comment naming no rule"),
        ],
        nonTriggeringExamples: [
            RuleExample(
                """
                evident: 1
                organization: Example
                ratings:
                  - { id: meets, label: Meets expectations, min_evidence: 1 }
                rules:
                  word-limit: warning
                  vague-language: off
                """, file: "evident.yaml", caption: "known rule ids in rules:"),
            RuleExample(
                """
                ---
                kind: self-review
                person: alice
                cycle: 2026-h2
                ---
                ## Delivery impact
                I led the checkout latency work [@checkout-latency].

                <!-- evident-disable-next-line vague-language -->
                ## Technical judgment
                I wrote the retry queue design before building it [@queue-design].
                """, file: "cycles/2026-h2/alice/self.md", caption: "a known rule id in a comment"),
        ])

    func check(_ context: RuleContext) {
        let known = RuleRegistry.allIDs
        for setting in context.organisation.policy?.ruleSettings ?? [] where !known.contains(setting.ruleID.value) {
            context.report(Self.unknown(setting.ruleID.value, in: "evident.yaml"), at: setting.ruleID.location)
        }
        for file in context.organisation.files where !file.directives.isEmpty && context.reports(file.path) {
            for directive in file.directives {
                let location = SourceLocation(file: file.path, line: directive.line, column: directive.column)
                if directive.rules.isEmpty {
                    context.report(
                        "evident-\(public: directive.kind.rawValue) needs at least one rule id", at: location)
                }
                for rule in directive.rules where !known.contains(rule) {
                    context.report(
                        Self.unknown(rule, in: "an evident-\(directive.kind.rawValue) comment"), at: location)
                }
            }
        }
    }

    private static func unknown(_ id: String, in place: String) -> DiagnosticMessage {
        "unknown rule '\(Sanitised.id(id))' in \(public: place); run 'evident rules' for the list"
    }
}
