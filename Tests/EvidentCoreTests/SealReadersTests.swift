import XCTest

@testable import EvidentCore

/// The reader set of every kind of sealed file, over an organisation with every role.
final class SealReadersTests: XCTestCase {
    private static let people = """
        people:
          - { id: ceo, name: C, email: c@x, level: l, team: top }
          - { id: vp, name: V, email: v@x, level: l, team: top, manager: ceo }
          - { id: mgr, name: M, email: m@x, level: l, team: pay, manager: vp }
          - { id: alice, name: A, email: a@x, level: l, team: pay, manager: mgr }
          - { id: bob, name: B, email: b@x, level: l, team: pay, manager: mgr }
          - { id: cal, name: K, email: k@x, level: l, team: other, manager: vp }
          - { id: hrp, name: H, email: h@x, level: l, team: top, manager: ceo, roles: [hr] }
          - { id: bot, name: CI, email: ci@x, level: l, team: top, roles: [ci] }
          - { id: lead, name: L, email: l@x, level: l, team: other, manager: vp, roles: [staff-lead] }

        """

    private func organisation(sealing: String) throws -> Organisation {
        try RepositoryLoader.load(
            from: MemorySource(
                root: "/t",
                texts: [
                    "evident.yaml": "evident: 1\norganization: T\nratings: [{ id: meets, label: Meets }]\n" + sealing,
                    "people.yaml": Self.people,
                    "cycles/c/cycle.yaml": """
                    id: c
                    period: { start: 2026-01-01, end: 2026-06-30 }
                    phase: calibration
                    calibration_groups:
                      - { id: eng, calibrators: [cal], teams: [pay] }

                    """,
                    "cycles/d/cycle.yaml": """
                    id: d
                    period: { start: 2025-07-01, end: 2025-12-31 }
                    phase: closed
                    calibration_groups:
                      - { id: eng, calibrators: [cal], teams: [pay] }

                    """,
                ]))
    }

    func testDefaultReadersPerKind() throws {
        let org = try organisation(sealing: "sealing: { enabled: true }\n")
        XCTAssertTrue(org.policy?.sealing.enabled ?? false)
        let all = ["bot", "hrp"]
        let table: [(String, Bool, [String]?)] = [
            ("cycles/c/alice/evidence.md", false, ["alice", "mgr", "vp", "ceo", "cal"] + all),
            ("cycles/c/alice/self.md", false, ["alice", "mgr", "vp", "ceo", "cal"] + all),
            ("cycles/c/alice/peer-bob.md", false, ["bob", "mgr", "vp", "ceo"] + all),
            ("cycles/c/alice/review.md", false, ["mgr", "vp", "ceo", "cal"] + all),
            ("cycles/d/alice/review.md", false, ["alice", "mgr", "vp", "ceo", "cal"] + all),
            ("cycles/c/alice/review.md", true, ["mgr", "vp", "ceo"] + all),
            ("cycles/d/alice/review.md", true, ["mgr", "vp", "ceo"] + all),
            // The top of the chain has no managers; a person outside people.yaml has none either.
            ("cycles/c/ceo/review.md", false, [] + all),
            ("cycles/c/ghost/evidence.md", false, ["ghost"] + all),
            ("cycles/c/cycle.yaml", false, nil),
            ("evident.yaml", false, nil),
            ("people.yaml", false, nil),
            ("levels/l.md", false, nil),
            ("cycles/c/alice/notes.txt", false, nil),
        ]
        for (path, isPrivate, expected) in table {
            XCTAssertEqual(
                SealReaders.readers(of: path, in: org, privateSection: isPrivate), expected?.sorted(),
                "\(path)\(isPrivate ? " (private)" : "")")
        }
    }

    func testConfiguredTerms() throws {
        let org = try organisation(
            sealing: """
                sealing:
                  enabled: true
                  readers:
                    evidence: [person]
                    self: [manager]
                    peer: [author, skip-level]
                    review: [manager, skip-level, staff-lead, bob]
                    private: [calibrators]

                """)
        let all = ["bot", "hrp"]
        let table: [(String, Bool, [String])] = [
            ("cycles/c/alice/evidence.md", false, ["alice"] + all),
            ("cycles/c/alice/self.md", false, ["mgr"] + all),
            ("cycles/c/alice/peer-bob.md", false, ["bob", "vp"] + all),
            ("cycles/c/alice/review.md", false, ["mgr", "vp", "lead", "bob"] + all),
            ("cycles/c/alice/review.md", true, ["cal"] + all),
        ]
        for (path, isPrivate, expected) in table {
            XCTAssertEqual(SealReaders.readers(of: path, in: org, privateSection: isPrivate), expected.sorted(), path)
        }
        XCTAssertTrue(SealReaders.namesAnyone("staff-lead", in: org))
        XCTAssertTrue(SealReaders.namesAnyone("bob", in: org))
        XCTAssertFalse(SealReaders.namesAnyone("calibrator", in: org))
    }

    func testSealingOffByDefaultAndSchemaProblems() throws {
        XCTAssertFalse(try organisation(sealing: "").policy?.sealing.enabled ?? true)
        let org = try organisation(
            sealing: """
                sealing:
                  enabled: yes please
                  colour: red
                  readers:
                    review: [Manager]
                    drafts: [person]

                """)
        let problems = (org.file("evident.yaml")?.problems ?? []).map(\.message)
        XCTAssertTrue(problems.contains { $0.contains("unknown field 'colour' in the sealing policy") }, "\(problems)")
        XCTAssertTrue(problems.contains { $0.contains("unknown field 'drafts'") }, "\(problems)")
        XCTAssertTrue(
            problems.contains { $0.contains("'review' must be an id") && $0.contains("Manager") }, "\(problems)")
        XCTAssertTrue(problems.contains { $0.contains("'enabled'") }, "\(problems)")
    }
}
