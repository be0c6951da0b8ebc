import EvidentCore
import XCTest

/// The dependency rules of `check --staged`, path by path.
final class ChangeScopeTests: XCTestCase {
    func testPersonFolderFilesAffectTheirFolderOnly() {
        let scope = ChangeScope(changedPaths: ["cycles/2026-h2/alice/evidence.md", "cycles/2026-h2/bob/notes/x.md"])
        XCTAssertEqual(scope, ChangeScope(personFolders: ["cycles/2026-h2/alice", "cycles/2026-h2/bob"]))
        XCTAssertTrue(scope.includes("cycles/2026-h2/alice/review.md"))
        XCTAssertTrue(scope.includes("cycles/2026-h2/bob/peer-carol.md"))
        XCTAssertFalse(scope.includes("cycles/2026-h2/carol/review.md"))
        XCTAssertFalse(scope.includes("people.yaml"))
        XCTAssertFalse(scope.includes("cycles/2026-h2/cycle.yaml"))
    }

    func testTeamFilesAffectTheOrganisationFiles() {
        let scope = ChangeScope(changedPaths: ["teams/payments.yaml"])
        XCTAssertEqual(scope, ChangeScope(organisationFiles: true))
        XCTAssertTrue(scope.includes("people.yaml"))
        XCTAssertTrue(scope.includes("cycles/2026-h2/cycle.yaml"))
        XCTAssertFalse(scope.includes("cycles/2026-h2/alice/review.md"))
    }

    func testOtherOrganisationFilesAndAttachmentsAffectEverything() {
        for path in [
            "evident.yaml", "people.yaml", "values.md", "metrics.yaml", "levels/eng-3.md", "cycles/2026-h2/cycle.yaml",
            "artifacts/design.md", "README.md", "cycles/2026-h2/notes.md",
        ] {
            let scope = ChangeScope(changedPaths: [path])
            XCTAssertTrue(scope.everything, path)
            XCTAssertTrue(scope.includes("cycles/2026-h2/zoe/self.md"), path)
        }
    }

    /// Hidden files are never documents, but a link may name one (`/.github/CODEOWNERS`).
    func testHiddenPathsAreFilesLikeAnyOther() {
        XCTAssertTrue(ChangeScope(changedPaths: [".pre-commit-config.yaml"]).everything)
        XCTAssertEqual(
            ChangeScope(changedPaths: ["cycles/2026-h2/alice/.notes.md"]),
            ChangeScope(personFolders: ["cycles/2026-h2/alice"]))
        XCTAssertTrue(ChangeScope(changedPaths: []).isEmpty)
    }
}

/// A folder's files are listed in byte order, whatever order the file system keeps them
/// in: which of two duplicate ids is "first declared" must not depend on it (the staged
/// check reads the index, which is in byte order).
final class DiskListingOrderTests: XCTestCase {
    func testFilesOfAFolderAreListedInByteOrder() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("evident-order-\(UUID().uuidString)")
        let folder = root.appendingPathComponent("cycles/2026-h2/alice")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let names =
            (0..<40).map { "peer-\(String(UnicodeScalar(UInt8(ascii: "z") - UInt8($0 % 26))))\($0).md" } + [
                "Review.md", "evidence.md",
            ]
        for name in names.reversed() { try Data("x\n".utf8).write(to: folder.appendingPathComponent(name)) }
        let listed = try DiskSource(root: root.path).listFiles()
        let expected = names.map { "cycles/2026-h2/alice/\($0)" }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        XCTAssertEqual(listed, expected)
    }
}
