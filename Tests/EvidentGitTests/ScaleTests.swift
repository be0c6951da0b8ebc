import Foundation
import XCTest
@testable import EvidentGit

/// The sizes SPEC §6 names: a 10,000-person organisation is about 50,000 files.
final class ScaleTests: XCTestCase {
    override func setUp() {
        TestEnvironment.prepare()
    }

    func testOnePathStatusAndSignoffStayFastWith50000Files() throws {
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
        var clock = ContinuousClock.now
        XCTAssertFalse(try git.hasUncommittedChanges(path: path))
        let firstStatus = ContinuousClock.now - clock
        clock = .now
        for _ in 0..<10 {
            XCTAssertFalse(try git.hasUncommittedChanges(path: path))
            XCTAssertTrue(try git.hasUncommittedChanges(path: "cycles/2026-h2/p00002/file3.md"))
        }
        let repeatedStatus = (ContinuousClock.now - clock) / 20

        clock = .now
        let staged = try git.indexEntries(under: "cycles/2026-h2/p00002")
        let prefixRead = ContinuousClock.now - clock
        XCTAssertEqual(staged.count, 5)

        clock = .now
        XCTAssertEqual(try git.listTree().count, 50_000)
        let fullTree = ContinuousClock.now - clock

        let before = try repo.indexSnapshot()
        clock = .now
        _ = try git.createEmptyCommit(message: "Sign off\n\nEvident-Signoff: self\n")
        let signoff = ContinuousClock.now - clock
        XCTAssertEqual(try repo.indexSnapshot().data, before.data)

        print("50,000 files: first status \(firstStatus), repeated status \(repeatedStatus), index prefix \(prefixRead), full tree \(fullTree), sign-off \(signoff)")
        // Generous bounds for a debug build on a slow machine; a full status or an index
        // refresh over 50,000 files would blow through them.
        XCTAssertLessThan(firstStatus, .milliseconds(500))
        XCTAssertLessThan(repeatedStatus, .milliseconds(100))
        XCTAssertLessThan(signoff, .milliseconds(500))
    }
}
