import EvidentCore

/// Hover text: Markdown, and the range of the text it explains.
public struct Hover: Equatable, Sendable {
    public var markdown: String
    public var range: LSPRange

    /// The same text for clients that render only plain text: without the emphasis and
    /// code marks the hover texts use, so nobody reads `**Mentoring**` literally.
    public var plainText: String {
        markdown.replacingOccurrences(of: "**", with: "").replacingOccurrences(of: "`", with: "")
    }
}

/// Explains what the cursor is on: a dimension heading (the level's expectations, the
/// criteria the section is judged against), a citation (the evidence it points at), or
/// an id in front matter (the person, level, value… it names).
public enum HoverProvider {
    public static func hover(_ target: HoverTarget, scope: DocumentScope?) -> Hover? {
        guard let scope else { return nil }
        switch target {
        case .none:
            return nil
        case .heading(let title, let range):
            guard scope.isWrittenReview, let text = headingMarkdown(title, scope: scope) else { return nil }
            return Hover(markdown: text, range: range)
        case .citation(let id, let range):
            return Hover(markdown: citationMarkdown(id, scope: scope), range: range)
        case .fieldValue(let key, let value, let range):
            guard let target = FieldTarget.forKey(key, in: scope.kind),
                let text = fieldMarkdown(target, value: value, scope: scope)
            else { return nil }
            return Hover(markdown: text, range: range)
        }
    }

    static func headingMarkdown(_ title: String, scope: DocumentScope) -> String? {
        if let level = scope.level, let dimension = level.dimension(namedBy: title) {
            return dimensionMarkdown(dimension, level: level)
        }
        switch title.lowercased() {
        case "values":
            let values = scope.organisation.values
            guard !values.isEmpty else { return "**Values**: how the person showed the company's values." }
            return "**Values**\n\n" + values.map { "- **\($0.name)** (`\($0.id.value)`)" }.joined(separator: "\n")
        case "growth plan":
            return
                "**Growth plan**: developmental feedback. It is kept apart from the rating and does not count toward it."
        case "private":
            return
                "**Private**: for calibrators only. This section and everything under it, up to the next `##`, is left out of the employee's decision record."
        default:
            guard let level = scope.level else { return nil }
            let names = level.dimensions.map { "- \($0.name) (`\($0.id.value)`)" }.joined(separator: "\n")
            return "`\(title)` is not a dimension of level `\(level.id.value)`. Its dimensions are:\n\n\(names)"
        }
    }

    static func citationMarkdown(_ id: String, scope: DocumentScope) -> String {
        if let item = scope.items.first(where: { $0.id.value == id }) {
            // A metric is evidence, not truth: say what kind of indicator it is and how it
            // can be gamed right where it is cited.
            guard let metricID = item.metric?.value, let metric = scope.organisation.metric(metricID) else {
                return itemMarkdown(item)
            }
            return itemMarkdown(item) + "\n\n" + metricMarkdown(metric)
        }
        let folder = PersonFolder.of(scope.path) ?? "this folder"
        return "No evidence item `\(id)` in \(folder)/."
    }

    static func fieldMarkdown(_ target: FieldTarget, value: String, scope: DocumentScope) -> String? {
        let organisation = scope.organisation
        switch target {
        case .person: return organisation.person(value).map { personMarkdown($0, organisation: organisation) }
        case .level: return organisation.level(value).map(levelMarkdown)
        case .cycle:
            return organisation.cycle(value).map { cycle in
                var text = "**Cycle \(cycle.id.value)**: \(cycle.start) to \(cycle.end), phase \(cycle.phase.rawValue)"
                if let freeze = cycle.freeze { text += ", evidence frozen after \(freeze.value)" }
                return text
            }
        case .value: return organisation.values.first { $0.id.value == value }.map(valueMarkdown)
        case .metric: return organisation.metrics.first { $0.id.value == value }.map(metricMarkdown)
        case .dimension: return scope.level?.dimension(value).map { dimensionMarkdown($0, level: scope.level) }
        case .rating:
            return organisation.policy?.rating(value).map { rating in
                "**\(rating.label)** (`\(rating.id.value)`): needs at least \(rating.minEvidence) cited evidence item\(rating.minEvidence == 1 ? "" : "s")."
            }
        case .item: return scope.items.first { $0.id.value == value }.map(itemMarkdown)
        case .team: return organisation.team(value).map { "**\($0.name)** (`\($0.id.value)`)" }
        case .choices, .specialism: return nil
        }
    }

    // MARK: Markdown for each kind of thing

    public static func dimensionMarkdown(_ dimension: Dimension, level: Level?) -> String {
        let aspect = dimension.aspect == .what ? "what (outcomes)" : "how (behaviour)"
        var text = "**\(dimension.name)** · `\(dimension.id.value)` · \(aspect)"
        if let level {
            text += "\n\nLevel `\(level.id.value)`" + (level.title.isEmpty ? "" : ": \(level.title)")
            if let grade = level.grade { text += " · grade \(grade.value)" }
        }
        if let source = dimension.inheritedFrom { text += "\n\nInherited from `\(source)`." }
        if let specialism = dimension.specialism { text += "\n\nFor the `\(specialism.value)` specialism only." }
        if !dimension.expectations.isEmpty {
            text += "\n\nExpectations:\n" + dimension.expectations.map { "- \($0)" }.joined(separator: "\n")
        }
        if !dimension.examples.isEmpty {
            text +=
                "\n\nExamples (illustrations, not requirements):\n"
                + dimension.examples.map { "- \($0)" }.joined(separator: "\n")
        }
        return text
    }

    public static func itemMarkdown(_ item: EvidenceItem) -> String {
        var text = "**\(item.id.value)**"
        if !item.summary.isEmpty { text += ": \(item.summary)" }
        var facts: [String] = []
        if let date = item.date { facts.append("date: \(date.value)") }
        if let type = item.type { facts.append("type: \(type.rawValue)") }
        if let link = item.link { facts.append("link: <\(link.value)>") }
        if !item.dimensions.isEmpty {
            facts.append("dimensions: " + item.dimensions.map(\.value).joined(separator: ", "))
        }
        if !item.values.isEmpty { facts.append("values: " + item.values.map(\.value).joined(separator: ", ")) }
        if let metric = item.metric { facts.append("metric: \(metric.value)") }
        facts.append("declared in `\(item.file)`")
        return text + "\n\n" + facts.map { "- \($0)" }.joined(separator: "\n")
    }

    static func personMarkdown(_ person: Person, organisation: Organisation) -> String {
        var text = "**\(person.name)** (`\(person.id.value)`)"
        var facts = [
            "level: \(person.level.value)" + (organisation.level(person.level.value).map { " (\($0.title))" } ?? "")
        ]
        if !person.team.value.isEmpty { facts.append("team: \(person.team.value)") }
        if let manager = person.manager?.value { facts.append("manager: \(manager)") }
        if !person.roles.isEmpty { facts.append("roles: " + person.roles.joined(separator: ", ")) }
        text += "\n\n" + facts.map { "- \($0)" }.joined(separator: "\n")
        return text
    }

    static func levelMarkdown(_ level: Level) -> String {
        var text = "**\(level.id.value)**" + (level.title.isEmpty ? "" : ": \(level.title)")
        if let grade = level.grade { text += " · grade \(grade.value)" }
        text += " · what \(level.balanceWhat)% / how \(level.balanceHow)%"
        if let includes = level.includes { text += " · includes `\(includes.value)`" }
        if !level.dimensions.isEmpty {
            text +=
                "\n\n"
                + level.dimensions.map { "- \($0.name) (`\($0.id.value)`, \($0.aspect.rawValue))" }.joined(
                    separator: "\n")
        }
        return text
    }

    static func valueMarkdown(_ value: CompanyValue) -> String {
        var text = "**\(value.name)** (`\(value.id.value)`)"
        if !value.behaviors.isEmpty { text += "\n\n" + value.behaviors.map { "- \($0)" }.joined(separator: "\n") }
        return text
    }

    static func metricMarkdown(_ metric: Metric) -> String {
        var text = "**\(metric.name)** (`\(metric.id.value)`, \(metric.indicator.rawValue))"
        if !metric.definition.isEmpty { text += "\n\n\(metric.definition)" }
        if !metric.gamingRisks.isEmpty {
            text += "\n\nGaming risks:\n" + metric.gamingRisks.map { "- \($0)" }.joined(separator: "\n")
        }
        return text
    }
}
