import CGit2
import Foundation

// The status of one path, without a full `git status`.
//
// A full status walks the whole work tree (50,000 files in a big review repository) and
// may want to refresh the index. To answer "does this file have uncommitted changes?"
// we only need three blob ids: HEAD's, the index's and the work-tree file's. Like git,
// a file whose stat data still matches its index entry (and is not racily clean) has
// the index's blob; otherwise it is hashed with the repository's filters (for example
// CRLF conversion) exactly as `git add` would. Nothing is written. Hashing with filters
// makes libgit2 load its own copy of the index for .gitattributes (80 ms at 54,000
// entries), which the stat check usually spares.

extension GitRepository {
    /// HEAD, index and work-tree blob ids for one repository-relative path.
    public func pathStatus(_ path: String) throws -> GitPathStatus {
        let path = try normalizedRepoPath(path)
        guard let workdir else {
            throw GitError(
                kind: .bareRepository, message: "a bare repository has no work tree", operation: "status of '\(path)'")
        }
        let head = try blobID(path: path, atRevision: "HEAD")
        let index = try index(of: path)
        var indexBlob: String?
        var indexKind: GitFileKind?
        var work: String?
        if let position = index.find(path) {
            let entry = index.entries[position]
            indexBlob = hexString(entry.id)
            indexKind = GitFileKind(mode: entry.mode)
            if workTreeFileMatches(entry, in: index, at: workdir + "/" + path) { work = indexBlob }
        }
        let conflicted = (1...3).contains { index.find(path, stage: $0) != nil }
        if work == nil { work = try workTreeBlobID(path: path, workdir: workdir, indexKind: indexKind) }
        return GitPathStatus(
            path: path, headBlobID: head, indexBlobID: indexBlob, workTreeBlobID: work, isConflicted: conflicted)
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
            throw GitError(
                kind: .bareRepository, message: "a bare repository has no work tree", operation: "hash '\(path)'")
        }
        let index = try index(of: path)
        guard let position = index.find(path) else {
            return try workTreeBlobID(path: path, workdir: workdir, indexKind: nil)
        }
        let entry = index.entries[position]
        if workTreeFileMatches(entry, in: index, at: workdir + "/" + path) { return hexString(entry.id) }
        return try workTreeBlobID(path: path, workdir: workdir, indexKind: GitFileKind(mode: entry.mode))
    }

    /// Whether the work-tree file at `fullPath` is the content staged in `entry`, found
    /// without libgit2's filtered hash: by stat data, else by the raw bytes.
    private func workTreeFileMatches(_ entry: GitIndexFile.Entry, in index: GitIndexFile, at fullPath: String) -> Bool {
        index.workTreeFileIsUnchanged(entry, at: fullPath) || Self.rawHashMatches(entry, at: fullPath)
    }

    /// Whether a regular file's bytes, hashed as they are, give the index's blob: then
    /// they are what was staged. Checked before hashing with filters, which makes libgit2
    /// load its own copy of the index; a file written in the same second as the index
    /// (racily clean, as after `git restore`) would otherwise pay that on every call.
    /// Git's clean filters leave content that is already clean as it is, so equal raw
    /// bytes mean an unchanged file; any other answer goes through the filters.
    static func rawHashMatches(_ entry: GitIndexFile.Entry, at fullPath: String) -> Bool {
        var info = stat()
        guard entry.mode & 0o170000 == 0o100000, lstat(fullPath, &info) == 0, info.st_mode & S_IFMT == S_IFREG
        else { return false }
        var oid = git_oid()
        guard git_odb_hashfile(&oid, fullPath, GIT_OBJECT_BLOB) == 0 else { return false }
        var staged = entry.id
        return git_oid_equal(&oid, &staged) != 0
    }

    func workTreeBlobID(path: String, workdir: String, indexKind: GitFileKind?) throws -> String? {
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
        } else if let clean = WorkTreeCleanFilter.clean,
            let cleaned = clean(self, path, { FileManager.default.contents(atPath: full).map(Array.init) })
        {
            try cleaned.withUnsafeBytes { raw in
                try check(git_odb_hash(&oid, raw.baseAddress, raw.count, GIT_OBJECT_BLOB), "hash '\(path)'")
            }
        } else {
            try check(git_repository_hashfile(&oid, pointer, full, GIT_OBJECT_BLOB, path), "hash '\(path)'")
        }
        return hexString(oid)
    }
}

/// A clean filter libgit2 cannot run itself: git's long-running filter processes (the
/// sealing filter). Set once at start-up by the commands, so that hashing a reader's
/// plaintext work-tree file gives the sealed blob git stores for it, and a sign-off or
/// `status` does not take an unchanged file for a changed one. Returns nil for paths it
/// does not filter, without reading them (`content` reads the file when called).
public enum WorkTreeCleanFilter {
    nonisolated(unsafe) public static var clean:
        ((_ repository: GitRepository, _ gitPath: String, _ content: () -> [UInt8]?) -> [UInt8]?)?
}

extension GitIndexFile {
    /// Whether the work-tree file at `fullPath` is the one git hashed into `entry`,
    /// judged by stat data alone as `git status` judges it: same type, size, inode and
    /// modification and change times, and not modified in the second the index was
    /// written ("racily clean": such an entry is hashed instead).
    func workTreeFileIsUnchanged(_ entry: Entry, at fullPath: String) -> Bool {
        var info = stat()
        guard lstat(fullPath, &info) == 0 else { return false }
        return workTreeFileIsUnchanged(entry, info: info)
    }

    /// The same judgement from an `lstat` the caller made.
    func workTreeFileIsUnchanged(_ entry: Entry, info: stat) -> Bool {
        guard entry.stat.modifiedSeconds != 0 else { return false }
        let type = info.st_mode & S_IFMT
        guard (type == S_IFREG && entry.mode & 0o170000 == 0o100000) || (type == S_IFLNK && entry.mode == 0o120000)
        else { return false }
        let current = StatData(
            changeSeconds: UInt32(truncatingIfNeeded: info.st_ctim.tv_sec),
            changeNanoseconds: UInt32(truncatingIfNeeded: info.st_ctim.tv_nsec),
            modifiedSeconds: UInt32(truncatingIfNeeded: info.st_mtim.tv_sec),
            modifiedNanoseconds: UInt32(truncatingIfNeeded: info.st_mtim.tv_nsec),
            inode: UInt32(truncatingIfNeeded: info.st_ino), size: UInt32(truncatingIfNeeded: info.st_size))
        guard current == entry.stat else { return false }
        let racy =
            (entry.stat.modifiedSeconds, entry.stat.modifiedNanoseconds) >= (writtenSeconds, writtenNanoseconds)
            || entry.stat.modifiedSeconds == writtenSeconds
        return !racy
    }
}
