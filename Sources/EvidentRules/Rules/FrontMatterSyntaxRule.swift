import EvidentCore

/// Files that cannot be read as a document at all: unreadable, binary, not UTF-8,
/// missing or unclosed `---` fences, YAML that does not parse.
struct FrontMatterSyntaxRule: Rule {
    static let description = RuleDescription(
        id: "front-matter-syntax",
        defaultSeverity: .error,
        summary: "yaml that does not parse, missing '---' fences, or a file that is not utf-8 text",
        rationale: """
            Evident can only check what it can read. A review whose front matter does not parse has no \
            rating, no level and no evidence as far as the tools are concerned, so every other check on it \
            would be silently skipped. The diagnostic points at the line where the parser gave up.
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
                rating: 1️⃣[meets
                ---
                """, caption: "an unclosed flow sequence"),
            RuleExample(
                """
                1️⃣kind: review
                person: alice
                """, caption: "no front matter fences"),
        ],
        nonTriggeringExamples: [
            RuleExample(ExampleRepository.files[RuleExample.defaultFile] ?? "", caption: "a well-formed review")
        ])

    func check(_ context: RuleContext) {
        for file in context.organisation.files {
            for problem in file.problems where problem.kind == .syntax {
                context.report(problem.text, at: problem.location)
            }
        }
    }
}
