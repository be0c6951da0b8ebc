import CGit2
import EvidentCore
import Foundation

// The index as this module reads it: parsed by `GitIndexFile` (fast, see there), with
// libgit2 as the fallback for index shapes that reader leaves alone. Nothing here
// refreshes or writes the index.

/// What a file's `stat` says about its version: a changed file changes one of these.
struct FileStamp: Equatable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var seconds: Int
    var nanoseconds: Int
    var changeSeconds: Int
    var changeNanoseconds: Int
    var isRegularFile: Bool

    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        seconds = Int(info.st_mtim.tv_sec)
        nanoseconds = Int(info.st_mtim.tv_nsec)
        changeSeconds = Int(info.st_ctim.tv_sec)
        changeNanoseconds = Int(info.st_ctim.tv_nsec)
        isRegularFile = info.st_mode & S_IFMT == S_IFREG
    }
}

extension GitRepository {
    /// Where Evident keeps a cache file: `.git/evident/<name>` (under the git directory,
    /// so it is never committed and is private to this clone).
    func evidentCacheURL(_ name: String) -> URL {
        URL(fileURLWithPath: gitDir).appendingPathComponent("evident").appendingPathComponent(name)
    }

    /// The index as it is on disk now, parsed once per version of the file.
    ///
    /// A missing index file is an empty index, as for git. Reading never takes the index
    /// lock: git replaces the file atomically (rename), so a read sees one whole version.
    func index() throws -> GitIndexFile {
        try index(only: nil as Set<String>?)
    }

    /// The index entries of `path` alone (every stage), as `index()` has them: from the
    /// parsed index when there is one for this version of the file, else found by a
    /// scan that records no other entry (a sign-off asks for one file of 54,000) but
    /// those of `indexPathsOfInterest`, kept for the next lookup.
    func index(of path: String) throws -> GitIndexFile {
        try index(only: Set([path] + indexPathsOfInterest))
    }

    private func index(only paths: Set<String>?) throws -> GitIndexFile {
        guard let stamp = FileStamp(path: indexFile) else {
            if errno == ENOENT { return GitIndexFile(entries: [], paths: []) }
            throw GitError(
                kind: .library, message: String(cString: strerror(errno)), operation: "read the index '\(indexFile)'")
        }
        if let cachedIndex, cachedIndex.stamp == stamp { return cachedIndex.index }
        var paths = paths
        if let wanted = paths, let partial = cachedPartialIndex, partial.stamp == stamp {
            if wanted.isSubset(of: partial.paths) { return partial.index }
            // A second scan of the same file would cost more than parsing it whole once.
            paths = nil
        }
        guard stamp.isRegularFile else {
            // libgit2 would block opening a named pipe; git itself would too.
            throw GitError(kind: .library, message: "not a regular file", operation: "read the index '\(indexFile)'")
        }
        let parsed: GitIndexFile
        if var index = GitIndexFile.read(mapping: indexFile, only: paths.map { Array($0) }) {
            index.writtenSeconds = UInt32(truncatingIfNeeded: stamp.seconds)
            index.writtenNanoseconds = UInt32(truncatingIfNeeded: stamp.nanoseconds)
            parsed = index
            mappedIndexes.append(index)
        } else {
            parsed = try indexFromLibgit2()
        }
        if !parsed.isPartial {
            cachedIndex = (stamp, parsed)
        } else if let paths {
            cachedPartialIndex = (stamp, paths, parsed)
        }
        return parsed
    }

    /// Fails when an index file this repository mapped was made shorter while it was read
    /// (written in place rather than renamed over, as git and libgit2 write it): what was
    /// read from it is not the index, so no result built on it may count or be written.
    public func requireIntactIndex() throws {
        guard mappedIndexes.allSatisfy(\.isIntact) else {
            throw GitError(
                kind: .library,
                message: "the index '\(indexFile)' was rewritten in place while it was read; run the command again",
                operation: "read the index")
        }
    }

    /// The same entries through libgit2, for the index shapes `GitIndexFile` leaves to it
    /// (split or sparse indexes): slower, and without the cached tree.
    private func indexFromLibgit2() throws -> GitIndexFile {
        try indexHandle().withPointer(Self.entries(of:))
    }

    /// The entries of libgit2's `index`, which must stay alive while this runs.
    private static func entries(of index: OpaquePointer) -> GitIndexFile {
        var entries: [GitIndexFile.Entry] = []
        var paths: [UInt8] = []
        for position in 0..<git_index_entrycount(index) {
            guard let entry = git_index_get_byindex(index, position), let path = entry.pointee.path else {
                continue
            }
            let start = paths.count
            paths.append(
                contentsOf: UnsafeBufferPointer(
                    start: UnsafeRawPointer(path).assumingMemoryBound(to: UInt8.self), count: strlen(path)))
            let stage = (Int(entry.pointee.flags) & Int(GIT_INDEX_ENTRY_STAGEMASK)) >> Int(GIT_INDEX_ENTRY_STAGESHIFT)
            let intentToAdd = Int(entry.pointee.flags_extended) & Int(GIT_INDEX_ENTRY_INTENT_TO_ADD.rawValue) != 0
            guard !intentToAdd else {
                paths.removeLast(paths.count - start)
                continue
            }
            // No stat data: the work tree is always hashed (`StatData` of zeros never matches).
            entries.append(
                GitIndexFile.Entry(
                    pathStart: start, pathLength: paths.count - start, mode: entry.pointee.mode, id: entry.pointee.id,
                    stage: stage,
                    stat: GitIndexFile.StatData(
                        changeSeconds: 0, changeNanoseconds: 0, modifiedSeconds: 0, modifiedNanoseconds: 0, inode: 0,
                        size: 0)))
        }
        return GitIndexFile(entries: entries, paths: paths)
    }

    /// Stage-0 (non-conflicted) files in the index, in index order, optionally only
    /// those under the folder `prefix`. This is what `git commit` would commit.
    public func indexEntries(under prefix: String? = nil) throws -> [GitFileEntry] {
        let prefix = try normalizedRepoPath(prefix ?? "", allowEmpty: true)
        let index = try index()
        var result: [GitFileEntry] = []
        if !prefix.isEmpty, let exact = index.find(prefix), let file = fileEntry(index, exact) {
            result.append(file)
        }
        for position in index.range(under: prefix) {
            if let file = fileEntry(index, position) { result.append(file) }
        }
        return result
    }

    /// The stage-0 index entry for `path`, nil when absent (or only conflicted).
    public func indexEntry(path: String) throws -> GitFileEntry? {
        let path = try normalizedRepoPath(path)
        let index = try index()
        return index.find(path).flatMap { fileEntry(index, $0) }
    }

    /// The file at `path` in `tree`, from the index, when the index's cached tree says
    /// the whole index is `tree`; nil when it does not say so, or the index has no file
    /// at `path` (the caller then reads the tree).
    ///
    /// Why: a sign-off reads its review and the cycle's cycle.yaml from HEAD, and the
    /// folder holding them lists 10,000 people, a 470 KB tree to inflate and parse (14 M
    /// instructions). Right after a commit, checkout or reset, git has written the tree
    /// ids of the index, and equal ids mean equal contents; `git commit` itself writes
    /// its tree from them.
    func indexEntry(_ path: String, ifIndexIs tree: TreeHandle) throws -> GitFileEntry? {
        // A scan for the path (and the others of interest) when the index is not parsed
        // whole already: its cached tree's root is kept for the comparison below.
        let index = try index(of: path)
        guard var cached = index.cachedRootID else { return nil }
        let same = tree.withPointer { tree in git_oid_equal(&cached, git_tree_id(tree)) != 0 }
        guard same, let position = index.find(path) else { return nil }
        return fileEntry(index, position)
    }

    /// The staged content of `path` (stage 0 of the index on disk), nil when the path is
    /// not in the index. This is what a pre-commit check must read, not the work tree.
    public func readIndexedFile(path: String) throws -> Data? {
        guard let entry = try indexEntry(path: path) else { return nil }
        return try readBlob(id: entry.blobID)
    }

    private func fileEntry(_ index: GitIndexFile, _ position: Int) -> GitFileEntry? {
        let entry = index.entries[position]
        guard entry.stage == 0, let kind = GitFileKind(mode: entry.mode) else { return nil }
        return GitFileEntry(path: index.pathString(position), blobID: hexString(entry.id), kind: kind, mode: entry.mode)
    }
}
