import CGit2
import Foundation

// Reading committed and staged content: blobs by id, files at a revision, trees and
// the index. Nothing here writes to the repository or refreshes the index.

extension GitRepository {
    // MARK: - Blobs

    /// The raw bytes of a blob, by full or abbreviated id.
    public func readBlob(id: String) throws -> Data {
        let blob = try blobHandle(id: id)
        // rawcontent points into the blob: it must outlive the copy into Data.
        defer { withExtendedLifetime(blob) {} }
        let size = Int(git_blob_rawsize(blob.pointer))
        guard size > 0, let raw = git_blob_rawcontent(blob.pointer) else { return Data() }
        return Data(bytes: raw, count: size)
    }

    /// A blob's size in bytes, read from the object header without inflating the
    /// content, so callers can refuse huge files before reading them.
    public func blobSize(id: String) throws -> Int {
        try ensureLibgit2()
        var oid = try parseFullID(id, what: "blob id")
        var odb: OpaquePointer?
        try check(git_repository_odb(&odb, pointer), "open object database")
        guard let odb else {
            throw GitError(
                kind: .library, message: "libgit2 returned no object database", operation: "open object database")
        }
        let handle = OdbHandle(self, odb)
        defer { withExtendedLifetime(handle) {} }
        var size = 0
        var type = GIT_OBJECT_INVALID
        try check(git_odb_read_header(&size, &type, handle.pointer, &oid), "read header of object \(id)")
        guard type == GIT_OBJECT_BLOB else {
            throw GitError(kind: .invalidArgument, message: "object \(id) is not a blob", operation: "read blob size")
        }
        return size
    }

    func blobHandle(id: String) throws -> BlobHandle {
        try ensureLibgit2()
        var (oid, length) = try parseIDPrefix(id)
        var blob: OpaquePointer?
        try check(git_blob_lookup_prefix(&blob, pointer, &oid, length), "read blob \(id)")
        guard let blob else {
            throw GitError(kind: .library, message: "libgit2 returned no blob", operation: "read blob \(id)")
        }
        return BlobHandle(self, blob)
    }

    // MARK: - Files at a revision

    /// The file at `path` in `revision`'s tree (kind, mode and blob id), nil when the
    /// path is absent there or is a folder or submodule. HEAD on an unborn branch is empty.
    public func fileEntry(path: String, atRevision revision: String = "HEAD") throws -> GitFileEntry? {
        let path = try normalizedRepoPath(path)
        guard let tree = try treeHandle(revision: revision) else { return nil }
        defer { withExtendedLifetime(tree) {} }
        var entry: OpaquePointer?
        let rc = git_tree_entry_bypath(&entry, tree.pointer, path)
        if rc == GIT_ENOTFOUND.rawValue { return nil }
        try check(rc, "look up '\(path)' in \(revision)")
        guard let entry else { return nil }
        let owned = OwnedTreeEntry(tree, entry)
        defer { withExtendedLifetime(owned) {} }
        return fileEntry(from: owned.pointer, path: path)
    }

    /// The id of the folder `path` in `revision`'s tree, nil when there is no such folder:
    /// equal ids mean equal contents, so a walk through history can skip folders it saw.
    public func treeID(path: String, atRevision revision: String = "HEAD") throws -> String? {
        let path = try normalizedRepoPath(path)
        guard let tree = try treeHandle(revision: revision) else { return nil }
        defer { withExtendedLifetime(tree) {} }
        var entry: OpaquePointer?
        let rc = git_tree_entry_bypath(&entry, tree.pointer, path)
        if rc == GIT_ENOTFOUND.rawValue { return nil }
        try check(rc, "look up '\(path)' in \(revision)")
        guard let entry else { return nil }
        let owned = OwnedTreeEntry(tree, entry)
        defer { withExtendedLifetime(owned) {} }
        guard git_tree_entry_type(owned.pointer) == GIT_OBJECT_TREE else { return nil }
        return hexString(git_tree_entry_id(owned.pointer).pointee)
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
        defer { withExtendedLifetime(root) {} }
        let prefix = try normalizedRepoPath(prefix ?? "", allowEmpty: true)
        var result: [GitFileEntry] = []
        if prefix.isEmpty {
            try walk(tree: root, base: "", into: &result)
            return result
        }
        var entry: OpaquePointer?
        let rc = git_tree_entry_bypath(&entry, root.pointer, prefix)
        if rc == GIT_ENOTFOUND.rawValue { return [] }
        try check(rc, "look up '\(prefix)' in \(revision)")
        guard let entry else { return [] }
        let owned = OwnedTreeEntry(root, entry)
        defer { withExtendedLifetime(owned) {} }
        if git_tree_entry_type(owned.pointer) == GIT_OBJECT_TREE {
            let sub = try lookupTree(git_tree_entry_id(owned.pointer).pointee)
            try walk(tree: sub, base: prefix + "/", into: &result)
        } else if let file = fileEntry(from: owned.pointer, path: prefix) {
            result.append(file)
        }
        return result
    }

    private func walk(tree: TreeHandle, base: String, into result: inout [GitFileEntry]) throws {
        let count = git_tree_entrycount(tree.pointer)
        for i in 0..<count {
            // Borrowed from `tree`, which stays alive for the whole loop.
            guard let entry = git_tree_entry_byindex(tree.pointer, i) else { continue }
            let name = optionalString(git_tree_entry_name(entry)) ?? ""
            if git_tree_entry_type(entry) == GIT_OBJECT_TREE {
                let sub = try lookupTree(git_tree_entry_id(entry).pointee)
                try walk(tree: sub, base: base + name + "/", into: &result)
            } else if let file = fileEntry(from: entry, path: base + name) {
                result.append(file)
            }
        }
    }

    private func lookupTree(_ oid: git_oid) throws -> TreeHandle {
        var oid = oid
        var tree: OpaquePointer?
        try check(git_tree_lookup(&tree, pointer, &oid), "read tree \(hexString(oid))")
        guard let tree else {
            throw GitError(kind: .library, message: "libgit2 returned no tree", operation: "read tree")
        }
        return TreeHandle(self, tree)
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
        var index: OpaquePointer?
        try check(git_repository_index(&index, pointer), "open the index")
        guard let index else {
            throw GitError(kind: .library, message: "libgit2 returned no index", operation: "open the index")
        }
        let handle = IndexHandle(self, index)
        try check(git_index_read(handle.pointer, 0), "read the index")
        return handle
    }
}
