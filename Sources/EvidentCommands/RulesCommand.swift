import ArgumentParser
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
        text += examples("Triggers", description.triggeringExamples, marked: true)
        text += examples("Does not trigger", description.nonTriggeringExamples, marked: false)
        return text
    }

    private static func examples(_ title: String, _ examples: [RuleExample], marked: Bool) -> String {
        guard !examples.isEmpty else { return "" }
        var text = "\n## \(title)\n"
        for example in examples {
            for (path, content) in example.files.sorted(by: { $0.key < $1.key }) {
                let caption = example.caption.isEmpty ? path : "\(example.caption) (\(path))"
                text += "\n\(caption):\n\n"
                let shown = marked ? content : MarkedText(content).text
                for line in shown.split(separator: "\n", omittingEmptySubsequences: false) {
                    text += "    \(line)\n"
                }
            }
        }
        return text
    }
}
