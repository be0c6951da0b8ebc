import EvidentCore
import EvidentRules
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A document the editor has open: its unsaved text is the truth, not the file on disk.
public struct OpenDocument: Sendable {
    public var uri: String
    public var text: String
    public var version: Int?
    /// Bumped on every change, so cached parses of this buffer are never reused stale
    /// (clients may reuse version numbers after a close and reopen).
    public var revision: Int
    /// Where the document sits in a review repository, if it does.
    public var location: RepositoryPath?
}

/// A file of a review repository: its root (the folder with `evident.yaml`, symlinks
/// resolved as `DiskSource` resolves them) and its repository-relative path.
public struct RepositoryPath: Hashable, Sendable {
    public var root: String
    public var path: String
}

/// What a check must load around a file: one person's cycle folder plus the
/// organisation files (people, levels, policy…), or, for an organisation file, the
/// whole repository, since a change to a level guide affects every review.
public enum LoadScope: Hashable, Sendable {
    case personFolder(String)
    case all
    /// The organisation files alone: what is preloaded at start-up, cheaply, so the
    /// first edit of any review finds the level guides parsed.
    case organisation

    public init(path: String) {
        self = PersonFolder.of(path).map(LoadScope.personFolder) ?? .all
    }
}

/// The organisation loaded for one scope, with the source it was read from.
public struct Snapshot: Sendable {
    public var organisation: Organisation
    public var source: OverlaySource
    public var scope: LoadScope
}

/// The open buffers, and the loading and checking done on them.
///
/// Loading keeps every parsed file keyed by what it was parsed from: an open buffer by
/// its revision, a file on disk by inode, size and modification time. A keystroke in a
/// review changes one key, so only that buffer is parsed again; the policy, people and
/// level guides come from the cache, and the organisation is re-assembled (cheap) from
/// parsed files. Parsing depends only on a file's own text, so a reused parse is exactly
/// what parsing again would give.
public final class Workspace {
    public private(set) var documents: [String: OpenDocument] = [:]
    /// Workspace folders from `initialize`: preloaded so the first keystroke is fast.
    public var workspaceRoots: [String] = []

    private var nextRevision = 0
    private var sources: [String: DiskSource] = [:]
    private var parsed: [RepositoryPath: (stamp: Stamp, file: LoadedFile)] = [:]
    /// Load statistics of the last `snapshot` call, for tests and logging.
    public private(set) var lastLoad = (parsed: 0, reused: 0)

    /// What a cached parse was made from.
    enum Stamp: Equatable {
        case buffer(revision: Int)
        case disk(device: UInt64, inode: UInt64, size: Int64, seconds: Int, nanoseconds: Int)
    }

    public init() {}

    // MARK: Buffers

    /// Opens or replaces a buffer; returns its repository location, if any.
    @discardableResult
    public func open(uri: String, text: String, version: Int?) -> OpenDocument {
        nextRevision += 1
        let document = OpenDocument(
            uri: uri, text: text, version: version, revision: nextRevision, location: locate(uri: uri))
        documents[uri] = document
        return document
    }

    @discardableResult
    public func change(uri: String, text: String, version: Int?) -> OpenDocument? {
        guard var document = documents[uri] else { return nil }
        nextRevision += 1
        document.text = text
        document.version = version ?? document.version
        document.revision = nextRevision
        // A file opened before its repository had an `evident.yaml` joins it once it does.
        if document.location == nil { document.location = locate(uri: uri) }
        documents[uri] = document
        return document
    }

    @discardableResult
    public func close(uri: String) -> OpenDocument? {
        documents.removeValue(forKey: uri)
    }

    /// Open documents of one repository.
    public func documents(in root: String) -> [OpenDocument] {
        documents.values.filter { $0.location?.root == root }
    }

    // MARK: Locating files

    /// Finds the review repository of a `file:` URI: the nearest folder above the file
    /// holding `evident.yaml` on disk or as an open buffer.
    public func locate(uri: String) -> RepositoryPath? {
        guard let path = Workspace.filePath(fromURI: uri) else { return nil }
        return locate(path: path)
    }

    public func locate(path: String) -> RepositoryPath? {
        let resolved = Workspace.resolve(path)
        var folder = (resolved as NSString).deletingLastPathComponent
        let openPaths = Set(documents.values.compactMap { Workspace.filePath(fromURI: $0.uri).map(Workspace.resolve) })
        while true {
            let candidate = folder == "/" ? "/evident.yaml" : folder + "/evident.yaml"
            if access(candidate, F_OK) == 0 || openPaths.contains(candidate) {
                let relative = String(resolved.dropFirst(folder == "/" ? 1 : folder.count + 1))
                return RepositoryPath(root: folder, path: relative)
            }
            let parent = (folder as NSString).deletingLastPathComponent
            if parent == folder || parent.isEmpty { return nil }
            folder = parent
        }
    }

    /// The path of a `file:` URI, percent-escapes decoded; nil for other schemes
    /// (`untitled:`, `git:`), which are not files of a repository.
    public static func filePath(fromURI uri: String) -> String? {
        guard let url = URL(string: uri), url.scheme?.lowercased() == "file" else { return nil }
        let path = url.path
        return path.isEmpty ? nil : path
    }

    public static func uri(forPath path: String) -> String {
        URL(fileURLWithPath: path).absoluteString
    }

    /// Resolves symlinks in the folders of `path` (the file itself may not exist yet:
    /// an unsaved new file), the way `DiskSource` resolves its root.
    static func resolve(_ path: String) -> String {
        var existing = path
        var rest: [String] = []
        while !existing.isEmpty, existing != "/" {
            if let real = realpath(existing, nil) {
                defer { free(real) }
                let base = String(cString: real)
                return rest.isEmpty ? base : (base == "/" ? "" : base) + "/" + rest.reversed().joined(separator: "/")
            }
            rest.append((existing as NSString).lastPathComponent)
            existing = (existing as NSString).deletingLastPathComponent
        }
        return "/" + rest.reversed().joined(separator: "/")
    }

    // MARK: Loading

    /// The organisation around `scope` in the repository at `root`, with every open
    /// buffer of that repository laid over the files on disk.
    public func snapshot(root: String, scope: LoadScope) throws -> Snapshot {
        let base: DiskSource
        if let cached = sources[root] {
            base = cached
        } else {
            base = try DiskSource(root: root)
            sources[root] = base
        }
        var overrides: [String: [UInt8]] = [:]
        var revisions: [String: Int] = [:]
        for document in documents(in: root) {
            guard let path = document.location?.path else { continue }
            overrides[path] = Array(document.text.utf8)
            revisions[path] = document.revision
        }
        let source = OverlaySource(base: base, overrides: overrides)
        let paths = try listing(source: source, base: base, overrides: overrides, scope: scope)
        var files: [LoadedFile] = []
        files.reserveCapacity(paths.count)
        var parsedCount = 0
        var reusedCount = 0
        for path in paths {
            let key = RepositoryPath(root: root, path: path)
            let stamp: Stamp? = revisions[path].map { Stamp.buffer(revision: $0) } ?? diskStamp(root + "/" + path)
            if let stamp, let cached = parsed[key], cached.stamp == stamp {
                files.append(cached.file)
                reusedCount += 1
                continue
            }
            let file = RepositoryLoader.loadFile(path, kind: DocumentKind.classify(path), from: source)
            if let stamp { parsed[key] = (stamp, file) }
            files.append(file)
            parsedCount += 1
        }
        lastLoad = (parsedCount, reusedCount)
        let organisation = RepositoryLoader.assemble(root: base.root, files: files)
        return Snapshot(organisation: organisation, source: source, scope: scope)
    }

    /// Ids of the rules the server runs (tests check for rules that may be added later).
    public static var ruleIDs: Set<String> { RuleRegistry.allIDs }

    /// Diagnostics for `paths` (repository-relative) against a snapshot.
    public func check(_ snapshot: Snapshot, paths: Set<String>) -> [Diagnostic] {
        RuleEngine().check(snapshot.organisation, source: snapshot.source, files: paths)
    }

    /// Sorted paths a scope loads. For a person folder the listing is targeted (the
    /// organisation files and that folder), so a keystroke does not walk 50,000 files.
    private func listing(source: OverlaySource, base: DiskSource, overrides: [String: [UInt8]], scope: LoadScope)
        throws -> [String]
    {
        var paths = Set<String>()
        switch scope {
        case .all:
            paths = Set(try source.listFiles())
        case .personFolder, .organisation:
            for name in entries(base.root) { paths.insert(name) }
            for name in entries(base.root + "/levels") { paths.insert("levels/" + name) }
            for name in entries(base.root + "/teams") { paths.insert("teams/" + name) }
            for cycle in entries(base.root + "/cycles", directories: true) {
                paths.insert("cycles/\(cycle)/cycle.yaml")
            }
            if case .personFolder(let folder) = scope {
                for name in entries(base.root + "/" + folder) { paths.insert(folder + "/" + name) }
            }
            paths = paths.filter { source.status(of: $0) == .file || source.status(of: $0) == .outsideRepository }
            for path in overrides.keys { paths.insert(path) }
        }
        return paths.filter { path in
            let known = DocumentKind.classify(path) != nil || RepositoryLoader.isReportedUnknownFile(path)
            guard known else { return false }
            guard let owner = PersonFolder.of(path) else { return true }
            switch scope {
            case .all: return true
            case .organisation: return false
            case .personFolder(let folder): return owner == folder
            }
        }.sorted()
    }

    /// Names in a folder, hidden ones skipped as `DiskSource` skips them.
    private func entries(_ folder: String, directories: Bool = false) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        return names.filter { name in
            guard !name.hasPrefix(".") else { return false }
            guard directories else { return true }
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: folder + "/" + name, isDirectory: &isDirectory)
                && isDirectory.boolValue
        }
    }

    private func diskStamp(_ absolute: String) -> Stamp? {
        var info = stat()
        guard stat(absolute, &info) == 0 else { return nil }
        #if canImport(Darwin)
            let modified = info.st_mtimespec
        #else
            let modified = info.st_mtim
        #endif
        return .disk(
            device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
            seconds: Int(modified.tv_sec), nanoseconds: Int(modified.tv_nsec))
    }

    /// Forgets cached parses of files on disk (after the editor reports changed files,
    /// in case a file changed within the modification time's resolution).
    public func forgetDiskParses() {
        parsed = parsed.filter { if case .buffer = $0.value.stamp { return true } else { return false } }
    }
}
