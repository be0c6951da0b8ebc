import EvidentCore

/// One completion proposal, with the edit that applies it.
///
/// Every item carries a `textEdit` over exactly what the user typed of the id: ids such
/// as `checkout-latency` contain `-`, which editors treat as a word boundary, so
/// without an explicit range accepting `checkout-latency` after `checkout-` would
/// leave `checkout-checkout-latency`.
public struct CompletionItem: Equatable, Sendable {
    /// LSP `CompletionItemKind` values used here.
    public enum Kind: Int, Sendable {
        case field = 5
        case value = 12
        case keyword = 14
        case reference = 18
        case enumMember = 20
    }

    public var label: String
    public var kind: Kind
    public var detail: String?
    /// Markdown.
    public var documentation: String?
    public var newText: String
    public var range: LSPRange
    public var filterText: String?
    public var sortText: String?

    func json(markdown: Bool) -> JSON {
        var object: [String: JSON] = [
            "label": .string(label), "kind": .integer(kind.rawValue),
            "textEdit": ["range": range.json, "newText": .string(newText)],
        ]
        if let detail { object["detail"] = .string(detail) }
        if let documentation {
            object["documentation"] = [
                "kind": .string(markdown ? "markdown" : "plaintext"), "value": .string(documentation),
            ]
        }
        if let filterText { object["filterText"] = .string(filterText) }
        if let sortText { object["sortText"] = .string(sortText) }
        return .object(object)
    }
}

/// Turns a completion context into proposals from the organisation.
public enum CompletionProvider {
    /// Lists longer than this are cut (and marked incomplete, so the editor asks again
    /// as the user types): a 10,000-person people.yaml must not ship 10,000 items per key.
    public static let maximumItems = 200

    public struct Result: Sendable {
        public var items: [CompletionItem]
        public var isIncomplete: Bool
    }

    public static func complete(
        _ context: CompletionContext, at position: LSPPosition, scope: DocumentScope?, document: DocumentContext
    ) -> Result {
        guard let scope else { return Result(items: [], isIncomplete: false) }
        let replace = { (from: LSPPosition) in LSPRange(start: from, end: position) }
        var items: [CompletionItem]
        switch context {
        case .none:
            return Result(items: [], isIncomplete: false)
        case .citation(let partial, let from):
            items = scope.items.map { item in
                itemCompletion(item, newText: item.id.value, range: replace(from))
            }
            items = filter(items, by: partial)
        case .heading(let partial, let from):
            guard scope.isWrittenReview else { return Result(items: [], isIncomplete: false) }
            items = headingCompletions(
                scope: scope, document: document, editingLine: position.line, range: replace(from))
            items = filter(items, by: partial)
        case .fieldValue(let key, let partial, let from, let needsSpace):
            guard let target = FieldTarget.forKey(key, in: scope.kind) else {
                return Result(items: [], isIncomplete: false)
            }
            items = valueCompletions(target, scope: scope, range: replace(from))
            items = filter(items, by: partial)
            if needsSpace {
                for index in items.indices { items[index].newText = " " + items[index].newText }
            }
        }
        let incomplete = items.count > maximumItems
        return Result(items: Array(items.prefix(maximumItems)), isIncomplete: incomplete)
    }

    // MARK: Sources of proposals

    static func itemCompletion(_ item: EvidenceItem, newText: String, range: LSPRange) -> CompletionItem {
        CompletionItem(
            label: item.id.value, kind: .reference, detail: item.summary.isEmpty ? nil : item.summary,
            documentation: HoverProvider.itemMarkdown(item), newText: newText, range: range)
    }

    /// `## ` headings for the person's level: each dimension not yet written, then the
    /// optional sections, in the order the templates use.
    static func headingCompletions(
        scope: DocumentScope, document: DocumentContext, editingLine: Int, range: LSPRange
    ) -> [CompletionItem] {
        var present = Set<String>()
        for index in 0..<document.text.lineCount where index != editingLine && document.isBody(index) {
            if let title = DocumentContext.sectionTitle(document.text.line(index)) {
                present.insert(title.lowercased())
            }
        }
        var items: [CompletionItem] = []
        for (order, dimension) in (scope.level?.dimensions ?? []).enumerated() {
            guard !present.contains(dimension.name.lowercased()), !present.contains(dimension.id.value.lowercased())
            else { continue }
            let text = "## " + dimension.name
            items.append(
                CompletionItem(
                    label: dimension.name, kind: .field,
                    detail: "\(dimension.aspect.rawValue) · \(dimension.id.value) · \(scope.level?.id.value ?? "")",
                    documentation: HoverProvider.dimensionMarkdown(dimension, level: scope.level), newText: text,
                    range: range, filterText: text, sortText: String(format3(order))))
        }
        let optional: [(String, String)] = [
            ("Values", "How the person showed the company's values, with citations."),
            ("Growth plan", "Developmental feedback, kept apart from the rating."),
            ("Private", "For calibrators only: left out of the employee's decision record."),
        ]
        for (offset, (name, about)) in optional.enumerated() where !present.contains(name.lowercased()) {
            let text = "## " + name
            items.append(
                CompletionItem(
                    label: name, kind: .keyword, detail: "optional section", documentation: about, newText: text,
                    range: range, filterText: text, sortText: String(format3(900 + offset))))
        }
        return items
    }

    static func valueCompletions(_ target: FieldTarget, scope: DocumentScope, range: LSPRange) -> [CompletionItem] {
        let organisation = scope.organisation
        switch target {
        case .person:
            return organisation.people.map { person in
                CompletionItem(
                    label: person.id.value, kind: .reference,
                    detail: [person.name, person.level.value, person.team.value].filter { !$0.isEmpty }.joined(
                        separator: " · "),
                    documentation: HoverProvider.personMarkdown(person, organisation: organisation),
                    newText: person.id.value, range: range)
            }
        case .level:
            return organisation.levels.map { level in
                CompletionItem(
                    label: level.id.value, kind: .value, detail: level.title,
                    documentation: HoverProvider.levelMarkdown(level), newText: level.id.value, range: range)
            }
        case .cycle:
            return organisation.cycles.map { cycle in
                CompletionItem(
                    label: cycle.id.value, kind: .value,
                    detail: "\(cycle.start) – \(cycle.end) · \(cycle.phase.rawValue)",
                    documentation: nil, newText: cycle.id.value, range: range)
            }
        case .value:
            return organisation.values.map { value in
                CompletionItem(
                    label: value.id.value, kind: .value, detail: value.name,
                    documentation: HoverProvider.valueMarkdown(value), newText: value.id.value, range: range)
            }
        case .metric:
            return organisation.metrics.map { metric in
                CompletionItem(
                    label: metric.id.value, kind: .value, detail: metric.name,
                    documentation: HoverProvider.metricMarkdown(metric), newText: metric.id.value, range: range)
            }
        case .dimension:
            return (scope.level?.dimensions ?? []).map { dimension in
                CompletionItem(
                    label: dimension.id.value, kind: .field, detail: "\(dimension.name) (\(dimension.aspect.rawValue))",
                    documentation: HoverProvider.dimensionMarkdown(dimension, level: scope.level),
                    newText: dimension.id.value, range: range)
            }
        case .rating:
            return (organisation.policy?.ratings ?? []).enumerated().map { order, rating in
                CompletionItem(
                    label: rating.id.value, kind: .enumMember,
                    detail:
                        "\(rating.label) · at least \(rating.minEvidence) cited item\(rating.minEvidence == 1 ? "" : "s")",
                    documentation: nil, newText: rating.id.value, range: range, sortText: format3(order))
            }
        case .item:
            return scope.items.map { itemCompletion($0, newText: $0.id.value, range: range) }
        case .team:
            return organisation.teams.map { team in
                CompletionItem(
                    label: team.id.value, kind: .value, detail: team.name, documentation: nil, newText: team.id.value,
                    range: range)
            }
        case .specialism:
            // Every specialism a level's dimension asks for, with the levels that have it.
            var levelsBySpecialism: [String: [String]] = [:]
            for level in organisation.levels {
                for specialism in Set(level.dimensions.compactMap { $0.specialism?.value }) {
                    levelsBySpecialism[specialism, default: []].append(level.id.value)
                }
            }
            return levelsBySpecialism.keys.sorted().map { specialism in
                CompletionItem(
                    label: specialism, kind: .enumMember,
                    detail: "levels " + (levelsBySpecialism[specialism] ?? []).sorted().joined(separator: ", "),
                    documentation: nil, newText: specialism, range: range)
            }
        case .choices(let words):
            return words.enumerated().map { order, word in
                CompletionItem(
                    label: word, kind: .enumMember, detail: nil, documentation: nil, newText: word, range: range,
                    sortText: format3(order))
            }
        }
    }

    /// Keeps proposals whose label contains what was typed (ignoring case), prefix
    /// matches first. Editors filter again; this only keeps big lists small.
    static func filter(_ items: [CompletionItem], by partial: String) -> [CompletionItem] {
        let needle = partial.lowercased().trimmingSpaces
        guard !needle.isEmpty else { return items }
        let prefixed = items.filter { $0.label.lowercased().hasPrefix(needle) }
        let containing = items.filter {
            !$0.label.lowercased().hasPrefix(needle) && $0.label.lowercased().contains(needle)
        }
        return prefixed + containing
    }

    private static func format3(_ number: Int) -> String {
        let text = String(number)
        return String(repeating: "0", count: max(0, 3 - text.count)) + text
    }
}

extension String {
    var trimmingSpaces: String {
        var scalars = Substring(self)
        while scalars.first == " " { scalars = scalars.dropFirst() }
        while scalars.last == " " { scalars = scalars.dropLast() }
        return String(scalars)
    }
}
