import CGit2
import Foundation

// Reading committed and staged content: blobs by id, files at a revision, trees and
// the index. Nothing here writes to the repository or refreshes the index.

extension GitRepository {
    // MARK: - Blobs

    /// The raw bytes of a blob, by full or abbreviated id.
    public func readBlob(id: String) throws -> Data {
        // rawcontent points into the blob: the copy into Data happens inside withPointer.
        try blobHandle(id: id).withPointer { blob in
            let size = Int(git_blob_rawsize(blob))
            guard size > 0, let raw = git_blob_rawcontent(blob) else { return Data() }
            return Data(bytes: raw, count: size)
        }
    }

    /// A blob's size in bytes, read from the object header without inflating the
    /// content, so callers can refuse huge files before reading them.
    public func blobSize(id: String) throws -> Int {
        try ensureLibgit2()
        var oid = try parseFullID(id, what: "blob id")
        let odb = try OdbHandle.make("open object database", owner: self) { git_repository_odb(&$0, pointer) }
        var size = 0
        var type = GIT_OBJECT_INVALID
        try odb.withPointer { odb in
            try check(git_odb_read_header(&size, &type, odb, &oid), "read header of object \(id)")
        }
        guard type == GIT_OBJECT_BLOB else {
            throw GitError(kind: .invalidArgument, message: "object \(id) is not a blob", operation: "read blob size")
        }
        return size
    }

    func blobHandle(id: String) throws -> BlobHandle {
        try ensureLibgit2()
        var (oid, length) = try parseIDPrefix(id)
        return try BlobHandle.make("read blob \(id)", owner: self) {
            git_blob_lookup_prefix(&$0, pointer, &oid, length)
        }
    }

    // MARK: - Files at a revision

    /// The file at `path` in `revision`'s tree (kind, mode and blob id), nil when the
    /// path is absent there or is a folder or submodule. HEAD on an unborn branch is empty.
    public func fileEntry(path: String, atRevision revision: String = "HEAD") throws -> GitFileEntry? {
        let path = try normalizedRepoPath(path)
        guard let tree = try treeHandle(revision: revision) else { return nil }
        if committedFilesThroughIndex, let entry = try indexEntry(path, ifIndexIs: tree) { return entry }
        guard let entry = try entry(path, in: tree, "look up '\(path)' in \(revision)") else { return nil }
        return entry.withPointer { fileEntry(from: $0, path: path) }
    }

    /// The id of the folder `path` in `revision`'s tree, nil when there is no such folder:
    /// equal ids mean equal contents, so a walk through history can skip folders it saw.
    public func treeID(path: String, atRevision revision: String = "HEAD") throws -> String? {
        let path = try normalizedRepoPath(path)
        guard let tree = try treeHandle(revision: revision),
            let entry = try entry(path, in: tree, "look up '\(path)' in \(revision)")
        else { return nil }
        return entry.withPointer { entry in
            guard git_tree_entry_type(entry) == GIT_OBJECT_TREE else { return nil }
            return hexString(git_tree_entry_id(entry).pointee)
        }
    }

    /// The entry at `path` (a file or folder) under `tree`, nil when absent.
    func entry(_ path: String, in tree: TreeHandle, _ operation: @autoclosure () -> String) throws
        -> OwnedTreeEntry?
    {
        try tree.withPointer { root in
            try OwnedTreeEntry.makeIfFound(operation(), owner: tree) { git_tree_entry_bypath(&$0, root, path) }
        }
    }

    /// The blob id of `path` at `revision` ("HEAD", a branch, a commit id …), nil when
    /// the file does not exist there.
    public func blobID(path: String, atRevision revision: String = "HEAD") throws -> String? {
        try fileEntry(path: path, atRevision: revision)?.blobID
    }

    /// The content of `path` at `revision`, nil when the file does not exist there.
    public func readFile(path: String, atRevision revision: String = "HEAD") throws -> Data? {
        guard let entry = try fileEntry(path: path, atRevision: revision) else { return nil }
        return try readBlob(id: entry.blobID)
    }

    /// Every file (regular, executable or symlink; not folders or submodules) in
    /// `revision`'s tree, recursively, in git's order, optionally only those under the
    /// folder `prefix`. Paths stay relative to the repository root.
    public func listTree(revision: String = "HEAD", under prefix: String? = nil) throws -> [GitFileEntry] {
        guard let root = try treeHandle(revision: revision) else { return [] }
        let prefix = try normalizedRepoPath(prefix ?? "", allowEmpty: true)
        var result: [GitFileEntry] = []
        if prefix.isEmpty {
            try walk(tree: root, base: "", into: &result)
            return result
        }
        guard let entry = try entry(prefix, in: root, "look up '\(prefix)' in \(revision)") else { return [] }
        try entry.withPointer { entry in
            if git_tree_entry_type(entry) == GIT_OBJECT_TREE {
                let sub = try treeHandle(oid: git_tree_entry_id(entry).pointee)
                try walk(tree: sub, base: prefix + "/", into: &result)
            } else if let file = fileEntry(from: entry, path: prefix) {
                result.append(file)
            }
        }
        return result
    }

    private func walk(tree: TreeHandle, base: String, into result: inout [GitFileEntry]) throws {
        try tree.withPointer { tree in
            for i in 0..<git_tree_entrycount(tree) {
                // Borrowed from `tree`, which withPointer keeps alive for the whole loop.
                guard let entry = git_tree_entry_byindex(tree, i) else { continue }
                let name = optionalString(git_tree_entry_name(entry)) ?? ""
                if git_tree_entry_type(entry) == GIT_OBJECT_TREE {
                    let sub = try treeHandle(oid: git_tree_entry_id(entry).pointee)
                    try walk(tree: sub, base: base + name + "/", into: &result)
                } else if let file = fileEntry(from: entry, path: base + name) {
                    result.append(file)
                }
            }
        }
    }

    private func fileEntry(from entry: OpaquePointer, path: String) -> GitFileEntry? {
        guard git_tree_entry_type(entry) == GIT_OBJECT_BLOB else { return nil }
        let mode = git_tree_entry_filemode_raw(entry).rawValue
        guard let kind = GitFileKind(mode: mode) else { return nil }
        return GitFileEntry(path: path, blobID: hexString(git_tree_entry_id(entry)), kind: kind, mode: mode)
    }

    // MARK: - The index

    /// The index as it is on disk now. libgit2 caches the index inside the repository;
    /// `git_index_read(force: 0)` reloads it only if the file changed. This only reads:
    /// the index is never refreshed (stat data) or written.
    func indexHandle() throws -> IndexHandle {
        try ensureLibgit2()
        let handle = try IndexHandle.make("open the index", owner: self) { git_repository_index(&$0, pointer) }
        try handle.withPointer { try check(git_index_read($0, 0), "read the index") }
        return handle
    }
}
