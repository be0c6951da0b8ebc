import EvidentCore
import Foundation
import XCTest

@testable import EvidentRules

/// Behaviour of the evidence, citation, rating and calibration rules beyond their
/// documented examples: messages, edge cases and the policy values they read.
final class EvidenceRulesTests: XCTestCase {
    private func findings(_ rule: any Rule.Type, _ files: [String: String], removing: [String] = []) throws -> [String]
    {
        var texts = ExampleRepository.files
        for path in removing { texts.removeValue(forKey: path) }
        for (path, text) in files { texts[path] = text }
        let source = MemorySource(root: "/example", texts: texts)
        let organisation = try RepositoryLoader.load(from: source)
        return RuleEngine(rules: [rule]).check(organisation, source: source).map {
            "\($0.location.file):\($0.location.line):\($0.location.column): \($0.message)"
                + $0.notes.map { " | \($0.message)" }.joined()
        }
    }

    private func review(_ header: String, _ body: String) -> [String: String] {
        [
            RuleExample.defaultFile: """
            ---
            kind: review
            person: alice
            cycle: 2026-h2
            reviewer: dana
            level: eng-3
            \(header)
            ---
            \(body)
            """
        ]
    }

    private func policy(replacing old: String, with new: String) -> String {
        (ExampleRepository.files["evident.yaml"] ?? "").replacingOccurrences(of: old, with: new)
    }

    private func evidenceLog(_ items: [(id: String, date: String)]) -> String {
        var text = "---\nkind: evidence\nperson: alice\ncycle: 2026-h2\nitems:\n"
        for item in items {
            text += "  - { id: \(item.id), date: \(item.date), type: other, summary: Work, dimensions: [delivery] }\n"
        }
        return text + "---\n"
    }

    // MARK: evidence-date-outside-cycle

    func testDatesOnTheBoundsAreInsideAndAfterEndWinsOverFreeze() throws {
        let log = evidenceLog([
            ("a", "2026-06-30"), ("b", "2026-07-01"), ("c", "2026-12-10"), ("d", "2026-12-11"), ("e", "2026-12-31"),
            ("f", "2027-01-01"),
        ])
        XCTAssertEqual(
            try findings(EvidenceDateOutsideCycleRule.self, ["cycles/2026-h2/alice/evidence.md": log]),
            [
                "cycles/2026-h2/alice/evidence.md:6:20: '2026-06-30' is before the cycle period (2026-07-01 to 2026-12-31) of 2026-h2",
                "cycles/2026-h2/alice/evidence.md:9:20: '2026-12-11' is after the evidence freeze (2026-12-10) | the freeze is set here",
                "cycles/2026-h2/alice/evidence.md:10:20: '2026-12-31' is after the evidence freeze (2026-12-10) | the freeze is set here",
                "cycles/2026-h2/alice/evidence.md:11:20: '2027-01-01' is after the cycle period (2026-07-01 to 2026-12-31) of 2026-h2",
            ])
    }

    func testItemsInReviewFilesAreCheckedAndNoFreezeMeansOnlyThePeriod() throws {
        let cycle = (ExampleRepository.files["cycles/2026-h2/cycle.yaml"] ?? "").replacingOccurrences(
            of: "freeze: 2026-12-10\n", with: "")
        var files = review(
            "rating: meets\nitems:\n  - { id: late, date: 2026-12-20, type: other, summary: Work, dimensions: [delivery] }",
            "[@late]")
        files["cycles/2026-h2/cycle.yaml"] = cycle
        XCTAssertEqual(try findings(EvidenceDateOutsideCycleRule.self, files), [])
        files["cycles/2026-h2/cycle.yaml"] = cycle.replacingOccurrences(of: "end: 2026-12-31", with: "end: 2026-12-15")
        XCTAssertEqual(
            try findings(EvidenceDateOutsideCycleRule.self, files),
            [
                "cycles/2026-h2/alice/review.md:9:23: '2026-12-20' is after the cycle period (2026-07-01 to 2026-12-15) of 2026-h2"
            ])
    }

    // MARK: citation-unknown and evidence-uncited

    func testCitationsAreResolvedPerFolderWithSuggestions() throws {
        var files = review(
            "rating: meets",
            "## Delivery impact\nShipped [@checkout-latency; @queue-desing; @bobs-item] and [@x].")
        files["cycles/2026-h2/bob/evidence.md"] = """
            ---
            kind: evidence
            person: bob
            cycle: 2026-h2
            items:
              - { id: bobs-item, date: 2026-08-01, type: other, summary: Work, dimensions: [delivery] }
            ---
            Bob cites Alice's item [@checkout-latency].
            """
        XCTAssertEqual(
            try findings(CitationUnknownRule.self, files),
            [
                "cycles/2026-h2/alice/review.md:10:29: citation '@queue-desing' names no evidence item in cycles/2026-h2/alice | did you mean 'queue-design'?",
                "cycles/2026-h2/alice/review.md:10:44: citation '@bobs-item' names no evidence item in cycles/2026-h2/alice",
                "cycles/2026-h2/alice/review.md:10:61: citation '@x' names no evidence item in cycles/2026-h2/alice",
                "cycles/2026-h2/bob/evidence.md:8:25: citation '@checkout-latency' names no evidence item in cycles/2026-h2/bob",
            ])
    }

    func testEditDistanceIsBounded() {
        XCTAssertEqual(EditDistance.within(2, "queue-design", "queue-desing"), 2)
        XCTAssertEqual(EditDistance.within(2, "abc", "abc"), 0)
        XCTAssertEqual(EditDistance.within(2, "", "ab"), 2)
        XCTAssertNil(EditDistance.within(2, "", "abc"))
        XCTAssertNil(EditDistance.within(2, "checkout", "queue"))
        XCTAssertEqual(EditDistance.closest(to: "exceed", in: ["below", "meets", "exceeds"]), "exceeds")
        XCTAssertNil(EditDistance.closest(to: "great", in: ["below", "meets", "exceeds"]))
    }

    func testUncitedItemsAreReportedOncePerIdAtTheItem() throws {
        let log = evidenceLog([
            ("checkout-latency", "2026-08-14"), ("queue-design", "2026-09-02"), ("extra", "2026-09-03"),
        ])
        XCTAssertEqual(
            try findings(EvidenceUncitedRule.self, ["cycles/2026-h2/alice/evidence.md": log]),
            [
                "cycles/2026-h2/alice/evidence.md:8:11: evidence item 'extra' is not cited by any self review, peer feedback or review"
            ])
        // A peer's citation is enough.
        var files = ["cycles/2026-h2/alice/evidence.md": log]
        files["cycles/2026-h2/alice/peer-bob.md"] = """
            ---
            kind: peer-feedback
            person: alice
            cycle: 2026-h2
            author: bob
            ---
            ## Technical judgment
            Also the extra work [@extra] and the design [@queue-design].
            """
        XCTAssertEqual(try findings(EvidenceUncitedRule.self, files), [])
    }

    func testAnUnreadableFileDoesNotCascadeIntoCitationFindings() throws {
        let broken = ["cycles/2026-h2/alice/evidence.md": "---\nkind: evidence\nitems: [unclosed\n---\n"]
        XCTAssertEqual(try findings(CitationUnknownRule.self, broken), [])
        XCTAssertEqual(try findings(RatingEvidenceRule.self, broken), [])
        let peers = ["cycles/2026-h2/alice/peer-bob.md", "cycles/2026-h2/alice/peer-carol.md"]
        var quiet = review("rating: meets", "No citations.")
        quiet["cycles/2026-h2/alice/self.md"] = "---\nkind: self-review\nperson: alice\ncycle: 2026-h2\n---\n"
        XCTAssertEqual(try findings(EvidenceUncitedRule.self, quiet, removing: peers).count, 2)
        quiet[RuleExample.defaultFile] = "---\nkind: review\nrating: [meets\n---\n"
        XCTAssertEqual(try findings(EvidenceUncitedRule.self, quiet, removing: peers), [])
    }

    // MARK: rating-unknown, rating-evidence, calibration-uncited

    func testRatingsAreCheckedAgainstTheConfiguredScale() throws {
        let files = review(
            "rating: meets\ncalibration: { rating: exceeds, rationale: Reach, evidence: [queue-design] }", "")
        XCTAssertEqual(try findings(RatingUnknownRule.self, files), [])
        var custom = files
        custom["evident.yaml"] = policy(
            replacing: "  - { id: outstanding, label: Outstanding, min_evidence: 5 }",
            with:
                "  - { id: outstanding, label: Outstanding, min_evidence: 5 }\n  - { id: top, label: Top, min_evidence: 6 }"
        )
        .replacingOccurrences(of: "  - { id: exceeds, label: Exceeds expectations, min_evidence: 3 }\n", with: "")
        XCTAssertEqual(
            try findings(RatingUnknownRule.self, custom),
            [
                "cycles/2026-h2/alice/review.md:8:24: unknown calibrated rating 'exceeds': the scale is below, meets, outstanding, top"
            ])
    }

    func testRatingEvidenceCountsDistinctResolvingCitations() throws {
        let body = """
            ## Delivery impact
            [@checkout-latency] [@checkout-latency; @unknown-item] [@queue-design]
            """
        XCTAssertEqual(
            try findings(RatingEvidenceRule.self, review("rating: exceeds", body)),
            [
                "cycles/2026-h2/alice/review.md:7:9: rating 'exceeds' needs at least 3 cited evidence items; the review cites 2"
            ])
        var lower = review("rating: exceeds", body)
        lower["evident.yaml"] = policy(
            replacing: "{ id: exceeds, label: Exceeds expectations, min_evidence: 3 }",
            with: "{ id: exceeds, label: Exceeds expectations, min_evidence: 2 }")
        XCTAssertEqual(try findings(RatingEvidenceRule.self, lower), [])
        // Unknown ratings are rating-unknown's to report.
        XCTAssertEqual(try findings(RatingEvidenceRule.self, review("rating: superb", body)), [])
    }

    func testCalibrationNamesWhatIsMissing() throws {
        let body = "## Delivery impact\n[@checkout-latency] [@queue-design]"
        XCTAssertEqual(
            try findings(
                CalibrationUncitedRule.self,
                review("rating: meets\ncalibration:\n  rating: exceeds\n  rationale: Cross-team reach.", body)),
            [
                "cycles/2026-h2/alice/review.md:8:1: calibration changes the rating from 'meets' to 'exceeds' without evidence | add calibration.rationale and calibration.evidence ids to explain the change"
            ])
        XCTAssertEqual(
            try findings(
                CalibrationUncitedRule.self,
                review("rating: meets\ncalibration: { rating: below, evidence: [] }", body)),
            [
                "cycles/2026-h2/alice/review.md:8:1: calibration changes the rating from 'meets' to 'below' without a rationale or evidence | add calibration.rationale and calibration.evidence ids to explain the change"
            ])
        XCTAssertEqual(
            try findings(CalibrationUncitedRule.self, review("rating: meets\ncalibration: { rating: meets }", body)), []
        )
    }

    // MARK: recency-bias

    func testRecencyUsesThePolicyAndCountsDistinctItems() throws {
        let log = evidenceLog([
            ("early", "2026-07-15"), ("mid", "2026-11-19"), ("late-1", "2026-11-20"), ("late-2", "2026-12-30"),
        ])
        // The cutoff is 2026-12-31 minus 42 days = 2026-11-19; only items after it are recent.
        var files = review(
            "rating: meets", "## Delivery impact\n[@early] [@mid] [@late-1] [@late-2] [@late-2; @late-2]")
        files["cycles/2026-h2/alice/evidence.md"] = log
        XCTAssertEqual(try findings(RecencyBiasRule.self, files), [])
        files["evident.yaml"] = policy(
            replacing: "recency: { last_weeks: 6, max_share: 0.6 }", with: "recency: { last_weeks: 6, max_share: 0.4 }")
        XCTAssertEqual(
            try findings(RecencyBiasRule.self, files),
            [
                "cycles/2026-h2/alice/review.md:7:9: 2 of the 4 dated items this review cites (50%) are from the last 6 weeks of the cycle (after 2026-11-19); evidence.recency.max_share is 40%"
            ])
        files["evident.yaml"] = policy(
            replacing: "recency: { last_weeks: 6, max_share: 0.6 }", with: "recency: { last_weeks: 7, max_share: 0.6 }")
        XCTAssertEqual(
            try findings(RecencyBiasRule.self, files),
            [
                "cycles/2026-h2/alice/review.md:7:9: 3 of the 4 dated items this review cites (75%) are from the last 7 weeks of the cycle (after 2026-11-12); evidence.recency.max_share is 60%"
            ])
    }

    func testRecencyIgnoresSelfReviewsAndUnknownCitations() throws {
        let log = evidenceLog([("a", "2026-12-01"), ("b", "2026-12-02"), ("c", "2026-12-03")])
        var files = review("rating: meets", "## Delivery impact\n[@a] [@b] [@nope]")
        files["cycles/2026-h2/alice/evidence.md"] = log
        files["cycles/2026-h2/alice/self.md"] =
            "---\nkind: self-review\nperson: alice\ncycle: 2026-h2\n---\n[@a] [@b] [@c]\n"
        XCTAssertEqual(try findings(RecencyBiasRule.self, files), [])
    }

    /// The table the citation rules share holds, for every person folder, what the folder
    /// itself gives, the first declaration of a duplicated id winning.
    func testItemPositionTableHoldsEachFoldersPositions() throws {
        var texts = ExampleRepository.files
        let log = try XCTUnwrap(texts["cycles/2026-h2/alice/evidence.md"])
        texts["cycles/2026-h2/bob/evidence.md"] = log.replacingOccurrences(of: "person: alice", with: "person: bob")
        texts["cycles/2026-h2/carol/evidence.md"] =
            log.replacingOccurrences(of: "person: alice", with: "person: carol")
            + "\n"
        let organisation = try RepositoryLoader.load(from: MemorySource(root: "/example", texts: texts))
        XCTAssertGreaterThanOrEqual(organisation.personCycles.count, 3)
        let table = ItemPositionTable(organisation)
        XCTAssertEqual(table.count, organisation.personCycles.count)
        var itemsSeen = 0
        for (index, personCycle) in organisation.personCycles.enumerated() {
            let expected = personCycle.itemPositionsByID()
            XCTAssertEqual(table.positions(at: index), expected, personCycle.folder)
            for (id, position) in expected {
                XCTAssertEqual(personCycle.items[position].id.value, id)
                XCTAssertNil(personCycle.items[..<position].first { $0.id.value == id })
            }
            itemsSeen += expected.count
        }
        XCTAssertGreaterThan(itemsSeen, 0)
    }
}
