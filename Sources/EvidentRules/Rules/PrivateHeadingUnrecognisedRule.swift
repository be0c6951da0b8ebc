import EvidentCore
import Foundation

/// A heading (or a bold line standing in for one) that looks like it opens a private
/// section but is not one by the single definition (`PrivateSections`), so its text is
/// public: it reaches the employee's decision record and its citations count.
struct PrivateHeadingUnrecognisedRule: Rule {
    static let description = RuleDescription(
        id: "private-heading-unrecognised",
        defaultSeverity: .warning,
        cost: .slow(rank: 8),
        summary: "a heading that looks private but does not open a private section",
        rationale: """
            A private section is a heading, at any level, whose text is exactly `Private` (ignoring case, \
            inline markup and comments); it runs to the next heading of the same or a higher level. Text under \
            `## Private notes`, `## Private:` or a bold `**Private**` line is not private: it is copied into the \
            employee's decision record and its citations support the rating. Writers who meant it to stay with \
            calibrators would learn that only after the record is shared, so the heading is flagged with the \
            form that works.
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

                1️⃣## Private notes
                Discussed with Erin before calibration.
                """, caption: "a heading with more than the word Private"),
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

                1️⃣**Private:**
                Discussed with Erin before calibration.
                """, caption: "a bold line instead of a heading"),
        ],
        nonTriggeringExamples: [
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

                ### *Private*
                Discussed with Erin before calibration.

                ## private
                She asked not to be put forward this cycle.
                """, caption: "headings whose text is Private, at any level and in any style"),
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
                Alice kept the private payments API stable [@checkout-latency].
                """, caption: "the word in prose"),
        ])

    func check(_ context: RuleContext) {
        for personCycle in context.organisation.personCycles {
            for document in personCycle.writtenDocuments + personCycle.voiceDocuments {
                let body = document.body
                for heading in body.headings
                where !PrivateSections.isPrivateTitle(heading.text) && !body.isPrivate(line: heading.line) {
                    guard Self.mentionsPrivate(heading.text) else { continue }
                    context.report(
                        "heading '\(Self.shown(heading.text))' does not open a private section, so the text under it is public; write the heading as '## Private' (its text exactly Private) to keep it for calibrators",
                        at: SourceLocation(file: document.file, line: heading.line, column: heading.column))
                }
                for block in body.blocks where !block.lines.isEmpty && !body.isPrivate(line: block.firstLine) {
                    let first = block.lines[0]
                    guard ASCIIScan.isPseudoPrivateHeading(first) else { continue }
                    let column =
                        (first.firstIndex(where: { $0 != " " && $0 != ">" }).map {
                            first.distance(from: first.startIndex, to: $0)
                        } ?? 0) + 1
                    context.report(
                        "'\(Self.shown(first.trimmingCharacters(in: .whitespaces)))' is not a heading, so the text after it is public; write '## Private' on a line of its own to keep it for calibrators",
                        at: SourceLocation(file: document.file, line: block.firstLine, column: column))
                }
            }
        }
    }

    /// Whether a title holds the word "private" (as in `Private notes`, `Private:`,
    /// `Notes (private)`).
    ///
    /// Runs on every heading of every file: an ASCII title without the letters
    /// "private" in a row, whatever their case, cannot hold the word, and is answered
    /// from its bytes without building the lowercased words.
    static func mentionsPrivate(_ text: String) -> Bool {
        PrivateSections.mayMentionPrivate(text)
            && text.lowercased().split(whereSeparator: { !$0.isLetter }).contains("private")
    }

    static func shown(_ text: String) -> String {
        let line = text.replacingOccurrences(of: "\n", with: " ")
        return line.count > 60 ? String(line.prefix(60)) + "…" : line
    }
}
