import EvidentTestSupport
import Foundation
import XCTest

@testable import EvidentGit

/// `changedPaths(since:)` (built from HEAD's tree, the index and stat data rather than
/// libgit2's tree-to-work-tree diff) against the git CLI: `git diff --name-only
/// --no-renames <base>` plus `git ls-files --others --exclude-standard`, after every
/// kind of change, in random order.
final class ChangedPathsTests: XCTestCase {
    private func expected(_ repo: TempRepo, since base: String, under prefix: String? = nil) throws -> [String] {
        let pathspec = prefix.map { ["--", $0] } ?? []
        let diff = try repo.gitArgs(
            ["-c", "core.quotePath=false", "diff", "--name-only", "--no-renames", base] + pathspec)
        let untracked = try repo.gitArgs(
            ["-c", "core.quotePath=false", "ls-files", "--others", "--exclude-standard"] + pathspec)
        return Set((diff + "\n" + untracked).split(separator: "\n").map(String.init)).sorted()
    }

    private func populated() throws -> TempRepo {
        let repo = try TempRepo()
        try repo.write("people.yaml", "people: []\n")
        for person in ["ana", "bo", "cy", "dee", "zoë"] {
            try repo.write("cycles/2026-h2/\(person)/review.md", "review of \(person)\n")
            try repo.write("cycles/2026-h2/\(person)/self.md", "self review of \(person)\n")
        }
        try repo.write("teams/core.yaml", "id: core\n")
        try repo.write("levels/eng-1.md", "level\n")
        try repo.write(".gitignore", "build/\n*.tmp\n")
        try repo.git("add", "-A")
        try repo.git("commit", "-q", "-m", "base")
        return repo
    }

    func testChangedPathsAgreeWithGitDiffAndUntrackedFiles() throws {
        var random = SeededGenerator.forTest(self)
        for round in 1...6 {
            let repo = try populated()
            let base = try repo.git("rev-parse", "HEAD")
            let repository = try GitRepository.open(path: repo.path)
            XCTAssertEqual(try repository.changedPaths(since: base), [], "nothing changed yet")
            var done: [String] = []
            for _ in 0..<Int.random(in: 3...9, using: &random) {
                let files = try repo.gitArgs(["-c", "core.quotePath=false", "ls-files"]).split(separator: "\n")
                    .map(String.init).filter { FileManager.default.fileExists(atPath: repo.path + "/" + $0) }
                guard !files.isEmpty else { break }
                let path = files.randomElement(using: &random)!
                let person = ["ana", "bo", "cy", "dee", "zoë", "new-\(Int.random(in: 1...3, using: &random))"]
                    .randomElement(
                        using: &random)!
                switch Int.random(in: 0...10, using: &random) {
                case 0:
                    try repo.write(path, "edited \(Int.random(in: 1...1000, using: &random))\n")
                    try repo.git("add", path)
                    try repo.git("commit", "-q", "-m", "edit")
                    done.append("committed an edit of \(path)")
                case 1:
                    try repo.write(path, "staged \(Int.random(in: 1...1000, using: &random))\n")
                    try repo.git("add", path)
                    done.append("staged an edit of \(path)")
                case 2:
                    try repo.write(path, "unstaged \(Int.random(in: 1...1000, using: &random))\n")
                    done.append("left an unstaged edit of \(path)")
                case 3:
                    try repo.git("rm", "-q", "-f", path)
                    done.append("removed \(path)")
                case 4:
                    try? FileManager.default.removeItem(atPath: repo.path + "/" + path)
                    done.append("deleted \(path) in the work tree")
                case 5:
                    try repo.write("cycles/2026-h2/\(person)/peer-x.md", "untracked\n")
                    done.append("left cycles/2026-h2/\(person)/peer-x.md untracked")
                case 6:
                    try repo.write("build/out/\(person).md", "ignored\n")
                    try repo.write("cycles/2026-h2/\(person)/draft.tmp", "ignored\n")
                    done.append("left ignored files for \(person)")
                case 7:
                    // Changed and undone: git diff lists nothing for it. Only a path the base
                    // has can be restored from it (not one renamed or added in this round).
                    guard (try? repo.git("cat-file", "-e", "\(base):\(path)")) != nil else { continue }
                    try repo.write(path, "changed then undone\n")
                    try repo.git("add", path)
                    try repo.git("commit", "-q", "-m", "change")
                    try repo.git("checkout", base, "--", path)
                    done.append("changed and undid \(path)")
                case 8:
                    try repo.git("update-index", "--chmod=+x", path)
                    done.append("made \(path) executable in the index")
                case 9:
                    let content = try String(contentsOfFile: repo.path + "/" + path, encoding: .utf8)
                    // Same size, written in the index's second: only the bytes tell.
                    try repo.write(path, String(content.reversed()))
                    done.append("reversed \(path) in place")
                default:
                    try repo.git("mv", path, path + ".moved")
                    done.append("renamed \(path)")
                }
            }
            let context = "round \(round): \(done.joined(separator: "; "))"
            XCTAssertEqual(try repository.changedPaths(since: base), try expected(repo, since: base), context)
            XCTAssertEqual(
                try repository.changedPaths(since: base, under: "cycles"),
                try expected(repo, since: base, under: "cycles"),
                context)
        }
    }
}
