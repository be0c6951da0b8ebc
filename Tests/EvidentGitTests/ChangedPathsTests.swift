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

    /// Whether `path` is a regular file reached through folders only (no link on the way),
    /// so that writing it and `git add` change the file git tracks.
    private func isPlainFile(_ root: String, _ path: String) -> Bool {
        var info = stat()
        var prefix = root
        let components = path.split(separator: "/")
        for (position, component) in components.enumerated() {
            prefix += "/" + component
            guard lstat(prefix, &info) == 0 else { return false }
            let kind = info.st_mode & S_IFMT
            guard kind == (position == components.count - 1 ? S_IFREG : S_IFDIR) else { return false }
        }
        return true
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
                    .map(String.init).filter { isPlainFile(repo.path, $0) }
                guard !files.isEmpty else { break }
                let path = files.randomElement(using: &random)!
                let person = ["ana", "bo", "cy", "dee", "zoë", "new-\(Int.random(in: 1...3, using: &random))"]
                    .randomElement(
                        using: &random)!
                // Files are written into a person folder only while it is one (case 10 replaces some).
                let personFolder = repo.path + "/cycles/2026-h2/\(person)"
                var info = stat()
                let writable = lstat(personFolder, &info) != 0 || info.st_mode & S_IFMT == S_IFDIR
                switch Int.random(in: 0...13, using: &random) {
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
                    guard writable else { continue }
                    try repo.write("cycles/2026-h2/\(person)/peer-x.md", "untracked\n")
                    done.append("left cycles/2026-h2/\(person)/peer-x.md untracked")
                case 6:
                    guard writable else { continue }
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
                case 10:
                    // A person folder that became a file, or a link to another person's folder:
                    // its files are gone (git does not follow the link) and the name is untracked.
                    let folder = "cycles/2026-h2/\(person)"
                    guard FileManager.default.fileExists(atPath: repo.path + "/" + folder) else { continue }
                    try FileManager.default.removeItem(atPath: repo.path + "/" + folder)
                    if Bool.random(using: &random) {
                        try repo.write(folder, "a file now\n")
                        done.append("replaced the folder \(folder) with a file")
                    } else {
                        try FileManager.default.createSymbolicLink(
                            atPath: repo.path + "/" + folder, withDestinationPath: "bo")
                        done.append("replaced the folder \(folder) with a link to bo")
                    }
                case 11:
                    // A file that became a folder (its files untracked) or a link.
                    try FileManager.default.removeItem(atPath: repo.path + "/" + path)
                    if Bool.random(using: &random) {
                        try repo.write(path + "/inside.md", "a folder now\n")
                        done.append("replaced \(path) with a folder")
                    } else {
                        try FileManager.default.createSymbolicLink(
                            atPath: repo.path + "/" + path, withDestinationPath: "../../../people.yaml")
                        done.append("replaced \(path) with a link")
                    }
                case 12:
                    guard writable else { continue }
                    // Ignored and untracked folders inside tracked ones, nested, and a pipe (never listed).
                    try repo.write("cycles/2026-h2/\(person)/build/out.md", "ignored\n")
                    try repo.write("cycles/2026-h2/\(person)/notes/deeper/n.md", "untracked\n")
                    let pipe = repo.path + "/cycles/2026-h2/pipe-\(person)"
                    if !FileManager.default.fileExists(atPath: pipe) { XCTAssertEqual(mkfifo(pipe, 0o644), 0) }
                    done.append("left an ignored folder, an untracked nested folder and a pipe for \(person)")
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

    /// The shapes a work tree can take that the walk treats apart, each beside git:
    /// links where files and folders were, a folder where a file was, ignored and
    /// untracked folders at every depth, a pipe, and a file rewritten (same size) in the
    /// second the index was written, which only its bytes give away.
    func testEveryWorkTreeShapeAgreesWithGit() throws {
        let repo = try populated()
        try repo.write("cycles/2026-h2/ana/evidence.md", "same size\n")
        try repo.git("add", "-A")
        try repo.git("commit", "-q", "-m", "more")
        let base = try repo.git("rev-parse", "HEAD")
        let repository = try GitRepository.open(path: repo.path)
        // Racily clean: same size, written right after the index, so stat data alone cannot tell.
        try repo.write("cycles/2026-h2/ana/evidence.md", "SAME SIZE\n")
        XCTAssertEqual(try repository.changedPaths(since: base), ["cycles/2026-h2/ana/evidence.md"])
        let files = FileManager.default
        let root = repo.path + "/"
        try files.removeItem(atPath: root + "cycles/2026-h2/bo")
        try files.createSymbolicLink(atPath: root + "cycles/2026-h2/bo", withDestinationPath: "cy")
        try files.removeItem(atPath: root + "cycles/2026-h2/dee")
        try repo.write("cycles/2026-h2/dee", "a file where a folder was\n")
        try files.removeItem(atPath: root + "teams/core.yaml")
        try repo.write("teams/core.yaml/inside.yaml", "a folder where a file was\n")
        try files.removeItem(atPath: root + "levels/eng-1.md")
        try files.createSymbolicLink(atPath: root + "levels/eng-1.md", withDestinationPath: "../people.yaml")
        try files.createSymbolicLink(atPath: root + "cycles/2026-h2/zoë/link.md", withDestinationPath: "review.md")
        try repo.write("cycles/2026-h2/cy/build/out.md", "ignored\n")
        try repo.write("cycles/2026-h2/cy/x.tmp", "ignored\n")
        try repo.write("cycles/2026-h2/new/deeper/still/file.md", "untracked\n")
        XCTAssertEqual(mkfifo(root + "cycles/2026-h2/pipe", 0o644), 0)
        let changed = try repository.changedPaths(since: base)
        XCTAssertEqual(changed, try expected(repo, since: base))
        for path in [
            "cycles/2026-h2/bo", "cycles/2026-h2/bo/review.md", "cycles/2026-h2/dee", "cycles/2026-h2/dee/self.md",
            "teams/core.yaml", "teams/core.yaml/inside.yaml", "levels/eng-1.md", "cycles/2026-h2/zoë/link.md",
            "cycles/2026-h2/new/deeper/still/file.md",
        ] {
            XCTAssertTrue(changed.contains(path), "\(path) should be listed: \(changed)")
        }
        XCTAssertFalse(changed.contains { $0.contains("build/") || $0.hasSuffix(".tmp") || $0.hasSuffix("pipe") })
        XCTAssertEqual(
            try repository.changedPaths(since: base, under: "cycles"), try expected(repo, since: base, under: "cycles"))
        // Under a folder that is now a link: its files are gone. (The link itself is not
        // under the folder, though git's pathspec would match it.)
        XCTAssertEqual(
            try repository.changedPaths(since: base, under: "cycles/2026-h2/bo"),
            ["cycles/2026-h2/bo/review.md", "cycles/2026-h2/bo/self.md"])
    }
}
