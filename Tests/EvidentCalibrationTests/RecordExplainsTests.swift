import EvidentCore
import EvidentRules
import Foundation
import XCTest

@testable import EvidentCalibration

/// The record explains: the review's public prose, DRAFT until every required sign-off
/// is valid, and plain words when there is no proposal.
final class RecordExplainsTests: XCTestCase {
    static let review = """
        ---
        kind: review
        person: amy
        cycle: c1
        reviewer: boss
        level: eng
        rating: meets
        ---
        Amy joined the payments team in July.

        ## Delivery

        Shipped the checkout rewrite two weeks early [@a1].

        ### Private

        Hidden-delivery-note about her notice period.

        ## Collaboration

        Ran the incident review for the outage [@a1].

        ## Values

        Ownership: she followed the regression to its fix.

        ## Growth plan

        Lead a cross-team project next half.

        ## Private

        Hidden-section-note about compensation.

        """

    func load(_ files: [String: String]) throws -> (Organisation, MemorySource) {
        var all = [
            "people.yaml": Fixture.people([
                .init(id: "boss", team: "red"), .init(id: "amy", team: "red", manager: "boss"),
                .init(id: "ned", team: "red", manager: "boss"),
            ]),
            "cycles/c1/amy/evidence.md": Fixture.evidence("amy", [.init(id: "a1")]),
        ]
        for (path, text) in files { all[path] = text }
        return try Fixture.load(all)
    }

    func testTheRecordCarriesEveryPublicSectionOfTheReview() throws {
        let (organisation, source) = try load(["cycles/c1/amy/review.md": Self.review])
        let record = try DecisionRecordBuilder.build(
            organisation: organisation, person: "amy", cycle: "c1", source: source, signoffs: .init(entries: []))
        XCTAssertEqual(record.reviewSections.map(\.title), ["Introduction", "Delivery", "Collaboration", "Values"])
        XCTAssertEqual(
            record.reviewSections[1].paragraphs, ["Shipped the checkout rewrite two weeks early (evidence: a1)."])
        XCTAssertEqual(record.growthPlans.first?.paragraphs, ["Lead a cross-team project next half."])
        for output in [RecordRenderer.markdown(record), RecordRenderer.html(record)] {
            XCTAssertTrue(output.contains("What the review says"))
            XCTAssertTrue(output.contains("Ownership: she followed the regression to its fix."))
            XCTAssertTrue(output.contains("Ran the incident review for the outage"))
            XCTAssertTrue(output.contains("Amy joined the payments team in July."))
            XCTAssertFalse(output.contains("Hidden-"))
        }
    }

    func testTheRecordSaysDraftUntilEveryRequiredSignoffIsValid() throws {
        let (organisation, source) = try load(["cycles/c1/amy/review.md": Self.review])
        var record = try DecisionRecordBuilder.build(
            organisation: organisation, person: "amy", cycle: "c1", source: source, signoffs: .init(entries: []))
        XCTAssertTrue(record.isDraft)
        let markdown = RecordRenderer.markdown(record)
        XCTAssertTrue(markdown.hasPrefix("# DRAFT Decision record"), markdown)
        XCTAssertTrue(
            markdown.contains(
                "DRAFT: this record is not final; still needs a valid sign-off by: manager, skip-level, calibrator."),
            markdown)
        XCTAssertTrue(RecordRenderer.html(record).contains("<title>DRAFT Decision record"))

        record.signoffs = .read(entries: [], missingRoles: [])
        XCTAssertFalse(record.isDraft)
        XCTAssertFalse(RecordRenderer.markdown(record).contains("DRAFT"))
        XCTAssertFalse(RecordRenderer.html(record).contains("DRAFT"))

        // Outside git nothing proves the sign-offs: still a draft.
        let unread = try DecisionRecordBuilder.build(
            organisation: organisation, person: "amy", cycle: "c1", source: source, signoffs: nil)
        XCTAssertTrue(
            RecordRenderer.markdown(unread).contains("DRAFT: this record is not final; sign-offs could not be read."))
    }

    func testNoProposalIsSaidPlainly() throws {
        let noRating = Self.review.replacingOccurrences(of: "rating: meets\n", with: "")
        let (organisation, source) = try load(["cycles/c1/amy/review.md": noRating])
        let without = try DecisionRecordBuilder.build(
            organisation: organisation, person: "amy", cycle: "c1", source: source, signoffs: .init(entries: []))
        XCTAssertTrue(
            RecordRenderer.markdown(without).contains("There is no proposal yet: the review proposes no rating."))
        let nobody = try DecisionRecordBuilder.build(
            organisation: organisation, person: "ned", cycle: "c1", source: source, signoffs: .init(entries: []))
        for output in [RecordRenderer.markdown(nobody), RecordRenderer.html(nobody)] {
            XCTAssertTrue(output.contains("There is no proposal yet: no review has been written for this cycle."))
            XCTAssertFalse(output.contains("made no change"))
        }
        let (proposed, proposedSource) = try load(["cycles/c1/amy/review.md": Self.review])
        let record = try DecisionRecordBuilder.build(
            organisation: proposed, person: "amy", cycle: "c1", source: proposedSource, signoffs: .init(entries: []))
        XCTAssertTrue(RecordRenderer.markdown(record).contains("Calibration has not changed the proposal (meets)."))
    }

    func testVagueAndBiasedWordsInTheCalibrationRationaleAreFound() throws {
        func findings(_ rationale: String) throws -> [String] {
            let review = Self.review.replacingOccurrences(
                of: "rating: meets\n",
                with:
                    "rating: meets\ncalibration:\n  rating: exceeds\n  rationale: \(Fixture.quote(rationale))\n  evidence: [a1]\n"
            )
            let (organisation, source) = try load(["cycles/c1/amy/review.md": review])
            return RuleEngine().check(organisation, source: source)
                .filter { ["vague-language", "biased-language"].contains($0.ruleID) }
                .map { "\($0.ruleID) \($0.location.line): \($0.message)" }
        }
        let rockstar = try findings("She is a rockstar.")
        XCTAssertEqual(rockstar.count, 1, "\(rockstar)")
        XCTAssertTrue(
            rockstar[0].hasPrefix("vague-language 10: 'rockstar' in the calibration rationale"), "\(rockstar)")
        let bossy = try findings("Too bossy in the design review.")
        XCTAssertEqual(bossy.count, 1, "\(bossy)")
        XCTAssertTrue(bossy[0].hasPrefix("biased-language 10: 'bossy' in the calibration rationale"), "\(bossy)")
        XCTAssertEqual(try findings("Shipped the scheduler on time; the on-call load fell by half."), [])
    }
}
