import EvidentCore
import EvidentGit
import Foundation
import XCTest

@testable import EvidentCalibration

final class SemanticDiffTests: XCTestCase {
    let people = Fixture.people([
        .init(id: "boss", team: "red"), .init(id: "amy", team: "red", manager: "boss"),
    ])
    let evidence = Fixture.evidence("amy", [.init(id: "a1"), .init(id: "a2", date: "2026-09-01")])

    func load(_ review: String, evidence: String? = nil) throws -> Organisation {
        try Fixture.load([
            "people.yaml": people, "cycles/c1/amy/evidence.md": evidence ?? self.evidence,
            "cycles/c1/amy/review.md": review,
        ]).0
    }

    func testUncitedCalibrationChangeIsFlagged() throws {
        let base = try load(Fixture.review("amy", reviewer: "boss", rating: "exceeds"))
        let head = try load(
            Fixture.review("amy", reviewer: "boss", rating: "exceeds", calibration: .init(rating: "meets")))
        let changes = SemanticDiff.compare(base: base, head: head)
        XCTAssertEqual(changes.map(\.kind), [.calibrationSet])
        let change = try XCTUnwrap(changes.first)
        XCTAssertEqual(change.after, "meets")
        XCTAssertEqual(change.proposal, "exceeds")
        XCTAssertTrue(change.isUncitedRatingChange)
        XCTAssertEqual(change.citation?.missing, ["no rationale", "no cited evidence"])
        XCTAssertTrue(change.summary.contains("differs from the proposal exceeds"))
    }

    func testCitedCalibrationChangePasses() throws {
        let base = try load(
            Fixture.review("amy", reviewer: "boss", rating: "exceeds", calibration: .init(rating: "exceeds")))
        let head = try load(
            Fixture.review(
                "amy", reviewer: "boss", rating: "exceeds",
                calibration: .init(rating: "meets", rationale: "Scoped to one service.", evidence: ["a1", "a2"])))
        let changes = SemanticDiff.compare(base: base, head: head)
        XCTAssertEqual(changes.map(\.kind), [.calibrationChanged])
        XCTAssertFalse(changes[0].isUncitedRatingChange)
        XCTAssertEqual(changes[0].citation?.evidence, ["a1", "a2"])
        XCTAssertEqual(changes[0].before, "exceeds")
    }

    func testCalibrationCitingUnknownItemsIsUncited() throws {
        let base = try load(Fixture.review("amy", reviewer: "boss", rating: "exceeds"))
        let head = try load(
            Fixture.review(
                "amy", reviewer: "boss", rating: "exceeds",
                calibration: .init(rating: "below", rationale: "Because.", evidence: ["nope"])))
        let change = try XCTUnwrap(SemanticDiff.compare(base: base, head: head).first)
        XCTAssertTrue(change.isUncitedRatingChange)
        XCTAssertEqual(change.citation?.unknownEvidence, ["nope"])
    }

    func testConfirmingTheProposalNeedsNoCitation() throws {
        let base = try load(Fixture.review("amy", reviewer: "boss", rating: "meets"))
        let head = try load(
            Fixture.review("amy", reviewer: "boss", rating: "meets", calibration: .init(rating: "meets")))
        let change = try XCTUnwrap(SemanticDiff.compare(base: base, head: head).first)
        XCTAssertEqual(change.kind, .calibrationSet)
        XCTAssertFalse(change.isUncitedRatingChange)
    }

    func testProposalChangeNeedsCitedItemsInTheBody() throws {
        let base = try load(Fixture.review("amy", reviewer: "boss", rating: nil))
        let cited = try load(Fixture.review("amy", reviewer: "boss", rating: "meets"))
        let uncited = try load(Fixture.review("amy", reviewer: "boss", rating: "exceeds", cites: []))
        let set = try XCTUnwrap(SemanticDiff.compare(base: base, head: cited).first)
        XCTAssertEqual(set.kind, .proposalSet)
        XCTAssertFalse(set.isUncitedRatingChange)
        let changed = try XCTUnwrap(SemanticDiff.compare(base: cited, head: uncited).first)
        XCTAssertEqual(changed.kind, .proposalChanged)
        XCTAssertTrue(changed.isUncitedRatingChange)
        XCTAssertEqual(changed.citation?.missing, ["no cited evidence"])
    }

    func testEvidenceChangesLateEvidenceAndPromotion() throws {
        let review = Fixture.review("amy", reviewer: "boss", rating: "meets", promotion: "not-yet")
        let base = try load(review)
        let head = try load(
            Fixture.review("amy", reviewer: "boss", rating: "meets", promotion: "ready"),
            evidence: Fixture.evidence("amy", [.init(id: "a1"), .init(id: "late", date: "2026-12-20")]))
        let changes = SemanticDiff.compare(base: base, head: head)
        XCTAssertEqual(
            changes.map(\.kind), [.evidenceAdded, .evidenceAfterFreeze, .evidenceRemoved, .promotionChanged])
        XCTAssertEqual(changes[0].item, "late")
        XCTAssertEqual(changes[0].file, "cycles/c1/amy/evidence.md")
        XCTAssertTrue(changes[1].isLateEvidence)
        XCTAssertEqual(changes[2].item, "a2")
        XCTAssertEqual(changes[3].before, "not-yet")
        XCTAssertEqual(changes[3].after, "ready")
        XCTAssertFalse(changes.contains(where: \.isUncitedRatingChange))
    }

    func testNoChangesBetweenIdenticalRevisions() throws {
        let (organisation, _) = try loadAcme()
        XCTAssertTrue(SemanticDiff.compare(base: organisation, head: organisation).isEmpty)
    }
}

/// The uncited-change flag across two real commits, and who made the change.
final class CalibrationDiffGitTests: XCTestCase {
    func makeRepository() throws -> (ScratchGitRepository, String) {
        let repository = try ScratchGitRepository()
        try repository.copy(acmeRoot, to: "reviews")
        try repository.git("add", "-A")
        try repository.git("commit", "-q", "-m", "Acme reviews before calibration")
        let base = try repository.git("rev-parse", "HEAD")
        return (repository, base)
    }

    func testUncitedCalibratedRatingChangeIsFlaggedWithItsAuthor() throws {
        let (repository, base) = try makeRepository()
        let file = "reviews/cycles/2026-h2/gabriel/review.md"
        var text = try repository.read(file)
        XCTAssertFalse(text.contains("calibration:"))
        text = text.replacingOccurrences(of: "rating: meets\n", with: "rating: meets\ncalibration:\n  rating: below\n")
        try repository.write(file, text)
        try repository.git("commit", "-q", "-am", "Calibrate Gabriel down", as: ("Erin Park", "erin@acme.example"))
        // An unrelated later commit by someone else must not take the credit.
        try repository.write("reviews/notes.txt", "meeting notes\n")
        try repository.git("add", "reviews/notes.txt")
        try repository.git("commit", "-q", "-m", "Notes", as: ("Frank Osei", "frank@acme.example"))

        let git = try GitRepository.open(path: repository.path)
        let report = try CalibrationDiff.run(
            repository: git, base: base, head: "HEAD", reviewRoot: "reviews", displayRoot: repository.path + "/reviews")
        XCTAssertEqual(report.changes.count, 1)
        let change = try XCTUnwrap(report.changes.first)
        XCTAssertEqual(change.kind, .calibrationSet)
        XCTAssertEqual(change.person, "gabriel")
        XCTAssertTrue(change.isUncitedRatingChange)
        XCTAssertEqual(change.author?.name, "Erin Park")
        XCTAssertEqual(change.author?.email, "erin@acme.example")
        XCTAssertEqual(report.uncitedRatingChanges.count, 1)

        let textOutput = DiffRenderer.text(report)
        XCTAssertTrue(
            textOutput.contains(
                "cycles/2026-h2/gabriel/review.md: error: gabriel: calibrated rating set to below, differs from the proposal meets; uncited: no rationale, no cited evidence [calibration-set]"
            ))
        XCTAssertTrue(textOutput.contains("by Erin Park <erin@acme.example>"))
        XCTAssertTrue(DiffRenderer.markdown(report).contains("❌"))
        let json = try XCTUnwrap(
            JSONSerialization.jsonObject(with: Data(DiffRenderer.json(report).utf8)) as? [String: Any])
        XCTAssertEqual(json["uncitedRatingChanges"] as? Int, 1)
    }

    func testCitedChangeIsNotFlagged() throws {
        let (repository, base) = try makeRepository()
        let file = "reviews/cycles/2026-h2/gabriel/review.md"
        let evidence = try repository.read("reviews/cycles/2026-h2/gabriel/evidence.md")
        let firstID = try XCTUnwrap(
            evidence.split(separator: "\n").first { $0.contains("- id:") }?.split(separator: ":").last?
                .trimmingCharacters(in: .whitespaces))
        var text = try repository.read(file)
        text = text.replacingOccurrences(
            of: "rating: meets\n",
            with:
                "rating: meets\ncalibration:\n  rating: exceeds\n  rationale: Cross-team impact is above the bar.\n  evidence: [\(firstID)]\n"
        )
        try repository.write(file, text)
        try repository.git("commit", "-q", "-am", "Calibrate Gabriel up", as: ("Frank Osei", "frank@acme.example"))
        let git = try GitRepository.open(path: repository.path)
        let report = try CalibrationDiff.run(
            repository: git, base: base, head: "HEAD", reviewRoot: "reviews", displayRoot: repository.path)
        XCTAssertEqual(report.changes.map(\.kind), [.calibrationSet])
        XCTAssertTrue(report.uncitedRatingChanges.isEmpty)
        XCTAssertEqual(report.changes.first?.author?.name, "Frank Osei")
        XCTAssertTrue(DiffRenderer.text(report).contains("cites rationale and 1 item (\(firstID))"))
    }
}
