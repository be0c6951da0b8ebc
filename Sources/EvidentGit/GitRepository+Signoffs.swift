import CGit2
import Foundation

// Reading that sign-offs, `check --staged` and `hooks install` need beyond the general
// readers: a history walk that skips everything but sign-off commits cheaply, one level
// of a tree, and where hooks live (the staged changes are in GitRepository+Staged.swift).
// Like the rest of this module, nothing here refreshes or writes the index.

/// One path the index changes relative to HEAD: what `git diff --cached --name-status` lists.
public struct GitStagedChange: Sendable, Equatable, Hashable {
    public enum Status: Sendable, Equatable, Hashable {
        case added, modified, deleted, typeChanged
    }

    /// Repository-relative path (the old path for a deletion).
    public let path: String
    public let status: Status

    public init(path: String, status: Status) {
        self.path = path
        self.status = status
    }
}

extension GitRepository {
    /// The repository's common directory: `.git` for the main work tree and for linked
    /// work trees alike. Hooks live under it (`git rev-parse --git-path hooks`).
    public var commonDir: String {
        var path = optionalString(git_repository_commondir(pointer)) ?? gitDir
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        return path
    }

    /// Names of the folders directly inside `folder` at `revision` (one tree level, not
    /// a recursive listing), sorted. Empty when the folder does not exist or HEAD is unborn.
    public func subfolders(of folder: String, atRevision revision: String = "HEAD") throws -> [String] {
        let folder = try normalizedRepoPath(folder, allowEmpty: true)
        guard let root = try treeHandle(revision: revision) else { return [] }
        var treeToList = root
        if !folder.isEmpty {
            guard let entry = try entry(folder, in: root, "look up '\(folder)' in \(revision)"),
                let oid = entry.withPointer({
                    git_tree_entry_type($0) == GIT_OBJECT_TREE ? git_tree_entry_id($0).pointee : nil
                })
            else { return [] }
            treeToList = try treeHandle(oid: oid)
        }
        return treeToList.withPointer { tree in
            var names: [String] = []
            for i in 0..<git_tree_entrycount(tree) {
                guard let entry = git_tree_entry_byindex(tree, i),
                    git_tree_entry_type(entry) == GIT_OBJECT_TREE,
                    let name = optionalString(git_tree_entry_name(entry))
                else { continue }
                names.append(name)
            }
            return names.sorted()
        }
    }

    /// Whether `commit` has `ancestor` in its history (a commit is not its own descendant).
    public func isDescendant(_ commit: String, of ancestor: String) throws -> Bool {
        try ensureLibgit2()
        var commitID = try parseFullID(commit, what: "commit id")
        var ancestorID = try parseFullID(ancestor, what: "commit id")
        let rc = git_graph_descendant_of(pointer, &commitID, &ancestorID)
        try check(rc, "compare the history of \(commit) and \(ancestor)")
        return rc == 1
    }

    /// Whether an object with this full id exists in the object database.
    public func hasObject(_ id: String) -> Bool {
        guard (try? ensureLibgit2()) != nil, var oid = try? parseFullID(id) else { return false }
        guard let odb = try? OdbHandle.make("open object database", owner: self, { git_repository_odb(&$0, pointer) })
        else { return false }
        return odb.withPointer { git_odb_exists($0, &oid) == 1 }
    }

    /// Visits, newest first (children before parents), the commits reachable from HEAD
    /// (or `revision`) but not from `hiding`, whose message mentions `keyword` (ASCII, compared without
    /// case, as git compares trailer keys).
    ///
    /// Most commits are not sign-offs: each message is scanned in place, in C memory,
    /// and only matching commits are copied into a `GitCommitInfo`, which keeps a walk
    /// over a long history close to libgit2's own speed.
    public func forEachCommit(
        mentioning keyword: String, from revision: String? = nil, hiding: String? = nil,
        _ visit: (GitCommitInfo) throws -> Void
    ) throws {
        let start: git_oid
        if let revision {
            start = try commitHandle(revision: revision).id
        } else {
            switch try readHead() {
            case .detached(let oid): start = oid
            case .symbolic(_, let oid):
                guard let oid else { return }
                start = oid
            }
        }
        let needle = Array(keyword.lowercased().utf8)
        var startID = start
        try RevwalkHandle.make("start a history walk", owner: self) { git_revwalk_new(&$0, pointer) }.withPointer {
            try visitMentions($0, from: &startID, hiding: hiding, needle: needle, visit)
        }
    }

    private func visitMentions(
        _ walker: OpaquePointer, from startID: inout git_oid, hiding: String?, needle: [UInt8],
        _ visit: (GitCommitInfo) throws -> Void
    ) throws {
        try check(
            git_revwalk_sorting(walker, GIT_SORT_TOPOLOGICAL.rawValue | GIT_SORT_TIME.rawValue),
            "sort the history walk")
        try check(git_revwalk_push(walker, &startID), "start the walk at HEAD")
        if let hiding {
            var hidden = try parseFullID(hiding, what: "commit id")
            try check(git_revwalk_hide(walker, &hidden), "skip history before \(hiding)")
        }
        var oid = git_oid()
        while true {
            let rc = git_revwalk_next(&oid, walker)
            if rc == GIT_ITEROVER.rawValue { break }
            try check(rc, "walk history from HEAD")
            let commit = try commitHandle(oid: oid)
            let mentions = commit.withPointer { commit in
                git_commit_message(commit).map { GitRepository.contains($0, lowercasedNeedle: needle) } ?? false
            }
            guard mentions else { continue }
            try visit(commitInfo(commit))
        }
    }

    /// Case-insensitive ASCII substring search in a NUL-terminated C string.
    private static func contains(_ text: UnsafePointer<CChar>, lowercasedNeedle needle: [UInt8]) -> Bool {
        guard let first = needle.first else { return true }
        let length = strlen(text)
        guard length >= needle.count else { return false }
        return text.withMemoryRebound(to: UInt8.self, capacity: length) { bytes in
            func lower(_ c: UInt8) -> UInt8 { c >= 65 && c <= 90 ? c + 32 : c }
            var i = 0
            while i + needle.count <= length {
                if lower(bytes[i]) == first {
                    var j = 1
                    while j < needle.count && lower(bytes[i + j]) == needle[j] { j += 1 }
                    if j == needle.count { return true }
                }
                i += 1
            }
            return false
        }
    }
}
