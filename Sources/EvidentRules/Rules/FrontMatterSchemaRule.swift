import EvidentCore

/// Fields that are missing, unknown, of the wrong type or outside their allowed values.
struct FrontMatterSchemaRule: Rule {
    static let description = RuleDescription(
        id: "front-matter-schema",
        defaultSeverity: .error,
        summary: "a missing required field, an unknown field, or a value of the wrong type or enum",
        rationale: """
            Every file kind has a fixed shape, published as JSON Schema under `schema/`. A misspelt field \
            (`ratng:`) is not an optional field left out: it is a rating nobody will see. Unknown fields are \
            therefore errors, and each problem is reported at the key or value that causes it.
            """,
        triggeringExamples: [
            RuleExample(
                """
                ---
                kind: review
                person: alice
                cycle: 2026-h2
                reviewer: dana
                level: eng-3
                rating: meets
                1️⃣ratng: exceeds
                promotion: { readiness: 2️⃣someday }
                ---
                ## Delivery impact
                Shipped the checkout rewrite [@checkout-latency].
                """, caption: "an unknown field and a value outside the enum"),
            RuleExample(
                """
                ---
                1️⃣kind: review
                person: alice
                cycle: 2026-h2
                level: eng-3
                rating: meets
                ---
                """, caption: "a review without a reviewer"),
        ],
        nonTriggeringExamples: [
            RuleExample(
                ExampleRepository.files[RuleExample.defaultFile] ?? "", caption: "every field known and well typed")
        ])

    func check(_ context: RuleContext) {
        for file in context.organisation.files {
            for problem in file.problems where problem.kind == .schema {
                context.report(problem.text, at: problem.location)
            }
        }
    }
}
