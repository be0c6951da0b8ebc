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
        let untracked = try untrackedFiles(index, under: prefix, workdir: workdir)
        var paths = untracked
        for path in candidates.union(work.modified) where !paths.contains(path) {
            if work.conflicted.contains(path) {
                paths.insert(path)
                continue
            }
            let before = try state(of: path, in: since)
            let now: FileState?
            if work.modified.contains(path) {
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
            var name: String
            var id: git_oid
            var mode: UInt32
            var isTree: Bool
        }
        func children(_ tree: TreeHandle?) -> [String: Child] {
            guard let tree else { return [:] }
            return tree.withPointer { tree in
                var out: [String: Child] = [:]
                for position in 0..<git_tree_entrycount(tree) {
                    guard let entry = git_tree_entry_byindex(tree, position), let name = git_tree_entry_name(entry)
                    else { continue }
                    let child = Child(
                        name: String(cString: name), id: git_tree_entry_id(entry).pointee,
                        mode: git_tree_entry_filemode_raw(entry).rawValue,
                        isTree: git_tree_entry_type(entry) == GIT_OBJECT_TREE)
                    out[child.name] = child
                }
                return out
            }
        }
        let before = children(old)
        let after = children(new)
        for name in Set(before.keys).union(after.keys) {
            let childPath = path.isEmpty ? name : path + "/" + name
            var a = before[name]
            var b = after[name]
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
    private static func gitMode(_ info: stat) -> UInt32? {
        switch info.st_mode & S_IFMT {
        case S_IFLNK: return 0o120000
        case S_IFREG: return info.st_mode & 0o100 != 0 ? 0o100755 : 0o100644
        default: return nil
        }
    }

    /// Index entries under `prefix` whose work-tree file may differ from them, judged as
    /// `git status` judges them (one `lstat`: the mode, then stat data, then the raw
    /// bytes; on every core), then hashed with the filters; and conflicted paths.
    private func workTreeDifferences(_ index: GitIndexFile, under prefix: String, workdir: String, fileModes: Bool)
        throws -> (modified: Set<String>, conflicted: Set<String>)
    {
        let range = index.range(under: prefix)
        let shared = index
        let chunk = 2048
        let starts = Array(stride(from: range.lowerBound, to: range.upperBound, by: chunk))
        let found = parallelMap(starts) { start -> (suspects: [Int], modified: [Int]) in
            var suspects: [Int] = []
            var modified: [Int] = []
            // Files are looked up from their folder, opened once for its files: the
            // kernel then walks one name per file instead of the whole path (the path
            // walk was most of the system time of 54,000 lstat calls).
            var folder = WorkTreeFolder(workdir: workdir)
            defer { folder.release() }
            for position in start..<min(start + chunk, range.upperBound) {
                let entry = shared.entries[position]
                // Submodules are not files Evident reads; conflicts are listed below.
                guard entry.stage == 0, entry.mode & 0o170000 != 0o160000 else { continue }
                let path = shared.pathString(position)
                let full = workdir + "/" + path
                var info = stat()
                guard folder.lstat(path, &info), let mode = Self.gitMode(info),
                    mode == entry.mode || (!fileModes && mode != 0o120000 && entry.mode != 0o120000)
                else {
                    modified.append(position)
                    continue
                }
                if shared.workTreeFileIsUnchanged(entry, info: info) || Self.rawHashMatches(entry, at: full) {
                    continue
                }
                suspects.append(position)
            }
            return (suspects, modified)
        }
        var modified = Set(found.flatMap(\.modified).map { index.pathString($0) })
        for position in found.flatMap(\.suspects) {
            let path = index.pathString(position)
            let entry = index.entries[position]
            let id = try workTreeBlobID(
                path: path, workdir: workdir, indexKind: GitFileKind(mode: entry.mode))
            if id != hexString(entry.id) { modified.insert(path) }
        }
        var conflicted = Set<String>()
        for position in range where index.entries[position].stage != 0 {
            conflicted.insert(index.pathString(position))
        }
        return (modified, conflicted)
    }

    /// Files under `prefix` in the work tree that the index does not hold and that are
    /// not ignored, as `git status --untracked-files=all` lists them. Folders holding
    /// nothing the index knows are checked against the ignore rules before they are read.
    private func untrackedFiles(_ index: GitIndexFile, under prefix: String, workdir: String) throws -> Set<String> {
        let walk = UntrackedWalk(workdir: workdir, index: index)
        var found = walk.list(prefix)
        var files: Set<String> = []
        while !found.files.isEmpty || !found.folders.isEmpty {
            for path in found.files where try !isIgnored(path) { files.insert(path) }
            var next = UntrackedWalk.Found()
            for folder in found.folders where try !isIgnored(folder + "/") {
                let inside = walk.list(folder, everything: true)
                next.files += inside.files
                next.folders += inside.folders
            }
            found = next
        }
        return files
    }

    private func isIgnored(_ path: String) throws -> Bool {
        var ignored: Int32 = 0
        try check(git_ignore_path_is_ignored(&ignored, pointer, path), "check whether '\(path)' is ignored")
        return ignored != 0
    }
}

/// The folder of the last file looked up, kept open so that the files of one
/// folder are found with `fstatat` from it. Opening the folder follows links in the path
/// as `lstat` of the whole path does, so the answers are the same.
private struct WorkTreeFolder {
    let workdir: String
    private var name: Substring?
    private var descriptor: Int32 = -1

    init(workdir: String) { self.workdir = workdir }

    /// `lstat` of the repository-relative `path`.
    mutating func lstat(_ path: String, _ info: inout stat) -> Bool {
        let slash = path.utf8.lastIndex(of: UInt8(ascii: "/"))
        let parent = slash.map { path[..<$0] } ?? ""
        if parent != name {
            release()
            name = parent
            descriptor = open(
                parent.isEmpty ? workdir : workdir + "/" + parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        }
        guard descriptor >= 0 else { return false }
        let file = slash.map { String(path[path.index(after: $0)...]) } ?? path
        return fstatat(descriptor, file, &info, AT_SYMLINK_NOFOLLOW) == 0
    }

    mutating func release() {
        if descriptor >= 0 { close(descriptor) }
        descriptor = -1
        name = nil
    }
}

/// The work-tree walk behind `untrackedFiles`: lists folders on every core, and reports
/// files the index does not hold, and folders under which it holds nothing (left for
/// the ignore rules, which need the repository, before they are read).
private struct UntrackedWalk: Sendable {
    let workdir: String
    let index: GitIndexFile

    struct Found: Sendable {
        var files: [String] = []
        var folders: [String] = []
    }

    /// `folder` ("" for the top), with `everything`: every file below it, without
    /// stopping at folders the index does not know.
    func list(_ folder: String, everything: Bool = false) -> Found {
        var found = Found()
        var subfolders: [String] = []
        let absolute = folder.isEmpty ? workdir : workdir + "/" + folder
        guard let directory = opendir(absolute) else { return found }
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name == "." || name == ".." || name == ".git" { continue }
            let path = folder.isEmpty ? name : folder + "/" + name
            var isFolder = Int32(entry.pointee.d_type) == Int32(DT_DIR)
            if Int32(entry.pointee.d_type) == Int32(DT_UNKNOWN) {
                var info = stat()
                isFolder = lstat(workdir + "/" + path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
            }
            if isFolder {
                if everything || index.hasEntries(under: path) {
                    subfolders.append(path)
                } else if index.find(path) == nil {
                    found.folders.append(path)
                }
            } else if everything || !isKnown(path) {
                found.files.append(path)
            }
        }
        closedir(directory)
        let lists =
            subfolders.count >= 64
            ? parallelMap(subfolders) { list($0, everything: everything) }
            : subfolders.map { list($0, everything: everything) }
        for list in lists {
            found.files += list.files
            found.folders += list.folders
        }
        return found
    }

    /// Whether the index holds `path` at any stage.
    private func isKnown(_ path: String) -> Bool {
        let key = Array(path.utf8)
        let position = index.lowerBound(key)
        return position < index.entries.count && index.path(position).elementsEqual(key)
    }
}
