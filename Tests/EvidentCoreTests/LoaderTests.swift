import XCTest

@testable import EvidentCore

final class LoaderTests: XCTestCase {
    private let policy = """
        evident: 1
        organization: T
        ratings: [{ id: meets, label: Meets }]

        """

    private func load(_ files: [String: String]) throws -> Organisation {
        try RepositoryLoader.load(from: MemorySource(root: "/t", texts: files))
    }

    private func problems(_ organisation: Organisation, _ path: String) -> [String] {
        (organisation.file(path)?.problems ?? []).map {
            "\($0.kind.rawValue) \($0.location.line):\($0.location.column) \($0.message)"
        }
    }

    func testClassifiesPaths() {
        XCTAssertEqual(DocumentKind.classify("evident.yaml"), .policy)
        XCTAssertEqual(DocumentKind.classify("levels/eng-3.md"), .level)
        XCTAssertEqual(DocumentKind.classify("cycles/c/cycle.yaml"), .cycle)
        XCTAssertEqual(DocumentKind.classify("cycles/c/alice/peer-bob.md"), .peerFeedback)
        XCTAssertNil(DocumentKind.classify("cycles/c/alice/peer-.md"))
        XCTAssertNil(DocumentKind.classify("README.md"))
    }

    func testSchemaProblemsPointAtKeysAndValues() throws {
        let organisation = try load([
            "evident.yaml": policy,
            "people.yaml":
                "people:\n  - { id: alice, name: A, email: a@x, level: eng, team: t, colour: red }\n  - { id: Bob, name: B, email: b@x, level: eng, team: t }\n",
        ])
        XCTAssertEqual(
            problems(organisation, "people.yaml"),
            [
                "schema 2:60 unknown field 'colour' in a person; expected one of: id, name, email, level, team, manager, roles, signing_key, specialism",
                "schema 3:11 'id' must be an id of lowercase letters, digits and hyphens, found 'Bob'",
            ])
    }

    func testMissingFieldAndWrongKind() throws {
        let organisation = try load([
            "evident.yaml": policy,
            "cycles/c/alice/review.md": "---\nkind: self-review\nperson: alice\ncycle: c\n---\n",
        ])
        let found = problems(organisation, "cycles/c/alice/review.md")
        XCTAssertTrue(found.contains("schema 2:1 missing required field 'reviewer' in a review"), "\(found)")
        XCTAssertTrue(
            found.contains(
                "schema 2:7 this file's place in the repository makes it 'review', but it declares kind 'self-review'"),
            "\(found)")
    }

    func testBrokenFilesDoNotStopTheRest() throws {
        let organisation = try load([
            "evident.yaml": policy,
            "values.md": "no front matter\n",
            "metrics.yaml": "metrics: [\n",
            "levels/eng.md": "---\nkind: level\n",
            "people.yaml": "people:\n  - { id: alice, name: A, email: a@x, level: eng, team: t }\n",
        ])
        XCTAssertEqual(problems(organisation, "values.md").first?.hasPrefix("syntax 1:1 missing front matter"), true)
        XCTAssertEqual(problems(organisation, "metrics.yaml").first?.hasPrefix("syntax 2:1 yaml does not parse"), true)
        XCTAssertEqual(
            problems(organisation, "levels/eng.md").first?.hasPrefix("syntax 1:1 front matter is not closed"), true)
        XCTAssertEqual(organisation.people.map(\.id.value), ["alice"])
    }

    func testBinaryAndInvalidFilesAreReported() throws {
        let source = MemorySource(
            root: "/t",
            files: [
                "evident.yaml": Array(policy.utf8),
                "people.yaml": [0x70, 0x00, 0x01],
                "values.md": [0x2D, 0x2D, 0x2D, 0x0A, 0xFF, 0x0A],
            ])
        let organisation = try RepositoryLoader.load(from: source)
        XCTAssertEqual(problems(organisation, "people.yaml").first?.contains("NUL byte"), true)
        XCTAssertEqual(problems(organisation, "values.md").first?.contains("not valid UTF-8"), true)
    }

    func testCRLFKeepsPositions() throws {
        let organisation = try load([
            "evident.yaml": policy,
            "people.yaml": "people:\r\n  - { id: alice, name: A, email: a@x, level: eng, team: t, oops: 1 }\r\n",
        ])
        XCTAssertEqual(problems(organisation, "people.yaml").first?.hasPrefix("schema 2:60 unknown field 'oops'"), true)
    }

    func testUnexpectedFileInPersonFolderIsReported() throws {
        let organisation = try load(["evident.yaml": policy, "cycles/c/alice/reveiw.md": "x"])
        XCTAssertEqual(
            problems(organisation, "cycles/c/alice/reveiw.md").first?.contains("'reveiw.md' is not a file"), true)
    }

    func testSelectionLoadsOnlyNamedPersonFolders() throws {
        let source = MemorySource(
            root: "/t",
            texts: [
                "evident.yaml": policy,
                "cycles/c/alice/self.md": "---\nkind: self-review\nperson: alice\ncycle: c\n---\n",
                "cycles/c/bob/self.md": "---\nkind: self-review\nperson: bob\ncycle: c\n---\n",
            ])
        let organisation = try RepositoryLoader.load(
            from: source, selecting: .organisationAnd(personFolders: ["cycles/c/alice"]))
        XCTAssertEqual(organisation.personCycles.map(\.personFolder), ["alice"])
        XCTAssertNotNil(organisation.policy)
    }

    /// `Organisation.adding` gives the organisation assembling the whole list gives, and
    /// declines (nil: the caller assembles everything) what it cannot add exactly.
    func testAddingAPersonFolderEqualsAssemblingEverything() throws {
        let whole = try load([
            "evident.yaml": policy,
            "people.yaml": "people:\n  - { id: alice, name: A, email: a@t.example, level: l, team: t }\n",
            "cycles/c/alice/self.md": "---\nkind: self-review\nperson: alice\ncycle: c\n---\n",
            "cycles/c/alice/evidence.md": "---\nkind: evidence\nperson: alice\ncycle: c\nitems: [[\n---\n",
            "cycles/c/bob/self.md": "---\nkind: self-review\nperson: bob\ncycle: c\n---\n",
        ])
        let inFolder = whole.files.filter { PersonFolder.of($0.path) == "cycles/c/alice" }
        let others = whole.files.filter { PersonFolder.of($0.path) == nil }
        XCTAssertEqual(inFolder.count, 2)
        let base = RepositoryLoader.assemble(root: "/t", files: others)
        let position = others.firstIndex { $0.path > "cycles/c/alice/" } ?? others.count
        let added = try XCTUnwrap(base.adding(folder: "cycles/c/alice", files: inFolder, at: position))
        let merged = Array(others[..<position]) + inFolder + Array(others[position...])
        let reference = RepositoryLoader.assemble(root: "/t", files: merged)
        XCTAssertEqual(added.files.map(\.path), reference.files.map(\.path))
        XCTAssertEqual(String(describing: added.personCycles), String(describing: reference.personCycles))
        XCTAssertTrue(added.isIncomplete(.evidence), "the broken evidence log")
        XCTAssertFalse(base.isIncomplete(.evidence))
        for path in merged.map(\.path) { XCTAssertEqual(added.file(path)?.path, path) }
        XCTAssertNotNil(added.personCycle(folder: "cycles/c/alice")?.selfReview)

        // Declined: an organisation that already has person folders, files of another
        // folder, a document that is not a review, a position outside the files.
        XCTAssertNil(whole.adding(folder: "cycles/c/carol", files: [], at: 0))
        XCTAssertNil(base.adding(folder: "cycles/c/bob", files: inFolder, at: position))
        var people = try XCTUnwrap(others.first { $0.path == "people.yaml" })
        people.path = "cycles/c/alice/people.yaml"
        XCTAssertNil(base.adding(folder: "cycles/c/alice", files: [people], at: position))
        XCTAssertNil(base.adding(folder: "cycles/c/alice", files: inFolder, at: others.count + 1))
    }

    func testDiskSourceRefusesLinksThatLeaveTheRepository() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("evident-disk-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("levels"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createSymbolicLink(
            atPath: root.appendingPathComponent("levels/eng.md").path, withDestinationPath: "/etc/hostname")
        try FileManager.default.createSymbolicLink(
            atPath: root.appendingPathComponent("loop").path, withDestinationPath: root.path)
        let source = try DiskSource(root: root.path)
        XCTAssertEqual(source.status(of: "levels/eng.md"), .outsideRepository)
        XCTAssertThrowsError(try source.read("levels/eng.md"))
        XCTAssertEqual(try source.listFiles().sorted(), ["levels/eng.md", "loop"])
    }
}
