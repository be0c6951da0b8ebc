import CGit2
import EvidentCore
import Foundation

extension GitRepository {
    /// Paths that differ between `revision` and the work tree, for `check --changed-since`:
    /// what `git diff <revision>` lists (staged or not, both sides of a rename, deletions)
    /// plus untracked files that are not ignored, as `git status` shows them. Paths are
    /// relative to the work tree; with `prefix`, only those under that folder.
    ///
    /// A CI run compares a branch with its base this way without checking out the base:
    /// only the changed paths are needed to decide what to re-check (`ChangeScope`).
    ///
    /// Cost: libgit2's tree-to-work-tree diff read every tree of the revision and its own
    /// copy of the index (checksum included) whatever the change, most of a check of one
    /// review. Instead the candidates come from three cheap comparisons: the revision's
    /// tree with HEAD's, skipping equal folders; HEAD with the index (`stagedChanges`);
    /// and the index with the work tree by stat data, as `git status` compares them, with
    /// the few files that differ hashed. Each candidate is then judged by comparing what
    /// the revision holds with what the work tree holds, so a change made and undone
    /// between the two is not listed, as `git diff` does not list it.
    public func changedPaths(since revision: String, under prefix: String? = nil) throws -> [String] {
        let prefix = try normalizedRepoPath(prefix ?? "", allowEmpty: true)
        guard let since = try treeHandle(revision: revision) else {
            throw GitError(
                kind: .library, message: "'\(revision)' has no commit yet", operation: "diff with the work tree")
        }
        guard let workdir else {
            throw GitError(
                kind: .bareRepository, message: "a bare repository has no work tree",
                operation: "diff with the work tree")
        }
        let index = try index()
        var candidates = Set<String>()
        let head = try treeHandle(revision: "HEAD")
        let sinceFolder = try subtree(of: since, at: prefix)
        let headFolder = try head.flatMap { try subtree(of: $0, at: prefix) }
        try collectDifferences(sinceFolder, headFolder, path: prefix, into: &candidates)
        for change in try stagedChanges(under: prefix.isEmpty ? nil : prefix) { candidates.insert(change.path) }
        let fileModes = (try? configBool("core.filemode")) ?? nil ?? true
        let work = try workTreeDifferences(index, under: prefix, workdir: workdir, fileModes: fileModes)
        let untracked = work.untracked
        var paths = untracked
        for path in candidates.union(work.modified).union(work.gone) where !paths.contains(path) {
            if work.conflicted.contains(path) {
                paths.insert(path)
                continue
            }
            let before = try state(of: path, in: since)
            let now: FileState?
            if work.gone.contains(path) {
                now = nil
            } else if work.modified.contains(path) {
                now = try workTreeState(of: path, index: index, workdir: workdir, fileModes: fileModes)
            } else {
                now = index.find(path).map {
                    FileState(id: hexString(index.entries[$0].id), mode: index.entries[$0].mode)
                }
            }
            if before != now { paths.insert(path) }
        }
        paths.formUnion(work.conflicted)
        let folder = prefix.isEmpty ? "" : prefix + "/"
        return paths.filter { $0.hasPrefix(folder) }.sorted()
    }

    /// A file as git compares it: its blob id and mode.
    private struct FileState: Equatable {
        var id: String
        var mode: UInt32
    }

    /// The tree of the folder `path` in `tree` ("" for the tree itself), nil when there is none.
    private func subtree(of tree: TreeHandle, at path: String) throws -> TreeHandle? {
        guard !path.isEmpty else { return tree }
        guard let entry = try entry(path, in: tree, "look up '\(path)'") else { return nil }
        let id: git_oid? = entry.withPointer { entry in
            git_tree_entry_type(entry) == GIT_OBJECT_TREE ? git_tree_entry_id(entry).pointee : nil
        }
        return try id.map { try treeHandle(oid: $0) }
    }

    /// Adds every file path under which `old` and `new` (trees of the folder `path`)
    /// differ; folders with equal ids are not opened.
    private func collectDifferences(_ old: TreeHandle?, _ new: TreeHandle?, path: String, into paths: inout Set<String>)
        throws
    {
        if let old, let new {
            var oldID = old.id
            var newID = new.id
            if git_oid_equal(&oldID, &newID) != 0 { return }
        }
        struct Child {
            var name: [UInt8]
            var id: git_oid
            var mode: UInt32
            var isTree: Bool
        }
        func child(_ entry: OpaquePointer) -> Child {
            Child(
                name: Array(
                    UnsafeRawBufferPointer(start: git_tree_entry_name(entry), count: strlen(git_tree_entry_name(entry)))
                ),
                id: git_tree_entry_id(entry).pointee, mode: git_tree_entry_filemode_raw(entry).rawValue,
                isTree: git_tree_entry_type(entry) == GIT_OBJECT_TREE)
        }
        func children(_ tree: TreeHandle?) -> [[UInt8]: Child] {
            guard let tree else { return [:] }
            return tree.withPointer { tree in
                var out: [[UInt8]: Child] = [:]
                for position in 0..<git_tree_entrycount(tree) {
                    guard let entry = git_tree_entry_byindex(tree, position) else { continue }
                    let child = child(entry)
                    out[child.name] = child
                }
                return out
            }
        }
        // The pairs of entries that differ. Two versions of a folder usually hold the same
        // names in the same order (a cycle folder: 10,000 of them), so entries are first
        // paired by position, comparing names and ids in place; by name otherwise.
        let aligned: [(Child?, Child?)]? = old.flatMap { old in
            new.flatMap { new in
                old.withPointer { old in
                    new.withPointer { new -> [(Child?, Child?)]? in
                        let count = git_tree_entrycount(old)
                        guard git_tree_entrycount(new) == count else { return nil }
                        var differing: [(Child?, Child?)] = []
                        for position in 0..<count {
                            guard let a = git_tree_entry_byindex(old, position),
                                let b = git_tree_entry_byindex(new, position),
                                strcmp(git_tree_entry_name(a), git_tree_entry_name(b)) == 0
                            else { return nil }
                            if git_tree_entry_filemode_raw(a) == git_tree_entry_filemode_raw(b),
                                git_oid_equal(git_tree_entry_id(a), git_tree_entry_id(b)) != 0
                            {
                                continue
                            }
                            differing.append((child(a), child(b)))
                        }
                        return differing
                    }
                }
            }
        }
        let pairs: [(Child?, Child?)]
        if let aligned {
            pairs = aligned
        } else {
            let before = children(old)
            let after = children(new)
            pairs = Set(before.keys).union(after.keys).map { (before[$0], after[$0]) }
        }
        for (before, after) in pairs {
            var a = before
            var b = after
            let name = String(decoding: (a ?? b)!.name, as: UTF8.self)
            let childPath = path.isEmpty ? name : path + "/" + name
            if var oldID = a?.id, var newID = b?.id, a?.mode == b?.mode, git_oid_equal(&oldID, &newID) != 0 {
                continue
            }
            if a?.isTree == false || b?.isTree == false { paths.insert(childPath) }
            if a?.isTree != true { a = nil }
            if b?.isTree != true { b = nil }
            guard a != nil || b != nil else { continue }
            try collectDifferences(
                try a.map { try treeHandle(oid: $0.id) }, try b.map { try treeHandle(oid: $0.id) }, path: childPath,
                into: &paths)
        }
    }

    /// The file `path` in `tree`, nil when there is none (or it is a folder).
    private func state(of path: String, in tree: TreeHandle) throws -> FileState? {
        guard let entry = try entry(path, in: tree, "look up '\(path)'") else { return nil }
        return entry.withPointer { entry in
            guard git_tree_entry_type(entry) == GIT_OBJECT_BLOB else { return nil }
            return FileState(id: hexString(git_tree_entry_id(entry)), mode: git_tree_entry_filemode_raw(entry).rawValue)
        }
    }

    /// The work-tree file `path` as `git add` would store it, nil when it is missing.
    /// With `fileModes` off (`core.filemode=false`) a regular file keeps the index's mode.
    private func workTreeState(of path: String, index: GitIndexFile, workdir: String, fileModes: Bool) throws
        -> FileState?
    {
        var info = stat()
        guard lstat(workdir + "/" + path, &info) == 0 else { return nil }
        let indexMode = index.find(path).map { index.entries[$0].mode }
        guard var mode = Self.gitMode(info) else { return nil }
        if !fileModes, mode != 0o120000, let indexMode, indexMode & 0o170000 == 0o100000 { mode = indexMode }
        let indexKind = indexMode.flatMap { GitFileKind(mode: $0) }
        guard let id = try workTreeBlobID(path: path, workdir: workdir, indexKind: indexKind) else { return nil }
        return FileState(id: id, mode: mode)
    }

    /// The mode git would store for a work-tree file, nil for anything but a file or a link.
    fileprivate static func gitMode(_ info: stat) -> UInt32? {
        switch info.st_mode & S_IFMT {
        case S_IFLNK: return 0o120000
        case S_IFREG: return info.st_mode & 0o100 != 0 ? 0o100755 : 0o100644
        default: return nil
        }
    }

    /// What the work tree holds that differs from the index under `prefix`: entries whose
    /// file may have changed (`modified`, hashed by the caller), entries whose file is gone
    /// (`gone`: missing, or below a folder that is now a file or a link, as `git diff`
    /// counts them), conflicted paths, and untracked files that are not ignored. One walk
    /// of the work tree finds them all (`WorkTreeWalk`); the few files whose stat data and
    /// raw bytes both differ from the index are hashed with the filters here.
    private func workTreeDifferences(_ index: GitIndexFile, under prefix: String, workdir: String, fileModes: Bool)
        throws -> (modified: Set<String>, gone: Set<String>, conflicted: Set<String>, untracked: Set<String>)
    {
        let found = WorkTreeWalk(workdir: workdir, index: index, fileModes: fileModes).run(under: prefix)
        var modified = Set(found.modified.map { index.pathString($0) })
        for position in found.suspects {
            let path = index.pathString(position)
            let entry = index.entries[position]
            let id = try workTreeBlobID(path: path, workdir: workdir, indexKind: GitFileKind(mode: entry.mode))
            if id != hexString(entry.id) { modified.insert(path) }
        }
        var conflicted = Set<String>()
        for position in index.range(under: prefix) where index.entries[position].stage != 0 {
            conflicted.insert(index.pathString(position))
        }
        let gone = Set(found.gone.map { index.pathString($0) })
        return (modified, gone, conflicted, try untrackedFiles(found, workdir: workdir))
    }

    /// The walk's untracked files and the files below its untracked folders, less those
    /// the ignore rules exclude, as `git ls-files --others --exclude-standard` lists them.
    /// An untracked folder is checked against the ignore rules before it is read.
    private func untrackedFiles(_ found: WorkTreeWalk.Found, workdir: String) throws -> Set<String> {
        var files: Set<String> = []
        for path in found.files where try !isIgnored(path) { files.insert(path) }
        for folder in found.folders where try !isIgnored(folder + "/") {
            for path in WorkTreeWalk.everyFile(in: folder, workdir: workdir) where try !isIgnored(path) {
                files.insert(path)
            }
        }
        return files
    }

    private func isIgnored(_ path: String) throws -> Bool {
        var ignored: Int32 = 0
        try check(git_ignore_path_is_ignored(&ignored, pointer, path), "check whether '\(path)' is ignored")
        return ignored != 0
    }
}

/// One walk of the work tree under a folder, for `changedPaths`, that compares it with
/// the index and finds untracked files at once: each folder the index holds is opened
/// once, its names read once, and its tracked files looked up from it with `fstatat`
/// (the kernel walks one name, not the whole path). Folders are opened from their
/// parent without following links, so a tracked folder that became a link counts as
/// gone, as in `git diff`. Folders of a large folder are walked on every core.
///
/// Before, the comparison and the untracked walk each opened every folder by its whole
/// path: 22,000 `openat`, 22,000 `close` and 10,000 `fstat` more at 10,000 people.
private struct WorkTreeWalk: Sendable {
    let workdir: String
    let index: GitIndexFile
    let fileModes: Bool

    /// Index positions and work-tree paths, as `workTreeDifferences` describes them.
    struct Found: Sendable {
        var modified: [Int] = []
        var suspects: [Int] = []
        var gone: [Int] = []
        /// Untracked files and folders (the folders not yet read), before the ignore rules.
        var files: [String] = []
        var folders: [String] = []

        mutating func add(_ other: Found) {
            modified += other.modified
            suspects += other.suspects
            gone += other.gone
            files += other.files
            folders += other.folders
        }
    }

    func run(under prefix: String) -> Found {
        let entries = index.range(under: prefix)
        var descriptor = open(workdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        for component in prefix.split(separator: "/") where descriptor >= 0 {
            let next = openat(descriptor, String(component), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            close(descriptor)
            descriptor = next
        }
        guard descriptor >= 0 else { return Found(gone: compared(entries)) }
        return folder(descriptor, path: prefix, entries: entries)
    }

    /// The positions of `entries` that `git diff` compares with the work tree: stage 0,
    /// not a submodule. All of them are gone when their folder is.
    private func compared(_ entries: Range<Int>) -> [Int] {
        entries.filter { index.entries[$0].stage == 0 && index.entries[$0].mode & 0o170000 != 0o160000 }
    }

    /// The folder `path` ("" for the top), open at `descriptor` (closed here), whose
    /// index entries are `entries`.
    private func folder(_ descriptor: Int32, path: String, entries: Range<Int>) -> Found {
        defer { close(descriptor) }
        guard let listing = FolderListing(descriptor) else { return Found(gone: compared(entries)) }
        @Sendable func child(_ name: [UInt8]) -> String {
            path.isEmpty ? String(decoding: name, as: UTF8.self) : path + "/" + String(decoding: name, as: UTF8.self)
        }
        var found = Found()
        var known = [Bool](repeating: false, count: listing.count)
        var descend: [(name: [UInt8], entries: Range<Int>)] = []
        let skip = path.isEmpty ? 0 : path.utf8.count + 1
        // The index entries of this folder, in order: its files, and a range per subfolder
        // (the paths are sorted, so a subfolder's entries are together, up to "name0").
        var position = entries.lowerBound
        while position < entries.upperBound {
            let full = index.path(position)
            let rest = full.dropFirst(skip)
            if let slash = rest.firstIndex(of: UInt8(ascii: "/")) {
                let name = rest[..<slash]
                var key = Array(full[..<slash])
                key.append(UInt8(ascii: "0"))
                let end = min(entries.upperBound, max(position + 1, index.lowerBound(key)))
                if let listed = name.withUnsafeBufferPointer(listing.find), listing.type(listed) == DT_DIR {
                    known[listed] = true
                    descend.append((Array(name), position..<end))
                } else {
                    // Gone, or now a file or a link (listed below as untracked, as git lists it).
                    found.gone += compared(position..<end)
                }
                position = end
                continue
            }
            let entry = index.entries[position]
            let isSubmodule = entry.mode & 0o170000 == 0o160000
            let listed = rest.withUnsafeBufferPointer(listing.find)
            // A file whose name is now a folder: the folder's files are untracked (not a submodule's).
            if let listed, listing.type(listed) != DT_DIR || isSubmodule { known[listed] = true }
            position += 1
            guard entry.stage == 0, !isSubmodule else { continue }
            var info = stat()
            guard let listed, listing.withName(listed, { fstatat(descriptor, $0, &info, AT_SYMLINK_NOFOLLOW) }) == 0
            else {
                found.gone.append(position - 1)
                continue
            }
            guard let mode = GitRepository.gitMode(info),
                mode == entry.mode || (!fileModes && mode != 0o120000 && entry.mode != 0o120000)
            else {
                found.modified.append(position - 1)
                continue
            }
            if index.workTreeFileIsUnchanged(entry, info: info)
                || GitRepository.rawHashMatches(entry, at: workdir + "/" + index.pathString(position - 1))
            {
                continue
            }
            found.suspects.append(position - 1)
        }
        for listed in 0..<listing.count where !known[listed] {
            switch listing.type(listed) {
            case DT_DIR: found.folders.append(child(Array(listing.bytes(listed))))
            // Git lists files and links; not sockets or pipes.
            case DT_REG, DT_LNK: found.files.append(child(Array(listing.bytes(listed))))
            default: break
            }
        }
        let walkOne: @Sendable ((name: [UInt8], entries: Range<Int>)) -> Found = { subfolder in
            let opened = Array(subfolder.name + [0]).withUnsafeBufferPointer {
                $0.withMemoryRebound(to: CChar.self) {
                    openat(descriptor, $0.baseAddress!, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                }
            }
            guard opened >= 0 else { return Found(gone: compared(subfolder.entries)) }
            return folder(opened, path: child(subfolder.name), entries: subfolder.entries)
        }
        // A cycle folder holds 10,000 person folders: those are walked on every core.
        let results = descend.count >= 64 ? parallelMap(descend, walkOne) : descend.map(walkOne)
        for result in results { found.add(result) }
        return found
    }

    /// Every file (or link) below the untracked folder `folder`, as git lists them.
    static func everyFile(in folder: String, workdir: String) -> [String] {
        var files: [String] = []
        guard let directory = opendir(workdir + "/" + folder) else { return files }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let name = withUnsafeMutablePointer(to: &entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name == "." || name == ".." || name == ".git" { continue }
            let path = folder + "/" + name
            var kind = Int32(entry.pointee.d_type)
            if kind == Int32(DT_UNKNOWN) {
                var info = stat()
                guard lstat(workdir + "/" + path, &info) == 0 else { continue }
                kind =
                    info.st_mode & S_IFMT == S_IFDIR
                    ? Int32(DT_DIR)
                    : info.st_mode & S_IFMT == S_IFREG
                        ? Int32(DT_REG) : info.st_mode & S_IFMT == S_IFLNK ? Int32(DT_LNK) : kind
            }
            switch kind {
            case Int32(DT_DIR): files += everyFile(in: path, workdir: workdir)
            case Int32(DT_REG), Int32(DT_LNK): files.append(path)
            default: break
            }
        }
        return files
    }

}

/// The names in one folder, read with `getdents64` into one buffer: no `DIR` stream
/// (`fdopendir` costs an `fcntl` and an `fstat` per folder) and no allocation per name.
/// Each name is kept with its NUL, so `fstatat` takes it in place. Names are bytes: two
/// Unicode spellings of one name are two files, as for git.
private struct FolderListing {
    private var storage: [UInt8] = []
    private var names: [(start: Int, count: Int, type: Int)] = []
    /// Positions in byte order of the names, for a binary search in a large folder (a
    /// cycle folder of 10,000 people); small ones are scanned.
    private var sorted: [Int]?

    /// The names of the folder open at `descriptor` but ".", ".." and ".git" (never
    /// git's to list); nil when it cannot be read.
    init?(_ descriptor: Int32) {
        let capacity = 32_768
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 8)
        defer { buffer.deallocate() }
        while true {
            let read = FolderListing.readEntries(descriptor, buffer, capacity)
            guard read >= 0 else { return nil }
            if read == 0 { break }
            var offset = 0
            while offset < read {
                let record = buffer + offset
                // struct linux_dirent64: inode (8 bytes), offset (8), record length (2), type (1), name.
                let length = Int(record.load(fromByteOffset: 16, as: UInt16.self))
                // A record shorter than its header would never end the loop: not a listing to trust.
                guard length >= 20, offset + length <= read else { return nil }
                let type = Int(record.load(fromByteOffset: 18, as: UInt8.self))
                let name = (record + 19).assumingMemoryBound(to: CChar.self)
                let count = strlen(name)
                offset += length
                guard !FolderListing.isSkipped(name, count) else { continue }
                names.append((storage.count, count, type))
                storage.append(contentsOf: UnsafeRawBufferPointer(start: name, count: count + 1))
            }
            guard offset == read else { return nil }
        }
        if names.count > 32 {
            sorted = storage.withUnsafeBufferPointer { storage in
                names.indices.sorted {
                    FolderListing.order(
                        UnsafeBufferPointer(rebasing: storage[names[$0].start..<names[$0].start + names[$0].count]),
                        UnsafeBufferPointer(rebasing: storage[names[$1].start..<names[$1].start + names[$1].count])) < 0
                }
            }
        }
        // Some file systems do not give types: ask for those (without following links).
        for position in names.indices where names[position].type == DT_UNKNOWN {
            var info = stat()
            guard withName(position, { fstatat(descriptor, $0, &info, AT_SYMLINK_NOFOLLOW) }) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFDIR: names[position].type = DT_DIR
            case S_IFREG: names[position].type = DT_REG
            case S_IFLNK: names[position].type = DT_LNK
            default: break
            }
        }
    }

    var count: Int { names.count }

    func type(_ position: Int) -> Int { names[position].type }

    func bytes(_ position: Int) -> ArraySlice<UInt8> {
        storage[names[position].start..<names[position].start + names[position].count]
    }

    /// Calls `body` with the name at `position`, NUL-terminated.
    func withName<Result>(_ position: Int, _ body: (UnsafePointer<CChar>) -> Result) -> Result {
        storage.withUnsafeBufferPointer {
            body(UnsafeRawPointer($0.baseAddress! + names[position].start).assumingMemoryBound(to: CChar.self))
        }
    }

    /// The position of the name whose bytes are `name`, if listed.
    func find(_ name: UnsafeBufferPointer<UInt8>) -> Int? {
        storage.withUnsafeBufferPointer { storage in
            func bytes(_ position: Int) -> UnsafeBufferPointer<UInt8> {
                UnsafeBufferPointer(
                    rebasing: storage[names[position].start..<names[position].start + names[position].count])
            }
            guard let sorted else { return names.indices.first { FolderListing.order(bytes($0), name) == 0 } }
            var low = 0
            var high = sorted.count
            while low < high {
                let middle = (low + high) / 2
                if FolderListing.order(bytes(sorted[middle]), name) < 0 { low = middle + 1 } else { high = middle }
            }
            return low < sorted.count && FolderListing.order(bytes(sorted[low]), name) == 0 ? sorted[low] : nil
        }
    }

    /// Byte order, shorter first on a common prefix: negative, zero or positive.
    private static func order(_ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>) -> Int {
        let common = min(left.count, right.count)
        if common > 0, let a = left.baseAddress, let b = right.baseAddress {
            let compared = memcmp(a, b, common)
            if compared != 0 { return Int(compared) }
        }
        return left.count - right.count
    }

    private static func isSkipped(_ name: UnsafePointer<CChar>, _ count: Int) -> Bool {
        (count == 1 && name[0] == 0x2E) || (count == 2 && name[0] == 0x2E && name[1] == 0x2E)
            || (count == 4 && strcmp(name, ".git") == 0)
    }

    /// `getdents64` from the C library (glibc 2.30 and later), found at run time since
    /// Swift's Glibc module does not declare it.
    private typealias GetDents = @convention(c) (Int32, UnsafeMutableRawPointer?, Int) -> Int
    private static let getdents64: GetDents? = dlsym(nil, "getdents64").map {
        unsafeBitCast($0, to: GetDents.self)
    }

    /// Reads directory records into `buffer`: their total length, 0 at the end, -1 on failure.
    private static func readEntries(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ capacity: Int) -> Int {
        guard let getdents64 else { return -1 }
        while true {
            let read = getdents64(descriptor, buffer, capacity)
            if read < 0 && errno == EINTR { continue }
            return read
        }
    }
}
