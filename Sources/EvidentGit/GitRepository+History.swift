import CGit2
import Foundation

// Reading history: walking commits and extracting commit signatures.

extension GitRepository {
    /// Commits reachable from `revision`, newest first (children always before their
    /// parents), at most `limit` of them. HEAD on an unborn branch has no commits.
    ///
    /// - Parameter firstParentOnly: follow only first parents, the branch's own line
    ///   of history, as `git log --first-parent` does.
    public func commits(from revision: String = "HEAD", limit: Int? = nil, firstParentOnly: Bool = false) throws
        -> [GitCommitInfo]
    {
        var result: [GitCommitInfo] = []
        if let limit, limit <= 0 { return result }
        try forEachCommit(from: revision, firstParentOnly: firstParentOnly) { info in
            result.append(info)
            if let limit { return result.count < limit }
            return true
        }
        return result
    }

    /// Visits commits reachable from `revision` in the same order as `commits(from:)`,
    /// stopping as soon as `visit` returns false, so a search through a long history
    /// can end early without copying every commit.
    public func forEachCommit(
        from revision: String = "HEAD", firstParentOnly: Bool = false, _ visit: (GitCommitInfo) throws -> Bool
    ) throws {
        if revision == "HEAD", case .symbolic(_, nil) = try readHead() { return }
        var startID = try commitHandle(revision: revision).id
        let walker = try RevwalkHandle.make("start a history walk", owner: self) { git_revwalk_new(&$0, pointer) }
        try walker.withPointer {
            try visitCommits($0, from: &startID, revision: revision, firstParentOnly: firstParentOnly, visit)
        }
    }

    private func visitCommits(
        _ walker: OpaquePointer, from startID: inout git_oid, revision: String, firstParentOnly: Bool,
        _ visit: (GitCommitInfo) throws -> Bool
    ) throws {
        try check(
            git_revwalk_sorting(walker, GIT_SORT_TOPOLOGICAL.rawValue | GIT_SORT_TIME.rawValue),
            "sort the history walk")
        if firstParentOnly {
            try check(git_revwalk_simplify_first_parent(walker), "limit the walk to first parents")
        }
        try check(git_revwalk_push(walker, &startID), "start the walk at \(revision)")
        var oid = git_oid()
        while true {
            let rc = git_revwalk_next(&oid, walker)
            if rc == GIT_ITEROVER.rawValue { break }
            try check(rc, "walk history from \(revision)")
            let commit = try commitHandle(oid: oid)
            if try !visit(commitInfo(commit)) { break }
        }
    }

    /// One commit, by any revision.
    public func commit(_ revision: String) throws -> GitCommitInfo {
        try commitInfo(commitHandle(revision: revision))
    }

    func commitInfo(_ commit: CommitHandle) throws -> GitCommitInfo {
        try commit.withPointer(Self.commitInfo(of:))
    }

    /// The commit `c` as a Swift value; `c` must stay alive while this runs.
    static func commitInfo(of c: OpaquePointer) throws -> GitCommitInfo {
        let id = hexString(git_commit_id(c))
        var parents: [String] = []
        let parentCount = git_commit_parentcount(c)
        for i in 0..<parentCount {
            guard let parent = git_commit_parent_id(c, i) else {
                throw GitError(
                    kind: .library, message: "parent \(i) of \(id) is missing", operation: "read commit \(id)")
            }
            parents.append(hexString(parent))
        }
        guard let author = git_commit_author(c), let committer = git_commit_committer(c) else {
            throw GitError(
                kind: .library, message: "commit \(id) has no author or committer", operation: "read commit \(id)")
        }
        var header = git_buf()
        defer { git_buf_dispose(&header) }
        let signedRC = git_commit_header_field(&header, c, "gpgsig")
        if signedRC < 0 && signedRC != GIT_ENOTFOUND.rawValue {
            try check(signedRC, "read the signature header of \(id)")
        }
        return GitCommitInfo(
            id: id,
            parentIDs: parents,
            treeID: hexString(git_commit_tree_id(c)),
            author: GitSignature(author),
            committer: GitSignature(committer),
            message: optionalString(git_commit_message(c)) ?? "",
            summary: optionalString(git_commit_summary(c)) ?? "",
            isSigned: signedRC == 0
        )
    }

    /// The `gpgsig` signature of a commit and the bytes it covers, nil when the commit is
    /// unsigned. Feed both to `SSHSigner.verify` to check who signed it.
    public func commitSignature(id: String) throws -> GitCommitSignature? {
        let commit = try commitHandle(revision: id)
        var oid = commit.id
        var signature = git_buf()
        var signed = git_buf()
        defer {
            git_buf_dispose(&signature)
            git_buf_dispose(&signed)
        }
        let rc = git_commit_extract_signature(&signature, &signed, pointer, &oid, "gpgsig")
        if rc == GIT_ENOTFOUND.rawValue { return nil }
        try check(rc, "extract the signature of commit \(id)")
        return GitCommitSignature(signature: string(of: signature), signedData: data(of: signed))
    }
}
