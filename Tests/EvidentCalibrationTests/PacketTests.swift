import EvidentCore
import EvidentRules
import XCTest

@testable import EvidentCalibration

final class PacketTests: XCTestCase {
    func acmePacket() throws -> CalibrationPacket {
        let (organisation, source) = try loadAcme()
        let diagnostics = RuleEngine().check(organisation, source: source)
        return try PacketBuilder.build(
            organisation: organisation, cycle: "2026-h2", group: "eng", diagnostics: diagnostics)
    }

    func testAcmePacketListsEveryoneInTheGroupsTeams() throws {
        let packet = try acmePacket()
        // Vera heads engineering and is excluded from the cycle: listed apart, not a member.
        XCTAssertEqual(packet.members.count, 11)
        XCTAssertEqual(packet.notUnderReview.map { "\($0.id): \($0.reason)" }, ["vera: excluded in cycle.yaml"])
        XCTAssertEqual(packet.calibrators, ["Erin Park", "Frank Osei"])
        let ivan = try XCTUnwrap(packet.members.first { $0.id == "ivan" })
        XCTAssertEqual(ivan.level, "eng-3")
        XCTAssertEqual(ivan.proposed, "exceeds")
        XCTAssertEqual(ivan.calibrated, "meets")
        XCTAssertEqual(ivan.current, "meets")
        XCTAssertEqual(ivan.reviewerName, "Dana Okafor")
        XCTAssertEqual(ivan.promotionReadiness, "not-yet")
        XCTAssertEqual(ivan.promotionTarget, "eng-4")
        XCTAssertTrue(ivan.hasSelfReview)
        XCTAssertEqual(ivan.peerFeedbackCount, 2)
        XCTAssertEqual(ivan.what.map(\.id), ["delivery", "reliability"])
        XCTAssertEqual(ivan.how.map(\.id), ["technical-judgment", "collaboration", "mentoring"])
        XCTAssertEqual(ivan.what.first?.items.map(\.id), ["payout-scheduler", "recon-report"])
        XCTAssertEqual(ivan.what.first?.items.first?.link, "https://github.com/acme/payouts/pull/341")
        XCTAssertNotNil(ivan.calibrationRationale)
        XCTAssertNil(packet.members.first { $0.id == "vera" })
    }

    func testMarkdownSaysNoDistributionIsEnforcedAndSplitsWhatFromHow() throws {
        let markdown = PacketRenderer.markdown(try acmePacket())
        XCTAssertTrue(markdown.contains("No distribution is enforced"))
        XCTAssertTrue(markdown.contains("#### What (60% of the balance)"))
        XCTAssertTrue(markdown.contains("#### How (40% of the balance)"))
        XCTAssertTrue(markdown.contains("| Ivan Petrov | Payments | eng-3 | Dana Okafor | exceeds | meets |"))
        XCTAssertTrue(markdown.contains("| Meets expectations | 4 (36%) | 4 (36%) |"))
        // Omar's four people are shown only if Vera's two would stay hidden: they would not.
        XCTAssertTrue(markdown.contains("| Vera Lindqvist | _suppressed: fewer than 4 people_ |"))
        XCTAssertTrue(markdown.contains("| Omar Haddad | _suppressed: would reveal a group of fewer than 4 people_ |"))
        XCTAssertTrue(markdown.contains("| Dana Okafor | 5 |"))
    }

    func testAMetricIsShownWithItsIndicatorAndGamingRisksWhereItIsUsed() throws {
        let packet = try acmePacket()
        let alice = try XCTUnwrap(packet.members.first { $0.id == "alice" })
        let items = alice.what.flatMap(\.items) + alice.how.flatMap(\.items) + alice.untagged
        let latency = try XCTUnwrap(items.first { $0.id == "checkout-latency" })
        let metric = try XCTUnwrap(latency.metric, "checkout-latency measures checkout-p99 in the example")
        XCTAssertEqual(metric.id, "checkout-p99")
        XCTAssertFalse(metric.gamingRisks.isEmpty)
        for output in [PacketRenderer.markdown(packet), PacketRenderer.html(packet)] {
            XCTAssertTrue(output.contains("indicator; gaming risks: "), "the packet shows how the number can lie")
            XCTAssertTrue(output.contains(metric.gamingRisks[0]), metric.gamingRisks[0])
        }
        XCTAssertNil(items.first { $0.id == "latency-design" }?.metric, "a design document measures no metric")
    }

    func testHTMLIsSelfContained() throws {
        let html = PacketRenderer.html(try acmePacket())
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
        XCTAssertFalse(html.contains("<script"))
        XCTAssertFalse(html.contains("<link"))
        XCTAssertFalse(html.contains("src="))
        XCTAssertTrue(html.contains("<svg"))
        XCTAssertTrue(html.contains("default-src 'none'"))
        XCTAssertTrue(html.contains("No distribution is enforced"))
        XCTAssertTrue(html.contains("Team health"))
    }

    func testUnknownCycleAndGroupAreErrors() throws {
        let (organisation, _) = try loadAcme()
        XCTAssertThrowsError(
            try PacketBuilder.build(organisation: organisation, cycle: "2026-h2", group: "sales", diagnostics: [])
        ) {
            XCTAssertTrue(String(describing: $0).contains("known groups: eng"))
        }
        XCTAssertThrowsError(
            try PacketBuilder.build(organisation: organisation, cycle: "1999", group: "eng", diagnostics: []))
    }

    func testFindingsAreListedAndPrivateOnesAreNotQuoted() throws {
        let review = Fixture.review(
            "amy", reviewer: "boss", rating: "meets",
            body: """
                ## Delivery

                Shipped [@a1].

                ## Collaboration

                Fine [@a1].

                ## Private

                She is a rockstar and a secret-phrase-xyz.

                """)
        let (organisation, source) = try Fixture.load([
            "people.yaml": Fixture.people([
                .init(id: "boss", team: "red"), .init(id: "amy", team: "red", manager: "boss"),
            ]),
            "cycles/c1/amy/evidence.md": Fixture.evidence("amy", [.init(id: "a1")]),
            "cycles/c1/amy/review.md": review,
        ])
        let diagnostics = RuleEngine().check(organisation, source: source)
        let privateLine = 18
        let synthetic = Diagnostic(
            ruleID: "vague-language", severity: .warning, message: "'secret-phrase-xyz' is vague",
            location: SourceLocation(file: "cycles/c1/amy/review.md", line: privateLine, column: 1))
        let packet = try PacketBuilder.build(
            organisation: organisation, cycle: "c1", group: "g", diagnostics: diagnostics + [synthetic])
        let amy = try XCTUnwrap(packet.members.first { $0.id == "amy" })
        XCTAssertTrue(amy.findings.contains { $0.ruleID == "peer-feedback-missing" })
        let hidden = try XCTUnwrap(amy.findings.first { $0.line == privateLine && $0.ruleID == "vague-language" })
        XCTAssertEqual(hidden.message, PacketBuilder.privateFindingMessage)
        for output in [PacketRenderer.markdown(packet), PacketRenderer.html(packet)] {
            XCTAssertFalse(output.contains("secret-phrase-xyz"))
            XCTAssertFalse(output.contains("rockstar"))
        }
    }

    /// The people table's problems (no self review, too little peer feedback, a rating
    /// off the scale) come from one view model and show in both formats.
    func testPeopleTableShowsTheSameProblemsInMarkdownAndHTML() throws {
        let review = Fixture.review("amy", reviewer: "boss", rating: "stellar", body: "## Delivery\n\nShipped [@a1].\n")
        let (organisation, source) = try Fixture.load([
            "people.yaml": Fixture.people([
                .init(id: "boss", team: "red"), .init(id: "amy", team: "red", manager: "boss"),
            ]),
            "cycles/c1/amy/evidence.md": Fixture.evidence("amy", [.init(id: "a1")]),
            "cycles/c1/amy/review.md": review,
        ])
        let packet = try PacketBuilder.build(
            organisation: organisation, cycle: "c1", group: "g",
            diagnostics: RuleEngine().check(organisation, source: source))
        let peers = "0 of \(packet.minPeerFeedback)"
        XCTAssertGreaterThan(packet.minPeerFeedback, 0)
        let markdown = PacketRenderer.markdown(packet)
        XCTAssertTrue(markdown.contains("| stellar (not on the scale) |"), markdown)
        XCTAssertTrue(markdown.contains("| **missing** | **\(peers)** |"), markdown)
        let html = PacketRenderer.html(packet)
        XCTAssertTrue(
            html.contains("<td class=\"rating\">stellar <span class=\"error\">(not on the scale)</span></td>"), html)
        XCTAssertTrue(html.contains("<td class=\"missing\">missing</td><td class=\"missing\">\(peers)</td>"), html)
    }

    /// Ten people in two teams of five: the group is shown, each team is shown, and a
    /// reviewer with three people is hidden along with the next smallest reviewer.
    func testSuppressionUnderMinGroupSize() throws {
        var members: [Fixture.Member] = [
            .init(id: "boss", team: "exec"), .init(id: "m1", team: "exec", manager: "boss"),
            .init(id: "m2", team: "exec", manager: "boss"), .init(id: "m3", team: "exec", manager: "boss"),
        ]
        var files: [String: String] = [:]
        let reviewers = ["m1", "m1", "m1", "m1", "m2", "m2", "m2", "m2", "m3", "m3"]
        let ratings = ["meets", "meets", "exceeds", "below", "meets", "exceeds", "exceeds", "meets", "meets", "below"]
        for index in 0..<10 {
            let id = "p\(index)"
            members.append(.init(id: id, team: index < 5 ? "red" : "blue", manager: reviewers[index]))
            files["cycles/c1/\(id)/evidence.md"] = Fixture.evidence(id, [.init(id: "a1")])
            files["cycles/c1/\(id)/review.md"] = Fixture.review(id, reviewer: reviewers[index], rating: ratings[index])
        }
        files["people.yaml"] = Fixture.people(members)
        let (organisation, _) = try Fixture.load(files)
        let packet = try PacketBuilder.build(organisation: organisation, cycle: "c1", group: "g", diagnostics: [])
        XCTAssertEqual(packet.members.count, 10)
        XCTAssertNil(packet.byReviewer.groupSuppression)
        XCTAssertEqual(packet.byReviewer.group.total, 10)
        let rows = Dictionary(uniqueKeysWithValues: packet.byReviewer.rows.map { ($0.key, $0) })
        XCTAssertEqual(rows["m3"]?.suppression, .fewerThan(4))
        XCTAssertNil(rows["m3"]?.distribution)
        // m3's two people could be found by subtracting m1 and m2 from the group, so one of them hides too.
        XCTAssertEqual(rows["m1"]?.suppression, .complementary(4))
        XCTAssertNil(rows["m2"]?.suppression)
        XCTAssertEqual(rows["m2"]?.distribution?.count("exceeds"), 2)
        XCTAssertEqual(rows["m2"]?.differences?["exceeds"] ?? 0, 50 - 100.0 / 6, accuracy: 0.01)
        XCTAssertEqual(packet.byTeam.rows.map(\.suppression), [nil, nil])

        let markdown = PacketRenderer.markdown(packet)
        XCTAssertTrue(markdown.contains("suppressed: fewer than 4 people"))
        let html = PacketRenderer.html(packet)
        XCTAssertTrue(html.contains("suppressed: fewer than 4 people"))
    }

    func testWholeGroupBelowMinimumIsSuppressed() throws {
        let (organisation, _) = try Fixture.load([
            "people.yaml": Fixture.people([
                .init(id: "boss", team: "red"), .init(id: "amy", team: "red", manager: "boss"),
            ]),
            "cycles/c1/amy/evidence.md": Fixture.evidence("amy", [.init(id: "a1")]),
            "cycles/c1/amy/review.md": Fixture.review("amy", reviewer: "boss", rating: "meets"),
        ])
        let packet = try PacketBuilder.build(organisation: organisation, cycle: "c1", group: "g", diagnostics: [])
        XCTAssertEqual(packet.byReviewer.groupSuppression, .fewerThan(4))
        XCTAssertEqual(packet.byTeam.rows.first?.suppression, .fewerThan(4))
        let markdown = PacketRenderer.markdown(packet)
        XCTAssertTrue(markdown.contains("### Whole group\n\n_suppressed: fewer than 4 people_"))
        XCTAssertFalse(markdown.contains("| Meets | 1"))
        XCTAssertTrue(
            PacketRenderer.html(packet).contains("<p class=\"suppressed\">suppressed: fewer than 4 people</p>"))
    }
}

final class DistributionTests: XCTestCase {
    func testRowsAreShownOnlyWhenThemselvesAndTheRestAreLargeEnough() {
        XCTAssertEqual(DistributionTable.suppressions(counts: [10], total: 10, minimum: 4), [nil])
        XCTAssertEqual(DistributionTable.suppressions(counts: [3], total: 3, minimum: 4), [.fewerThan(4)])
        XCTAssertEqual(
            DistributionTable.suppressions(counts: [8, 2], total: 10, minimum: 4), [.restFewerThan(4), .fewerThan(4)])
        XCTAssertEqual(
            DistributionTable.suppressions(counts: [5, 4, 2], total: 11, minimum: 4),
            [nil, .complementary(4), .fewerThan(4)])
        XCTAssertEqual(
            DistributionTable.suppressions(counts: [5, 5, 2, 2], total: 14, minimum: 4),
            [nil, nil, .fewerThan(4), .fewerThan(4)])
        XCTAssertEqual(DistributionTable.suppressions(counts: [4, 4, 4], total: 12, minimum: 4), [nil, nil, nil])
    }

    func testMeanShiftAndDifferences() {
        let scale = RatingScale(policy: try? Fixture.load([:]).0.policy)
        let table = DistributionTable.build(
            basis: "proposed",
            rows: [
                ("a", "A", ["exceeds", "exceeds", "exceeds", "exceeds"]),
                ("b", "B", ["meets", "meets", "meets", "meets"]),
            ],
            scale: scale, minimum: 4)
        XCTAssertEqual(table.rows[0].meanShift, 1)
        XCTAssertEqual(table.rows[1].meanShift, -1)
        XCTAssertEqual(table.rows[0].differences?["exceeds"], 100)
        XCTAssertEqual(table.rows[0].differences?["below"], 0)
    }
}
