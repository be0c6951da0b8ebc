import EvidentCore

/// `values.md` with fewer than 4 or more than 6 values.
///
/// Positions: too few at the `values` key; too many at the first value past the sixth.
struct ValuesCountRule: Rule {
    static let range = 4...6

    static let description = RuleDescription(
        id: "values-count",
        defaultSeverity: .warning,
        summary: "fewer than 4 or more than 6 values",
        rationale: """
            Values are only useful in a review if people can hold all of them in mind and tell them apart. \
            With fewer than four, a values section collapses into one or two slogans that fit anyone; with \
            more than six, reviewers pick the ones that flatter or condemn and ignore the rest, so two \
            people are judged on different lists. Four to six behavioural values is the range that stays \
            both memorable and specific. It is a warning: the list is a leadership decision, and Evident \
            only points out that it has drifted out of that range.
            """,
        triggeringExamples: [
            RuleExample(
                """
                ---
                kind: values
                1️⃣values:
                  - { id: ownership, name: Ownership, behaviors: [Follows incidents through to the fix] }
                  - { id: candour, name: Candour, behaviors: [Raises risks early and in writing] }
                  - { id: craft, name: Craft, behaviors: [Leaves code better tested than found] }
                ---
                """, file: "values.md", caption: "three values"),
            RuleExample(
                """
                ---
                kind: values
                values:
                  - { id: ownership, name: Ownership, behaviors: [Follows incidents through to the fix] }
                  - { id: candour, name: Candour, behaviors: [Raises risks early and in writing] }
                  - { id: craft, name: Craft, behaviors: [Leaves code better tested than found] }
                  - { id: customers, name: Customers first, behaviors: [Measures changes by customer outcomes] }
                  - { id: frugality, name: Frugality, behaviors: [Deletes unused infrastructure] }
                  - { id: learning, name: Learning, behaviors: [Writes up what an incident taught] }
                  - { id: 1️⃣speed, name: Speed, behaviors: [Ships small changes daily] }
                ---
                """, file: "values.md", caption: "seven values"),
        ],
        nonTriggeringExamples: [
            RuleExample(ExampleRepository.files["values.md"] ?? "", file: "values.md", caption: "four values")
        ])

    func check(_ context: RuleContext) {
        let organisation = context.organisation
        guard let file = organisation.valuesFile else { return }
        // A values.md that did not decode has no values to count; its problem is reported.
        guard case .values? = organisation.file(file)?.document else { return }
        let values = organisation.values
        if values.count > Self.range.upperBound {
            context.report(
                "values.md lists \(values.count) values; keep 4 to 6 so reviewers can apply all of them",
                at: values[Self.range.upperBound].id.location)
        } else if values.count < Self.range.lowerBound {
            context.report(
                "values.md lists \(values.count) \(values.count == 1 ? "value" : "values"); name 4 to 6 behavioural values",
                at: organisation.valuesKey ?? values.first?.id.location
                    ?? SourceLocation(file: file, line: 1, column: 1))
        }
    }
}
