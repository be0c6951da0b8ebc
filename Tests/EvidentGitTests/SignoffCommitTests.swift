import Foundation
import XCTest

@testable import EvidentGit

final class SignoffCommitTests: XCTestCase {
    override func setUp() {
        TestEnvironment.prepare()
    }

    static let erin = GitSignature(
        name: "Erin Park", email: "erin@acme.example",
        date: Date(timeIntervalSince1970: 1_790_000_000), timeZoneOffsetMinutes: 60)

    static func signoffMessage(blob: String, role: String = "calibrator") throws -> String {
        try GitTrailers.composeMessage(
            subject: "Sign off alice's 2026-h2 review as \(role)",
            trailers: [
                GitTrailer(key: "Evident-Signoff", value: role),
                GitTrailer(key: "Evident-File", value: "cycles/2026-h2/alice/review.md"),
                GitTrailer(key: "Evident-Blob", value: blob),
                GitTrailer(key: "Evident-Rating", value: "meets"),
                GitTrailer(key: "Signed-off-by", value: "Erin Park <erin@acme.example>"),
            ])
    }

    func testSignoffCommitHasParentsTreeTrailersAndLeavesIndexAndWorkTreeAlone() throws {
        let repo = try TempRepo()
        try repo.commitFile("cycles/2026-h2/alice/review.md", "rating: meets\n", message: "Alice's review")
        let parent = try repo.git("rev-parse", "HEAD")
        let git = try GitRepository.open(path: repo.path)
        let blob = try XCTUnwrap(git.blobID(path: "cycles/2026-h2/alice/review.md"))
        let message = try Self.signoffMessage(blob: blob)
        let before = try repo.indexSnapshot()

        let id = try git.createEmptyCommit(message: message, author: Self.erin)
        // Snapshot before running git CLI commands: `git status` itself refreshes the index.
        let after = try repo.indexSnapshot()
        XCTAssertEqual(before.data, after.data, "the index is not refreshed or written")
        XCTAssertEqual(before.modified, after.modified)

        XCTAssertEqual(id, try repo.git("rev-parse", "HEAD"))
        XCTAssertEqual(try repo.git("rev-parse", "HEAD~1"), parent)
        XCTAssertEqual(try repo.git("log", "-1", "--format=%B") + "\n", message)
        XCTAssertEqual(
            try repo.git("log", "-1", "--format=%an <%ae> %at %ai"),
            "Erin Park <erin@acme.example> 1790000000 2026-09-21 15:13:20 +0100")
        XCTAssertEqual(
            try repo.git("log", "-1", "--format=%cn <%ce>"), "Erin Park <erin@acme.example>",
            "committer defaults to the author")
        let trailers = try repo.git("log", "-1", "--format=%B").appending("\n")
        XCTAssertEqual(
            try repo.git("interpret-trailers", "--parse", stdin: trailers),
            """
            Evident-Signoff: calibrator
            Evident-File: cycles/2026-h2/alice/review.md
            Evident-Blob: \(blob)
            Evident-Rating: meets
            Signed-off-by: Erin Park <erin@acme.example>
            """)
        let trees = try repo.git("rev-parse", "HEAD^{tree}", "HEAD~1^{tree}").split(separator: "\n")
        XCTAssertEqual(trees.count, 2)
        XCTAssertEqual(trees[0], trees[1], "a sign-off commit does not change the tree")
        XCTAssertEqual(try repo.git("status", "--porcelain"), "")
        XCTAssertEqual(try repo.git("symbolic-ref", "HEAD"), "refs/heads/main", "still on the branch")
        XCTAssertTrue(try repo.git("reflog", "-1", "--format=%gs", "main").hasPrefix("commit: Sign off alice's"))
        try repo.fsckIsClean()

        let info = try git.commit("HEAD")
        XCTAssertEqual(info.parentIDs, [parent])
        XCTAssertEqual(GitTrailers.values("Evident-Blob", in: try info.trailers()), [blob])
    }

    func testSignoffKeepsStagedAndUnstagedChangesExactlyAsTheyWere() throws {
        let repo = try TempRepo()
        try repo.commitFile("review.md", "v1\n", message: "review")
        try repo.write("review.md", "v2 staged\n")
        try repo.git("add", "review.md")
        try repo.write("review.md", "v3 unstaged\n")
        try repo.write("untracked.md", "new\n")
        let statusBefore = try repo.git("status", "--porcelain")
        let stagedDiffBefore = try repo.git("diff", "--cached")
        let before = try repo.indexSnapshot()

        let git = try GitRepository.open(path: repo.path)
        _ = try git.createEmptyCommit(message: "Sign off review\n\nEvident-Signoff: self\n")

        XCTAssertEqual(try repo.git("status", "--porcelain"), statusBefore)
        XCTAssertEqual(try repo.git("diff", "--cached"), stagedDiffBefore)
        XCTAssertEqual(try String(contentsOfFile: repo.path + "/review.md", encoding: .utf8), "v3 unstaged\n")
        XCTAssertEqual(try repo.indexSnapshot().data, before.data)
        XCTAssertEqual(
            try repo.git("log", "-1", "--format=%an <%ae>"), "Test User <test@example.com>",
            "default identity from git config")
        try repo.fsckIsClean()
    }

    func testMessageIsCleanedUpLikeGitCommit() throws {
        let repo = try TempRepo()
        let git = try GitRepository.open(path: repo.path)
        _ = try git.createEmptyCommit(message: "Subject   \n\n\n\nBody  \n\nEvident-Signoff: self\n\n\n")
        XCTAssertEqual(try repo.git("log", "-1", "--format=%B"), "Subject\n\nBody\n\nEvident-Signoff: self")
        XCTAssertThrowsError(try git.createEmptyCommit(message: "  \n\n")) { error in
            XCTAssertEqual((error as? GitError)?.kind, .invalidArgument)
        }
        XCTAssertThrowsError(try git.createEmptyCommit(message: "nul\u{0}byte")) { error in
            XCTAssertEqual((error as? GitError)?.kind, .invalidArgument)
        }
    }

    func testUnbornBranchGetsARootCommitWithTheEmptyTree() throws {
        let repo = try TempRepo(initialCommit: false)
        try repo.write("staged.md", "staged before the first commit\n")
        try repo.git("add", "staged.md")
        let statusBefore = try repo.git("status", "--porcelain")
        let git = try GitRepository.open(path: repo.path)

        let id = try git.createEmptyCommit(message: "First sign-off\n\nEvident-Signoff: self\n")

        XCTAssertEqual(try repo.git("rev-parse", "main"), id)
        XCTAssertEqual(try repo.git("rev-list", "--count", "HEAD"), "1")
        XCTAssertEqual(try repo.git("rev-parse", "HEAD^{tree}"), "4b825dc642cb6eb9a060e54bf8d69288fbee4904")
        XCTAssertEqual(try repo.git("log", "-1", "--format=%P"), "", "a root commit has no parent")
        XCTAssertEqual(try git.headState(), .branch(name: "main", commitID: id))
        XCTAssertEqual(try repo.git("status", "--porcelain"), statusBefore, "the staged file stays staged")
        XCTAssertTrue(try repo.git("reflog", "-1", "--format=%gs", "main").hasPrefix("commit (initial):"))
        try repo.fsckIsClean()
    }

    func testDetachedHeadIsRefused() throws {
        let repo = try TempRepo()
        try repo.git("checkout", "-q", "--detach")
        let head = try repo.git("rev-parse", "HEAD")
        let git = try GitRepository.open(path: repo.path)
        XCTAssertThrowsError(try git.createEmptyCommit(message: "Sign off\n")) { error in
            guard let error = error as? GitError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.kind, .detachedHead)
            XCTAssertTrue(error.message.contains("detached"), error.message)
        }
        XCTAssertThrowsError(try git.currentBranchTip())
        XCTAssertEqual(try repo.git("rev-parse", "HEAD"), head)
        XCTAssertEqual(try repo.git("rev-list", "--count", "--all"), "1", "no commit was written to any branch")
    }

    func testStaleCompareAndSwapFailsWithBranchMoved() throws {
        let repo = try TempRepo()
        let git = try GitRepository.open(path: repo.path)
        let staleTip = try git.currentBranchTip()
        XCTAssertEqual(staleTip.refName, "refs/heads/main")
        XCTAssertEqual(staleTip.branchName, "main")

        try repo.commitFile("other.md", "someone else\n", message: "A concurrent commit")
        let winner = try repo.git("rev-parse", "HEAD")

        XCTAssertThrowsError(try git.createEmptyCommit(message: "Sign off\n", onto: staleTip)) { error in
            guard let error = error as? GitError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.kind, .branchMoved)
            XCTAssertEqual(error.code, -15, "GIT_EMODIFIED")
            XCTAssertFalse(error.message.isEmpty)
        }
        XCTAssertEqual(try repo.git("rev-parse", "main"), winner, "the other writer's commit is not lost")

        // An expected id that was never the tip fails the same way.
        let wrong = GitBranchTip(refName: "refs/heads/main", commitID: try repo.git("rev-parse", "HEAD~1"))
        XCTAssertThrowsError(try git.createEmptyCommit(message: "Sign off\n", onto: wrong)) { error in
            XCTAssertEqual((error as? GitError)?.kind, .branchMoved)
        }
        // Expecting an unborn branch that now exists fails instead of overwriting it.
        let unborn = GitBranchTip(refName: "refs/heads/main", commitID: nil)
        XCTAssertThrowsError(try git.createEmptyCommit(message: "Sign off\n", onto: unborn)) { error in
            XCTAssertEqual((error as? GitError)?.kind, .branchMoved)
            XCTAssertEqual((error as? GitError)?.code, -4, "GIT_EEXISTS")
        }
        XCTAssertEqual(try repo.git("rev-parse", "main"), winner)

        // With the fresh tip it lands on top of the winner.
        let id = try git.createEmptyCommit(message: "Sign off\n", onto: git.currentBranchTip())
        XCTAssertEqual(try repo.git("rev-parse", "main~1"), winner)
        XCTAssertEqual(try repo.git("rev-parse", "main"), id)
        try repo.fsckIsClean()
    }

    func testALockedBranchIsReportedAsBranchMoved() throws {
        let repo = try TempRepo()
        let head = try repo.git("rev-parse", "HEAD")
        let lock = repo.path + "/.git/refs/heads/main.lock"
        XCTAssertTrue(FileManager.default.createFile(atPath: lock, contents: Data()))
        let git = try GitRepository.open(path: repo.path)
        XCTAssertThrowsError(try git.createEmptyCommit(message: "Sign off\n")) { error in
            guard let error = error as? GitError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.kind, .branchMoved)
            XCTAssertEqual(error.code, -14, "GIT_ELOCKED")
            XCTAssertTrue(error.message.contains("lock"), error.message)
        }
        XCTAssertEqual(try repo.git("rev-parse", "main"), head)
        try FileManager.default.removeItem(atPath: lock)
        _ = try git.createEmptyCommit(message: "Sign off\n")
        XCTAssertEqual(try repo.git("rev-list", "--count", "HEAD"), "2")
    }

    func testRetryHelperReReadsTheTipAfterLosingARace() throws {
        let repo = try TempRepo()
        let git = try GitRepository.open(path: repo.path)
        var tipsSeen: [GitBranchTip] = []
        let id = try git.createEmptyCommit(maxAttempts: 3) { tip in
            tipsSeen.append(tip)
            if tipsSeen.count == 1 {
                // Another writer lands between our read of the tip and our update.
                try repo.commitFile("race.md", "x\n", message: "Racing commit")
            }
            return "Sign off after \(tip.commitID ?? "nothing")\n"
        }
        guard tipsSeen.count == 2 else {
            return XCTFail("expected one lost race and one retry, saw \(tipsSeen.count) attempts")
        }
        XCTAssertNotEqual(tipsSeen[0].commitID, tipsSeen[1].commitID)
        XCTAssertEqual(tipsSeen[1].commitID, try repo.git("rev-parse", "HEAD~1"))
        XCTAssertEqual(try repo.git("rev-parse", "HEAD"), id)
        XCTAssertEqual(try repo.git("log", "-1", "--format=%s"), "Sign off after \(tipsSeen[1].commitID ?? "")")
        XCTAssertEqual(try repo.git("rev-list", "--count", "HEAD"), "3", "both commits are kept")

        // When every attempt loses, the last branchMoved error comes back.
        var attempts = 0
        XCTAssertThrowsError(
            try git.createEmptyCommit(maxAttempts: 2) { _ in
                attempts += 1
                try repo.commitFile("race.md", "\(attempts)\n", message: "Racing commit \(attempts)")
                return "Never lands\n"
            }
        ) { error in
            XCTAssertEqual((error as? GitError)?.kind, .branchMoved)
        }
        XCTAssertEqual(attempts, 2)
        XCTAssertEqual(try repo.git("log", "-1", "--format=%s"), "Racing commit 2")
        try repo.fsckIsClean()
    }

    func testEightConcurrentWritersAllLand() throws {
        let repo = try TempRepo()
        try repo.commitFile("cycles/2026-h2/alice/review.md", "rating: meets\n", message: "review")
        let base = try repo.git("rev-parse", "HEAD")
        let writers = 8
        let results = ResultBox(count: writers)
        let start = DispatchSemaphore(value: 0)
        let done = DispatchGroup()
        let path = repo.path
        for index in 0..<writers {
            done.enter()
            let thread = Thread {
                defer { done.leave() }
                start.wait()
                do {
                    // One repository per thread: handles are never shared.
                    let git = try GitRepository.open(path: path)
                    let id = try git.createEmptyCommit(maxAttempts: 200) { tip in
                        results.countAttempt()
                        return
                            "Sign off as writer \(index)\n\nEvident-Signoff: writer-\(index)\nEvident-Parent: \(tip.commitID ?? "none")\n"
                    }
                    results.set(index, .success(id))
                } catch {
                    results.set(index, .failure(error))
                }
            }
            thread.start()
        }
        for _ in 0..<writers { start.signal() }
        XCTAssertEqual(done.wait(timeout: .now() + 120), .success, "writers did not finish")

        var ids: [String] = []
        for index in 0..<writers {
            switch results.get(index) {
            case .success(let id)?: ids.append(id)
            case .failure(let error)?: XCTFail("writer \(index) failed: \(error)")
            case nil: XCTFail("writer \(index) produced no result")
            }
        }
        XCTAssertEqual(Set(ids).count, writers)
        // More attempts than writers means some compare-and-swaps really lost a race.
        print("concurrent sign-offs: \(writers) writers, \(results.attempts) attempts")
        XCTAssertEqual(try repo.git("rev-list", "--count", "\(base)..HEAD"), "\(writers)")
        let landed = Set(try repo.git("rev-list", "\(base)..HEAD").split(separator: "\n").map(String.init))
        XCTAssertEqual(landed, Set(ids), "every writer's commit is on the branch; none was lost")
        XCTAssertEqual(
            try repo.git("rev-list", "--min-parents=2", "--count", "HEAD"), "0", "a straight line of commits")
        let signers = try repo.git("log", "--format=%(trailers:key=Evident-Signoff,valueonly)", "\(base)..HEAD")
            .split(separator: "\n").map(String.init).sorted()
        XCTAssertEqual(signers, (0..<writers).map { "writer-\($0)" }.sorted())
        // Every commit's recorded parent is its real parent: nothing was rebased blindly.
        for id in ids {
            let recorded = try repo.git("log", "-1", "--format=%(trailers:key=Evident-Parent,valueonly)", id)
            XCTAssertEqual(recorded, try repo.git("rev-parse", "\(id)~1"))
        }
        XCTAssertEqual(try repo.git("rev-parse", "HEAD^{tree}"), try repo.git("rev-parse", "\(base)^{tree}"))
        XCTAssertEqual(try repo.git("status", "--porcelain"), "")
        try repo.fsckIsClean()
    }
}

/// Results written by worker threads, read after they finish.
final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Int: Result<String, Error>] = [:]
    private var attemptCount = 0
    init(count: Int) {}
    func countAttempt() {
        lock.lock()
        defer { lock.unlock() }
        attemptCount += 1
    }
    var attempts: Int {
        lock.lock()
        defer { lock.unlock() }
        return attemptCount
    }
    func set(_ index: Int, _ result: Result<String, Error>) {
        lock.lock()
        defer { lock.unlock() }
        results[index] = result
    }
    func get(_ index: Int) -> Result<String, Error>? {
        lock.lock()
        defer { lock.unlock() }
        return results[index]
    }
}

final class SignoffInteropTests: XCTestCase {
    override func setUp() {
        TestEnvironment.prepare()
    }

    func testCompareAndSwapWorksOnPackedRefs() throws {
        let repo = try TempRepo()
        let git = try GitRepository.open(path: repo.path)
        let stale = try git.currentBranchTip()
        try repo.commitFile("x.md", "x\n", message: "moves main")
        try repo.git("pack-refs", "--all", "--prune")
        XCTAssertFalse(
            FileManager.default.fileExists(atPath: repo.path + "/.git/refs/heads/main"), "main now lives in packed-refs"
        )
        XCTAssertThrowsError(try git.createEmptyCommit(message: "Sign off\n", onto: stale)) { error in
            XCTAssertEqual((error as? GitError)?.kind, .branchMoved)
        }
        let id = try git.createEmptyCommit(message: "Sign off\n")
        XCTAssertEqual(try repo.git("rev-parse", "main"), id)
        try repo.fsckIsClean()
    }

    /// Our writers and git's own (`commit-tree` + `update-ref <new> <old>`) race on one
    /// branch: both sides use git's lock-file protocol, so every commit lands.
    func testRacingTheGitCLIAllCommitsLand() throws {
        let repo = try TempRepo()
        let base = try repo.git("rev-parse", "HEAD")
        let script = """
            i=0
            while [ $i -lt 400 ]; do
              old=$(git rev-parse refs/heads/main) || exit 1
              new=$(git commit-tree -p "$old" -m "cli writer $1" "$old^{tree}") || exit 1
              if git update-ref refs/heads/main "$new" "$old" 2>/dev/null; then exit 0; fi
              i=$((i+1))
              sleep 0.0$((RANDOM % 9 + 1))
            done
            exit 1
            """
        let path = repo.path
        let results = ResultBox(count: 8)
        let start = DispatchSemaphore(value: 0)
        let done = DispatchGroup()
        for index in 0..<8 {
            done.enter()
            Thread {
                defer { done.leave() }
                start.wait()
                do {
                    if index % 2 == 0 {
                        let git = try GitRepository.open(path: path)
                        let id = try git.createEmptyCommit(maxAttempts: 400) { _ in "library writer \(index)\n" }
                        results.set(index, .success(id))
                    } else {
                        let out = try runProcess("/bin/bash", ["-c", script, "writer", "\(index)"], in: path)
                        results.set(
                            index,
                            out.status == 0
                                ? .success("cli") : .failure(TestFailure("cli writer \(index): \(out.stderr)")))
                    }
                } catch {
                    results.set(index, .failure(error))
                }
            }.start()
        }
        for _ in 0..<8 { start.signal() }
        XCTAssertEqual(done.wait(timeout: .now() + 180), .success)
        for index in 0..<8 {
            if case .failure(let error)? = results.get(index) { XCTFail("writer \(index): \(error)") }
            XCTAssertNotNil(results.get(index))
        }
        XCTAssertEqual(try repo.git("rev-list", "--count", "\(base)..main"), "8")
        let subjects = try repo.git("log", "--format=%s", "\(base)..main").split(separator: "\n").map(String.init)
            .sorted()
        XCTAssertEqual(subjects, (0..<8).map { $0 % 2 == 0 ? "library writer \($0)" : "cli writer \($0)" }.sorted())
        try repo.fsckIsClean()
    }

    func testInitializeCreatesARepositoryThatTakesSignoffs() throws {
        let dir = try TempDir()
        let path = dir.path + "/new-reviews"
        let git = try GitRepository.initialize(at: path)
        XCTAssertEqual(git.workdir, path)
        XCTAssertEqual(try git.headState().branchName.map { ["main", "master"].contains($0) }, true)
        try runProcess("/usr/bin/git", ["config", "user.name", "Init User"], in: path)
        try runProcess("/usr/bin/git", ["config", "user.email", "init@example.com"], in: path)
        let id = try git.createEmptyCommit(message: "First\n")
        XCTAssertEqual(try runProcess("/usr/bin/git", ["rev-parse", "HEAD"], in: path).trimmed, id)
    }
}
