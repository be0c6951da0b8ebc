#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What a repository path is, from the point of view of a link.
public enum PathStatus: Sendable, Equatable {
    case file
    case directory
    case missing
    /// The path exists but resolves outside the repository (through a symlink).
    case outsideRepository
}

/// Where a review repository's files come from: the work tree, the git index, a
/// revision, an editor's unsaved buffers, or memory (tests and rule examples).
///
/// Paths are repository-relative with `/` separators.
public protocol RepositorySource: Sendable {
    /// An absolute path shown to users and used to compute relative paths.
    var root: String { get }
    /// Every regular file below the root, skipping hidden files and folders. A disk
    /// source also lists folders named like documents (`review.md/`), so that reading
    /// them reports what is wrong instead of the document silently going missing.
    func listFiles() throws -> [String]
    func read(_ path: String) throws -> [UInt8]
    func status(of path: String) -> PathStatus
    /// The file as the loader would load it, when the source already has it decoded (a
    /// cache of people.yaml); nil to read and parse it.
    func decoded(_ path: String, kind: DocumentKind) -> LoadedFile?
}

extension RepositorySource {
    public func decoded(_ path: String, kind: DocumentKind) -> LoadedFile? { nil }
}

/// An I/O failure: the only kind of failure that is thrown rather than reported.
public struct SourceError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var reason: String
    /// Set when the file was refused for its content before it was read (too large), so
    /// the loader reports it as it would after reading.
    public var problem: SourceText.Problem?
    public var description: String { "\(path): \(reason)" }

    public init(path: String, reason: String, problem: SourceText.Problem? = nil) {
        self.path = path
        self.reason = reason
        self.problem = problem
    }
}

/// Files on disk below `root`. Symlinks are followed only while they stay inside the root.
public struct DiskSource: RepositorySource {
    public let root: String
    /// When set, the person folders (`cycles/<cycle>/<person>`) listed: the others are not
    /// descended into. A check of a few folders (`--changed-since`) then lists the
    /// organisation files and those folders, not 50,000 files it would throw away.
    public let personFolders: Set<String>?
    /// The root, open: the fast path of `read` opens files relative to it.
    private let rootDirectory: DirectoryHandle?
    /// Whether the `teams` folder is listed. Only organisation files refer to teams, so a
    /// check reporting on person folders alone leaves the 2,000 team files of a large
    /// organisation unread, as `check --staged` does.
    public let teams: Bool

    /// `root` must be an existing directory; it is resolved to its real path.
    public init(root: String, personFolders: Set<String>? = nil, teams: Bool = true) throws {
        self.personFolders = personFolders
        self.teams = teams
        guard let resolved = DiskSource.realPath(root) else {
            throw SourceError(path: root, reason: "no such directory")
        }
        var info = stat()
        guard stat(resolved, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
            throw SourceError(path: root, reason: "not a directory")
        }
        self.root = resolved
        rootDirectory = DirectoryHandle(resolved)
    }

    public func listFiles() throws -> [String] {
        var files: [String] = []
        var visited = Set<String>()
        try walk(relative: "", into: &files, visited: &visited)
        return files
    }

    private func walk(relative: String, into files: inout [String], visited: inout Set<String>) throws {
        let absolute = relative.isEmpty ? root : root + "/" + relative
        guard visited.insert(absolute).inserted, let directory = opendir(absolute) else {
            if relative.isEmpty { throw SourceError(path: root, reason: "cannot read directory") }
            return
        }
        defer { closedir(directory) }
        var subdirectories: [String] = []
        let firstOfFolder = files.count
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name.hasPrefix(".") { continue }
            let path = relative.isEmpty ? name : relative + "/" + name
            switch Int32(entry.pointee.d_type) {
            case Int32(DT_REG): files.append(path)
            case Int32(DT_DIR):
                subdirectories.append(path)
                if DiskSource.looksLikeDocument(name) { files.append(path) }
            case Int32(DT_LNK), Int32(DT_UNKNOWN):
                // Links are listed as files; reading checks where they lead. Linked
                // folders are not descended into, so a link loop cannot trap the walk.
                var info = stat()
                if lstat(root + "/" + path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
                    subdirectories.append(path)
                    if DiskSource.looksLikeDocument(name) { files.append(path) }
                } else {
                    files.append(path)
                }
            default: continue
            }
        }
        // readdir's order is the file system's; "first declared here" must not depend on
        // it. Byte order, as git lists a folder, so a check of the work tree and of the
        // index see a folder's files in the same order.
        files[firstOfFolder...].sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        // Folders left out are dropped before sorting: 10,000 names for the one kept.
        if let personFolders, relative.hasPrefix("cycles/"), !relative.dropFirst(7).contains("/") {
            subdirectories.removeAll { !personFolders.contains($0) }
        }
        if !teams && relative.isEmpty { subdirectories.removeAll { $0 == "teams" } }
        let sorted = subdirectories.sorted()
        // A cycle folder holds a folder per person: 10,000 of them are listed on every
        // core, in order (listing is system calls, and a check waits for it). Below the
        // root nothing throws, and no folder is reached twice (links are not descended),
        // so each branch keeps its own `visited`.
        if sorted.count >= 64 {
            for listed in parallelMap(sorted, { listSubdirectory($0) }) { files += listed }
            return
        }
        for subdirectory in sorted {
            try walk(relative: subdirectory, into: &files, visited: &visited)
        }
    }

    /// The files below a folder under the root, which cannot fail (an unreadable folder
    /// is skipped; only the root's is an error).
    private func listSubdirectory(_ relative: String) -> [String] {
        var files: [String] = []
        var visited = Set<String>()
        try? walk(relative: relative, into: &files, visited: &visited)
        return files
    }

    public func read(_ path: String) throws -> [UInt8] {
        // The common case in four system calls: a regular file that is not a link. Any
        // other outcome (a link, a folder, a missing file, no permission) takes the
        // checked path below, which says what is wrong.
        if let bytes = readRegularFile(path, limit: SourceText.maximumBytes(forPath: path)) {
            return bytes
        }
        return try readChecked(path)
    }

    /// The file's bytes when `path` (below the root) opens without following a link and
    /// is a regular file within the size limit; nil otherwise.
    private func readRegularFile(_ path: String, limit: Int) -> [UInt8]? {
        // Relative to the open root, which names the same file as `root/path` for any
        // relative path; an absolute one would ignore the folder.
        if let rootDirectory, !path.isEmpty, !path.hasPrefix("/") {
            return RegularFile.read(path, followingLinks: false, maximumBytes: limit, in: rootDirectory.descriptor)
        }
        return RegularFile.read(root + "/" + path, followingLinks: false, maximumBytes: limit)
    }

    /// `read` with every check spelled out, for whatever the fast path refused.
    private func readChecked(_ path: String) throws -> [UInt8] {
        let absolute = root + "/" + path
        guard status(of: path) == .file else {
            switch status(of: path) {
            case .outsideRepository:
                throw SourceError(path: path, reason: "is a link that leads outside the repository")
            case .directory: throw SourceError(path: path, reason: "is a directory")
            default:
                var info = stat()
                if lstat(absolute, &info) == 0, info.st_mode & S_IFMT == S_IFLNK {
                    throw SourceError(path: path, reason: "is a symbolic link that loops or leads nowhere")
                }
                throw SourceError(path: path, reason: "no such file")
            }
        }
        // Non-blocking, so that a named pipe (or a link to one) cannot stall the whole
        // check in open(2); it is then refused as not a regular file.
        let descriptor = open(absolute, O_RDONLY | O_NONBLOCK)
        guard descriptor >= 0 else { throw SourceError(path: path, reason: "cannot open: \(errnoText())") }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw SourceError(path: path, reason: errnoText()) }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw SourceError(path: path, reason: "is not a regular file (a pipe, socket or device)")
        }
        let size = Int(info.st_size)
        let limit = SourceText.maximumBytes(forPath: path)
        if size > limit {
            // Refused unread: the size is all the diagnostic needs.
            let problem = SourceText.Problem.tooLarge(bytes: size, limit: limit)
            throw SourceError(path: path, reason: problem.message, problem: problem)
        }
        do {
            return try RegularFile.readAll(descriptor, size: size)
        } catch {
            throw SourceError(path: path, reason: "cannot read: \(String(cString: strerror(error.code)))")
        }
    }

    public func status(of path: String) -> PathStatus {
        let absolute = root + "/" + path
        var info = stat()
        guard lstat(absolute, &info) == 0 else { return .missing }
        if info.st_mode & S_IFMT == S_IFLNK {
            guard let target = DiskSource.realPath(absolute) else { return .missing }
            guard target == root || target.hasPrefix(root + "/") else { return .outsideRepository }
            guard stat(absolute, &info) == 0 else { return .missing }
        }
        return info.st_mode & S_IFMT == S_IFDIR ? .directory : .file
    }

    /// A folder with a document's extension, listed so it is reported (`review.md/`).
    static func looksLikeDocument(_ name: String) -> Bool {
        name.hasSuffix(".md") || name.hasSuffix(".yaml") || name.hasSuffix(".yml")
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    private func errnoText() -> String { String(cString: strerror(errno)) }
}

/// Files held in memory: rule examples, tests, and a git tree or index read into memory.
public struct MemorySource: RepositorySource {
    public let root: String
    public let files: [String: [UInt8]]
    /// Paths that are links leading outside the repository.
    public let escapingLinks: Set<String>
    /// Every folder that holds a file, so `status(of:)` never scans all paths.
    private let directories: Set<String>

    public init(root: String, files: [String: [UInt8]], escapingLinks: Set<String> = []) {
        self.root = root
        self.files = files
        self.escapingLinks = escapingLinks
        var directories: Set<String> = [""]
        for path in files.keys {
            var folder = Substring(path)
            while let slash = folder.lastIndex(of: "/") {
                folder = folder[..<slash]
                guard directories.insert(String(folder)).inserted else { break }
            }
        }
        self.directories = directories
    }

    public init(root: String, texts: [String: String]) {
        self.init(root: root, files: texts.mapValues { Array($0.utf8) })
    }

    public func listFiles() throws -> [String] { files.keys.sorted() + escapingLinks.sorted() }

    public func read(_ path: String) throws -> [UInt8] {
        if escapingLinks.contains(path) {
            throw SourceError(path: path, reason: "is a link that leads outside the repository")
        }
        guard let bytes = files[path] else { throw SourceError(path: path, reason: "no such file") }
        return bytes
    }

    public func status(of path: String) -> PathStatus {
        if escapingLinks.contains(path) { return .outsideRepository }
        if files[path] != nil { return .file }
        let folder = path.hasSuffix("/") ? String(path.dropLast()) : path
        return directories.contains(folder) ? .directory : .missing
    }
}

/// Another source with some files replaced, added or removed: an editor's unsaved
/// buffers over the work tree, or staged content over the rest of the repository.
public struct OverlaySource: RepositorySource {
    public let base: any RepositorySource
    public var overrides: [String: [UInt8]]
    public var removed: Set<String>

    public init(base: any RepositorySource, overrides: [String: [UInt8]], removed: Set<String> = []) {
        self.base = base
        self.overrides = overrides
        self.removed = removed
    }

    public var root: String { base.root }

    public func listFiles() throws -> [String] {
        let listed = try base.listFiles().filter { !removed.contains($0) && overrides[$0] == nil }
        return listed + overrides.keys.sorted()
    }

    public func read(_ path: String) throws -> [UInt8] {
        if let bytes = overrides[path] { return bytes }
        if removed.contains(path) { throw SourceError(path: path, reason: "no such file") }
        return try base.read(path)
    }

    public func status(of path: String) -> PathStatus {
        if overrides[path] != nil { return .file }
        if removed.contains(path) { return .missing }
        return base.status(of: path)
    }
}
