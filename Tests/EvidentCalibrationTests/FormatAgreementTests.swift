import EvidentCore
import EvidentRules
import XCTest

@testable import EvidentCalibration

/// Rendered reports read back as plain text, so that tests can compare formats: HTML
/// without its tags and with entities decoded, Markdown without emphasis, code marks,
/// backslash escapes and link targets.
enum Rendered {
    /// The text a browser shows for `html`: inline tags removed, other tags replaced by
    /// a space, runs of white space folded.
    static func htmlText(_ html: String) -> String {
        let inline: Set<String> = ["a", "span", "strong", "em", "code", "small"]
        var text = ""
        var tag: String?
        for character in html {
            if character == "<" && tag == nil {
                tag = ""
            } else if character == ">", let name = tag {
                tag = nil
                let element = name.drop { $0 == "/" }.prefix { $0.isLetter || $0.isNumber }
                if !inline.contains(String(element)) { text.append(" ") }
            } else if tag != nil {
                tag?.append(character)
            } else {
                text.append(character)
            }
        }
        for (entity, character) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&amp;", "&")] {
            text = text.replacingOccurrences(of: entity, with: character)
        }
        return folded(text)
    }

    /// The text a Markdown renderer shows for `markdown` (inline markup only: headings,
    /// list marks and table pipes stay).
    static func markdownText(_ markdown: String) -> String {
        var text = ""
        var characters = Array(markdown)[...]
        while let character = characters.popFirst() {
            switch character {
            case "\\":
                if let next = characters.popFirst() { text.append(next) }
            case "*", "`":
                continue
            case "]" where characters.first == "(":
                // A link: keep its text, drop the target.
                while let next = characters.popFirst(), next != ")" {}
            case "[":
                continue
            default:
                text.append(character)
            }
        }
        return folded(text)
    }

    /// Each `<tr>` of `html` with `<td>` cells, as the cells' text.
    static func htmlRows(_ html: String) -> [[String]] {
        html.components(separatedBy: "<tr>").dropFirst().compactMap { row in
            let cells = row.components(separatedBy: "</tr>")[0].components(separatedBy: "<td").dropFirst()
            guard !cells.isEmpty else { return nil }
            return cells.map { cell in htmlText(String(cell.drop { $0 != ">" }.dropFirst())) }
        }
    }

    /// Each row of the Markdown tables in `markdown`, header and separator rows left out,
    /// as the cells' text (an escaped `\|` stays inside its cell).
    static func markdownRows(_ markdown: String) -> [[String]] {
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var rows: [[String]] = []
        for (index, line) in lines.enumerated() where line.hasPrefix("|") {
            let next = index + 1 < lines.count ? lines[index + 1] : ""
            if line.hasPrefix("|---") || next.hasPrefix("|---") { continue }
            let cells = line.replacingOccurrences(of: "\\|", with: "\u{0}").split(separator: "|").map {
                markdownText(String($0).replacingOccurrences(of: "\u{0}", with: "\\|"))
            }
            rows.append(cells)
        }
        return rows
    }

    /// `html` or `markdown` from `start` (a heading) to the next heading of that level.
    static func section(_ text: String, from start: String, to end: String) -> String {
        guard let range = text.range(of: start) else { return "" }
        let rest = text[range.upperBound...]
        return String(rest[..<(rest.range(of: end)?.lowerBound ?? rest.endIndex)])
    }

    static func folded(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}

/// Each calibration report's formats read one view model: every value the view holds
/// shows in both, and tables have the same rows with the same cells.
final class FormatAgreementTests: XCTestCase {
    /// Asserts that `value` shows in both texts.
    private func assertInBoth(
        _ value: String, _ first: String, _ second: String, file: StaticString = #filePath, line: UInt = #line
    ) {
        let value = Rendered.folded(value)
        XCTAssertTrue(first.contains(value), "missing from the first format: \(value)", file: file, line: line)
        XCTAssertTrue(second.contains(value), "missing from the second format: \(value)", file: file, line: line)
    }

    func testRecordShowsTheSameValuesInMarkdownAndHTML() throws {
        let (organisation, source) = try loadAcme()
        var checked = 0
        for person in ["alice", "ivan", "frank", "gabriel"] {
            let record = try DecisionRecordBuilder.build(
                organisation: organisation, person: person, cycle: "2026-h2", source: source, signoffs: nil)
            let view = RecordView(record)
            let markdown = Rendered.markdownText(RecordRenderer.markdown(record))
            let html = Rendered.htmlText(RecordRenderer.html(record))
            var values = [view.title, view.meta, view.outcome, view.promotion, view.calibration.sentence]
            values += [view.draft, view.calibrated, view.proposedBy?.reviewer, view.proposedBy?.rating].compactMap {
                $0
            }
            values += view.summary + view.dissents
            for reasoned in [view.calibration.reasoned, view.appeal?.answered].compactMap({ $0 }) {
                values.append(reasoned.reason)
                values += reasoned.evidence.flatMap { [$0.title, $0.id] + $0.dimensions } + reasoned.unknownEvidence
            }
            if let response = view.response { values.append(response.sentence) }
            if let appeal = view.appeal { values += [appeal.sentence, appeal.answer] }
            for section in view.reviewSections + (view.response?.sections ?? []) + (view.appeal?.sections ?? []) {
                values += [section.title] + section.paragraphs
            }
            for aspect in view.aspects {
                values += [aspect.title] + aspect.dimensions.flatMap { [$0.name] + $0.expectations + $0.examples }
            }
            values += view.evidence.flatMap { [$0.title, $0.id] + $0.dimensions + [$0.date].compactMap { $0 } }
            values += view.growthPlans.flatMap { [$0.source] + $0.paragraphs }
            for value in values where !value.isEmpty {
                assertInBoth(value, markdown, html)
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 100)
    }

    func testRecordSignoffTableHasTheSameRowsInMarkdownAndHTML() throws {
        let (organisation, source) = try loadAcme()
        var record = try DecisionRecordBuilder.build(
            organisation: organisation, person: "alice", cycle: "2026-h2", source: source, signoffs: nil)
        let entry = DecisionRecord.Signoff(
            role: "manager", signerName: "Dana <Okafor>", date: "2026-12-15", file: "cycles/2026-h2/alice/review.md",
            rating: nil, commit: "1a2b3c4", status: .stale, reason: "the review changed | after signing")
        record.signoffs = .read(entries: [entry, entry], missingRoles: ["skip-level"])
        let markdown = Rendered.markdownRows(
            Rendered.section(RecordRenderer.markdown(record), from: "## Sign-offs", to: "\n## "))
        let html = Rendered.htmlRows(
            Rendered.section(RecordRenderer.html(record), from: "<h2>Sign-offs</h2>", to: "</section>"))
        XCTAssertEqual(markdown.count, 2)
        XCTAssertEqual(markdown, html)
        XCTAssertEqual(
            html.first, ["manager", "Dana <Okafor>", "2026-12-15", "–", "stale: the review changed | after signing"])
    }

    func testPacketDetailsShowTheSameValuesInMarkdownAndHTML() throws {
        let (organisation, source) = try loadAcme()
        let synthetic = Diagnostic(
            ruleID: "vague-language", severity: .warning, message: "'rockstar' <is> vague | *here*",
            location: SourceLocation(file: "cycles/2026-h2/alice/review.md", line: 3, column: 7))
        var packet = try PacketBuilder.build(
            organisation: organisation, cycle: "2026-h2", group: "eng",
            diagnostics: RuleEngine().check(organisation, source: source) + [synthetic])
        // Sign-offs come from git history, which the example folder has none of.
        packet.members[0].signoffs = [
            CalibrationPacket.SignoffLine(
                role: "manager", signer: "Dana <Okafor>", date: "2026-12-15", standing: .valid, position: .dissent,
                note: "too *low* | really", verified: false, committer: "Mallory")
        ]
        var checked = 0
        for member in packet.members {
            let view = PacketPersonView(member, packet)
            let markdown = Rendered.markdownText(PacketRenderer.memberMarkdown(member, packet))
            let html = Rendered.htmlText(PacketRenderer.memberHTML(member, packet))
            var values = [view.name, view.id, view.level, view.team, view.selfReview.text, view.peers.text]
            values += [view.reviewer, view.summary, view.response, view.appeal?.text].compactMap { $0 }
            if let review = view.review {
                values += [review.promotion] + review.rationaleEvidence + [review.rationale].compactMap { $0 }
                values += [review.proposed.id, review.calibrated.id].compactMap { $0 }
            }
            for aspect in view.aspects {
                values.append(aspect.title)
                for dimension in aspect.dimensions {
                    values += [dimension.name, dimension.count]
                    values += dimension.items.flatMap { [$0.title, $0.id] + [$0.type, $0.date].compactMap { $0 } }
                }
            }
            values += view.untagged.flatMap { [$0.title, $0.id] }
            values += view.signoffs.map(\.text)
            values += view.findings.flatMap { [$0.place, $0.severity, $0.message, $0.ruleID] }
            for value in values where !value.isEmpty {
                assertInBoth(value, markdown, html)
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 200)
        XCTAssertTrue(packet.members.contains { !PacketPersonView($0, packet).findings.isEmpty })
    }

    func testTeamHealthShowsTheSameTeamsInMarkdownAndHTML() throws {
        let (organisation, _) = try loadAcme()
        let report = TeamHealth.build(organisation: organisation, cycle: try XCTUnwrap(organisation.cycle("2026-h2")))
        let view = TeamHealthView(report)
        let markdown = Rendered.markdownRows(TeamHealthRenderer.markdownSummary(report))
        let teamsTable = Rendered.section(
            TeamHealthRenderer.htmlSection(report), from: "<h4>Teams</h4>", to: "</table>")
        let html = Rendered.htmlRows(teamsTable)
        XCTAssertEqual(view.teams.count, 2)
        // Team, people and incidents are columns of both tables.
        XCTAssertEqual(markdown.map { Array($0.prefix(3)) }, html.map { Array($0.prefix(3)) })
        XCTAssertEqual(markdown.map(\.first), view.teams.map(\.name))
        XCTAssertEqual(html.map { $0[3] }, view.teams.map(\.handledBy))
        XCTAssertEqual(markdown.map { $0[3] }, view.teams.map(\.risk))
        let markdownText = Rendered.markdownText(TeamHealthRenderer.markdownSummary(report))
        let htmlText = Rendered.htmlText(TeamHealthRenderer.htmlSection(report))
        XCTAssertFalse(view.warnings.isEmpty)
        for warning in view.warnings { assertInBoth(warning.message + " " + warning.kind, markdownText, htmlText) }
    }

    func testDiffShowsTheSameChangesInTextAndMarkdown() throws {
        let people = Fixture.people([
            .init(id: "boss", team: "red"), .init(id: "amy", team: "red", manager: "boss"),
        ])
        func load(_ review: String, _ evidence: [Fixture.Item]) throws -> Organisation {
            try Fixture.load([
                "people.yaml": people, "cycles/c1/amy/evidence.md": Fixture.evidence("amy", evidence),
                "cycles/c1/amy/review.md": review,
            ]).0
        }
        let base = try load(Fixture.review("amy", reviewer: "boss", rating: "exceeds"), [.init(id: "a1")])
        let head = try load(
            Fixture.review("amy", reviewer: "boss", rating: "exceeds", calibration: .init(rating: "meets")),
            [.init(id: "a1"), .init(id: "late", date: "2026-12-20")])
        let author = SemanticChange.Author(
            name: "Erin | Park", email: "erin@acme.example", commit: "0123456789abcdef", date: "2026-12-21")
        var changes = SemanticDiff.compare(base: base, head: head)
        for index in changes.indices { changes[index].author = author }
        let restored = RestoredApproval(
            file: "cycles/c1/amy/review.md", person: "amy", role: "manager", signer: "Boss", approvedIn: "aaaaaaaaaa",
            replacedIn: "bbbbbbbbbb")
        let report = SemanticDiffReport(
            baseRevision: "main", headRevision: "HEAD", base: "1111111111", head: "2222222222", changes: changes,
            restoredApprovals: [restored])
        let view = DiffView(report)
        XCTAssertEqual(Set(view.changes.map(\.severity)), ["error", "warning", "note"])

        let text = DiffRenderer.text(report)
        let markdown = DiffRenderer.markdown(report)
        let rows = Rendered.markdownRows(markdown)
        XCTAssertEqual(rows.count, view.changes.count)
        for (change, row) in zip(view.changes, rows) {
            // The mark in the table and the severity in the text say the same thing.
            let mark = ["error": "❌", "warning": "⚠️", "note": ""][change.severity]
            XCTAssertEqual(row[0], mark)
            XCTAssertEqual(row[1], change.person)
            XCTAssertEqual(row[2], change.summary + " " + change.kind)
            XCTAssertEqual(row[3], change.citation ?? "–")
            XCTAssertEqual(row[4], "Erin | Park, 2026-12-21, 0123456")
            XCTAssertTrue(
                text.contains("\(change.file): \(change.severity): \(change.person): \(change.summary)"), change.summary
            )
            if let citation = change.citation { XCTAssertTrue(text.contains("; \(citation) [\(change.kind)]")) }
        }
        let markdownText = Rendered.markdownText(markdown)
        assertInBoth(view.totals, text, markdownText.lowercased())
        assertInBoth(restored.person + ": " + view.restored[0].text, text, markdownText)
    }
}
