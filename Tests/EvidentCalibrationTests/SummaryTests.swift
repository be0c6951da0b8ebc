import EvidentCore
import EvidentRules
import Foundation
import XCTest

@testable import EvidentCalibration

/// review.md `summary:`: rule summary-missing, and the record and the packet lead with it.
final class SummaryTests: XCTestCase {
    func review(summary: String?) -> String {
        var text = "---\nkind: review\nperson: amy\ncycle: c1\nreviewer: boss\nlevel: eng\nrating: meets\n"
        if let summary { text += "summary: \(Fixture.quote(summary))\n" }
        return text + "---\n## Delivery\n\nShipped the work [@a1].\n\n## Collaboration\n\nPaired weekly [@a1].\n"
    }

    func load(summary: String?, phase: String = "calibration", policy: String? = nil) throws -> (
        Organisation, MemorySource
    ) {
        var files = [
            "people.yaml": Fixture.people([
                .init(id: "boss", team: "red"), .init(id: "amy", team: "red", manager: "boss"),
            ]),
            "cycles/c1/amy/evidence.md": Fixture.evidence("amy", [.init(id: "a1")]),
            "cycles/c1/amy/review.md": review(summary: summary),
        ]
        if let policy { files["evident.yaml"] = policy }
        return try Fixture.load(
            files, cycleText: Fixture.cycle().replacingOccurrences(of: "phase: calibration", with: "phase: \(phase)"))
    }

    func findings(_ loaded: (Organisation, MemorySource)) -> [String] {
        RuleEngine().check(loaded.0, source: loaded.1).filter { $0.ruleID == "summary-missing" }.map {
            "\($0.location.line):\($0.location.column) \($0.severity.rawValue): \($0.message)"
        }
    }

    func testMissingSummaryIsAnErrorFromTheCalibrationPhaseOn() throws {
        for phase in ["calibration", "closed"] {
            let found = findings(try load(summary: nil, phase: phase))
            XCTAssertEqual(found.count, 1, "\(found)")
            XCTAssertTrue(
                found[0].hasPrefix("1:1 error: the review has no summary: from the \(phase) phase on"), "\(found)")
        }
        XCTAssertEqual(findings(try load(summary: nil, phase: "evidence")), [])
        XCTAssertEqual(findings(try load(summary: "  ", phase: "evidence")), [])
        XCTAssertEqual(findings(try load(summary: "Meets: shipped the work on its date [@a1].")), [])
    }

    /// Words are counted as in the body, so a citation key is a word.
    func testSummaryNeedsACitationAndAtMostTheWordLimit() throws {
        XCTAssertEqual(
            findings(try load(summary: "Meets the bar.", phase: "evidence")),
            ["8:10 error: the summary cites no evidence: name the items the outcome rests on, as [@item-id]"])
        let long = Array(repeating: "word", count: 299).joined(separator: " ") + " [@a1]"
        XCTAssertEqual(findings(try load(summary: long)), [])
        let tooLong = Array(repeating: "word", count: 300).joined(separator: " ") + " [@a1]"
        XCTAssertEqual(
            findings(try load(summary: tooLong)),
            ["8:10 error: the summary has 301 words; reviews.max_words.summary allows 300"])
        let policy = Fixture.policy.replacingOccurrences(of: "reviews:", with: "reviews:\n  max_words: { summary: 3 }")
        let limited = try load(summary: "Meets: shipped on time [@a1].", policy: policy)
        XCTAssertEqual(limited.0.policy?.maxWordsSummary, 3)
        XCTAssertEqual(findings(limited), ["8:10 error: the summary has 5 words; reviews.max_words.summary allows 3"])
    }

    func testTheRecordAndThePacketLeadWithTheSummary() throws {
        let (organisation, source) = try load(summary: "Meets: shipped the work on its date [@a1].")
        let record = try DecisionRecordBuilder.build(
            organisation: organisation, person: "amy", cycle: "c1", source: source, signoffs: .init(entries: []))
        XCTAssertEqual(record.summary, ["Meets: shipped the work on its date (evidence: a1)."])
        let markdown = RecordRenderer.markdown(record)
        let summary = try XCTUnwrap(
            markdown.range(of: "## Summary\n\nMeets: shipped the work on its date (evidence: a1)."))
        let outcome = try XCTUnwrap(markdown.range(of: "## Outcome"))
        XCTAssertLessThan(summary.lowerBound, outcome.lowerBound)
        let html = RecordRenderer.html(record)
        XCTAssertLessThan(
            try XCTUnwrap(html.range(of: "<h2>Summary</h2>")).lowerBound,
            try XCTUnwrap(html.range(of: "<h2>Outcome</h2>")).lowerBound)

        let packet = try PacketBuilder.build(organisation: organisation, cycle: "c1", group: "g", diagnostics: [])
        let text = PacketRenderer.markdown(packet)
        let lead = try XCTUnwrap(text.range(of: "- Summary: Meets: shipped the work on its date (evidence: a1)."))
        XCTAssertLessThan(lead.lowerBound, try XCTUnwrap(text.range(of: "- Rating: proposed")).lowerBound)
        XCTAssertTrue(
            PacketRenderer.html(packet).contains(
                "<p class=\"summary\">Meets: shipped the work on its date (evidence: a1).</p>"))
    }
}
