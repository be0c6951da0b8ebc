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

    func testHiddenPathsAffectNothing() {
        let scope = ChangeScope(changedPaths: [".pre-commit-config.yaml", ".evident/schema/review.json", "cycles/.x/y/z.md"])
        XCTAssertTrue(scope.isEmpty)
        XCTAssertFalse(scope.includes("cycles/2026-h2/alice/review.md"))
        XCTAssertFalse(scope.includes("people.yaml"))
    }
}
