import CGit2
import Foundation

extension GitRepository {
    /// Paths whose staged content differs from HEAD, optionally only under the folder
    /// `prefix`, sorted: what `git diff --cached --name-status` lists. An unborn HEAD
    /// counts as empty, so every staged file is added; conflicted paths are modified.
    ///
    /// The index and HEAD are compared folder by folder. A folder the index's cached
    /// tree still holds, with the same tree id as HEAD's folder, is skipped whole:
    /// after one review is staged, only the folders on its path are opened, so the cost
    /// does not grow with the 10,000 other people's folders (libgit2's tree-to-index diff
    /// inflates every tree of HEAD). Without a cached tree the comparison still gives
    /// the same answer, reading every folder.
    public func stagedChanges(under prefix: String? = nil) throws -> [GitStagedChange] {
        let prefix = try normalizedRepoPath(prefix ?? "", allowEmpty: true)
        let index = try index()
        var comparison = StagedComparison(repository: self, index: index)
        let folder = prefix.isEmpty ? [] : Array((prefix + "/").utf8)
        var cached = index.cachedTree
        var head = try treeHandle(revision: "HEAD")?.id
        for component in prefix.split(separator: "/") {
            cached = cached?.child(named: Array(component.utf8))
            head = try head.flatMap { try comparison.subtree(named: Array(component.utf8), of: $0) }
        }
        let range = prefix.isEmpty ? 0..<index.entries.count : index.range(under: prefix)
        try comparison.compare(folder: folder, range: range, cached: cached, head: head)
        return comparison.changes.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
    }
}

/// The folder-by-folder walk behind `stagedChanges`. Both sides list a folder's children
/// in the same order (git sorts a tree's entries as if folder names ended in "/", and
/// the index by whole paths, which groups a folder's files the same way), so each folder
/// is one merge of two sorted lists.
private struct StagedComparison {
    let repository: GitRepository
    let index: GitIndexFile
    var changes: [GitStagedChange] = []

    /// A child of a HEAD folder. Its sort key is its name, plus "/" for a folder. The
    /// name is libgit2's, valid while the tree it was listed from is alive: a folder of
    /// 10,000 people is listed without 10,000 copies.
    private struct HeadChild {
        var name: UnsafeBufferPointer<UInt8>
        var isFolder: Bool
        var id: git_oid
        var mode: UInt32

        /// The sort key as bytes, for the rare paths that keep it (deletions).
        var key: [UInt8] { Array(name) + (isFolder ? [UInt8(ascii: "/")] : []) }

        /// -1, 0 or 1 as `key` (an index-side key: a name, or a name plus "/") sorts
        /// before, with or after this child's key, by bytes as git sorts them.
        func order<Key: RandomAccessCollection<UInt8>>(of key: Key) -> Int {
            let length = name.count + (isFolder ? 1 : 0)
            var offset = 0
            var position = key.startIndex
            while offset < key.count, offset < length {
                let mine = offset < name.count ? name[offset] : UInt8(ascii: "/")
                let theirs = key[position]
                if theirs != mine { return theirs < mine ? -1 : 1 }
                offset += 1
                position = key.index(after: position)
            }
            return key.count == length ? 0 : (key.count < length ? -1 : 1)
        }
    }

    /// Compares the index entries `range`, all under `folder`, with HEAD's tree `head`
    /// of that folder (nil when HEAD has no such folder). The tree is only read when
    /// the cached tree does not already say it is unchanged.
    mutating func compare(
        folder: [UInt8], range: Range<Int>, cached: GitIndexFile.CachedTree?, head: git_oid?
    ) throws {
        if Self.unchanged(cached, head: head) { return }
        try Self.withChildren(of: head, in: repository) { headChildren in
            try merge(folder: folder, range: range, cached: cached, headChildren: headChildren)
        }
    }

    /// Whether the cached tree says the folder is HEAD's `head`, unchanged.
    private static func unchanged(_ cached: GitIndexFile.CachedTree?, head: git_oid?) -> Bool {
        guard let cached, cached.entryCount >= 0, var cachedID = cached.id, var headID = head else { return false }
        return git_oid_equal(&cachedID, &headID) != 0
    }

    /// One folder's merge (see `compare`); `headChildren` borrow from a tree that
    /// `withChildren` keeps alive until this returns.
    private mutating func merge(
        folder: [UInt8], range: Range<Int>, cached: GitIndexFile.CachedTree?, headChildren: [HeadChild]
    ) throws {
        var position = range.lowerBound
        var next = 0
        // A folder of many people: each index folder's cached subtree found by hash.
        let table = cached.flatMap { $0.childCount >= 16 ? GitIndexFile.ChildTable($0) : nil }
        while position < range.upperBound || next < headChildren.count {
            // The index side: the child this entry belongs to, with the entries under it.
            var indexKey: IndexBytes?
            var childRange = position..<position
            var cachedChild: GitIndexFile.CachedTree?
            if position < range.upperBound {
                let path = index.path(position)
                let rest = path.dropFirst(folder.count)
                if let slash = rest.firstIndex(of: UInt8(ascii: "/")) {
                    let key = path[path.startIndex...slash]
                    cachedChild = table.map { $0.child(named: rest[..<slash]) } ?? cached?.child(named: rest[..<slash])
                    childRange = position..<folderEnd(key, from: position, within: range, cached: cachedChild)
                    indexKey = key.dropFirst(folder.count)
                } else {
                    var end = position + 1
                    while end < range.upperBound, index.path(end).elementsEqual(path) { end += 1 }
                    indexKey = rest
                    childRange = position..<end
                }
            }
            let headChild = next < headChildren.count ? headChildren[next] : nil
            let order: Int
            switch (indexKey, headChild) {
            case (let key?, let child?):
                order = child.order(of: key)
            case (_?, nil): order = -1
            default: order = 1
            }
            if order > 0, let headChild {
                try deleted(folder + headChild.key, headChild)
                next += 1
                continue
            }
            let isFolder = indexKey?.last == UInt8(ascii: "/")
            let matching = order == 0 ? headChild : nil
            if isFolder {
                // The unchanged folders (10,000 people but one) are skipped here, before
                // their path is put together.
                if !Self.unchanged(cachedChild, head: matching?.id) {
                    try compare(folder: folder + indexKey!, range: childRange, cached: cachedChild, head: matching?.id)
                }
            } else {
                file(childRange, head: matching)
            }
            if order == 0 { next += 1 }
            position = childRange.upperBound
        }
    }

    /// The end of the entries under the folder `key` (a path ending in "/") that starts
    /// at `start`. A valid cached tree knows how many entries its folder holds, so the
    /// 50,000 entries of 10,000 unchanged people are not compared one by one; the count
    /// is checked against the two entries at its edges before it is trusted. Otherwise
    /// (a folder on the staged file's path) a binary search finds the end: the paths
    /// under "a/" are exactly those from "a/" up to, not including, "a0" ("0" follows
    /// "/"), and the index is sorted (`GitIndexFile` refuses one that is not).
    private func folderEnd(
        _ key: IndexBytes, from start: Int, within range: Range<Int>, cached: GitIndexFile.CachedTree?
    ) -> Int {
        if let count = cached?.entryCount, count > 0, start + count <= range.upperBound,
            index.path(start + count - 1, startsWith: key),
            start + count == range.upperBound || !index.path(start + count, startsWith: key)
        {
            return start + count
        }
        var bound = Array(key)
        bound[bound.count - 1] = UInt8(ascii: "0")
        return min(max(index.lowerBound(bound), start + 1), range.upperBound)
    }

    /// One path of the index (all its stages) against HEAD's entry of the same name.
    private mutating func file(_ stages: Range<Int>, head: HeadChild?) {
        let path = index.pathString(stages.lowerBound)
        let entry = index.entries[stages.lowerBound]
        guard stages.count == 1, entry.stage == 0 else {
            changes.append(GitStagedChange(path: path, status: .modified))
            return
        }
        guard let head else {
            changes.append(GitStagedChange(path: path, status: .added))
            return
        }
        var headID = head.id
        var indexID = entry.id
        if head.mode & 0o170000 != entry.mode & 0o170000 {
            changes.append(GitStagedChange(path: path, status: .typeChanged))
        } else if head.mode != entry.mode || git_oid_equal(&headID, &indexID) == 0 {
            changes.append(GitStagedChange(path: path, status: .modified))
        }
    }

    /// A HEAD entry the index no longer has: the file, or every file of the folder.
    private mutating func deleted(_ path: [UInt8], _ child: HeadChild) throws {
        guard child.isFolder else {
            changes.append(GitStagedChange(path: String(decoding: path, as: UTF8.self), status: .deleted))
            return
        }
        try Self.withChildren(of: child.id, in: repository) { grandchildren in
            for grandchild in grandchildren {
                try deleted(path + grandchild.key, grandchild)
            }
        }
    }

    /// The id of the folder `name` in the tree `id`, nil when there is none.
    func subtree(named name: [UInt8], of id: git_oid) throws -> git_oid? {
        let folderKey = name + [UInt8(ascii: "/")]
        return try Self.withChildren(of: id, in: repository) { children in
            children.first(where: { $0.order(of: folderKey[...]) == 0 })?.id
        }
    }

    /// Runs `body` with the children of the tree `id` (none for nil), keeping the tree,
    /// whose memory their names borrow, alive until `body` returns.
    private static func withChildren<Result>(
        of id: git_oid?, in repository: GitRepository, _ body: ([HeadChild]) throws -> Result
    ) throws -> Result {
        guard let id else { return try body([]) }
        return try repository.treeHandle(oid: id).withPointer { try body(children($0)) }
    }

    /// The children of `tree`; their names live as long as `tree`.
    private static func children(_ tree: OpaquePointer) -> [HeadChild] {
        var result: [HeadChild] = []
        let count = git_tree_entrycount(tree)
        result.reserveCapacity(count)
        for position in 0..<count {
            guard let entry = git_tree_entry_byindex(tree, position), let name = git_tree_entry_name(entry),
                let id = git_tree_entry_id(entry)
            else { continue }
            let mode = UInt32(git_tree_entry_filemode(entry).rawValue)
            let isFolder = mode & 0o170000 == 0o040000
            let bytes = UnsafeBufferPointer(
                start: UnsafeRawPointer(name).assumingMemoryBound(to: UInt8.self), count: strlen(name))
            result.append(HeadChild(name: bytes, isFolder: isFolder, id: id.pointee, mode: mode))
        }
        return result
    }
}
