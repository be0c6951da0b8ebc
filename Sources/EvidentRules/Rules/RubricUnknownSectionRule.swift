import EvidentCore
import Foundation

/// A `##` section of a self review, peer feedback or review that names no dimension of
/// the person's level and is not one of the standard sections.
struct RubricUnknownSectionRule: Rule {
    /// Sections every review may have besides the level's dimensions (compared ignoring case).
    static let standardSections: Set<String> = ["values", "growth plan", "private"]

    static let description = RuleDescription(
        id: "rubric-unknown-section",
        defaultSeverity: .warning,
        summary: "a '##' section naming no dimension of the level",
        rationale: """
            Sections are how a review maps its claims onto the level guide. A section the guide does not \
            know ("Leadership" at a level whose dimensions are delivery and technical judgment) is either a \
            misspelt dimension, which then counts as not covered, or criteria the person was never told \
            about. Both make reviews harder to compare. Allowed besides the level's dimensions (by name or \
            id, ignoring case) are `## Values`, `## Growth plan` and `## Private`. Deeper headings (`###`) \
            are free. It is a warning: the text may be right and only the heading wrong.
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
                ---
                ## Delivery impact
                Alice cut checkout p99 from 900 ms to 250 ms [@checkout-latency].

                ## Technical judgment
                She designed the retry queue with its failure modes first [@queue-design].

                1️⃣## Leadership
                She ran the payments guild this half.
                """, caption: "a section for criteria the level does not have"),
            RuleExample(
                """
                ---
                kind: peer-feedback
                person: alice
                cycle: 2026-h2
                author: bob
                ---
                1️⃣## Technical judgement
                Her queue design named the failure modes we later hit [@queue-design].
                """, file: "cycles/2026-h2/alice/peer-bob.md", caption: "a misspelt dimension"),
        ],
        nonTriggeringExamples: [
            RuleExample(
                files: [
                    "levels/eng-3.md": (ExampleRepository.files["levels/eng-3.md"] ?? "").replacingOccurrences(
                        of: "name: Delivery impact", with: "name: \"📦 Delivery impact\"")
                ], caption: "a dimension named with an emoji, and a heading written without it"),
            RuleExample(
                """
                ---
                kind: review
                person: alice
                cycle: 2026-h2
                reviewer: dana
                level: eng-3
                rating: meets
                ---
                ## Delivery impact
                Alice cut checkout p99 from 900 ms to 250 ms [@checkout-latency].

                ### The latency project
                Done behind a flag with a rollback plan.

                ## technical-judgment
                She designed the retry queue with its failure modes first [@queue-design].

                ## Values
                Ownership: she followed the latency regression through to the fix.

                ## Growth plan
                Take a cross-team project next half.

                ## PRIVATE
                Discussed with Erin before calibration.
                """, caption: "dimensions by name or id, the standard sections and a subheading"),
        ])

    func check(_ context: RuleContext) {
        let organisation = context.organisation
        var namesByLevel = DimensionNamesByLevel()
        for personCycle in organisation.personCycles {
            guard let level = organisation.level(for: personCycle) else { continue }
            let names = namesByLevel.names(for: level)
            for document in personCycle.writtenDocuments {
                for section in document.body.sections {
                    guard let heading = section.heading else { continue }
                    let ascii = SectionTitle.asciiNormalised(heading.text)
                    if names.anyDimension(isNamedBy: heading.text, normalised: ascii)
                        || Self.standardSections.contains(ascii ?? SectionTitle.normalised(heading.text))
                    {
                        continue
                    }
                    // The list is built inside the message, which is only built for the
                    // findings the collector keeps (a hostile review has 300,000 sections).
                    context.report(
                        "section '\(heading.text)' names no dimension of level \(public: level.id.value) (\(public: level.dimensions.map { "'\($0.name)' or '\($0.id.value)'" }.joined(separator: ", "))) and is not Values, Growth plan or Private\(public: Self.suggestion(for: heading.text, in: level).map { "; did you mean '## \($0)'?" } ?? "")",
                        at: SourceLocation(file: document.file, line: heading.line, column: heading.column))
                }
            }
        }
    }

    /// The dimension name a title most likely meant: within a few edits of a name or id,
    /// decoration (emoji, punctuation) and case set aside.
    static func suggestion(for title: String, in level: Level) -> String? {
        let bare = Dimension.undecorated(title.lowercased())
        guard !bare.isEmpty else { return nil }
        var candidates: [String: String] = [:]
        for dimension in level.dimensions {
            candidates[Dimension.undecorated(dimension.name.lowercased())] = dimension.name
            candidates[dimension.id.value.lowercased()] = dimension.name
        }
        let limit = max(2, bare.count / 5)
        return EditDistance.closest(to: bare, in: candidates.keys.sorted(), limit: limit).flatMap { candidates[$0] }
    }
}
