import EvidentCore
import EvidentRules
import XCTest

@testable import EvidentCalibration

/// A 1,000-person group built in memory, without a generator: the packet must list
/// every person once. Not timed here; timing belongs to the benchmarks.
final class ScaleTests: XCTestCase {
    func testPacketOfAThousandPeople() throws {
        var members: [Fixture.Member] = [.init(id: "director", team: "red")]
        for manager in 0..<100 {
            members.append(.init(id: "m\(manager)", team: manager % 2 == 0 ? "red" : "blue", manager: "director"))
        }
        var files: [String: String] = [:]
        let ratings = ["below", "meets", "meets", "exceeds"]
        for index in 0..<899 {
            let id = "p\(index)"
            let manager = "m\(index % 100)"
            members.append(.init(id: id, team: index % 2 == 0 ? "red" : "blue", manager: manager))
            files["cycles/c1/\(id)/evidence.md"] = Fixture.evidence(
                id, [.init(id: "a1"), .init(id: "a2", type: "incident", dimensions: ["delivery"])])
            files["cycles/c1/\(id)/review.md"] = Fixture.review(id, reviewer: manager, rating: ratings[index % 4])
        }
        files["people.yaml"] = Fixture.people(members)
        XCTAssertEqual(members.count, 1000)
        let (organisation, source) = try Fixture.load(files)
        let diagnostics = RuleEngine().check(organisation, source: source)
        let packet = try PacketBuilder.build(
            organisation: organisation, cycle: "c1", group: "g", diagnostics: diagnostics)
        XCTAssertEqual(packet.members.count, 1000)
        XCTAssertEqual(Set(packet.members.map(\.id)).count, 1000)
        XCTAssertEqual(packet.byReviewer.group.total, 899)

        let markdown = PacketRenderer.markdown(packet)
        let peopleTable =
            markdown.components(separatedBy: "## People\n\n").last?.components(separatedBy: "\n## ").first ?? ""
        let rows = peopleTable.split(separator: "\n").filter { $0.hasPrefix("| ") && !$0.hasPrefix("| Person ") }
        XCTAssertEqual(rows.count, 1000)
        let html = PacketRenderer.html(packet)
        XCTAssertEqual(html.components(separatedBy: "<article class=\"card\"").count - 1, 1000)
    }
}
