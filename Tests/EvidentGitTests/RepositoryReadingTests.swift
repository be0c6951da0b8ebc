import Foundation
import XCTest

@testable import EvidentGit

final class RepositoryReadingTests: XCTestCase {
    override func setUp() {
        TestEnvironment.prepare()
    }

    func testOpeningANonRepositoryCarriesLibgit2sMessage() throws {
        let dir = try TempDir()
        XCTAssertThrowsError(try GitRepository.open(path: dir.path)) { error in
            guard let error = error as? GitError else { return XCTFail("not a GitError: \(error)") }
            XCTAssertEqual(error.kind, .notARepository)
            XCTAssertEqual(error.code, -3)
            XCTAssertEqual(error.errorClassName, "repository")
            XCTAssertTrue(error.message.contains("could not find repository"), error.message)
            XCTAssertTrue(error.description.contains(dir.path), error.description)
        }
    }

    func testOpenDoesNotSearchUpwardsButDiscoverDoes() throws {
        let repo = try TempRepo()
        try repo.write("cycles/2026-h2/alice/evidence.md", "x\n")
        let sub = repo.path + "/cycles/2026-h2/alice"
        XCTAssertThrowsError(try GitRepository.open(path: sub))
        let found = try GitRepository.discover(startingAt: sub)
        XCTAssertEqual(found.workdir, repo.path)
        XCTAssertEqual(found.gitDir, repo.path + "/.git")
        XCTAssertFalse(found.isBare)
        let opened = try GitRepository.open(path: repo.path)
        XCTAssertEqual(opened.workdir, repo.path)
    }

    func testBareRepositoryHasNoWorkdir() throws {
        let repo = try TempRepo()
        let dir = try TempDir()
        let bare = dir.path + "/bare.git"
        try repo.git("clone", "-q", "--bare", repo.path, bare)
        let git = try GitRepository.open(path: bare)
        XCTAssertNil(git.workdir)
        XCTAssertTrue(git.isBare)
        XCTAssertEqual(git.gitDir, bare)
        XCTAssertEqual(try git.readFile(path: "README.md"), Data("# Reviews\n".utf8))
        XCTAssertThrowsError(try git.pathStatus("README.md")) { error in
            XCTAssertEqual((error as? GitError)?.kind, .bareRepository)
        }
    }

    func testHeadStatesUnbornBranchAndDetached() throws {
        let repo = try TempRepo(initialCommit: false)
        let git = try GitRepository.open(path: repo.path)
        XCTAssertEqual(try git.headState(), .unborn(branchName: "main"))
        XCTAssertNil(try git.headState().commitID)

        try repo.commitFile("a.md", "a\n", message: "first")
        let head = try repo.git("rev-parse", "HEAD")
        XCTAssertEqual(try git.headState(), .branch(name: "main", commitID: head))

        try repo.git("checkout", "-q", "--detach")
        XCTAssertEqual(try git.headState(), .detached(commitID: head))
        XCTAssertNil(try git.headState().branchName)
    }

    func testResolveCommitUnderstandsGitRevisions() throws {
        let repo = try TempRepo()
        try repo.commitFile("a.md", "a\n", message: "second")
        let git = try GitRepository.open(path: repo.path)
        let head = try repo.git("rev-parse", "HEAD")
        let parent = try repo.git("rev-parse", "HEAD~1")
        XCTAssertEqual(try git.resolveCommit("HEAD"), head)
        XCTAssertEqual(try git.resolveCommit("main"), head)
        XCTAssertEqual(try git.resolveCommit(String(head.prefix(8))), head)
        XCTAssertEqual(try git.resolveCommit(head), head)
        XCTAssertEqual(try git.resolveCommit("HEAD~1"), parent)
        XCTAssertEqual(try git.resolveCommit("HEAD^"), parent)
        XCTAssertThrowsError(try git.resolveCommit("HEAD^{tree}"), "a tree is not a commit")
        XCTAssertThrowsError(try git.resolveCommit("no-such-branch")) { error in
            let error = error as? GitError
            XCTAssertEqual(error?.kind, .notFound)
            XCTAssertTrue(error?.message.contains("no-such-branch") ?? false, "\(String(describing: error))")
        }
    }

    func testReadsBlobsAtHeadAtARevisionAndFromTheIndex() throws {
        let repo = try TempRepo()
        let path = "cycles/2026-h2/alice/review.md"
        try repo.commitFile(path, "v1\n", message: "v1")
        try repo.commitFile(path, "v2\n", message: "v2")
        try repo.write(path, "v3 staged\n")
        try repo.git("add", path)
        try repo.write(path, "v4 work tree\n")
        let before = try repo.indexSnapshot()

        let git = try GitRepository.open(path: repo.path)
        XCTAssertEqual(try git.blobID(path: path), try repo.git("rev-parse", "HEAD:\(path)"))
        XCTAssertEqual(try git.blobID(path: path, atRevision: "HEAD~1"), try repo.git("rev-parse", "HEAD~1:\(path)"))
        XCTAssertEqual(try git.readFile(path: path), Data("v2\n".utf8))
        XCTAssertEqual(try git.readFile(path: path, atRevision: "HEAD~1"), Data("v1\n".utf8))
        XCTAssertEqual(
            try git.readFile(path: "./" + path + "/", atRevision: "main"), Data("v2\n".utf8), "paths are normalised")

        // The index holds the staged version: not HEAD's, not the work tree's.
        let staged = try XCTUnwrap(git.readIndexedFile(path: path))
        XCTAssertEqual(staged, Data("v3 staged\n".utf8))
        XCTAssertNotEqual(staged, try git.readFile(path: path))
        XCTAssertNotEqual(staged, try Data(contentsOf: URL(fileURLWithPath: repo.path + "/" + path)))
        XCTAssertEqual(try git.indexEntry(path: path)?.blobID, try repo.git("rev-parse", ":\(path)"))

        let status = try git.pathStatus(path)
        XCTAssertEqual(status.headBlobID, try repo.git("rev-parse", "HEAD:\(path)"))
        XCTAssertEqual(status.indexBlobID, try repo.git("rev-parse", ":\(path)"))
        XCTAssertEqual(status.workTreeBlobID, try repo.git("hash-object", path))
        XCTAssertTrue(status.isStaged)
        XCTAssertTrue(status.isModifiedInWorkTree)
        XCTAssertTrue(status.hasUncommittedChanges)
        XCTAssertFalse(status.isConflicted)

        // Reading never refreshed or rewrote the index.
        let after = try repo.indexSnapshot()
        XCTAssertEqual(before.data, after.data)
        XCTAssertEqual(before.modified, after.modified)
    }

    func testIndexIsReReadWhenGitChangesIt() throws {
        let repo = try TempRepo()
        let git = try GitRepository.open(path: repo.path)
        XCTAssertNil(try git.readIndexedFile(path: "new.md"))
        try repo.write("new.md", "staged later\n")
        try repo.git("add", "new.md")
        XCTAssertEqual(try git.readIndexedFile(path: "new.md"), Data("staged later\n".utf8))
    }

    func testMissingFilesFoldersAndBadPaths() throws {
        let repo = try TempRepo()
        try repo.commitFile("levels/eng-3.md", "x\n", message: "level")
        let git = try GitRepository.open(path: repo.path)
        XCTAssertNil(try git.blobID(path: "nope.md"))
        XCTAssertNil(try git.readFile(path: "nope.md"))
        XCTAssertNil(try git.blobID(path: "levels"), "a folder is not a file")
        XCTAssertNil(try git.readFile(path: "levels/eng-3.md/deeper"))
        XCTAssertNil(try git.readIndexedFile(path: "nope.md"))
        XCTAssertThrowsError(try git.blobID(path: "../outside.md")) { error in
            XCTAssertEqual((error as? GitError)?.kind, .invalidArgument)
        }
        XCTAssertThrowsError(try git.readBlob(id: "not-hex")) { error in
            XCTAssertEqual((error as? GitError)?.kind, .invalidArgument)
        }
        XCTAssertThrowsError(try git.readBlob(id: String(repeating: "ab", count: 20))) { error in
            guard let error = error as? GitError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.kind, .notFound)
            XCTAssertEqual(error.code, -3)
            XCTAssertFalse(error.message.isEmpty)
        }
        XCTAssertThrowsError(try git.readFile(path: "x.md", atRevision: "no-such-rev"))
    }

    func testReadBlobByShortIdAndSize() throws {
        let repo = try TempRepo()
        let content = String(repeating: "evidence ", count: 1000)
        try repo.commitFile("big.md", content, message: "big")
        let git = try GitRepository.open(path: repo.path)
        let id = try XCTUnwrap(git.blobID(path: "big.md"))
        XCTAssertEqual(try git.readBlob(id: String(id.prefix(10))), Data(content.utf8))
        XCTAssertEqual(try git.blobSize(id: id), content.utf8.count)
        XCTAssertEqual(try git.blobSize(id: id), Int(try repo.git("cat-file", "-s", id)))
    }

    func testListTreeMatchesGitLsTree() throws {
        let repo = try TempRepo()
        try repo.write("cycles/2026-h2/alice/review.md", "r\n")
        try repo.write("cycles/2026-h2/alice/evidence.md", "e\n")
        try repo.write("cycles/2026-h2/bob/review.md", "b\n")
        try repo.write("cycles/2026-h2x/other.md", "o\n")
        try repo.write("scripts/run.sh", "#!/bin/sh\n")
        try repo.git("add", ".")
        try repo.git("update-index", "--chmod=+x", "scripts/run.sh")
        try FileManager.default.createSymbolicLink(atPath: repo.path + "/link.md", withDestinationPath: "README.md")
        try repo.git("add", "link.md")
        try repo.git("commit", "-q", "-m", "tree")

        let git = try GitRepository.open(path: repo.path)
        func lsTree(_ extra: [String]) throws -> [String] {
            try repo.gitArgs(["ls-tree", "-r", "HEAD"] + extra).split(separator: "\n").map(String.init)
        }
        func render(_ entries: [GitFileEntry]) -> [String] {
            entries.map { String($0.mode, radix: 8).leftPad(6) + " blob " + $0.blobID + "\t" + $0.path }
        }
        XCTAssertEqual(render(try git.listTree()), try lsTree([]))
        XCTAssertEqual(
            render(try git.listTree(revision: "HEAD", under: "cycles/2026-h2")), try lsTree(["--", "cycles/2026-h2/"]))
        XCTAssertEqual(
            try git.listTree(under: "cycles/2026-h2").count, 3,
            "the sibling folder cycles/2026-h2x is not under the prefix")
        XCTAssertEqual(try git.listTree(under: "scripts/run.sh").map(\.kind), [.executable])
        XCTAssertEqual(try git.listTree(under: "no/such/folder"), [])
        let kinds = Dictionary(uniqueKeysWithValues: try git.listTree().map { ($0.path, $0.kind) })
        XCTAssertEqual(kinds["link.md"], .symlink)
        XCTAssertEqual(kinds["README.md"], .file)
        XCTAssertEqual(try git.readFile(path: "link.md"), Data("README.md".utf8), "a symlink's blob is its target")
        XCTAssertEqual(try git.fileEntry(path: "link.md")?.kind, .symlink)

        // The index lists the same files (all staged) with the same filtering by prefix.
        XCTAssertEqual(render(try git.indexEntries()), try lsTree([]))
        XCTAssertEqual(
            try git.indexEntries(under: "cycles/2026-h2").map(\.path),
            ["cycles/2026-h2/alice/evidence.md", "cycles/2026-h2/alice/review.md", "cycles/2026-h2/bob/review.md"])
        XCTAssertEqual(try git.indexEntries(under: "cycles/2026-h2/bob/review.md").count, 1)
        XCTAssertEqual(try git.indexEntries(under: "zzz"), [])
    }

    func testIndexEntriesMatchGitLsFilesWithStagedChanges() throws {
        let repo = try TempRepo()
        try repo.write("a.md", "a\n")
        try repo.write("dir/b.md", "b\n")
        try repo.git("add", ".")
        let git = try GitRepository.open(path: repo.path)
        let expected = try repo.git("ls-files", "-s").split(separator: "\n").map { line -> String in
            let parts = line.split(separator: "\t")
            let meta = parts[0].split(separator: " ")
            return "\(meta[1]) \(parts[1])"
        }
        XCTAssertEqual(try git.indexEntries().map { "\($0.blobID) \($0.path)" }, expected)
        XCTAssertEqual(try git.listTree().map(\.path), ["README.md"], "HEAD does not have the staged files")
    }

    func testListTreeOfUnbornHeadIsEmpty() throws {
        let repo = try TempRepo(initialCommit: false)
        let git = try GitRepository.open(path: repo.path)
        XCTAssertEqual(try git.listTree(), [])
        XCTAssertNil(try git.blobID(path: "README.md"))
        XCTAssertEqual(try git.commits(), [])
        XCTAssertThrowsError(try git.resolveCommit("HEAD"))
    }

    func testPathStatusCleanModifiedRevertedDeletedAndUntracked() throws {
        let repo = try TempRepo()
        try repo.commitFile("review.md", "original\n", message: "review")
        let git = try GitRepository.open(path: repo.path)
        let before = try repo.indexSnapshot()

        XCTAssertFalse(try git.hasUncommittedChanges(path: "review.md"))
        XCTAssertFalse(try git.isModifiedInWorkTree(path: "review.md"))

        try repo.write("review.md", "edited\n")
        XCTAssertTrue(try git.hasUncommittedChanges(path: "review.md"))
        XCTAssertTrue(try git.isModifiedInWorkTree(path: "review.md"))
        XCTAssertFalse(try git.pathStatus("review.md").isStaged)

        try repo.write("review.md", "original\n")  // same content, new mtime
        XCTAssertFalse(try git.hasUncommittedChanges(path: "review.md"))

        try FileManager.default.removeItem(atPath: repo.path + "/review.md")
        let deleted = try git.pathStatus("review.md")
        XCTAssertNil(deleted.workTreeBlobID)
        XCTAssertTrue(deleted.hasUncommittedChanges)

        try repo.write("untracked.md", "new\n")
        let untracked = try git.pathStatus("untracked.md")
        XCTAssertNil(untracked.headBlobID)
        XCTAssertNil(untracked.indexBlobID)
        XCTAssertEqual(untracked.workTreeBlobID, try repo.git("hash-object", "untracked.md"))
        XCTAssertTrue(untracked.hasUncommittedChanges)

        let after = try repo.indexSnapshot()
        XCTAssertEqual(before.data, after.data, "status of one path must not refresh or write the index")
        XCTAssertEqual(before.modified, after.modified)
    }

    func testWorkTreeHashAppliesGitFiltersLikeGitAdd() throws {
        let repo = try TempRepo()
        try repo.git("config", "core.autocrlf", "true")
        try repo.write("crlf.md", "line one\r\nline two\r\n")
        try repo.git("add", "crlf.md")
        try repo.git("commit", "-q", "-m", "crlf")
        let git = try GitRepository.open(path: repo.path)
        XCTAssertEqual(try repo.git("status", "--porcelain"), "")
        XCTAssertEqual(try git.workTreeBlobID(path: "crlf.md"), try repo.git("hash-object", "crlf.md"))
        XCTAssertEqual(try git.readFile(path: "crlf.md"), Data("line one\nline two\n".utf8), "stored with LF")
        XCTAssertFalse(try git.hasUncommittedChanges(path: "crlf.md"))
    }

    func testSymlinkInWorkTreeHashesItsTarget() throws {
        let repo = try TempRepo()
        try FileManager.default.createSymbolicLink(atPath: repo.path + "/link.md", withDestinationPath: "README.md")
        try repo.git("add", "link.md")
        try repo.git("commit", "-q", "-m", "link")
        let git = try GitRepository.open(path: repo.path)
        XCTAssertEqual(try git.pathStatus("link.md").workTreeBlobID, try repo.git("rev-parse", "HEAD:link.md"))
        XCTAssertFalse(try git.hasUncommittedChanges(path: "link.md"))
        try FileManager.default.removeItem(atPath: repo.path + "/link.md")
        try FileManager.default.createSymbolicLink(atPath: repo.path + "/link.md", withDestinationPath: "elsewhere.md")
        XCTAssertTrue(try git.hasUncommittedChanges(path: "link.md"))
    }

    func testConflictedPathIsReported() throws {
        let repo = try TempRepo()
        try repo.commitFile("review.md", "base\n", message: "base")
        try repo.git("checkout", "-q", "-b", "other")
        try repo.commitFile("review.md", "other\n", message: "other")
        try repo.git("checkout", "-q", "main")
        try repo.commitFile("review.md", "main\n", message: "main")
        let merge = try repo.gitResult(["merge", "-q", "other"])
        XCTAssertNotEqual(merge.status, 0, "the merge must conflict for this test")
        let git = try GitRepository.open(path: repo.path)
        let status = try git.pathStatus("review.md")
        XCTAssertTrue(status.isConflicted)
        XCTAssertNil(status.indexBlobID)
        XCTAssertTrue(status.hasUncommittedChanges)
        XCTAssertNil(try git.readIndexedFile(path: "review.md"), "only stage 0 is read")
        XCTAssertFalse(try git.indexEntries().contains { $0.path == "review.md" })
    }

    func testConfigReadsLocalThenGlobal() throws {
        let repo = try TempRepo()
        try repo.git("config", "evident.probe.shadowed", "local-value")
        try repo.git("config", "gpg.format", "ssh")
        try repo.git("config", "evident.probe.flag", "yes")
        let git = try GitRepository.open(path: repo.path)
        XCTAssertEqual(try git.configString("user.name"), "Test User")
        XCTAssertEqual(try git.configString("user.email"), "test@example.com")
        XCTAssertEqual(try git.configString("gpg.format"), "ssh")
        XCTAssertEqual(try git.configString("evident.probe.shadowed"), "local-value")
        XCTAssertEqual(try git.configString("evident.probe.globalonly"), "from-global", "falls back to ~/.gitconfig")
        XCTAssertNil(try git.configString("user.signingkey"))
        XCTAssertEqual(try git.configBool("evident.probe.flag"), true)
        XCTAssertNil(try git.configBool("evident.probe.missing"))
        XCTAssertEqual(try git.defaultSignature().email, "test@example.com")
    }

    func testOpenFromEnvironmentUsesGitIndexFile() throws {
        let repo = try TempRepo()
        try repo.write("staged.md", "in the alternate index\n")
        let alternate = repo.path + "/.git/alt-index"
        try repo.git("add", "staged.md", env: ["GIT_INDEX_FILE": alternate])
        XCTAssertEqual(
            try repo.git("status", "--porcelain", "staged.md"), "?? staged.md", "the main index does not have it")

        setenv("GIT_DIR", repo.path + "/.git", 1)
        setenv("GIT_INDEX_FILE", alternate, 1)
        defer {
            unsetenv("GIT_DIR")
            unsetenv("GIT_INDEX_FILE")
        }
        let git = try GitRepository.openFromEnvironment()
        XCTAssertEqual(try git.readIndexedFile(path: "staged.md"), Data("in the alternate index\n".utf8))
    }
}

extension String {
    fileprivate func leftPad(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
