import Foundation
import XCTest

@testable import EvidentGit

/// The sizes SPEC §6 names: a 10,000-person organisation is about 50,000 files. These
/// tests check answers at that size; how fast they come is measured by Benchmarks/run.sh,
/// never by timing a unit test.
final class ScaleTests: XCTestCase {
    override func setUp() {
        TestEnvironment.prepare()
    }

    func testOnePathStatusAndSignoffWith50000Files() throws {
        let repo = try TempRepo(initialCommit: false)
        let blob = try repo.git("hash-object", "-w", "--stdin", stdin: "content\n")
        var lines = ""
        lines.reserveCapacity(50_000 * 90)
        for i in 0..<50_000 {
            lines += "100644 \(blob)\tcycles/2026-h2/p\(String(format: "%05d", i / 5))/file\(i % 5).md\n"
        }
        try repo.git("update-index", "--add", "--index-info", stdin: lines)
        let tree = try repo.git("write-tree")
        let commit = try repo.git("commit-tree", "-m", "fifty thousand files", tree)
        try repo.git("update-ref", "refs/heads/main", commit)
        // Only one file is checked out: a full status would report 49,999 deletions.
        let path = "cycles/2026-h2/p00001/file1.md"
        try repo.write(path, "content\n")
        try repo.write("cycles/2026-h2/p00002/file3.md", "edited\n")

        let git = try GitRepository.open(path: repo.path)
        XCTAssertFalse(try git.hasUncommittedChanges(path: path))
        XCTAssertTrue(try git.hasUncommittedChanges(path: "cycles/2026-h2/p00002/file3.md"))
        XCTAssertEqual(try git.indexEntries(under: "cycles/2026-h2/p00002").count, 5)
        XCTAssertEqual(try git.listTree().count, 50_000)
        XCTAssertEqual(try git.stagedChanges(), [], "nothing is staged, although 49,998 files are missing on disk")

        let before = try repo.indexSnapshot()
        _ = try git.createEmptyCommit(message: "Sign off\n\nEvident-Signoff: self\n")
        XCTAssertEqual(try repo.indexSnapshot().data, before.data)
        XCTAssertEqual(try repo.git("rev-parse", "HEAD^{tree}"), tree, "the sign-off commit keeps the tree")
    }
}
