import EvidentCore
import EvidentRules
import Foundation
import XCTest

@testable import EvidentCalibration

/// One definition of a private section for every output: each spelling below hides a
/// canary sentence and a citation; neither may reach the decision record, the semantic
/// diff, the packet's public parts or any finding's message.
final class PrivateSectionTests: XCTestCase {
    static let canary = "Zqxcanary"
    static let canaryID = "zqxcanary-id"

    /// Every way of writing a private heading that once leaked, plus the ones already handled.
    static let spellings: [(name: String, heading: String)] = [
        ("atx", "## Private"),
        ("strong", "### **Private**"),
        ("emphasis", "### *Private*"),
        ("entity", "### Priv&#97;te"),
        ("comment", "### P<!-- x -->rivate"),
        ("empty link", "#### [Private]()"),
        ("block quote", "> ### Private\n>"),
        ("list item", "- ### Private\n"),
        ("setext", "PRIVATE\n======="),
        ("nested level 1", "# private"),
        ("closing hashes", "### Private ###"),
    ]

    static func review(heading: String, rating: String = "exceeds", publicCitation: Bool = true) -> String {
        let cite = publicCitation ? " [@a1]" : ""
        return """
            ---
            kind: review
            person: amy
            cycle: c1
            reviewer: boss
            level: eng
            rating: \(rating)
            ---
            ## Delivery

            Shipped the checkout work\(cite).

            \(heading)

            \(canary) said she will leave [@a2; @\(canaryID)].
            \(canary) second line [@a2].

            ## Collaboration

            Paired with the team every week\(cite).

            """
    }

    func load(_ review: String) throws -> (Organisation, MemorySource) {
        try Fixture.load([
            "people.yaml": Fixture.people([
                .init(id: "boss", team: "red"), .init(id: "amy", team: "red", manager: "boss"),
            ]),
            "cycles/c1/amy/evidence.md": Fixture.evidence(
                "amy", [.init(id: "a1"), .init(id: "a2", summary: "Led the migration")]),
            "cycles/c1/amy/review.md": review,
        ])
    }

    func testTheParserFindsEverySpelling() throws {
        for spelling in Self.spellings {
            let body = try XCTUnwrap(
                try load(Self.review(heading: spelling.heading)).0.personCycles.first?.review?.body)
            XCTAssertEqual(body.privateLineRanges.count, 1, spelling.name)
            XCTAssertFalse(body.publicCitations.contains { $0.id == "a2" || $0.id == Self.canaryID }, spelling.name)
            XCTAssertTrue(body.publicCitations.contains { $0.id == "a1" }, spelling.name)
        }
    }

    func testLookalikesAreNotPrivate() throws {
        for heading in ["## Private notes", "## Private:", "**Private**", "## Privately", "#Private"] {
            let body = try XCTUnwrap(try load(Self.review(heading: heading)).0.personCycles.first?.review?.body)
            XCTAssertEqual(body.privateLineRanges, [], heading)
            XCTAssertTrue(body.publicCitations.contains { $0.id == "a2" }, heading)
        }
    }

    func testASectionRunsToTheNextHeadingOfTheSameOrAHigherLevel() {
        let body = MarkdownParser.parse(
            "## Delivery\nA\n### Private\nB\n#### Deeper\nC\n### Next\nD\n## Values\nE\n", firstLine: 10)
        XCTAssertEqual(body.privateLineRanges, [12...15])
        XCTAssertFalse(body.isPrivate(line: 16))
        XCTAssertTrue(body.isPrivate(line: 14))
    }

    func testNoSpellingLeaksIntoAnyOutput() throws {
        for spelling in Self.spellings {
            let (organisation, source) = try load(Self.review(heading: spelling.heading))
            var outputs: [(String, String)] = []

            let record = try DecisionRecordBuilder.build(
                organisation: organisation, person: "amy", cycle: "c1", source: source, signoffs: .init(entries: []))
            outputs.append(("record markdown", RecordRenderer.markdown(record)))
            outputs.append(("record html", RecordRenderer.html(record)))

            let diagnostics = RuleEngine().check(organisation, source: source)
            outputs.append(
                (
                    "finding messages",
                    diagnostics.map { $0.message + " " + $0.notes.map(\.message).joined(separator: " ") }.joined(
                        separator: "\n")
                ))

            let packet = try PacketBuilder.build(
                organisation: organisation, cycle: "c1", group: "g", diagnostics: diagnostics)
            outputs.append(("packet markdown", PacketRenderer.markdown(packet)))
            outputs.append(("packet html", PacketRenderer.html(packet)))
            let amy = try XCTUnwrap(packet.members.first { $0.id == "amy" })
            XCTAssertEqual(amy.what.flatMap(\.items).filter(\.cited).map(\.id).sorted(), ["a1"], spelling.name)

            let (base, _) = try load(Self.review(heading: spelling.heading, rating: "meets"))
            let report = SemanticDiffReport(
                baseRevision: "base", headRevision: "head", base: "b", head: "h",
                changes: SemanticDiff.compare(base: base, head: organisation))
            XCTAssertFalse(report.changes.isEmpty, spelling.name)
            for format in DiffRenderer.Format.allCases {
                outputs.append(("diff \(format.rawValue)", DiffRenderer.render(report, format: format)))
            }
            for change in report.changes {
                XCTAssertFalse(change.citation?.evidence.contains("a2") ?? false, spelling.name)
                XCTAssertFalse(change.citation?.unknownEvidence.contains(Self.canaryID) ?? false, spelling.name)
            }

            for (name, text) in outputs {
                XCTAssertFalse(
                    text.lowercased().contains(Self.canary.lowercased()), "\(spelling.name): \(name) shows private text"
                )
                XCTAssertFalse(text.contains(Self.canaryID), "\(spelling.name): \(name) shows a private citation")
            }
        }
    }

    /// A rating change supported only by citations in a private section is uncited.
    func testPrivateCitationsAreNoSupportForARatingChange() throws {
        for spelling in Self.spellings {
            let (base, _) = try load(Self.review(heading: spelling.heading, rating: "meets", publicCitation: false))
            let (head, _) = try load(Self.review(heading: spelling.heading, rating: "exceeds", publicCitation: false))
            let change = try XCTUnwrap(SemanticDiff.compare(base: base, head: head).first, spelling.name)
            XCTAssertTrue(change.isUncitedRatingChange, spelling.name)
            XCTAssertEqual(change.citation?.evidence, [], spelling.name)
            // The same review with the citation in public text is supported.
            let (cited, _) = try load(Self.review(heading: spelling.heading, rating: "exceeds"))
            XCTAssertFalse(try XCTUnwrap(SemanticDiff.compare(base: base, head: cited).first).isUncitedRatingChange)
        }
    }
}
