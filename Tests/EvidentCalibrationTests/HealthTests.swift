import EvidentCore
import XCTest

@testable import EvidentCalibration

final class HealthTests: XCTestCase {
    func testAcmeHealth() throws {
        let (organisation, _) = try loadAcme()
        let cycle = try XCTUnwrap(organisation.cycle("2026-h2"))
        let report = TeamHealth.build(organisation: organisation, cycle: cycle)
        XCTAssertEqual(report.spans.first?.manager, "dana")
        XCTAssertEqual(report.spans.first?.directReports, 5)
        XCTAssertFalse(report.spans.contains(where: \.overLimit))
        let dana = try XCTUnwrap(report.reviewLoad.first { $0.person == "dana" })
        XCTAssertEqual(dana.reviews, 5)
        XCTAssertEqual(dana.peerFeedback, 2)
        let payments = try XCTUnwrap(report.incidents.first { $0.team == "payments" })
        XCTAssertEqual(payments.incidents, 6)
        XCTAssertEqual(payments.byPerson.first?.person, "hana")
        let signals = try XCTUnwrap(report.teams.first { $0.team == "payments" })
        XCTAssertEqual(signals.attritionRisk, "medium")
        XCTAssertEqual(signals.engagementChange, -7)
        XCTAssertEqual(report.warnings.map(\.kind), ["engagement-decline"])

        let text = TeamHealthRenderer.text(report)
        XCTAssertTrue(text.contains("Payments engagement fell from 74 to 67"))
        XCTAssertTrue(text.contains("Dana Okafor     5 direct reports"))
        let json = try XCTUnwrap(
            JSONSerialization.jsonObject(with: Data(TeamHealthRenderer.json(report).utf8)) as? [String: Any])
        XCTAssertEqual((json["warnings"] as? [Any])?.count, 1)
        XCTAssertEqual(json["maxSpan"] as? Int, 8)
    }

    func testThresholdsProduceWarnings() throws {
        var members: [Fixture.Member] = [.init(id: "boss", team: "red")]
        var files: [String: String] = [:]
        for index in 0..<4 {
            members.append(.init(id: "p\(index)", team: "red", manager: "boss"))
            files["cycles/c1/p\(index)/evidence.md"] = Fixture.evidence(
                "p\(index)",
                [.init(id: "i1", type: "incident"), .init(id: "i2", type: index == 0 ? "incident" : "other")]
                    + (index == 0 ? [.init(id: "i3", type: "incident"), .init(id: "i4", type: "incident")] : []))
            files["cycles/c1/p\(index)/review.md"] = Fixture.review("p\(index)", reviewer: "boss", rating: "meets")
        }
        members.append(.init(id: "solo", team: "blue"))
        files["people.yaml"] = Fixture.people(members)
        files["teams/red.yaml"] = """
            id: red
            name: Red
            attrition_risk: high
            engagement:
              - { date: 2026-06-30, score: 80 }
              - { date: 2026-09-30, score: 70 }

            """
        files["teams/blue.yaml"] = """
            id: blue
            name: Blue
            attrition_risk: high
            engagement:
              - { date: 2026-06-30, score: 80 }
              - { date: 2026-09-30, score: 40 }

            """
        let (organisation, _) = try Fixture.load(files)
        let cycle = try XCTUnwrap(organisation.cycle("c1"))
        let report = TeamHealth.build(organisation: organisation, cycle: cycle)
        let kinds = report.warnings.map { "\($0.kind):\($0.subject)" }
        XCTAssertTrue(kinds.contains("span-of-control:boss"), "\(kinds)")
        XCTAssertTrue(kinds.contains("review-load:boss"), "\(kinds)")
        XCTAssertTrue(kinds.contains("attrition-risk:red"), "\(kinds)")
        XCTAssertTrue(kinds.contains("engagement-decline:red"), "\(kinds)")
        // p0 handled 4 of red's 7 incidents.
        XCTAssertTrue(kinds.contains("incident-concentration:red"), "\(kinds)")
        // Blue has one person: its survey signals are an aggregate over fewer than 4 and stay hidden.
        XCTAssertFalse(kinds.contains { $0.hasSuffix(":blue") }, "\(kinds)")
        let blue = try XCTUnwrap(report.teams.first { $0.team == "blue" })
        XCTAssertEqual(blue.suppressed, "suppressed: fewer than 4 people")
        XCTAssertNil(blue.attritionRisk)
        XCTAssertTrue(blue.engagement.isEmpty)
        XCTAssertTrue(TeamHealthRenderer.text(report).contains("Blue: suppressed: fewer than 4 people"))
        XCTAssertEqual(report.incidents.first { $0.team == "red" }?.incidents, 7)
    }

    func testPacketCarriesAHealthSectionForItsTeams() throws {
        let (organisation, _) = try loadAcme()
        let packet = try PacketBuilder.build(
            organisation: organisation, cycle: "2026-h2", group: "eng", diagnostics: [])
        XCTAssertEqual(packet.health.teams.map(\.team), ["payments", "platform"])
        let html = PacketRenderer.html(packet)
        XCTAssertTrue(html.contains("<h2>Team health</h2>"))
        XCTAssertTrue(html.contains("Span of control"))
    }
}
