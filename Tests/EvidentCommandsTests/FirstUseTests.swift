import Foundation
import XCTest

/// What first users tripped on, through the binary on a copy of examples/acme: warnings
/// about uncited evidence while logs are still being written, one citation clearing a
/// whole paragraph of judgements, and a missing section reported at the top of the file.
final class FirstUseTests: XCTestCase {
    private func replace(_ path: String, in root: URL, _ change: (String) -> String) throws {
        let url = root.appendingPathComponent(path)
        try change(try String(contentsOf: url, encoding: .utf8)).write(to: url, atomically: true, encoding: .utf8)
    }

    private func diagnostics(_ root: URL, environment: [String: String] = [:]) throws -> [[String: Any]] {
        let result = try EvidentProcess.run(["check", "--format", "json"], in: root, environment: environment)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        return try XCTUnwrap(object["diagnostics"] as? [[String: Any]])
    }

    private func rule(_ id: String, _ found: [[String: Any]]) -> [[String: Any]] {
        found.filter { $0["rule"] as? String == id }
    }

    func testUncitedEvidenceIsQuietWhileTheCycleCollectsEvidence() throws {
        let root = try EvidentProcess.copyOfAcme(self)
        try replace("cycles/2026-h2/alice/evidence.md", in: root) {
            $0.replacingOccurrences(
                of: "items:\n",
                with:
                    "items:\n  - { id: unused-note, date: 2026-08-01, type: other, summary: A note nobody cites yet, dimensions: [delivery] }\n"
            )
        }
        XCTAssertEqual(rule("evidence-uncited", try diagnostics(root)).count, 1, "the phase is calibration")
        try replace("cycles/2026-h2/cycle.yaml", in: root) {
            $0.replacingOccurrences(of: "phase: calibration", with: "phase: evidence")
        }
        XCTAssertEqual(rule("evidence-uncited", try diagnostics(root)).count, 0, "the phase is evidence")
    }

    func testACitationClearsOnlyItsOwnSentence() throws {
        let root = try EvidentProcess.copyOfAcme(self)
        try replace("cycles/2026-h2/alice/review.md", in: root) {
            $0.replacingOccurrences(
                of: "## Delivery impact\n\n",
                with:
                    "## Delivery impact\n\nShe is a rockstar [@checkout-latency]. Everyone loves working with her.\n\n")
        }
        let found = rule("vague-language", try diagnostics(root))
        XCTAssertEqual(found.count, 1, "\(found)")
        XCTAssertEqual(found.first?["line"] as? Int, 23)
        XCTAssertEqual(found.first?["column"] as? Int, 40)
        XCTAssertTrue((found.first?["message"] as? String ?? "").contains("Everyone loves working with"), "\(found)")
    }

    func testAMissingSectionIsReportedWhereItBelongs() throws {
        let root = try EvidentProcess.copyOfAcme(self)
        try replace("cycles/2026-h2/alice/review.md", in: root) { text in
            // Drop the 'Operational reliability' section (heading and paragraph).
            guard let start = text.range(of: "## Operational reliability\n"),
                let end = text.range(of: "## Technical judgment\n")
            else { return text }
            return text.replacingCharacters(in: start.lowerBound..<end.lowerBound, with: "")
        }
        let found = rule("rubric-coverage", try diagnostics(root))
        XCTAssertEqual(found.count, 1, "\(found)")
        let finding = try XCTUnwrap(found.first)
        let review = try String(
            contentsOf: root.appendingPathComponent("cycles/2026-h2/alice/review.md"), encoding: .utf8)
        let headingLine = review.split(separator: "\n", omittingEmptySubsequences: false)
            .firstIndex { $0 == "## Technical judgment" }.map { $0 + 1 }
        XCTAssertEqual(finding["line"] as? Int, headingLine, "at the heading it should come before: \(finding)")
        let notes = (finding["notes"] as? [[String: Any]] ?? []).compactMap { $0["message"] as? String }
        XCTAssertTrue(notes.contains { $0.contains("belongs after the 'Delivery impact' section") }, "\(notes)")
        XCTAssertTrue(notes.contains { $0.hasPrefix("eng-3 expects: ") }, "\(notes)")
    }

    func testANewReviewShowsEachExpectationAndTheExamples() throws {
        let root = try EvidentProcess.copyOfAcme(self)
        try replace("levels/eng-3.md", in: root) {
            $0.replacingOccurrences(
                of: "      - Plans milestones so that value lands incrementally, not in one late drop\n",
                with:
                    "      - Plans milestones so that value lands incrementally, not in one late drop\n    examples: [A latency project in three shippable milestones -- each one a release]\n"
            )
        }
        try FileManager.default.removeItem(at: root.appendingPathComponent("cycles/2026-h2/alice/review.md"))
        let result = try EvidentProcess.run(["new", "review", "alice", "--cycle", "2026-h2"], in: root)
        XCTAssertEqual(result.status, 0, result.stderr)
        let text = try String(
            contentsOf: root.appendingPathComponent("cycles/2026-h2/alice/review.md"), encoding: .utf8)
        XCTAssertTrue(
            text.contains("\n- Ships multi-week projects that move a team-level metric\n- Plans milestones"), text)
        XCTAssertTrue(
            text.contains(
                "Examples (illustrations, not requirements):\n- A latency project in three shippable milestones - - each one a release\n"
            ), text)
        XCTAssertEqual(text.components(separatedBy: "\n<!--\n").count - 1, 5, "one comment per dimension: \(text)")
        XCTAssertEqual(
            text.components(separatedBy: "<!--").count, text.components(separatedBy: "-->").count,
            "no comment closed early: \(text)")
        // The file is a review that loads: its comments hide the prompts from the checker.
        let check = try EvidentProcess.run(["check", "--format", "json"], in: root)
        XCTAssertFalse(check.stdout.contains("front-matter"), check.stdout)
    }

    func testAHighRatingOnNumbersAloneIsWarnedWithTheMetricsRisks() throws {
        let root = try EvidentProcess.copyOfAcme(self)
        XCTAssertEqual(
            rule("metric-only", try diagnostics(root)).count, 0, "Alice's exceeds rests on work, not only numbers")
        for file in ["evidence.md", "peer-ben.md"] {
            try replace("cycles/2026-h2/alice/\(file)", in: root) { text in
                var text = text
                for type in ["pull-request", "incident", "design-doc", "other", "feedback"] {
                    text = text.replacingOccurrences(of: "type: \(type)", with: "type: metric")
                }
                return text
            }
        }
        let found = rule("metric-only", try diagnostics(root))
        XCTAssertEqual(found.count, 1, "\(found)")
        XCTAssertEqual(found.first?["file"] as? String, "cycles/2026-h2/alice/review.md")
        XCTAssertEqual(found.first?["line"] as? Int, 15, "at the calibrated rating, the one that counts")
        let notes = (found.first?["notes"] as? [[String: Any]] ?? []).compactMap { $0["message"] as? String }
        XCTAssertTrue(
            notes.contains { $0.hasPrefix("checkout-p99 is a lagging indicator; gaming risks: ") }, "\(notes)")
    }
}
