import EvidentCore
import EvidentRules
import Foundation
import XCTest

@testable import EvidentCalibration

/// The employee's voice (response.md, appeal.md, dissent) in the record and the packet,
/// its rules, and the cycle's participants.
final class VoiceTests: XCTestCase {
    static let privateCanary = "CANARY-PRIVATE-VOICE-7731"

    static let people: [Fixture.Member] = [
        .init(id: "vp", team: "red"),
        .init(id: "boss", team: "red", manager: "vp"),
        .init(id: "amy", team: "red", manager: "boss"),
        .init(id: "ray", team: "red", manager: "boss"),
        .init(id: "hal", team: "blue", manager: "vp", roles: ["hr"]),
    ]

    static func response(position: String = "disagree") -> String {
        """
        ---
        kind: response
        person: amy
        cycle: c1
        position: \(position)
        ---
        The record leaves out the migration [@a1].

        ### Private

        \(privateCanary) only for calibrators [@a1].

        ## Later

        I will pick up the design work next half.
        """
    }

    static func appeal(answer: String? = nil, opened: String = "2026-11-02", to: String = "skip-level") -> String {
        var text = "---\nkind: appeal\nperson: amy\ncycle: c1\nto: \(to)\nopened: \(opened)\n"
        if let answer { text += answer }
        return text + "---\nThe migration was left out [@a1].\n\n## Private\n\n\(privateCanary) in the appeal.\n"
    }

    static let upheld = """
        answer:
          by: vp
          date: 2026-11-09
          outcome: upheld
          rationale: "The migration is weighed in the delivery section [@a1]."
          evidence: [a1]

        """

    func load(_ extra: [String: String] = [:], cycle: String? = nil, policy: String? = nil) throws -> (
        Organisation, MemorySource
    ) {
        var files = [
            "people.yaml": Fixture.people(Self.people),
            "cycles/c1/amy/evidence.md": Fixture.evidence("amy", [.init(id: "a1")]),
            "cycles/c1/amy/review.md": Fixture.review("amy", reviewer: "boss", rating: "meets").replacingOccurrences(
                of: "rating: meets\n", with: "rating: meets\nsummary: \"Meets: shipped the work [@a1].\"\n"),
        ]
        if let policy { files["evident.yaml"] = policy }
        for (path, text) in extra { files[path] = text }
        return try Fixture.load(files, cycleText: cycle)
    }

    func findings(
        _ loaded: (Organisation, MemorySource), _ rule: String, today: String = "2026-11-10",
        ledger: SignoffLedger? = nil
    )
        -> [String]
    {
        RuleEngine().check(loaded.0, source: loaded.1, signoffs: ledger, today: Day(today)!).filter {
            $0.ruleID == rule
        }.map {
            "\($0.location.file):\($0.location.line):\($0.location.column) \($0.severity.rawValue): \($0.message)"
        }
    }

    // MARK: Loading

    func testResponseAndAppealAreLoadedIntoThePersonFolder() throws {
        let (organisation, _) = try load([
            "cycles/c1/amy/response.md": Self.response(), "cycles/c1/amy/appeal.md": Self.appeal(answer: Self.upheld),
        ])
        let folder = try XCTUnwrap(organisation.personCycle(person: "amy", cycle: "c1"))
        XCTAssertEqual(folder.response?.position?.value, .disagree)
        let appeal = try XCTUnwrap(folder.appeal?.appeal)
        XCTAssertEqual(appeal.to?.value, .skipLevel)
        XCTAssertEqual(appeal.opened?.value, Day("2026-11-02"))
        XCTAssertEqual(appeal.answer?.by?.value, "vp")
        XCTAssertEqual(appeal.answer?.outcome?.value, .upheld)
        XCTAssertEqual(appeal.answer?.evidence.map(\.value), ["a1"])
        XCTAssertEqual(DocumentKind.classify("cycles/c1/amy/response.md"), .response)
        // Sealed like a self review (the person writes them), and so checked for seal-readers.
        XCTAssertEqual(SealReaders.kind(of: "cycles/c1/amy/response.md"), .selfReview)
        XCTAssertEqual(SealReaders.kind(of: "cycles/c1/amy/appeal.md"), .selfReview)
        XCTAssertTrue(DocumentKind.appeal.isPersonFile)
        XCTAssertEqual(
            DocumentKind.classify("cycles/c1/amé/appeal.md"), .appeal, "a non-ASCII path takes the other path")
    }

    func testBadVoiceFilesAreSchemaFindings() throws {
        let loaded = try load([
            "cycles/c1/amy/response.md": Self.response(position: "partly"),
            "cycles/c1/amy/appeal.md": Self.appeal(
                answer: "answer: { by: vp, date: 2026-11-09, outcome: maybe }\n", to: "ceo"),
            "cycles/c1/amy/apeal.md": "---\nkind: appeal\n---\n",
        ])
        let found = findings(loaded, "front-matter-schema")
        XCTAssertTrue(found.contains { $0.hasPrefix("cycles/c1/amy/response.md:5:11 error:") }, "\(found)")
        XCTAssertTrue(found.contains { $0.hasPrefix("cycles/c1/amy/appeal.md:5:5 error:") }, "\(found)")
        XCTAssertTrue(found.contains { $0.contains("appeal.md") && $0.contains("rationale") }, "\(found)")
        XCTAssertTrue(found.contains { $0.contains("apeal.md") && $0.contains("response.md or appeal.md") }, "\(found)")
    }

    // MARK: appeal-unanswered

    func testAnUnansweredAppealWarnsAfterAppealDaysAndIsAnErrorOnceClosed() throws {
        let loaded = try load(["cycles/c1/amy/appeal.md": Self.appeal()])
        XCTAssertEqual(findings(loaded, "appeal-unanswered", today: "2026-11-16"), [], "14 days have not passed")
        XCTAssertEqual(
            findings(loaded, "appeal-unanswered", today: "2026-11-17"),
            [
                "cycles/c1/amy/appeal.md:6:9 warning: the appeal opened on 2026-11-02 has waited 15 days for an answer; reviews.appeal_days allows 14"
            ])
        let closed = try load(
            ["cycles/c1/amy/appeal.md": Self.appeal()],
            cycle: Fixture.cycle().replacingOccurrences(of: "phase: calibration", with: "phase: closed"))
        XCTAssertEqual(
            findings(closed, "appeal-unanswered", today: "2026-11-17"),
            [
                "cycles/c1/amy/appeal.md:6:9 error: the appeal opened on 2026-11-02 has waited 15 days for an answer; reviews.appeal_days allows 14 and the cycle is closed"
            ])
        let policy = Fixture.policy.replacingOccurrences(of: "reviews:", with: "reviews:\n  appeal_days: 3")
        let short = try load(["cycles/c1/amy/appeal.md": Self.appeal()], policy: policy)
        XCTAssertEqual(short.0.policy?.appealDays, 3)
        XCTAssertEqual(findings(short, "appeal-unanswered", today: "2026-11-05"), [])
        XCTAssertEqual(findings(short, "appeal-unanswered", today: "2026-11-06").count, 1)
        // Answered: no finding however late it is.
        let answered = try load(["cycles/c1/amy/appeal.md": Self.appeal(answer: Self.upheld)])
        XCTAssertEqual(findings(answered, "appeal-unanswered", today: "2027-06-01"), [])
    }

    func testTheAnswerMustComeFromWhoeverHearsTheRoute() throws {
        let byBoss = Self.upheld.replacingOccurrences(of: "by: vp", with: "by: boss")
        XCTAssertEqual(
            findings(try load(["cycles/c1/amy/appeal.md": Self.appeal(answer: byBoss)]), "appeal-unanswered"),
            [
                "cycles/c1/amy/appeal.md:8:7 error: 'boss' answers an appeal to the skip-level but is not amy's skip-level manager (vp is)"
            ])
        XCTAssertEqual(
            findings(
                try load(["cycles/c1/amy/appeal.md": Self.appeal(answer: Self.upheld, to: "hr")]), "appeal-unanswered"),
            ["cycles/c1/amy/appeal.md:8:7 error: 'vp' answers an appeal to hr but does not hold role hr in people.yaml"]
        )
        let byHR = Self.upheld.replacingOccurrences(of: "by: vp", with: "by: hal")
        XCTAssertEqual(
            findings(try load(["cycles/c1/amy/appeal.md": Self.appeal(answer: byHR, to: "hr")]), "appeal-unanswered"),
            [])
        // An unknown answerer is unknown-reference's finding, not this rule's.
        let byNobody = Self.upheld.replacingOccurrences(of: "by: vp", with: "by: nobody")
        let unknown = try load(["cycles/c1/amy/appeal.md": Self.appeal(answer: byNobody)])
        XCTAssertEqual(findings(unknown, "appeal-unanswered"), [])
        XCTAssertEqual(
            findings(unknown, "unknown-reference"),
            ["cycles/c1/amy/appeal.md:8:7 error: unknown answerer 'nobody': not in people.yaml"])
    }

    func testAChangedOutcomeNeedsEvidenceAndEveryAnswerARationale() throws {
        let changed = Self.upheld.replacingOccurrences(of: "outcome: upheld", with: "outcome: changed")
            .replacingOccurrences(of: "  evidence: [a1]\n", with: "")
        XCTAssertEqual(
            findings(try load(["cycles/c1/amy/appeal.md": Self.appeal(answer: changed)]), "appeal-unanswered"),
            ["cycles/c1/amy/appeal.md:7:1 error: the appeal's answer changes the outcome without evidence"])
        let cited = Self.upheld.replacingOccurrences(of: "outcome: upheld", with: "outcome: changed")
        XCTAssertEqual(
            findings(try load(["cycles/c1/amy/appeal.md": Self.appeal(answer: cited)]), "appeal-unanswered"), [])
        let blank = Self.upheld.replacingOccurrences(
            of: "\"The migration is weighed in the delivery section [@a1].\"", with: "\" \"")
        XCTAssertEqual(
            findings(try load(["cycles/c1/amy/appeal.md": Self.appeal(answer: blank)]), "appeal-unanswered"),
            ["cycles/c1/amy/appeal.md:11:14 error: the appeal's answer gives no rationale"])
        let early = Self.upheld.replacingOccurrences(of: "date: 2026-11-09", with: "date: 2026-10-30")
        XCTAssertEqual(
            findings(try load(["cycles/c1/amy/appeal.md": Self.appeal(answer: early)]), "appeal-unanswered"),
            [
                "cycles/c1/amy/appeal.md:9:9 error: the appeal is answered on 2026-10-30, before it was opened on 2026-11-02"
            ])
    }

    func testVoiceCitationsAreCheckedLikeReviewCitations() throws {
        let wrong = Self.upheld.replacingOccurrences(of: "evidence: [a1]", with: "evidence: [a2]")
        let loaded = try load([
            "cycles/c1/amy/response.md": Self.response().replacingOccurrences(
                of: "migration [@a1]", with: "migration [@a9]"),
            "cycles/c1/amy/appeal.md": Self.appeal(answer: wrong),
        ])
        let found = findings(loaded, "citation-unknown")
        XCTAssertEqual(found.count, 2, "\(found)")
        XCTAssertTrue(
            found.contains { $0.hasPrefix("cycles/c1/amy/response.md:7:") && $0.contains("'@a9'") }, "\(found)")
        XCTAssertTrue(found.contains { $0.hasPrefix("cycles/c1/amy/appeal.md:12:") && $0.contains("'a2'") }, "\(found)")
        XCTAssertEqual(findings(try load(["cycles/c1/amy/response.md": Self.response()]), "citation-unknown"), [])
    }

    // MARK: language in summary, appeal answers and dissent

    func testLanguageRulesReadTheSummaryTheAppealAnswerAndDissentReasons() throws {
        let vagueAnswer = Self.upheld.replacingOccurrences(
            of: "\"The migration is weighed in the delivery section [@a1].\"",
            with: "\"She is a rockstar, but meets stands.\"")
        let loaded = try load(["cycles/c1/amy/appeal.md": Self.appeal(answer: vagueAnswer)])
        XCTAssertEqual(
            findings(loaded, "vague-language"),
            [
                "cycles/c1/amy/appeal.md:11:14 error: 'rockstar' in the appeal answer's rationale judges without describing anything: say what happened"
            ])
        let bossy = try load([
            "cycles/c1/amy/review.md": Fixture.review("amy", reviewer: "boss", rating: "meets").replacingOccurrences(
                of: "rating: meets\n", with: "rating: meets\nsummary: \"Meets, though bossy in reviews [@a1].\"\n")
        ])
        XCTAssertEqual(findings(bossy, "biased-language").count, 1)
        XCTAssertEqual(findings(bossy, "vague-language"), [])

        let (organisation, source) = try load()
        let blob = "0123456789abcdef0123456789abcdef01234567"
        func dissent(_ reason: String, position: SignoffPosition = .dissent, commit: String = "aaaa")
            -> SignoffLedger.Entry
        {
            SignoffLedger.Entry(
                commitID: String(repeating: commit, count: 10), role: "manager", file: "cycles/c1/amy/review.md",
                blob: blob,
                rating: "meets", signerName: "Boss", signerEmail: "boss@test.example", date: "2026-12-01T10:00:00Z",
                position: position, reason: reason, isSigned: false, signatureVerified: nil, currentBlob: blob)
        }
        let vague = SignoffLedger(entries: [dissent("a team player who deserved exceeds")])
        XCTAssertEqual(
            findings((organisation, source), "vague-language", ledger: vague),
            [
                "cycles/c1/amy/review.md:7:9 error: 'team player' in the dissent reason of Boss's manager sign-off aaaaaaaaaaaa judges without describing anything: say what happened"
            ])
        // A newer sign-off by the same signer replaces the reason: it is no longer shown.
        let replaced = SignoffLedger(entries: [
            dissent("shipped the migration a week early", commit: "bbbb"),
            dissent("a team player who deserved exceeds"),
        ])
        XCTAssertEqual(findings((organisation, source), "vague-language", ledger: replaced), [])
        let emotional = SignoffLedger(entries: [dissent("the review is too emotional", position: .withdraw)])
        XCTAssertEqual(findings((organisation, source), "biased-language", ledger: emotional).count, 1)
    }

    // MARK: the record and the packet

    func testTheRecordShowsResponseAppealAndDissentButNoPrivateText() throws {
        let (organisation, source) = try load([
            "cycles/c1/amy/response.md": Self.response(), "cycles/c1/amy/appeal.md": Self.appeal(answer: Self.upheld),
        ])
        // The assessment compares the approved blob with the current one the ledger carries.
        let blob = "3b18e512dba79e4c8300dd08aeb37f8e728b8dad"
        let ledger = SignoffLedger(entries: [
            SignoffLedger.Entry(
                commitID: String(repeating: "c", count: 40), role: "manager", file: "cycles/c1/amy/review.md",
                blob: blob,
                rating: "meets", signerName: "Boss", signerEmail: "boss@test.example", date: "2026-12-01T10:00:00Z",
                position: .dissent, reason: "The migration moved the team metric", isSigned: false,
                signatureVerified: nil,
                currentBlob: blob)
        ])
        let record = try DecisionRecordBuilder.build(
            organisation: organisation, person: "amy", cycle: "c1", source: source, signoffs: ledger,
            today: Day("2026-11-20")!)
        XCTAssertEqual(record.response?.position, "disagree")
        XCTAssertEqual(
            record.response?.sections.flatMap(\.paragraphs),
            [
                "The record leaves out the migration (evidence: a1).", "I will pick up the design work next half.",
            ])
        XCTAssertEqual(record.appeal?.answer?.outcome, "upheld")
        XCTAssertEqual(record.appeal?.answer?.byName, "Vp")
        XCTAssertEqual(record.appeal?.answer?.evidence.map(\.id), ["a1"])
        XCTAssertEqual(record.dissents.map(\.reason), ["The migration moved the team metric"])
        let markdown = RecordRenderer.markdown(record)
        let html = RecordRenderer.html(record)
        for text in [markdown, html] {
            XCTAssertFalse(text.contains(Self.privateCanary), "private text leaked")
            XCTAssertTrue(text.contains("You disagree with this record."))
            XCTAssertTrue(text.contains("You appealed to your skip-level manager on 2026-11-02."))
            XCTAssertTrue(text.contains("Answered by Vp on 2026-11-09: the outcome stands (upheld)."))
            XCTAssertTrue(
                text.contains(
                    "Boss signed off as manager on 2026-12-01 while disagreeing: The migration moved the team metric"))
        }
        // Read in two minutes: summary, outcome and the person's voice before the review's prose.
        let order = [
            "## Summary", "## Outcome", "## Disagreement at sign-off", "## Your response", "## Appeal",
            "## What the review says",
        ]
        let positions = try order.map { try XCTUnwrap(markdown.range(of: $0), $0).lowerBound }
        XCTAssertEqual(positions, positions.sorted())
    }

    func testAnUnansweredAppealIsShownWaiting() throws {
        let (organisation, source) = try load(["cycles/c1/amy/appeal.md": Self.appeal()])
        let record = try DecisionRecordBuilder.build(
            organisation: organisation, person: "amy", cycle: "c1", source: source, signoffs: nil,
            today: Day("2026-11-30")!)
        XCTAssertEqual(record.appeal?.waitingDays, 28)
        XCTAssertEqual(record.appeal?.overdue, true)
        XCTAssertTrue(
            RecordRenderer.markdown(record).contains(
                "Not answered yet, 28 days after it was opened, later than the policy allows."))
        let packet = try PacketBuilder.build(
            organisation: organisation, cycle: "c1", group: "g", diagnostics: [], source: source,
            today: Day("2026-11-05")!)
        let amy = try XCTUnwrap(packet.members.first { $0.id == "amy" })
        XCTAssertEqual(PacketRenderer.voice(amy), "appeal open")
    }

    func testThePacketShowsTheVoiceWithoutPrivateText() throws {
        let (organisation, source) = try load([
            "cycles/c1/amy/response.md": Self.response(), "cycles/c1/amy/appeal.md": Self.appeal(answer: Self.upheld),
        ])
        let diagnostics = RuleEngine().check(organisation, source: source)
        let packet = try PacketBuilder.build(
            organisation: organisation, cycle: "c1", group: "g", diagnostics: diagnostics, source: source)
        let amy = try XCTUnwrap(packet.members.first { $0.id == "amy" })
        XCTAssertEqual(PacketRenderer.voice(amy), "disagrees · appeal upheld")
        for text in [PacketRenderer.markdown(packet), PacketRenderer.html(packet)] {
            XCTAssertFalse(text.contains(Self.privateCanary), "private text leaked")
            XCTAssertTrue(text.contains("Response (disagrees): The record leaves out the migration (evidence: a1)."))
            XCTAssertTrue(
                text.contains("Appeal to skip-level, opened 2026-11-02: answered by Vp on 2026-11-09, upheld."))
        }
    }

    // MARK: participants and exclude

    func testPeopleNotUnderReviewAreShownApart() throws {
        let cycle = Fixture.cycle().replacingOccurrences(
            of: "calibration_groups:", with: "participants: { teams: [red] }\nexclude: [vp]\ncalibration_groups:")
        let (organisation, source) = try load(cycle: cycle)
        let packet = try PacketBuilder.build(
            organisation: organisation, cycle: "c1", group: "g", diagnostics: [], source: source)
        XCTAssertEqual(packet.members.map(\.id), ["boss", "amy", "ray"])
        XCTAssertEqual(
            packet.notUnderReview.map { "\($0.id): \($0.reason)" },
            [
                "vp: excluded in cycle.yaml", "hal: not among the cycle's participants",
            ])
        let markdown = PacketRenderer.markdown(packet)
        XCTAssertTrue(markdown.contains("### Not under review in this cycle"))
        XCTAssertTrue(markdown.contains("- Vp (`vp`), red: excluded in cycle.yaml"))
        XCTAssertFalse(markdown.contains("| Vp |"), "an excluded person is not a row of the people table")
        XCTAssertTrue(PacketRenderer.html(packet).contains("<ul class=\"apart\">"))
        // Vp's own record says so plainly, and is no draft waiting for a review.
        let record = try DecisionRecordBuilder.build(
            organisation: organisation, person: "vp", cycle: "c1", source: source, signoffs: .init(entries: []))
        XCTAssertFalse(record.isDraft)
        XCTAssertTrue(
            RecordRenderer.markdown(record).contains(
                "You are not reviewed in this cycle (excluded in cycle.yaml): there is no rating."))
        let rayRecord = try DecisionRecordBuilder.build(
            organisation: organisation, person: "ray", cycle: "c1", source: source, signoffs: .init(entries: []))
        XCTAssertEqual(
            rayRecord.draftReasons, ["no review has been written"], "a participant without a review is a draft")
        XCTAssertTrue(RecordRenderer.markdown(rayRecord).contains("No review has been written for this cycle yet."))
        // Without participants, everyone of the group's teams is reviewed.
        let everyone = try load()
        XCTAssertEqual(
            try PacketBuilder.build(organisation: everyone.0, cycle: "c1", group: "g", diagnostics: []).members.count, 5
        )
        // Unknown ids in participants and exclude are reported.
        let typo = Fixture.cycle().replacingOccurrences(
            of: "calibration_groups:",
            with: "participants: { teams: [rde], people: [amyy] }\nexclude: [vpp]\ncalibration_groups:")
        let unknown = findings(
            try load(
                ["teams/red.yaml": "id: red\nname: Red\n", "teams/blue.yaml": "id: blue\nname: Blue\n"], cycle: typo),
            "unknown-reference")
        XCTAssertEqual(unknown.count, 3, "\(unknown)")
    }

    /// Someone excluded owes nothing: deadline-missed does not name them even when their
    /// folder exists.
    func testPeopleNotUnderReviewOweNothing() throws {
        let calendar = "deadlines: { self: 2026-09-01, peer: 2026-09-15, review: 2026-10-01 }\n"
        func cycle(_ extra: String) -> String {
            Fixture.cycle().replacingOccurrences(
                of: "calibration_groups:", with: calendar + extra + "calibration_groups:")
        }
        let files = ["cycles/c1/ray/evidence.md": Fixture.evidence("ray", [.init(id: "r1")])]
        let owed = findings(try load(files, cycle: cycle("")), "deadline-missed", today: "2026-11-10")
        XCTAssertTrue(owed.contains { $0.contains("ray") }, "\(owed)")
        let excluded = findings(
            try load(files, cycle: cycle("exclude: [ray]\n")), "deadline-missed", today: "2026-11-10")
        XCTAssertFalse(excluded.contains { $0.contains("ray") }, "\(excluded)")
    }

    func testCalibratorConflicts() throws {
        func cycle(_ calibrators: String, _ extra: String = "") -> String {
            Fixture.cycle().replacingOccurrences(of: "calibrators: [boss]", with: "calibrators: [\(calibrators)]")
                .replacingOccurrences(of: "calibration_groups:", with: extra + "calibration_groups:")
        }
        XCTAssertEqual(
            findings(try load(cycle: cycle("hal, boss")), "calibrator-conflict"),
            [
                "cycles/c1/cycle.yaml:7:24 warning: calibrator 'boss' manages amy and ray, whom group 'g' calibrates: they would calibrate their own proposals"
            ])
        let vp = findings(try load(cycle: cycle("vp")), "calibrator-conflict")
        XCTAssertEqual(
            vp.sorted(),
            [
                "cycles/c1/cycle.yaml:7:19 warning: calibrator 'vp' is the skip-level of amy and ray, whom group 'g' calibrates: one person would fill two of the independent checks",
                "cycles/c1/cycle.yaml:7:19 warning: calibrator 'vp' manages boss and hal, whom group 'g' calibrates: they would calibrate their own proposals",
            ])
        XCTAssertEqual(findings(try load(cycle: cycle("hal")), "calibrator-conflict"), [])
        // Hal wrote Amy's review without managing her: his own proposal all the same.
        let byHal = try load(
            ["cycles/c1/amy/review.md": Fixture.review("amy", reviewer: "hal", rating: "meets")], cycle: cycle("hal"))
        XCTAssertEqual(
            findings(byHal, "calibrator-conflict"),
            [
                "cycles/c1/cycle.yaml:7:19 warning: calibrator 'hal' wrote the reviews of amy, whom group 'g' calibrates: they would calibrate their own proposals"
            ])
        // People the cycle does not review are no conflict.
        XCTAssertEqual(findings(try load(cycle: cycle("boss", "exclude: [amy, ray]\n")), "calibrator-conflict"), [])
        XCTAssertEqual(
            findings(try load(cycle: cycle("vp", "participants: { people: [amy] }\n")), "calibrator-conflict"),
            [
                "cycles/c1/cycle.yaml:8:19 warning: calibrator 'vp' is the skip-level of amy, whom group 'g' calibrates: one person would fill two of the independent checks"
            ])
    }
}
