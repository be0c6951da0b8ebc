import CGit2
import CMappedFile
import Foundation

/// The git index (`.git/index`), read by this module rather than by libgit2.
///
/// Why: in a 10,000-person review repository the index holds 54,000 entries (6 MB).
/// libgit2 1.5 takes 80–110 ms to load it (an allocation per entry and a checksum of
/// the whole file) and another 70–100 ms to compare it with HEAD, because its
/// tree-to-index diff ignores the index's cache of tree ids and inflates every tree of
/// HEAD. Git itself answers `git diff --cached` in 30 ms. A pre-commit check and a
/// sign-off each need a handful of entries, so this reader keeps the file's bytes and
/// one small record per entry, and exposes the cache of tree ids (the `TREE`
/// extension) that lets unchanged folders be skipped whole (see `stagedChanges`).
///
/// Supported: index versions 2, 3 and 4 (prefix-compressed paths), extended flags, and
/// any extension (all but `TREE` are skipped, as git allows for optional ones). A split
/// index (`link`), a sparse index (`sdir`), or anything malformed makes `parse` return
/// nil, and the caller asks libgit2 instead: slower, never wrong. Like git, and unlike
/// libgit2, the trailing checksum is not verified on read (git checks it only in fsck).
/// Entries marked intent-to-add (`git add -N`) are left out: they are not staged
/// content, and `git commit` does not commit them.
struct GitIndexFile {
    struct Entry {
        /// Where the path lies in `paths`.
        var pathStart: Int
        var pathLength: Int
        var mode: UInt32
        var id: git_oid
        /// 0 for a normal entry; 1–3 for the sides of a conflict.
        var stage: Int
        /// What `stat` said of the work-tree file when git last hashed it.
        var stat: StatData
    }

    /// The stat fields git records per entry (32 bits each, as stored), to tell that a
    /// work-tree file is unchanged without hashing it, as `git status` does.
    struct StatData: Equatable {
        var changeSeconds: UInt32
        var changeNanoseconds: UInt32
        var modifiedSeconds: UInt32
        var modifiedNanoseconds: UInt32
        var inode: UInt32
        var size: UInt32
    }

    /// The index file's own modification time, for git's "racily clean" rule: an entry
    /// modified in the same second the index was written may have changed unseen.
    var writtenSeconds: UInt32 = 0
    var writtenNanoseconds: UInt32 = 0

    /// One folder of the cached tree: its id when still valid for the index.
    ///
    /// A handle on one node of `CachedTreeTable`: the 10,000 folders of a large
    /// organisation are rows of one flat table, parsed without an allocation per folder.
    struct CachedTree {
        fileprivate let table: CachedTreeTable
        fileprivate let node: Int

        /// The folder's name: a slice of the index file's bytes (no copy per folder).
        var name: IndexBytes {
            let row = table.nodes[node]
            return IndexBytes(storage: table.storage, range: Int(row.nameStart)..<Int(row.nameStart + row.nameLength))
        }

        /// Number of index entries the tree covers; -1 when invalidated by a later change.
        var entryCount: Int { Int(table.nodes[node].entryCount) }

        var id: git_oid? {
            let row = table.nodes[node]
            guard row.entryCount >= 0 else { return nil }
            var id = git_oid()
            withUnsafeMutableBytes(of: &id.id) { raw in
                raw.copyMemory(
                    from: UnsafeRawBufferPointer(
                        UnsafeBufferPointer(rebasing: table.storage.bytes[Int(row.idStart)..<Int(row.idStart) + 20])))
            }
            withExtendedLifetime(table) {}
            return id
        }

        /// In git's order: shorter names first, names of one length by their bytes. Git
        /// writes them so; a file that does not is sorted on reading.
        var children: [CachedTree] {
            let row = table.nodes[node]
            return table.children[Int(row.childStart)..<Int(row.childStart + row.childCount)].map {
                CachedTree(table: table, node: Int($0))
            }
        }

        /// How many subtrees the folder holds.
        var childCount: Int { Int(table.nodes[node].childCount) }

        /// Binary search: a folder of 10,000 people has 10,000 children, each looked up.
        func child(named name: IndexBytes) -> CachedTree? {
            name.withUnsafeBufferPointer { child(named: $0) }
        }

        func child(named name: [UInt8]) -> CachedTree? {
            name.withUnsafeBufferPointer { child(named: $0) }
        }

        private func child(named name: UnsafeBufferPointer<UInt8>) -> CachedTree? {
            let row = table.nodes[node]
            let found: Int? = table.children.withUnsafeBufferPointer { children in
                let children = UnsafeBufferPointer(
                    rebasing: children[Int(row.childStart)..<Int(row.childStart + row.childCount)])
                var low = 0
                var high = children.count
                while low < high {
                    let middle = (low + high) / 2
                    if table.order(Int(children[middle]), name) < 0 { low = middle + 1 } else { high = middle }
                }
                return low < children.count && table.order(Int(children[low]), name) == 0 ? Int(children[low]) : nil
            }
            return found.map { CachedTree(table: table, node: $0) }
        }
    }

    /// A folder's subtrees by name in a hash table (FNV-1a of the name, open addressing),
    /// for a walk that looks each of thousands of them up once: one hash and one
    /// comparison instead of a binary search whose 14 comparisons each read a name
    /// elsewhere in the 550 KB extension. Gives what `CachedTree.child(named:)` gives: the
    /// first of equal names in the folder's order.
    struct ChildTable {
        private let tree: CachedTree
        /// Row of each subtree plus one; 0 marks an empty slot.
        private let slots: [Int32]
        private let mask: Int

        init(_ tree: CachedTree) {
            self.tree = tree
            let row = tree.table.nodes[tree.node]
            var size = 16
            while size < Int(row.childCount) * 2 { size *= 2 }
            var slots = [Int32](repeating: 0, count: size)
            let mask = size - 1
            let file = tree.table.storage.bytes
            for child in tree.table.children[Int(row.childStart)..<Int(row.childStart + row.childCount)] {
                let node = tree.table.nodes[Int(child)]
                let name = UnsafeBufferPointer(
                    rebasing: file[Int(node.nameStart)..<Int(node.nameStart + node.nameLength)])
                var slot = Self.hash(name) & mask
                while slots[slot] != 0 {
                    // An equal name already there comes first in the folder's order: keep it.
                    if CachedTreeTable.order(tree.table.nodes[Int(slots[slot] - 1)], name, in: file) == 0 { break }
                    slot = (slot + 1) & mask
                }
                if slots[slot] == 0 { slots[slot] = Int32(child) + 1 }
            }
            withExtendedLifetime(tree.table) {}
            self.slots = slots
            self.mask = mask
        }

        func child(named name: IndexBytes) -> CachedTree? {
            name.withUnsafeBufferPointer { name in
                let file = tree.table.storage.bytes
                var slot = Self.hash(name) & mask
                while slots[slot] != 0 {
                    let node = Int(slots[slot] - 1)
                    if CachedTreeTable.order(tree.table.nodes[node], name, in: file) == 0 {
                        return CachedTree(table: tree.table, node: node)
                    }
                    slot = (slot + 1) & mask
                }
                return nil
            }
        }

        private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            return Int(truncatingIfNeeded: hash ^ (hash >> 32))
        }
    }

    /// The parsed `TREE` extension: one row per folder, in the file's order (pre-order),
    /// and per folder the rows of its subtrees, in git's order of subtrees.
    final class CachedTreeTable: @unchecked Sendable {
        struct Node {
            var nameStart: UInt32
            var nameLength: UInt32
            var entryCount: Int32
            /// Where the tree id lies in the file (when `entryCount` is not negative).
            var idStart: UInt32
            /// Where the node's subtrees lie in `children`.
            var childStart: UInt32
            var childCount: UInt32
        }

        fileprivate let nodes: [Node]
        fileprivate let children: [UInt32]
        let storage: IndexStorage

        fileprivate init(nodes: [Node], children: [UInt32], storage: IndexStorage) {
            self.nodes = nodes
            self.children = children
            self.storage = storage
        }

        fileprivate func order(_ node: Int, _ name: UnsafeBufferPointer<UInt8>) -> Int {
            Self.order(nodes[node], name, in: storage.bytes)
        }

        /// Git's order of cached subtrees: by length, then by bytes (one `memcmp`).
        fileprivate static func order(
            _ row: Node, _ name: UnsafeBufferPointer<UInt8>, in file: UnsafeBufferPointer<UInt8>
        )
            -> Int
        {
            guard Int(row.nameLength) == name.count else { return Int(row.nameLength) < name.count ? -1 : 1 }
            guard !name.isEmpty else { return 0 }
            return Int(memcmp(file.baseAddress! + Int(row.nameStart), name.baseAddress!, name.count).signum())
        }

        fileprivate static func precedes(_ left: Node, _ right: Node, in file: UnsafeBufferPointer<UInt8>) -> Bool {
            order(
                left,
                UnsafeBufferPointer(rebasing: file[Int(right.nameStart)..<Int(right.nameStart + right.nameLength)]),
                in: file) < 0
        }
    }

    /// The entries, in index order (by path bytes, then stage), each decoded from the
    /// file's bytes when asked for. A 10,000-person index holds 54,000 entries and a
    /// check looks at a handful and at paths, so parsing keeps where each entry and its
    /// path lie (12 bytes) instead of building 54,000 full records (4 MB to fill).
    struct Entries: RandomAccessCollection {
        fileprivate struct Record {
            /// Where the entry starts in `file`; unused for entries given whole.
            var offset: UInt32
            /// Where its path lies in `paths`.
            var pathStart: UInt32
            var pathLength: UInt32
        }

        fileprivate let records: [Record]
        /// The index file the records point into (empty for entries given whole).
        fileprivate let file: IndexStorage
        /// Entries given whole (read through libgit2); empty when decoded from `file`.
        fileprivate let whole: [Entry]

        fileprivate init(records: [Record], file: IndexStorage, whole: [Entry] = []) {
            self.records = records
            self.file = file
            self.whole = whole
        }

        var startIndex: Int { 0 }
        var endIndex: Int { records.count }

        subscript(position: Int) -> Entry {
            if !whole.isEmpty { return whole[position] }
            let record = records[position]
            // The parse checked that the entry lies inside the file.
            let file = UnsafeBufferPointer(rebasing: self.file.bytes[Int(record.offset)...])
            func uint32(_ at: Int) -> UInt32 {
                UInt32(file[at]) << 24 | UInt32(file[at + 1]) << 16 | UInt32(file[at + 2]) << 8 | UInt32(file[at + 3])
            }
            var id = git_oid()
            withUnsafeMutableBytes(of: &id.id) { raw in
                raw.copyMemory(from: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: file[40..<60])))
            }
            let entry = Entry(
                pathStart: Int(record.pathStart), pathLength: Int(record.pathLength), mode: uint32(24), id: id,
                stage: Int((file[60] >> 4) & 0x3),
                stat: StatData(
                    changeSeconds: uint32(0), changeNanoseconds: uint32(4), modifiedSeconds: uint32(8),
                    modifiedNanoseconds: uint32(12), inode: uint32(20), size: uint32(36)))
            withExtendedLifetime(self.file) {}
            return entry
        }

        /// Where the path of entry `position` lies in `paths`, without decoding the entry.
        func pathRange(_ position: Int) -> Range<Int> {
            let record = records[position]
            return Int(record.pathStart)..<Int(record.pathStart) + Int(record.pathLength)
        }
    }

    let entries: Entries
    /// Where the paths are: the file's own bytes for versions 2 and 3 (paths are stored
    /// whole), rebuilt paths back to back for version 4 (they are prefix-compressed).
    let paths: IndexStorage
    /// The index file, and where its `TREE` extension lies in it.
    private let file: IndexStorage
    private let treeExtension: Range<Int>?
    /// Holds some paths' entries only (`read(mapping:only:)`), not the whole index, and
    /// no cached tree but its root's id.
    let isPartial: Bool

    /// An index of entries given whole (the libgit2 fallback, an empty index).
    init(entries: [Entry], paths: [UInt8]) {
        let records = entries.map {
            Entries.Record(
                offset: 0, pathStart: UInt32(truncatingIfNeeded: $0.pathStart),
                pathLength: UInt32(truncatingIfNeeded: $0.pathLength))
        }
        let empty = IndexStorage(copying: [])
        self.entries = Entries(records: records, file: empty, whole: entries)
        self.paths = IndexStorage(copying: paths)
        self.file = empty
        self.treeExtension = nil
        self.isPartial = false
    }

    private init(
        entries: Entries, paths: IndexStorage, file: IndexStorage, treeExtension: Range<Int>?, isPartial: Bool
    ) {
        self.isPartial = isPartial
        self.entries = entries
        self.paths = paths
        self.file = file
        self.treeExtension = treeExtension
    }

    /// The root of the cached tree, nil when the index has none (or it is malformed).
    /// Parsed on each use, and only by those who need it: 10,000 folders are 10,000
    /// nodes, and a sign-off never looks at them.
    var cachedTree: CachedTree? {
        guard let treeExtension, !isPartial else { return nil }
        var reader = Reader(UnsafeBufferPointer(rebasing: file.bytes[treeExtension]))
        var nodes: [CachedTreeTable.Node] = []
        var children: [UInt32] = []
        guard
            let root = reader.cachedTree(
                depth: 0, nodes: &nodes, children: &children, file: file.bytes, base: treeExtension.lowerBound)
        else { return nil }
        let table = CachedTreeTable(nodes: nodes, children: children, storage: file)
        return CachedTree(table: table, node: Int(root))
    }

    /// The id of the tree the whole index stands for, from the root of the cached tree
    /// alone (its folders are not parsed); nil when the index has none or it is invalid.
    var cachedRootID: git_oid? {
        guard let treeExtension else { return nil }
        var reader = Reader(UnsafeBufferPointer(rebasing: file.bytes[treeExtension]))
        let id = reader.rootID()
        withExtendedLifetime(file) {}
        return id
    }

    /// Whether every byte read from the file was the file's: false once the file shrank
    /// while mapped (see `IndexStorage`). Whatever was read from this index then is void.
    var isIntact: Bool { !file.changed && !paths.changed }

    func path(_ index: Int) -> IndexBytes {
        IndexBytes(storage: paths, range: entries.pathRange(index))
    }

    func pathString(_ index: Int) -> String {
        path(index).withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) }
    }

    // MARK: Lookups

    /// The first entry whose path is not less than `key` (byte order), any stage.
    func lowerBound(_ key: [UInt8]) -> Int {
        let paths = self.paths.bytes
        defer { withExtendedLifetime(self.paths) {} }
        return key.withUnsafeBufferPointer { key in
            var low = 0
            var high = entries.count
            while low < high {
                let middle = (low + high) / 2
                let range = entries.pathRange(middle)
                let common = min(range.count, key.count)
                let order =
                    common == 0 ? 0 : memcmp(paths.baseAddress! + range.lowerBound, key.baseAddress!, common)
                if order < 0 || (order == 0 && range.count < key.count) { low = middle + 1 } else { high = middle }
            }
            return low
        }
    }

    /// Whether the path of entry `position` starts with `prefix`: one `memcmp`, for the
    /// staged walk's 10,000 folder edges.
    func path(_ position: Int, startsWith prefix: IndexBytes) -> Bool {
        let range = entries.pathRange(position)
        guard range.count >= prefix.count else { return false }
        guard !prefix.isEmpty else { return true }
        let paths = self.paths.bytes
        defer { withExtendedLifetime(self.paths) {} }
        return prefix.withUnsafeBufferPointer { prefix in
            memcmp(paths.baseAddress! + range.lowerBound, prefix.baseAddress!, prefix.count) == 0
        }
    }

    /// The entry for `path` at `stage`, if any.
    func find(_ path: String, stage: Int = 0) -> Int? {
        let key = Array(path.utf8)
        var index = lowerBound(key)
        while index < entries.count, self.path(index).elementsEqual(key[...]) {
            if entries[index].stage == stage { return index }
            index += 1
        }
        return nil
    }

    /// The entries under `folder` (a path without trailing slash; "" for all): those
    /// from "folder/" up to "folder0", the byte after "/" (the paths are sorted).
    func range(under folder: String) -> Range<Int> {
        guard !folder.isEmpty else { return 0..<entries.count }
        var prefix = Array((folder + "/").utf8)
        let start = lowerBound(prefix)
        prefix[prefix.count - 1] = UInt8(ascii: "0")
        return start..<max(start, lowerBound(prefix))
    }

    /// Whether any entry lies under `folder`.
    func hasEntries(under folder: String) -> Bool {
        !range(under: folder).isEmpty
    }

    // MARK: Parsing

    /// Reads an index file's bytes; nil when the shape is one this reader leaves to
    /// libgit2 (see the type's documentation) or the bytes are malformed.
    static func parse(_ bytes: [UInt8]) -> GitIndexFile? {
        parse(IndexStorage(copying: bytes))
    }

    /// Reads the index file at `path`, mapped rather than copied (see `IndexStorage`); nil
    /// when it cannot be mapped or parsed (the caller then asks libgit2). With `only`, the
    /// result holds those paths' entries alone, and of the cached tree only its root's id:
    /// a sign-off needs four entries of 54,000, and a scan finds them without recording
    /// the others.
    static func read(mapping path: String, only: [String]? = nil) -> GitIndexFile? {
        guard let storage = IndexStorage(mapping: path) else { return nil }
        return parse(storage, only: only.map { $0.map { Array($0.utf8) } })
    }

    private static func parse(_ storage: IndexStorage, only: [[UInt8]]? = nil) -> GitIndexFile? {
        var reader = Reader(storage.bytes)
        guard var parsed = reader.index(only: only) else { return nil }
        let paths = parsed.rebuiltPaths.map(IndexStorage.init(copying:)) ?? storage
        if only != nil {
            // The scan records entries in the file's order, which a well-formed index keeps
            // sorted; sorted here all the same (they are few), as lookups search them.
            let bytes = paths.bytes
            parsed.records.sort { left, right in
                let order = memcmp(
                    bytes.baseAddress! + Int(left.pathStart), bytes.baseAddress! + Int(right.pathStart),
                    Int(min(left.pathLength, right.pathLength)))
                if order != 0 { return order < 0 }
                if left.pathLength != right.pathLength { return left.pathLength < right.pathLength }
                return left.offset < right.offset
            }
            withExtendedLifetime(paths) {}
        }
        withExtendedLifetime(storage) {}
        guard storage.changed == false else { return nil }
        return GitIndexFile(
            entries: Entries(records: parsed.records, file: storage), paths: paths, file: storage,
            treeExtension: parsed.treeExtension, isPartial: only != nil)
    }

    /// A bounds-checked cursor over the file: every read past the end fails the parse
    /// instead of trapping, so a truncated or hostile index can't crash a check.
    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var offset = 0

        init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        static let hashSize = 20
        static let signature: [UInt8] = Array("DIRC".utf8)

        /// With `only`, the records of those paths' entries alone (any stage); every entry
        /// is still walked and checked but for their order, which a scan does not need.
        mutating func index(only: [[UInt8]]? = nil) -> (
            records: [Entries.Record], rebuiltPaths: [UInt8]?, treeExtension: Range<Int>?
        )? {
            // The last 20 bytes are the checksum; nothing is read from them. Offsets are
            // kept in 32 bits (git's own limit for an index is far below 4 GB).
            guard bytes.count >= 12 + Reader.hashSize, bytes.count < Int(UInt32.max) else { return nil }
            let end = bytes.count - Reader.hashSize
            guard bytes[0..<4].elementsEqual(Reader.signature),
                let version = uint32(at: 4), (2...4).contains(version),
                let count = uint32(at: 8), Int(count) <= end / 40 + 1
            else { return nil }
            offset = 12
            var records: [Entries.Record] = []
            records.reserveCapacity(only == nil ? Int(count) : 4)
            var paths: [UInt8] = []
            if version == 4 { paths.reserveCapacity(Int(count) * 40) }
            var previous: (start: Int, length: Int) = (0, 0)
            // Which path lengths a scan looks for: most entries are passed over on that alone.
            var wantedLength = [Bool](repeating: false, count: (only?.map(\.count).max() ?? -1) + 1)
            for wanted in only ?? [] { wantedLength[wanted.count] = true }
            let base = UnsafeRawPointer(bytes.baseAddress!)
            for _ in 0..<count {
                let entryStart = offset
                // ctime, mtime, dev, ino (24 bytes) are only stat data; then mode,
                // uid, gid, size, the object id and the flags. All but the mode and the
                // flags are decoded when the entry is asked for (`Entries`). Read in
                // place: this loop runs 54,000 times for a 10,000-person index.
                guard entryStart + 64 <= end else { return nil }
                let mode = UInt32(bigEndian: base.loadUnaligned(fromByteOffset: entryStart + 24, as: UInt32.self))
                let flags = UInt16(bigEndian: base.loadUnaligned(fromByteOffset: entryStart + 60, as: UInt16.self))
                offset = entryStart + 62
                var intentToAdd = false
                if flags & 0x4000 != 0 {
                    // Extended flags (version 3 and up): skip-worktree, intent-to-add.
                    guard version >= 3 else { return nil }
                    let extended = UInt16(bigEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
                    intentToAdd = extended & 0x2000 != 0
                    offset += 2
                }
                var pathStart = paths.count
                let pathLength: Int
                if version == 4 {
                    // The path is the previous one minus N trailing bytes, plus a
                    // NUL-terminated suffix.
                    guard let strip = varint(), strip <= previous.length,
                        let suffixEnd = nul(from: offset, before: end)
                    else { return nil }
                    paths.append(contentsOf: paths[previous.start..<previous.start + previous.length - strip])
                    paths.append(contentsOf: bytes[offset..<suffixEnd])
                    pathLength = paths.count - pathStart
                    guard paths.count < Int(UInt32.max) else { return nil }
                    offset = suffixEnd + 1
                } else {
                    // The flags hold the path's length when it is below 4,095, as git
                    // reads it; the NUL after it is checked. Longer paths are searched.
                    let stated = Int(flags & 0xFFF)
                    let pathEnd: Int
                    if stated < 0xFFF, offset + stated < end, bytes[offset + stated] == 0 {
                        pathEnd = offset + stated
                    } else {
                        guard let found = nul(from: offset, before: end) else { return nil }
                        pathEnd = found
                    }
                    pathStart = offset
                    pathLength = pathEnd - offset
                    // Entries are padded with 1 to 8 NULs to a multiple of 8 bytes.
                    offset = entryStart + ((pathEnd - entryStart + 8) & ~7)
                    guard offset <= end else { return nil }
                }
                // A directory entry belongs to a sparse index, which this reader leaves
                // to libgit2.
                guard pathLength > 0, mode & 0o170000 != 0o040000 else { return nil }
                if let only {
                    previous = (pathStart, pathLength)
                    guard !intentToAdd, pathLength < wantedLength.count, wantedLength[pathLength] else { continue }
                    let base = version == 4 ? nil : bytes.baseAddress
                    let equal = only.contains { wanted in
                        wanted.count == pathLength
                            && wanted.withUnsafeBufferPointer { wanted in
                                if let base { return memcmp(base + pathStart, wanted.baseAddress!, pathLength) == 0 }
                                return paths.withUnsafeBufferPointer {
                                    memcmp($0.baseAddress! + pathStart, wanted.baseAddress!, pathLength) == 0
                                }
                            }
                    }
                    if equal {
                        records.append(
                            Entries.Record(
                                offset: UInt32(entryStart), pathStart: UInt32(pathStart),
                                pathLength: UInt32(pathLength)))
                    }
                    continue
                }
                // Lookups are binary searches, so the paths must be in order, as git
                // requires (it refuses an unordered index too); libgit2 sorts on reading.
                guard !precedes(pathStart, pathLength, previous, in: version == 4 ? paths : nil) else { return nil }
                previous = (pathStart, pathLength)
                if intentToAdd {
                    continue
                }
                records.append(
                    Entries.Record(
                        offset: UInt32(entryStart), pathStart: UInt32(pathStart), pathLength: UInt32(pathLength)))
            }
            var treeExtension: Range<Int>?
            while offset + 8 <= end {
                guard let size = uint32(at: offset + 4), offset + 8 + Int(size) <= end else { return nil }
                let name = bytes[offset..<offset + 4]
                let body = offset + 8..<offset + 8 + Int(size)
                if name.elementsEqual("TREE".utf8) {
                    treeExtension = body
                } else if name.elementsEqual("link".utf8) || name.elementsEqual("sdir".utf8) {
                    return nil
                } else if let first = name.first, first < UInt8(ascii: "A") || first > UInt8(ascii: "Z") {
                    // An extension git requires readers to understand, unknown here.
                    return nil
                }
                offset = body.upperBound
            }
            return (records, version == 4 ? paths : nil, treeExtension)
        }

        /// One node of the `TREE` extension and its subtrees (pre-order), appended to
        /// `table`: the path component, NUL, the entry count, a space, the subtree count, a
        /// newline, then the tree id when the count is not negative. Its row, or nil (no
        /// cache) when malformed. `base` is where `bytes` starts in the table's file.
        mutating func cachedTree(
            depth: Int, nodes: inout [CachedTreeTable.Node], children: inout [UInt32],
            file: UnsafeBufferPointer<UInt8>, base: Int
        ) -> UInt32? {
            guard depth < 4096, let nameEnd = nul(from: offset, before: bytes.count) else { return nil }
            let nameStart = offset
            offset = nameEnd + 1
            guard let entryCount = decimal(until: UInt8(ascii: " ")), entryCount >= -1, entryCount < Int(Int32.max),
                let subtreeCount = decimal(until: UInt8(ascii: "\n")), subtreeCount >= 0,
                subtreeCount <= (bytes.count - offset) / 4
            else { return nil }
            var idStart = 0
            if entryCount >= 0 {
                guard offset + Reader.hashSize <= bytes.count else { return nil }
                idStart = offset
                offset += Reader.hashSize
            }
            let row = UInt32(nodes.count)
            let childStart = children.count
            nodes.append(
                CachedTreeTable.Node(
                    nameStart: UInt32(base + nameStart), nameLength: UInt32(nameEnd - nameStart),
                    entryCount: Int32(entryCount), idStart: UInt32(base + idStart), childStart: UInt32(childStart),
                    childCount: UInt32(subtreeCount)))
            children.append(contentsOf: repeatElement(0, count: subtreeCount))
            var sorted = true
            for slot in childStart..<childStart + subtreeCount {
                guard
                    let child = cachedTree(depth: depth + 1, nodes: &nodes, children: &children, file: file, base: base)
                else { return nil }
                children[slot] = child
                if slot > childStart,
                    !CachedTreeTable.precedes(nodes[Int(children[slot - 1])], nodes[Int(child)], in: file)
                {
                    sorted = false
                }
            }
            // Already in this order when git wrote the file: checked, then sorted only if not.
            if !sorted {
                let all = nodes
                children[childStart..<childStart + subtreeCount].sort {
                    CachedTreeTable.precedes(all[Int($0)], all[Int($1)], in: file)
                }
            }
            return row
        }

        /// The root node's tree id: an empty name, a NUL, a count of entries that is not
        /// negative, a space, the subtree count, a newline and the id.
        mutating func rootID() -> git_oid? {
            guard offset < bytes.count, bytes[offset] == 0 else { return nil }
            offset += 1
            guard let entryCount = decimal(until: UInt8(ascii: " ")), entryCount >= 0,
                decimal(until: UInt8(ascii: "\n")) != nil, offset + Reader.hashSize <= bytes.count
            else { return nil }
            return objectID(at: offset)
        }

        /// Whether the path at `start` sorts before the `previous` one (byte order, a
        /// prefix first). `rebuilt` holds the paths of a version 4 index; otherwise they
        /// lie in the file.
        func precedes(_ start: Int, _ length: Int, _ previous: (start: Int, length: Int), in rebuilt: [UInt8]?) -> Bool
        {
            guard previous.length > 0 else { return false }
            let common = min(length, previous.length)
            let order: Int32
            if let rebuilt {
                order = rebuilt.withUnsafeBufferPointer {
                    memcmp($0.baseAddress! + start, $0.baseAddress! + previous.start, common)
                }
            } else {
                order = memcmp(bytes.baseAddress! + start, bytes.baseAddress! + previous.start, common)
            }
            return order < 0 || (order == 0 && length < previous.length)
        }

        func uint32(at position: Int) -> UInt32? {
            guard position >= 0, position + 4 <= bytes.count else { return nil }
            return UInt32(bytes[position]) << 24 | UInt32(bytes[position + 1]) << 16 | UInt32(bytes[position + 2]) << 8
                | UInt32(bytes[position + 3])
        }

        /// The 20-byte object id at `position` (the caller has checked the bounds).
        func objectID(at position: Int) -> git_oid {
            var id = git_oid()
            withUnsafeMutableBytes(of: &id.id) { raw in
                raw.copyMemory(
                    from: UnsafeRawBufferPointer(
                        UnsafeBufferPointer(rebasing: bytes[position..<position + Reader.hashSize])))
            }
            return id
        }

        func uint16(at position: Int) -> UInt16? {
            guard position >= 0, position + 2 <= bytes.count else { return nil }
            return UInt16(bytes[position]) << 8 | UInt16(bytes[position + 1])
        }

        func nul(from start: Int, before limit: Int) -> Int? {
            guard start >= 0, start < limit, limit <= bytes.count, let base = bytes.baseAddress else { return nil }
            guard let found = memchr(base + start, 0, limit - start) else { return nil }
            return UnsafeRawPointer(base).distance(to: UnsafeRawPointer(found))
        }

        /// Git's offset varint (index version 4): 7 bits a byte, most significant
        /// first, each continuation adding one.
        mutating func varint() -> Int? {
            guard offset < bytes.count else { return nil }
            var byte = bytes[offset]
            offset += 1
            var value = Int(byte & 0x7f)
            while byte & 0x80 != 0 {
                guard offset < bytes.count, value < (Int.max >> 8) else { return nil }
                byte = bytes[offset]
                offset += 1
                value = ((value + 1) << 7) | Int(byte & 0x7f)
            }
            return value
        }

        /// An ASCII decimal, possibly negative, ended by `terminator`.
        mutating func decimal(until terminator: UInt8) -> Int? {
            var negative = false
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "-") {
                negative = true
                offset += 1
            }
            var value = 0
            var digits = 0
            while offset < bytes.count, bytes[offset] != terminator {
                let digit = Int(bytes[offset]) - 48
                guard (0...9).contains(digit), digits < 12 else { return nil }
                value = value * 10 + digit
                digits += 1
                offset += 1
            }
            guard digits > 0, offset < bytes.count else { return nil }
            offset += 1
            return negative ? -value : value
        }
    }
}

/// The bytes of an index file: the file itself, mapped read-only, or a copy in memory.
///
/// Why mapped: a 10,000-person index is 6.4 MB, and reading it copied every byte into
/// fresh memory (1,565 page faults, 3.8 ms of a 39 ms pre-commit check); a mapping
/// shares the file's cached pages. Git replaces the index by renaming a new file over it,
/// so a mapped index never changes under a reader. A file rewritten in place and made
/// shorter would raise SIGBUS on the next read past its new end: `CMappedFile` turns such
/// a read into zeros and marks the mapping `changed`, and what was read from it is then
/// refused (`GitRepository.requireIntactIndex`), never used.
final class IndexStorage: @unchecked Sendable {
    let bytes: UnsafeBufferPointer<UInt8>
    private let mapped: Bool

    init(copying array: [UInt8]) {
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(array.count, 1))
        _ = buffer.initialize(from: array)
        bytes = UnsafeBufferPointer(rebasing: buffer[..<array.count])
        mapped = false
    }

    /// Nil when `path` is not a regular, non-empty file below 4 GB or cannot be mapped.
    init?(mapping path: String) {
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size > 0,
            info.st_size < Int(UInt32.max), let address = evident_map_file(descriptor, Int(info.st_size))
        else { return nil }
        bytes = UnsafeBufferPointer(start: address.assumingMemoryBound(to: UInt8.self), count: Int(info.st_size))
        mapped = true
    }

    /// Whether the mapped file shrank under a read (always false for a copy).
    var changed: Bool { mapped && evident_mapped_file_changed(bytes.baseAddress) != 0 }

    deinit {
        if mapped {
            evident_unmap_file(bytes.baseAddress, bytes.count)
        } else {
            UnsafeMutableBufferPointer(mutating: bytes).deallocate()
        }
    }
}

/// A run of an index's bytes (a path, a folder name), read in place: it keeps the
/// storage alive, so no path of 54,000 entries is copied to be compared.
struct IndexBytes: RandomAccessCollection, Sendable {
    typealias Index = Int
    typealias Indices = Range<Int>
    typealias SubSequence = IndexBytes

    let storage: IndexStorage
    let startIndex: Int
    let endIndex: Int

    init(storage: IndexStorage, range: Range<Int>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= storage.bytes.count)
        self.storage = storage
        startIndex = range.lowerBound
        endIndex = range.upperBound
    }

    subscript(position: Int) -> UInt8 {
        precondition(position >= startIndex && position < endIndex)
        return storage.bytes[position]
    }

    subscript(bounds: Range<Int>) -> IndexBytes {
        precondition(bounds.lowerBound >= startIndex && bounds.upperBound <= endIndex)
        return IndexBytes(storage: storage, range: bounds)
    }

    func withUnsafeBufferPointer<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        try withExtendedLifetime(storage) {
            try body(UnsafeBufferPointer(rebasing: storage.bytes[startIndex..<endIndex]))
        }
    }
}
