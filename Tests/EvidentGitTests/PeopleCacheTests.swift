import EvidentCore
import Foundation
import XCTest

@testable import EvidentGit

/// The decoded-registry cache (`PeopleCache`) gives back exactly the people the loader
/// decoded, and nothing at all for another file, a damaged or a forged cache.
final class PeopleCacheTests: XCTestCase {
    private func dump(_ value: Located<String>?) -> String {
        value.map { "\($0.value)@\($0.location.file):\($0.location.line):\($0.location.column)" } ?? "nil"
    }

    private func dump(_ people: [Person]) -> [String] {
        people.map {
            [
                dump($0.id), $0.name, $0.email, dump($0.level), dump($0.team), dump($0.manager), "\($0.roles)",
                $0.signingKey ?? "nil", dump($0.specialism),
            ].joined(separator: " | ")
        }
    }

    /// The people the loader decodes from `yaml` at `path`, without a problem.
    private func people(_ yaml: String, path: String = "people.yaml") throws -> [Person] {
        let file = RepositoryLoader.loadFile(path, kind: .people, from: MemorySource(root: "/r", texts: [path: yaml]))
        return try XCTUnwrap(file.peopleWithoutProblems, "\(file.problems)")
    }

    private let registries = [
        // The usual block shape (the fast path).
        """
        people:
          - id: ada-lee
            name: Ada Lee
            email: ada@acme.example
            level: eng-3
            team: platform
            manager: bo-chen
            roles: [hr, calibrator]
            signing_key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOb"
            specialism: data-science
          - id: bo-chen
            name: 'Bo Chen'
            email: bo@acme.example
            level: mgr-1
            team: platform
            roles: []

        """,
        // Flow mappings, non-ASCII and escapes (the general path).
        """
        # the registry
        people:
          - { id: zoe, name: "Zoë \\"Z\\" Ørsted 🚀", email: z@x.example, level: eng-1, team: t, manager: ana }
          - { id: ana, name: Ana, email: a@x.example, level: mgr-2, team: t, roles: [hr], signing_key: "k\\tey", specialism: ml }

        """,
        "people: []\n",
    ]

    func testRoundTripsEveryField() throws {
        for (number, yaml) in registries.enumerated() {
            for path in ["people.yaml", "reviews/people.yaml"] {
                let decoded = try people(yaml, path: path)
                let blob = String(repeating: "\(number)", count: 40)
                let bytes = try XCTUnwrap(PeopleCache.encode(decoded, blob: blob, path: path))
                let back = try XCTUnwrap(PeopleCache.decode(bytes[...], blob: blob, path: path), "registry \(number)")
                XCTAssertEqual(dump(back), dump(decoded), "registry \(number) at \(path)")
            }
        }
        XCTAssertEqual(try people(registries[0]).count, 2, "the test registry decodes")
    }

    func testAnotherBlobOrPathIsAMiss() throws {
        let decoded = try people(registries[0])
        let blob = String(repeating: "a", count: 40)
        let bytes = try XCTUnwrap(PeopleCache.encode(decoded, blob: blob, path: "people.yaml"))
        XCTAssertNotNil(PeopleCache.decode(bytes[...], blob: blob, path: "people.yaml"))
        XCTAssertNil(PeopleCache.decode(bytes[...], blob: String(repeating: "b", count: 40), path: "people.yaml"))
        XCTAssertNil(PeopleCache.decode(bytes[...], blob: blob, path: "other/people.yaml"))
        // People located in another file are never kept: their findings would move.
        var moved = decoded
        moved[0].manager?.location.file = "elsewhere.yaml"
        XCTAssertNil(PeopleCache.encode(moved, blob: blob, path: "people.yaml"))
    }

    /// Every truncation and every altered byte of the body is a miss or the same people,
    /// never a crash (the MAC keeps altered files from being read at all; this is the
    /// reader's own robustness).
    func testTruncatedOrAlteredBodiesNeverTrap() throws {
        let decoded = try people(registries[0])
        let blob = String(repeating: "a", count: 40)
        let bytes = try XCTUnwrap(PeopleCache.encode(decoded, blob: blob, path: "people.yaml"))
        for length in 0..<bytes.count {
            XCTAssertNil(PeopleCache.decode(bytes[..<length], blob: blob, path: "people.yaml"), "cut at \(length)")
        }
        XCTAssertNil(PeopleCache.decode((bytes + [0])[...], blob: blob, path: "people.yaml"), "a trailing byte")
        for position in bytes.indices {
            var altered = bytes
            altered[position] ^= 0xFF
            _ = PeopleCache.decode(altered[...], blob: blob, path: "people.yaml")
        }
    }

    /// Through the file: written, read back; edited, forged or moved, ignored.
    func testTheCacheFileIsAuthenticated() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "evident-people-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("evident/people-decoded-v2")
        let decoded = try people(registries[0])
        let blob = String(repeating: "c", count: 40)
        PeopleCache.write(decoded, blob: blob, path: "people.yaml", to: url)
        XCTAssertEqual(dump(try XCTUnwrap(PeopleCache.read(url, blob: blob, path: "people.yaml"))), dump(decoded))
        XCTAssertNil(PeopleCache.read(url, blob: String(repeating: "d", count: 40), path: "people.yaml"), "stale")
        let original = try Data(contentsOf: url)
        // A name changed in place (same length), as someone without the key would.
        let edited = Data(
            String(decoding: original, as: UTF8.self).replacingOccurrences(of: "Ada Lee", with: "Eve Lee").utf8)
        XCTAssertNotEqual(edited, original)
        try edited.write(to: url)
        XCTAssertNil(PeopleCache.read(url, blob: blob, path: "people.yaml"), "an edited cache")
        // A body of the right form with a made-up MAC.
        let forged =
            try XCTUnwrap(PeopleCache.encode(decoded, blob: blob, path: "people.yaml"))
            + Array("evident-mac \(String(repeating: "0", count: 64))\n".utf8)
        try Data(forged).write(to: url)
        XCTAssertNil(PeopleCache.read(url, blob: blob, path: "people.yaml"), "a forged MAC")
        // Read in place (mapped): a truncated, an empty or a missing file is a miss too.
        try original.dropLast(1).write(to: url)
        XCTAssertNil(PeopleCache.read(url, blob: blob, path: "people.yaml"), "a truncated cache")
        try Data().write(to: url)
        XCTAssertNil(PeopleCache.read(url, blob: blob, path: "people.yaml"), "an empty cache")
        try FileManager.default.removeItem(at: url)
        XCTAssertNil(PeopleCache.read(url, blob: blob, path: "people.yaml"), "no cache")
        try original.write(to: url)
        XCTAssertEqual(dump(try XCTUnwrap(PeopleCache.read(url, blob: blob, path: "people.yaml"))), dump(decoded))
        try original.write(to: folder.appendingPathComponent("evident/blobs-v1"))
        XCTAssertNil(
            PeopleCache.read(folder.appendingPathComponent("evident/blobs-v1"), blob: blob, path: "people.yaml"),
            "a cache under another name")
    }

    /// Through a staged check's source: the first load decodes people.yaml and keeps it;
    /// later loads give the same people from the cache; a staged new version, a damaged
    /// or a removed cache give what a cold load gives.
    func testStagedLoadsAgreeWithAColdLoad() throws {
        let repo = try TempRepo()
        try repo.write("people.yaml", registries[0])
        try repo.write("cycles/2026-h2/ada-lee/review.md", "review\n")
        try repo.git("add", "-A")
        try repo.git("commit", "-q", "-m", "content")
        let cache = URL(fileURLWithPath: repo.path + "/.git/evident/people-decoded-v2")
        func people() throws -> [String] {
            let source = try GitIndexSource.load(
                repository: try GitRepository.open(path: repo.path), reviewRoot: "", displayRoot: repo.path,
                personFolders: ["cycles/2026-h2/ada-lee"])
            return dump(try RepositoryLoader.load(from: source, selecting: .organisationAnd(personFolders: [])).people)
        }
        let cold = try people()
        XCTAssertEqual(cold.count, 2)
        XCTAssertTrue(FileManager.default.fileExists(atPath: cache.path), "the decoded registry is kept")
        let kept = try Data(contentsOf: cache)
        XCTAssertEqual(try people(), cold, "from the cache")

        // A new version staged: its own people, and the cache follows it.
        try repo.write("people.yaml", registries[1])
        try repo.git("add", "people.yaml")
        let second = try people()
        XCTAssertEqual(second, dump(try self.people(registries[1])))
        XCTAssertNotEqual(try Data(contentsOf: cache), kept)
        XCTAssertEqual(try people(), second)

        // The old version's cache put back: stale, so not used.
        try kept.write(to: cache)
        XCTAssertEqual(try people(), second)
        var damaged = try Data(contentsOf: cache)
        damaged[damaged.count / 2] ^= 0x01
        try damaged.write(to: cache)
        XCTAssertEqual(try people(), second, "a damaged cache")
        try FileManager.default.removeItem(at: cache)
        XCTAssertEqual(try people(), second, "no cache")

        // A registry with a problem is decoded every time, never kept.
        try FileManager.default.removeItem(at: cache)
        try repo.write("people.yaml", "people:\n  - id: x\n")
        try repo.git("add", "people.yaml")
        _ = try people()
        XCTAssertFalse(FileManager.default.fileExists(atPath: cache.path))
    }
}
