import CGit2
import Foundation

// The status of one path, without a full `git status`.
//
// A full status walks the whole work tree (50,000 files in a big review repository) and
// may want to refresh the index. To answer "does this file have uncommitted changes?"
// we only need three blob ids: HEAD's, the index's and the hash of the work-tree file.
// Hashing uses the repository's filters (for example CRLF conversion) exactly as
// `git add` would, and writes nothing.

extension GitRepository {
    /// HEAD, index and work-tree blob ids for one repository-relative path.
    public func pathStatus(_ path: String) throws -> GitPathStatus {
        let path = try normalizedRepoPath(path)
        guard let workdir else {
            throw GitError(kind: .bareRepository, message: "a bare repository has no work tree", operation: "status of '\(path)'")
        }
        let head = try blobID(path: path, atRevision: "HEAD")
        let index = try index()
        var indexBlob: String?
        var indexKind: GitFileKind?
        if let position = index.find(path) {
            let entry = index.entries[position]
            indexBlob = hexString(entry.id)
            indexKind = GitFileKind(mode: entry.mode)
        }
        let conflicted = (1...3).contains { index.find(path, stage: $0) != nil }
        let work = try workTreeBlobID(path: path, workdir: workdir, indexKind: indexKind)
        return GitPathStatus(path: path, headBlobID: head, indexBlobID: indexBlob, workTreeBlobID: work, isConflicted: conflicted)
    }

    /// Whether `path` differs from HEAD in the work tree or the index: the "this file has
    /// uncommitted changes" test a sign-off needs before binding to HEAD's blob.
    public func hasUncommittedChanges(path: String) throws -> Bool {
        try pathStatus(path).hasUncommittedChanges
    }

    /// Whether the work-tree file differs from what is staged (`git diff` would show it).
    public func isModifiedInWorkTree(path: String) throws -> Bool {
        try pathStatus(path).isModifiedInWorkTree
    }

    /// The blob id the work-tree file would get if added, nil when it is missing or is
    /// not a file. A symlink hashes its target text, as git stores it.
    public func workTreeBlobID(path: String) throws -> String? {
        let path = try normalizedRepoPath(path)
        guard let workdir else {
            throw GitError(kind: .bareRepository, message: "a bare repository has no work tree", operation: "hash '\(path)'")
        }
        let index = try index()
        let kind = index.find(path).flatMap { GitFileKind(mode: index.entries[$0].mode) }
        return try workTreeBlobID(path: path, workdir: workdir, indexKind: kind)
    }

    private func workTreeBlobID(path: String, workdir: String, indexKind: GitFileKind?) throws -> String? {
        let full = workdir + "/" + path
        var info = stat()
        guard lstat(full, &info) == 0 else { return nil }
        let type = info.st_mode & S_IFMT
        var oid = git_oid()
        if type == S_IFLNK {
            var buffer = [UInt8](repeating: 0, count: Int(PATH_MAX) + 1)
            let length = buffer.withUnsafeMutableBytes { raw -> Int in
                guard let base = raw.baseAddress else { return -1 }
                return readlink(full, base.assumingMemoryBound(to: CChar.self), raw.count)
            }
            guard length >= 0 else { return nil }
            try buffer.withUnsafeBytes { raw in
                try check(git_odb_hash(&oid, raw.baseAddress, length, GIT_OBJECT_BLOB), "hash symlink '\(path)'")
            }
            return hexString(oid)
        }
        guard type == S_IFREG else { return nil }
        if indexKind == .symlink {
            // core.symlinks=false checks a symlink out as a file holding the target:
            // hash the bytes unfiltered, as git does for link entries.
            try check(git_odb_hashfile(&oid, full, GIT_OBJECT_BLOB), "hash '\(path)'")
        } else {
            try check(git_repository_hashfile(&oid, pointer, full, GIT_OBJECT_BLOB, path), "hash '\(path)'")
        }
        return hexString(oid)
    }
}
