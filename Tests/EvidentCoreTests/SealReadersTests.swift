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

    /// Tables of readers keep one slot per kind at the kind's `position`.
    func testEachKindsPositionIsItsPlaceInAllCases() {
        for (index, kind) in SealingPolicy.FileKind.allCases.enumerated() {
            XCTAssertEqual(kind.position, index, kind.rawValue)
        }
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

    /// The shared table (`SealReaderSets`, what `seal-readers`, `seal-no-key`, the filter
    /// and `reseal` ask) against the readers worked out term by term, on every kind of path
    /// of every folder, under policies using every term, asked from several threads at once.
    /// What `seal-readers` remembers a clean folder under: the bytes of everything readers
    /// and their keys come from. Each change that can change a folder's readers or their
    /// keys changes them; a change readers do not depend on (a name, an email) does not.
    func testReaderInputsChangeWithEverythingReadersComeFrom() throws {
        let cycle = """
            id: c
            period: { start: 2026-01-01, end: 2026-06-30 }
            phase: calibration
            calibration_groups:
              - { id: eng, calibrators: [cal], teams: [pay] }

            """
        let policy = "sealing: { enabled: true }\n"
        func inputs(people: String = Self.people, sealing: String = policy, cycle: String = cycle) throws -> [UInt8] {
            let organisation = try RepositoryLoader.load(
                from: MemorySource(
                    root: "/t",
                    texts: [
                        "evident.yaml": "evident: 1\norganization: T\nratings: [{ id: meets, label: Meets }]\n"
                            + sealing,
                        "people.yaml": people, "cycles/c/cycle.yaml": cycle,
                    ]))
            return organisation.sealReaderSets.inputs(in: organisation)
        }
        let base = try inputs()
        XCTAssertEqual(try inputs(), base, "the same organisation, the same bytes")
        let alice = "  - { id: alice, name: A, email: a@x, level: l, team: pay, manager: mgr }"
        XCTAssertTrue(Self.people.contains(alice))
        let peopleChanges = [
            ("a new manager", alice.replacingOccurrences(of: "manager: mgr", with: "manager: vp")),
            ("no manager", alice.replacingOccurrences(of: ", manager: mgr", with: "")),
            ("another team", alice.replacingOccurrences(of: "team: pay", with: "team: other")),
            ("a role", alice.replacingOccurrences(of: "manager: mgr", with: "manager: mgr, roles: [hr]")),
            (
                "a key",
                alice.replacingOccurrences(of: "manager: mgr", with: "manager: mgr, signing_key: \"ssh-ed25519 AAAA\"")
            ),
            ("a new person", alice + "\n  - { id: zed, name: Z, email: z@x, level: l, team: pay, manager: mgr }"),
            ("a duplicate id first", "  - { id: alice, name: A, email: a@x, level: l, team: top }\n" + alice),
        ]
        for (name, replacement) in peopleChanges {
            XCTAssertNotEqual(
                try inputs(people: Self.people.replacingOccurrences(of: alice, with: replacement)), base, name)
        }
        let cycleChanges = [
            ("closed", cycle.replacingOccurrences(of: "phase: calibration", with: "phase: closed")),
            ("another calibrator", cycle.replacingOccurrences(of: "calibrators: [cal]", with: "calibrators: [lead]")),
            ("another team calibrated", cycle.replacingOccurrences(of: "teams: [pay]", with: "teams: [pay, top]")),
            ("another id", cycle.replacingOccurrences(of: "id: c\n", with: "id: c2\n")),
        ]
        for (name, changed) in cycleChanges {
            XCTAssertNotEqual(try inputs(cycle: changed), base, name)
        }
        let policies = [
            "sealing: { enabled: true, readers: { review: [manager-chain] } }\n",
            "sealing: { enabled: true, readers: { peer: [author, manager] } }\n",
            "sealing: { enabled: true, readers: { private: [manager-chain, hrp] } }\n",
        ]
        for changed in policies {
            XCTAssertNotEqual(try inputs(sealing: changed), base, changed)
        }
        XCTAssertEqual(
            try inputs(
                people: Self.people.replacingOccurrences(of: "name: A, email: a@x", with: "name: Al, email: al@x")),
            base, "a name and an email choose no reader")
    }

    func testSharedReaderSetsAgreeWithTheDefinition() throws {
        let policies = [
            "sealing: { enabled: true }\n",
            """
            sealing:
              enabled: true
              readers:
                evidence: [person, skip-level, author]
                self: [manager, calibrators, staff-lead]
                peer: [author, manager-chain, bob]
                review: [manager, calibrators, nobody]
                private: [author, calibrators, hr]

            """,
        ]
        let people = ["ceo", "vp", "mgr", "alice", "bob", "cal", "hrp", "bot", "lead", "ghost"]
        let names =
            ["evidence.md", "self.md", "review.md", "response.md", "appeal.md", "notes.txt"]
            + ["peer-bob.md", "peer-alice.md", "peer-mgr.md", "peer-stranger.md", "peer-.md"]
        var listed = ["evident.yaml", "people.yaml", "cycles/c/cycle.yaml", "cycles/x/alice/review.md"]
        for cycle in ["c", "d"] {
            for person in people { listed += names.map { "cycles/\(cycle)/\(person)/\($0)" } }
        }
        let paths = listed
        for policy in policies {
            let org = try organisation(sealing: policy)
            let expected = paths.flatMap { path in
                [false, true].map { SealReaders.uncachedReaders(of: path, in: org, privateSection: $0) }
            }
            // Twice (the second from the filled table), in a shuffled order, from every core.
            for _ in 0..<2 {
                let order = Array(0..<expected.count).shuffled()
                let found = parallelMap(order) { index in
                    SealReaders.readers(of: paths[index / 2], in: org, privateSection: index % 2 == 1)
                }
                for (slot, index) in order.enumerated() {
                    XCTAssertEqual(
                        found[slot], expected[index], "\(paths[index / 2]) \(index % 2 == 1 ? "(private)" : "")")
                }
                // Both of a file's reader sets at once, as seal-readers asks for them.
                let pairs = parallelMap(Array(paths.indices).shuffled()) { index in
                    (index, SealReaders.readerPair(of: paths[index], in: org))
                }
                var bySets: [String: (readers: [String], privateReaders: [String])] = [:]
                for (index, pair) in pairs {
                    XCTAssertEqual(pair?.readers, expected[2 * index], paths[index])
                    XCTAssertEqual(pair?.privateReaders, expected[2 * index + 1], "\(paths[index]) (private)")
                    // What callers may work out once per `sets` and author holds for every such file.
                    guard let pair else { continue }
                    let key = "\(pair.sets) \(pair.author ?? "-")"
                    let first = bySets[key] ?? (pair.readers, pair.privateReaders)
                    bySets[key] = first
                    XCTAssertEqual(first.readers, pair.readers, paths[index])
                    XCTAssertEqual(first.privateReaders, pair.privateReaders, paths[index])
                }
                XCTAssertLessThan(bySets.count, pairs.count, "files share their reader sets")
            }
        }
        // The author term does add the author, and only to peer files: the table is not vacuous.
        let org = try organisation(sealing: policies[1])
        XCTAssertEqual(SealReaders.readers(of: "cycles/c/alice/peer-lead.md", in: org)?.contains("lead"), true)
        XCTAssertEqual(SealReaders.readers(of: "cycles/c/alice/evidence.md", in: org)?.contains("lead"), false)
    }

    /// `seal-no-key`'s readers: everyone who reads a file of the organisation or one of its
    /// private sections, by the definition.
    func testEveryReaderIsTheUnionOfEachFilesReaders() throws {
        let policies = [
            "sealing: { enabled: true }\n", "sealing: { enabled: true, readers: { peer: [author] } }\n",
            "sealing: { enabled: true, readers: { peer: [manager], private: [author, person] } }\n",
        ]
        for policy in policies {
            var texts = [
                "evident.yaml": "evident: 1\norganization: T\nratings: [{ id: meets, label: Meets }]\n" + policy,
                "people.yaml": Self.people,
                "cycles/c/cycle.yaml": """
                id: c
                period: { start: 2026-01-01, end: 2026-06-30 }
                phase: calibration
                calibration_groups:
                  - { id: eng, calibrators: [cal], teams: [pay] }

                """,
            ]
            for name in ["evidence.md", "self.md", "peer-lead.md", "peer-bob.md"] {
                texts["cycles/c/alice/\(name)"] = "Text.\n"
            }
            texts["cycles/c/bob/review.md"] = "Text.\n"
            // A folder's files apart from each other in the loader's order, and an author
            // who reads nothing else.
            texts["cycles/c/bob/peer-ghost.md"] = "Text.\n"
            texts["cycles/c/cal/self.md"] = "Text.\n"
            let org = try RepositoryLoader.load(from: MemorySource(root: "/t", texts: texts))
            var expected = Set<String>()
            for file in org.files {
                for isPrivate in [false, true] {
                    expected.formUnion(
                        SealReaders.uncachedReaders(of: file.path, in: org, privateSection: isPrivate) ?? [])
                }
            }
            XCTAssertEqual(SealReaders.everyReader(in: org), expected, policy)
            XCTAssertTrue(expected.contains("lead"), "the author of peer-lead.md reads it")
        }
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
