import ArgumentParser
import EvidentCore
import EvidentRules

/// `evident rules`: the catalogue, generated from the rule descriptions.
struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules", abstract: "List every rule with its default severity and summary.")

    func run() throws {
        Console.out(RuleCatalogue.table(RuleRegistry.descriptions))
    }
}

/// `evident explain <rule>`: one rule in full, examples included.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain", abstract: "Explain one rule: why it exists and what triggers it.")

    @Argument(help: "A rule id, as printed by 'evident rules'.")
    var rule: String

    func run() throws {
        guard let description = RuleRegistry.rule(rule)?.description else {
            throw EnvironmentError("unknown rule '\(rule)'; run 'evident rules' for the list")
        }
        Console.out(RuleCatalogue.explanation(description))
    }
}

/// Renders rule descriptions as text. Kept apart from the commands so the README's
/// catalogue and the CLI print the same words.
enum RuleCatalogue {
    static func table(_ descriptions: [RuleDescription]) -> String {
        let width = descriptions.map(\.id.count).max() ?? 0
        var text = ""
        for description in descriptions {
            let padding = String(repeating: " ", count: width - description.id.count)
            let severity = description.defaultSeverity.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)
            text += "\(description.id)\(padding)  \(severity)  \(description.summary)\n"
        }
        text += "\n\(descriptions.count) rules. 'evident explain <rule>' shows one in full.\n"
        return text
    }

    static func explanation(_ description: RuleDescription) -> String {
        var text = "# \(description.id)\n\n"
        text += "Default severity: \(description.defaultSeverity.rawValue)\n\n"
        text += "\(description.summary)\n\n"
        text += "## Why\n\n\(description.rationale)\n\n"
        text += "## Configure\n\n"
        text += "In evident.yaml: `rules: { \(description.id): warning }` (or `error`, `off`).\n"
        text += "In a Markdown file: `<!-- evident-disable-next-line \(description.id) -->`, or "
        text += "`<!-- evident-disable \(description.id) -->` … `<!-- evident-enable \(description.id) -->`.\n"
        text += examples("Triggers", description.triggeringExamples, ruleID: description.id, triggering: true)
        text += examples(
            "Does not trigger", description.nonTriggeringExamples, ruleID: description.id, triggering: false)
        return text
    }

    /// Each example as it would be written (no position markers, so it can be copied),
    /// on top of the small example repository; under a triggering one, what `check`
    /// reports for it, computed by running the rule rather than written by hand.
    private static func examples(_ title: String, _ examples: [RuleExample], ruleID: String, triggering: Bool) -> String
    {
        guard !examples.isEmpty else { return "" }
        var text = "\n## \(title)\n"
        for example in examples {
            text +=
                "\n\(example.caption.isEmpty ? "Example" : example.caption.prefix(1).uppercased() + example.caption.dropFirst()):\n"
            for (path, content) in example.files.sorted(by: { $0.key < $1.key }) {
                text += "\n  \(path)\n\n"
                for line in MarkedText(content).text.split(separator: "\n", omittingEmptySubsequences: false) {
                    text += "    \(line)\n"
                }
            }
            if !example.removedFiles.isEmpty {
                text += "\n  (with \(example.removedFiles.sorted().joined(separator: ", ")) removed)\n"
            }
            guard triggering else { continue }
            text += "\n  check reports:\n\n"
            for diagnostic in diagnostics(of: example, ruleID: ruleID) {
                let place = "\(diagnostic.location.file):\(diagnostic.location.line):\(diagnostic.location.column)"
                text += "    \(place): \(diagnostic.severity.rawValue): \(diagnostic.message) [\(ruleID)]\n"
            }
        }
        return text
    }

    /// The rule's findings in an example, as the example tests compute them.
    static func diagnostics(of example: RuleExample, ruleID: String) -> [Diagnostic] {
        let source = MemorySource(root: "/example", texts: example.repositoryFiles)
        guard let organisation = try? RepositoryLoader.load(from: source) else { return [] }
        let ledger = example.signoffs.isEmpty ? nil : SignoffLedger(entries: example.signoffs)
        return RuleEngine().check(organisation, source: source, signoffs: ledger).filter { $0.ruleID == ruleID }
    }
}
