import EvidentTestSupport
import Foundation
import XCTest

@testable import EvidentGit

/// The index reader (`GitIndexFile`) and the staged-change walk built on it, checked
/// against the git CLI: `git ls-files --stage` and `git diff --cached --name-status`.
final class IndexReadingTests: XCTestCase {
    /// `git ls-files --stage` in the reader's terms: mode, id, stage and path per line.
    private func lsFiles(_ repo: TempRepo) throws -> [String] {
        try repo.git("-c", "core.quotePath=false", "ls-files", "--stage").split(separator: "\n").map(String.init)
    }

    private func parsed(_ repo: TempRepo) throws -> GitIndexFile {
        let data = try Data(contentsOf: URL(fileURLWithPath: repo.path + "/.git/index"))
        return try XCTUnwrap(GitIndexFile.parse(Array(data)), "the reader gave up on an index git wrote")
    }

    private func render(_ index: GitIndexFile) -> [String] {
        index.entries.indices.map { position in
            let entry = index.entries[position]
            return
                "\(String(entry.mode, radix: 8)) \(hexString(entry.id)) \(entry.stage)\t\(index.pathString(position))"
        }
    }

    /// A repository with nested folders, an executable, a symlink and non-ASCII names.
    private func populatedRepo() throws -> TempRepo {
        let repo = try TempRepo()
        try repo.write("people.yaml", "people: []\n")
        try repo.write("levels/eng-1.md", "level\n")
        try repo.write("cycles/2026-h2/ana/review.md", "review\n")
        try repo.write("cycles/2026-h2/ana/evidence.md", "evidence\n")
        try repo.write("cycles/2026-h2/bo/review.md", "review b\n")
        try repo.write("cycles/2026-h2/zoë/review.md", "review z\n")
        try repo.write("cycles/2026-h2.md", "a file beside the folder\n")
        try repo.write("a-very-long-folder-name-to-exercise-padding/and-a-long-file-name.md", "x\n")
        try repo.write("run.sh", "#!/bin/sh\n")
        try repo.git("update-index", "--add", "--chmod=+x", "run.sh")
        XCTAssertEqual(symlink("people.yaml", repo.path + "/link.yaml"), 0)
        try repo.git("add", "-A")
        try repo.git("commit", "-q", "-m", "content")
        return repo
    }

    func testReadsEveryIndexVersionGitWrites() throws {
        let repo = try populatedRepo()
        for version in ["2", "3", "4"] {
            try repo.git("update-index", "--index-version", version)
            if version == "3" {
                // Extended flags only appear (and version 3 is only kept) with them.
                try repo.write("intent.md", "later\n")
                try repo.git("add", "-N", "intent.md")
            }
            let index = try parsed(repo)
            let expected = try lsFiles(repo).filter { !$0.hasSuffix("\tintent.md") }
            XCTAssertEqual(render(index), expected, "index version \(version)")
            XCTAssertTrue(try lsFiles(repo).count >= expected.count)
        }
    }

    func testIntentToAddEntriesAreNotStagedContent() throws {
        let repo = try populatedRepo()
        try repo.write("intent.md", "later\n")
        try repo.git("add", "-N", "intent.md")
        XCTAssertTrue(try lsFiles(repo).contains { $0.hasSuffix("\tintent.md") }, "git lists the entry")
        let git = try GitRepository.open(path: repo.path)
        XCTAssertNil(try git.indexEntry(path: "intent.md"))
        XCTAssertEqual(try git.stagedChanges(), [])
    }

    func testCachedTreeMatchesTheTreeGitWrites() throws {
        let repo = try populatedRepo()
        let index = try parsed(repo)
        let root = try XCTUnwrap(index.cachedTree)
        XCTAssertEqual(root.id.map(hexString), try repo.git("rev-parse", "HEAD^{tree}"))
        XCTAssertEqual(root.entryCount, index.entries.count)
        let cycles = try XCTUnwrap(root.child(named: Array("cycles".utf8)))
        XCTAssertEqual(cycles.id.map(hexString), try repo.git("rev-parse", "HEAD:cycles"))
        let folder = try XCTUnwrap(
            cycles.child(named: Array("2026-h2".utf8))?.child(named: Array("zoë".utf8)))
        XCTAssertEqual(folder.id.map(hexString), try repo.git("rev-parse", "HEAD:cycles/2026-h2/zoë"))

        // Staging a file invalidates the folders on its path, and only those.
        try repo.write("cycles/2026-h2/ana/review.md", "changed\n")
        try repo.git("add", "cycles/2026-h2/ana/review.md")
        let after = try XCTUnwrap(try parsed(repo).cachedTree)
        XCTAssertEqual(after.entryCount, -1)
        let h2 = try XCTUnwrap(after.child(named: Array("cycles".utf8))?.child(named: Array("2026-h2".utf8)))
        XCTAssertEqual(h2.entryCount, -1)
        XCTAssertEqual(
            h2.child(named: Array("bo".utf8))?.id.map(hexString),
            try repo.git("rev-parse", "HEAD:cycles/2026-h2/bo"))
    }

    /// A folder's subtrees found by hash (`ChildTable`, the staged walk's lookup in a
    /// folder of many people) are those the binary search finds, for every name and for
    /// names that are missing, prefixes or extensions of others, or differ in one byte.
    func testChildTableFindsWhatTheBinarySearchFinds() throws {
        let repo = try TempRepo()
        var random = SeededGenerator.forTest(self)
        var names: Set<String> = ["a", "ab", "abc", "b", "a-b", "a.b", "zoë", "z", "aa", "ba"]
        while names.count < 300 {
            let length = 1 + Int(random.next() % 12)
            let name = String((0..<length).map { _ in "abcxyz-._0189é".randomElement(using: &random)! })
            if !name.hasPrefix(".") { names.insert(name) }
        }
        for name in names { try repo.write("people/\(name)/review.md", "\(name)\n") }
        try repo.git("add", "-A")
        try repo.git("commit", "-q", "-m", "many folders")
        let index = try parsed(repo)
        let folder = try XCTUnwrap(index.cachedTree?.child(named: Array("people".utf8)))
        XCTAssertEqual(folder.childCount, names.count)
        let table = GitIndexFile.ChildTable(folder)
        let probes = names.sorted() + ["", "missing", "abcd", "a-", "zo", "zoë-", "people"]
        for probe in probes {
            let key = Array(probe.utf8)
            let storage = IndexStorage(copying: key)
            let bytes = IndexBytes(storage: storage, range: 0..<key.count)
            let expected = folder.child(named: key)
            let found = table.child(named: bytes)
            XCTAssertEqual(
                found.map { Array($0.name) }, expected.map { Array($0.name) }, "seed \(random.seed): \(probe)")
            XCTAssertEqual(found?.id.map(hexString), expected?.id.map(hexString), "seed \(random.seed): \(probe)")
            XCTAssertEqual(found == nil, !names.contains(probe), probe)
        }
    }

    /// Git writes a folder's cached subtrees shortest name first; a file that lists them
    /// otherwise (two siblings swapped here) is sorted on reading, and every lookup still
    /// finds its folder.
    func testCachedSubtreesOutOfGitsOrderAreSorted() throws {
        let repo = try populatedRepo()
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: repo.path + "/.git/index")))
        let tree = try XCTUnwrap(
            (0..<(bytes.count - 4)).last { bytes[$0..<$0 + 4].elementsEqual("TREE".utf8) }, "no TREE extension")
        // One subtree record: the name, NUL, "<entries> <subtrees>\n", then the 20-byte id.
        func record(_ name: String) throws -> Range<Int> {
            let key = Array(name.utf8) + [0]
            let start = try XCTUnwrap(
                (tree..<(bytes.count - key.count)).first { bytes[$0..<$0 + key.count].elementsEqual(key) }, name)
            let newline = try XCTUnwrap(bytes[start...].firstIndex(of: UInt8(ascii: "\n")))
            return start..<newline + 1 + 20
        }
        let bo = try record("bo")
        let ana = try record("ana")
        XCTAssertEqual(bo.upperBound, ana.lowerBound, "git writes the shorter name first")
        bytes.replaceSubrange(bo.lowerBound..<ana.upperBound, with: Array(bytes[ana]) + Array(bytes[bo]))
        let index = try XCTUnwrap(GitIndexFile.parse(bytes))
        let h2 = try XCTUnwrap(
            index.cachedTree?.child(named: Array("cycles".utf8))?.child(named: Array("2026-h2".utf8)))
        XCTAssertEqual(h2.children.map { String(decoding: Array($0.name), as: UTF8.self) }, ["bo", "ana", "zoë"])
        for name in ["ana", "bo", "zoë"] {
            XCTAssertEqual(
                h2.child(named: Array(name.utf8))?.id.map(hexString),
                try repo.git("rev-parse", "HEAD:cycles/2026-h2/\(name)"), name)
        }
        XCTAssertNil(h2.child(named: Array("an".utf8)))
    }

    /// Staged changes against `git diff --cached --name-status`, in scenarios that touch
    /// every branch of the walk.
    func testStagedChangesAgreeWithGitDiffCached() throws {
        let repo = try populatedRepo()
        let git = try GitRepository.open(path: repo.path)
        func assertAgrees(_ scenario: String, file: StaticString = #filePath, line: UInt = #line) throws {
            let expected = try repo.git("diff", "--cached", "--name-status", "--no-renames")
                .split(separator: "\n").map(String.init)
            let actual = try git.stagedChanges().map { change -> String in
                let letter: String
                switch change.status {
                case .added: letter = "A"
                case .modified: letter = "M"
                case .deleted: letter = "D"
                case .typeChanged: letter = "T"
                }
                return "\(letter)\t\(change.path)"
            }
            XCTAssertEqual(actual, expected, scenario, file: file, line: line)
        }
        try assertAgrees("nothing staged")
        try repo.write("cycles/2026-h2/ana/review.md", "changed\n")
        try repo.write("cycles/2026-h2/cy/review.md", "new person\n")
        try repo.git("add", "-A")
        try assertAgrees("a modified and an added file")
        try repo.git("rm", "-q", "--cached", "cycles/2026-h2/bo/review.md")
        try assertAgrees("a deleted file")
        try repo.git("update-index", "--chmod=-x", "run.sh")
        try assertAgrees("a mode change")
        try repo.git("rm", "-q", "--cached", "link.yaml")
        try FileManager.default.removeItem(atPath: repo.path + "/link.yaml")
        try repo.write("link.yaml", "now a file\n")
        try repo.git("add", "link.yaml")
        try assertAgrees("a symlink turned into a file")
        try repo.git("rm", "-q", "-r", "--cached", "levels")
        try FileManager.default.removeItem(atPath: repo.path + "/levels")
        try repo.write("levels", "a file where a folder was\n")
        try repo.git("add", "levels")
        try assertAgrees("a folder replaced by a file")
        try repo.git("rm", "-q", "--cached", "people.yaml")
        try FileManager.default.removeItem(atPath: repo.path + "/people.yaml")
        try repo.write("people.yaml/nested.yaml", "a folder where a file was\n")
        try repo.git("add", "people.yaml")
        try assertAgrees("a file replaced by a folder")
        try repo.git("update-index", "--index-version", "4")
        try assertAgrees("index version 4")
        // An index without a cached tree (read-tree of an empty tree, then add back)
        // takes the slow path through every folder: same answer.
        try repo.git("read-tree", "--empty")
        try repo.git("add", "-A")
        XCTAssertNil(try parsed(repo).cachedTree?.id)
        try assertAgrees("no cached tree")
        XCTAssertEqual(
            try git.stagedChanges(under: "cycles/2026-h2").map(\.path),
            ["cycles/2026-h2/ana/review.md", "cycles/2026-h2/cy/review.md"], "bo's review is back: add -A found it")
    }

    func testConflictsAreModifiedAndUnbornHeadIsAllAdded() throws {
        let unborn = try TempRepo(initialCommit: false)
        try unborn.write("a/b.md", "b\n")
        try unborn.write("c.md", "c\n")
        try unborn.git("add", "-A")
        XCTAssertEqual(
            try GitRepository.open(path: unborn.path).stagedChanges(),
            [GitStagedChange(path: "a/b.md", status: .added), GitStagedChange(path: "c.md", status: .added)])

        let repo = try TempRepo()
        try repo.commitFile("review.md", "base\n", message: "base")
        try repo.git("checkout", "-q", "-b", "other")
        try repo.commitFile("review.md", "other\n", message: "other")
        try repo.git("checkout", "-q", "main")
        try repo.commitFile("review.md", "main\n", message: "main")
        XCTAssertNotEqual(try repo.gitResult(["merge", "-q", "other"]).status, 0, "the merge must conflict")
        let git = try GitRepository.open(path: repo.path)
        XCTAssertEqual(try git.stagedChanges(), [GitStagedChange(path: "review.md", status: .modified)])
        XCTAssertTrue(try git.pathStatus("review.md").isConflicted)
        XCTAssertNil(try git.indexEntry(path: "review.md"), "a conflicted path has no stage-0 entry")
    }

    /// Every truncation and a sample of corruptions of a real index: the reader returns
    /// nil or an index, and never traps.
    func testMalformedIndexesAreRefusedWithoutCrashing() throws {
        let repo = try populatedRepo()
        try repo.git("update-index", "--index-version", "4")
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: repo.path + "/.git/index")))
        XCTAssertNotNil(GitIndexFile.parse(bytes))
        for length in 0..<bytes.count {
            _ = GitIndexFile.parse(Array(bytes[..<length]))
        }
        var generator = SeededGenerator.forTest(self)
        for _ in 0..<2000 {
            var corrupt = bytes
            for _ in 0..<3 {
                corrupt[Int.random(in: 0..<corrupt.count, using: &generator)] = UInt8.random(
                    in: 0...255, using: &generator)
            }
            _ = GitIndexFile.parse(corrupt)
        }
        XCTAssertNil(
            GitIndexFile.parse(Array("DIRC".utf8) + [0, 0, 0, 9] + [UInt8](repeating: 0, count: 40)), "unknown version")
    }

    /// One path's entries found by a scan (a sign-off's lookup) are the full parse's
    /// entries of that path, in every index version, for every path, a conflicted path's
    /// three stages, an intent-to-add path (none) and a missing one (none).
    func testOnePathScanAgreesWithTheFullParse() throws {
        let repo = try populatedRepo()
        let blob = try repo.git("rev-parse", "HEAD:people.yaml")
        let conflict = (1...3).map { "100644 \(blob) \($0)\tcycles/2026-h2/bo/conflict.md" }.joined(separator: "\n")
        try repo.git("update-index", "--index-info", stdin: conflict + "\n")
        try repo.write("intent.md", "later\n")
        try repo.git("add", "-N", "intent.md")
        let path = repo.path + "/.git/index"
        for version in ["2", "3", "4"] {
            try repo.git("update-index", "--index-version", version)
            let full = try XCTUnwrap(GitIndexFile.read(mapping: path), "version \(version)")
            XCTAssertFalse(full.isPartial)
            let lines = render(full)
            XCTAssertEqual(lines.filter { $0.hasSuffix("\tcycles/2026-h2/bo/conflict.md") }.count, 3)
            let paths = Set((0..<full.entries.count).map(full.pathString))
            for name in paths.sorted() + ["intent.md", "missing.md", "cycles", "cycles/2026-h2/bo"] {
                let one = try XCTUnwrap(GitIndexFile.read(mapping: path, only: [name]), "version \(version), \(name)")
                XCTAssertTrue(one.isPartial)
                XCTAssertEqual(render(one), lines.filter { $0.hasSuffix("\t" + name) }, "version \(version), \(name)")
                XCTAssertEqual(one.find(name) != nil, full.find(name) != nil, "version \(version), \(name)")
                XCTAssertNil(one.cachedTree, "a scan keeps no cached tree but its root's id")
                XCTAssertEqual(one.cachedRootID.map(hexString), full.cachedRootID.map(hexString))
            }
            // Several paths in one scan (as a sign-off asks for its review, cycle.yaml,
            // evident.yaml and people.yaml), given in any order: each found as alone.
            let names = paths.sorted().reversed() + ["intent.md", "missing.md"]
            for count in [2, 3, 5] {
                let chosen = Array(names.enumerated().filter { $0.offset % count == 0 }.map(\.element))
                let some = try XCTUnwrap(GitIndexFile.read(mapping: path, only: chosen), "version \(version)")
                XCTAssertEqual(
                    render(some), lines.filter { line in chosen.contains { line.hasSuffix("\t" + $0) } },
                    "version \(version), \(chosen)")
                for name in chosen {
                    XCTAssertEqual(
                        some.find(name).map { some.entries[$0].id }.map(hexString),
                        full.find(name).map { full.entries[$0].id }.map(hexString), "version \(version), \(name)")
                }
            }
        }
        // Through the repository: a status reads the one path, and leaves no partial index
        // behind for a reader of the whole index.
        let git = try GitRepository.open(path: repo.path)
        XCTAssertEqual(try git.pathStatus("people.yaml").indexBlobID, blob)
        XCTAssertTrue(try git.pathStatus("cycles/2026-h2/bo/conflict.md").isConflicted)
        XCTAssertFalse(try git.index().isPartial)
        XCTAssertEqual(render(try git.index()).count, render(try XCTUnwrap(GitIndexFile.read(mapping: path))).count)
    }

    /// A sign-off looks committed files up in the index when the index's cached tree says
    /// it stands for the commit's tree: the answers are the tree's, right after a commit
    /// (from the index), with a change staged, for an older revision and after a soft
    /// reset (from the tree, as the ids differ), for files, folders, links and missing paths.
    func testCommittedFilesThroughTheIndexAgreeWithTheTree() throws {
        let repo = try populatedRepo()
        let git = try GitRepository.open(path: repo.path)
        func compare(_ revision: String, _ note: String) throws {
            let paths =
                try git.listTree(revision: revision).map(\.path) + [
                    "cycles", "cycles/2026-h2/ana", "missing.md", "link.yaml", "cycles/2026-h2/ana/new.md",
                ]
            for path in paths {
                git.committedFilesThroughIndex = false
                let fromTree = try git.fileEntry(path: path, atRevision: revision)
                git.committedFilesThroughIndex = true
                XCTAssertEqual(try git.fileEntry(path: path, atRevision: revision), fromTree, "\(note): \(path)")
                XCTAssertEqual(
                    try git.readFile(path: path, atRevision: revision),
                    try fromTree.map { try git.readBlob(id: $0.blobID) }, "\(note): \(path)")
                // As a sign-off reads: the index scanned for its paths of interest, never parsed whole.
                let scanning = try GitRepository.open(path: repo.path)
                scanning.committedFilesThroughIndex = true
                scanning.indexPathsOfInterest = ["people.yaml", "cycles/2026-h2/ana/review.md"]
                XCTAssertEqual(try scanning.fileEntry(path: path, atRevision: revision), fromTree, "\(note): \(path)")
                XCTAssertEqual(
                    try scanning.readFile(path: path, atRevision: revision),
                    try fromTree.map { try git.readBlob(id: $0.blobID) }, "\(note): \(path)")
                XCTAssertEqual(
                    try scanning.pathStatus("people.yaml").indexBlobID, try git.pathStatus("people.yaml").indexBlobID)
                XCTAssertNil(scanning.cachedIndex.map { _ in path }, "\(note): the index was parsed whole")
            }
            git.committedFilesThroughIndex = false
        }
        func indexStandsForHead() throws -> Bool {
            try git.index().cachedRootID.map(hexString) == repo.git("rev-parse", "HEAD^{tree}")
        }
        XCTAssertTrue(try indexStandsForHead(), "git wrote the tree ids of the index at the commit")
        try compare("HEAD", "clean")
        try repo.write("cycles/2026-h2/ana/review.md", "changed\n")
        try repo.write("cycles/2026-h2/ana/new.md", "new\n")
        try repo.git("add", "-A")
        XCTAssertFalse(try indexStandsForHead())
        try compare("HEAD", "staged")
        try repo.git("commit", "-q", "-m", "second")
        try repo.git("status", "--porcelain")
        try compare("HEAD", "committed")
        try compare("HEAD~1", "older revision")
        try repo.git("reset", "-q", "--soft", "HEAD~1")
        XCTAssertFalse(try indexStandsForHead(), "the index stands for the later commit")
        try compare("HEAD", "soft reset")
        try compare("HEAD@{1}", "the later commit")
    }

    /// The index is mapped, not copied. Git replaces it by renaming a new file over it,
    /// which leaves a mapped index as it was: an index read before `git add` still gives
    /// the entries it had, and is intact.
    func testAMappedIndexIsUnchangedByGitReplacingTheFile() throws {
        let repo = try populatedRepo()
        let git = try GitRepository.open(path: repo.path)
        let before = try lsFiles(repo)
        let index = try git.index()
        try repo.write("people.yaml", "people: [changed]\n")
        try repo.write("new.md", "new\n")
        try repo.git("add", "-A")
        XCTAssertNotEqual(try lsFiles(repo), before)
        XCTAssertEqual(render(index), before)
        XCTAssertTrue(index.isIntact)
        XCTAssertNoThrow(try git.requireIntactIndex())
        XCTAssertEqual(render(try git.index()), try lsFiles(repo), "a new version of the file is read again")
    }

    /// An index rewritten in place and made shorter while mapped would kill the process
    /// with SIGBUS on the next read past its new end. The read finds zeros instead, and
    /// the repository refuses what was read (a check or a sign-off then fails, exit 2).
    func testAnIndexTruncatedWhileMappedIsRefusedWithoutCrashing() throws {
        let repo = try populatedRepo()
        // Enough entries that the index spans several pages.
        for number in 0..<300 {
            try repo.write("cycles/2026-h2/person-\(number)/review.md", "review \(number)\n")
        }
        try repo.git("add", "-A")
        let path = repo.path + "/.git/index"
        let git = try GitRepository.open(path: repo.path)
        let index = try git.index()
        XCTAssertTrue(index.isIntact)
        XCTAssertNoThrow(try git.requireIntactIndex())
        let size = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        XCTAssertGreaterThan(size, 3 * 4096)
        XCTAssertEqual(truncate(path, 100), 0)
        // Every entry and path read after the truncation: no SIGBUS, zeros past the end.
        let rendered = render(index)
        XCTAssertEqual(rendered.count, index.entries.count)
        XCTAssertTrue(
            rendered.last?.contains("0000000000000000000000000000000000000000") ?? false, "\(rendered.last ?? "")")
        XCTAssertFalse(index.isIntact)
        XCTAssertThrowsError(try git.requireIntactIndex()) { error in
            XCTAssertTrue("\(error)".contains("rewritten in place"), "\(error)")
        }
        // Another repository object, which mapped nothing, is not affected.
        XCTAssertNoThrow(try GitRepository.open(path: repo.path).requireIntactIndex())
    }

    /// Lookups and the staged walk are binary searches, so an index whose paths are out
    /// of order (git refuses one too) is left to libgit2, which sorts on reading.
    func testAnUnsortedIndexIsRefused() throws {
        let repo = try populatedRepo()
        try repo.git("update-index", "--index-version", "2")
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: repo.path + "/.git/index")))
        let index = try XCTUnwrap(GitIndexFile.parse(bytes))
        XCTAssertEqual(
            index.range(under: "cycles/2026-h2").map(index.pathString),
            [
                "cycles/2026-h2/ana/evidence.md", "cycles/2026-h2/ana/review.md", "cycles/2026-h2/bo/review.md",
                "cycles/2026-h2/zoë/review.md",
            ])
        XCTAssertEqual(index.range(under: "cycles/2026-h2/ana").count, 2)
        XCTAssertEqual(index.range(under: "cycles/2026-h2/an").count, 0)
        // The last path, run.sh, renamed in place to aun.sh: well formed, out of order.
        let last = try XCTUnwrap(index.find("run.sh"))
        XCTAssertEqual(last, index.entries.count - 1)
        bytes[index.entries.pathRange(last).lowerBound] = UInt8(ascii: "a")
        XCTAssertNil(GitIndexFile.parse(bytes), "paths out of order")
        bytes[index.entries.pathRange(last).lowerBound] = UInt8(ascii: "r")
        XCTAssertNotNil(GitIndexFile.parse(bytes))
    }

    func testAnIndexTheReaderLeavesToLibgit2StillReads() throws {
        let repo = try populatedRepo()
        // A split index stores entries in a shared file; the reader hands it to libgit2.
        try repo.git("update-index", "--split-index")
        let data = try Data(contentsOf: URL(fileURLWithPath: repo.path + "/.git/index"))
        XCTAssertNil(GitIndexFile.parse(Array(data)))
        let git = try GitRepository.open(path: repo.path)
        // libgit2 1.5 does not read split indexes either: it fails with an error. Either
        // way nothing traps, and no answer is ever a wrong entry.
        guard let fallback = try? git.index() else { return }
        for position in fallback.entries.indices {
            XCTAssertTrue(try lsFiles(repo).contains { $0.hasSuffix("\t" + fallback.pathString(position)) })
        }
    }

    func testAMissingIndexIsEmpty() throws {
        let repo = try TempRepo(initialCommit: false)
        let git = try GitRepository.open(path: repo.path)
        XCTAssertEqual(try git.index().entries.count, 0)
        XCTAssertEqual(try git.indexEntries(), [])
    }

    /// The organisation files of a staged check come from `.git/evident/blobs-v1`: the
    /// right bytes when the cache is fresh, stale, damaged or missing.
    func testStagedOrganisationFilesComeFromTheBlobCacheByContent() throws {
        let repo = try TempRepo()
        try repo.write("metrics.yaml", "metrics: [v1]\n")
        try repo.write("people.yaml", "people: []\n")
        try repo.write("teams/core.yaml", "id: core\n")
        try repo.write("cycles/2026-h2/ana/review.md", "review\n")
        try repo.git("add", "-A")
        try repo.git("commit", "-q", "-m", "content")
        func load() throws -> GitIndexSource {
            try GitIndexSource.load(
                repository: try GitRepository.open(path: repo.path), reviewRoot: "", displayRoot: repo.path,
                personFolders: ["cycles/2026-h2/ana"])
        }
        let cache = repo.path + "/.git/evident/blobs-v1"
        XCTAssertEqual(try load().read("metrics.yaml"), Array("metrics: [v1]\n".utf8))
        let written = try String(contentsOfFile: cache, encoding: .utf8)
        XCTAssertTrue(written.hasPrefix("evident-blobs 1\n"))
        XCTAssertTrue(written.contains(try repo.git("rev-parse", ":metrics.yaml")))
        XCTAssertFalse(written.contains("review\n"), "files being committed are not cached")
        XCTAssertFalse(written.contains(try repo.git("rev-parse", ":people.yaml")), "people.yaml has its own cache")

        // A new version of metrics.yaml has a new blob id: never the cached bytes.
        try repo.write("metrics.yaml", "metrics: [v2]\n")
        try repo.git("add", "metrics.yaml")
        XCTAssertEqual(try load().read("metrics.yaml"), Array("metrics: [v2]\n".utf8))
        XCTAssertEqual(try load().read("teams/core.yaml"), Array("id: core\n".utf8))

        // A damaged cache is ignored and rebuilt, whatever its lengths claim.
        let id = String(repeating: "a", count: 40)
        for damaged in [
            "evident-blobs 1\n0123 garbage", "evident-blobs 1\n\(id) 9223372036854775800\nx\n",
            "evident-blobs 1\n\(id) -1\nx\n", "evident-blobs 1\n\(id) 5\nx\n",
        ] {
            try Data(damaged.utf8).write(to: URL(fileURLWithPath: cache))
            XCTAssertEqual(try load().read("metrics.yaml"), Array("metrics: [v2]\n".utf8), damaged)
        }
        XCTAssertTrue(
            try String(contentsOfFile: cache, encoding: .utf8).contains(try repo.git("rev-parse", ":metrics.yaml")))
    }

    /// A file whose stat data matches its index entry is not hashed again, as in git; a
    /// change of the same size made after the index was written is still seen.
    func testWorkTreeStatusTrustsStatDataOnlyWhenItMatches() throws {
        let repo = try TempRepo()
        try repo.commitFile("review.md", "aaaa\n", message: "review")
        // Let the index's own time move past the file's, so the entry is not racily clean.
        Thread.sleep(forTimeInterval: 1.1)
        try repo.git("update-index", "--really-refresh")
        let git = try GitRepository.open(path: repo.path)
        let index = try git.index()
        let entry = index.entries[try XCTUnwrap(index.find("review.md"))]
        XCTAssertTrue(index.workTreeFileIsUnchanged(entry, at: repo.path + "/review.md"))
        XCTAssertFalse(try git.hasUncommittedChanges(path: "review.md"))

        try repo.write("review.md", "bbbb\n")
        XCTAssertFalse(index.workTreeFileIsUnchanged(entry, at: repo.path + "/review.md"))
        XCTAssertTrue(try git.hasUncommittedChanges(path: "review.md"))
        XCTAssertEqual(try git.workTreeBlobID(path: "review.md"), try repo.git("hash-object", "review.md"))
    }

    /// Racily clean entries (file and index written in the same second) are judged by
    /// their bytes: unchanged bytes are clean, a same-size edit is a change.
    func testRacilyCleanFilesAreJudgedByTheirBytes() throws {
        let repo = try TempRepo()
        try repo.commitFile("review.md", "cccc\n", message: "review")
        try repo.git("update-index", "--really-refresh")
        let git = try GitRepository.open(path: repo.path)
        let index = try git.index()
        let entry = index.entries[try XCTUnwrap(index.find("review.md"))]
        if entry.stat.modifiedSeconds == index.writtenSeconds {
            XCTAssertFalse(
                index.workTreeFileIsUnchanged(entry, at: repo.path + "/review.md"), "racy entries are not trusted")
        }
        XCTAssertFalse(try git.hasUncommittedChanges(path: "review.md"))
        try repo.write("review.md", "dddd\n")
        XCTAssertTrue(try git.hasUncommittedChanges(path: "review.md"))
        XCTAssertEqual(try git.pathStatus("review.md").workTreeBlobID, try repo.git("hash-object", "review.md"))
    }

    /// Named pipes where Evident expects its caches or git's index are refused, never
    /// waited on: a cache is ignored (and replaced), an index is an error.
    func testNamedPipesInsteadOfCachesOrTheIndexDoNotHang() throws {
        let repo = try TempRepo()
        try repo.write("people.yaml", "people: []\n")
        try repo.write("cycles/2026-h2/ana/review.md", "review\n")
        try repo.git("add", "-A")
        try repo.git("commit", "-q", "-m", "content")
        let folder = repo.path + "/.git/evident"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        XCTAssertEqual(mkfifo(folder + "/blobs-v1", 0o644), 0)
        XCTAssertEqual(mkfifo(folder + "/signoffs-v1", 0o644), 0)
        let git = try GitRepository.open(path: repo.path)
        let source = try GitIndexSource.load(
            repository: git, reviewRoot: "", displayRoot: repo.path, personFolders: ["cycles/2026-h2/ana"])
        XCTAssertEqual(try source.read("people.yaml"), Array("people: []\n".utf8))
        XCTAssertEqual(try SignoffHistory.records(in: git), [])

        try FileManager.default.removeItem(atPath: repo.path + "/.git/index")
        XCTAssertEqual(mkfifo(repo.path + "/.git/index", 0o644), 0)
        XCTAssertThrowsError(try GitRepository.open(path: repo.path).stagedChanges())
    }
}
