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
/// level guides come from the cache, and the organisation is re-assembled from parsed
/// files. Parsing depends only on a file's own text, so a reused parse is exactly what
/// parsing again would give. The organisation files themselves are kept as one list
/// between edits (`organisationFiles`), and a person folder's diagnostics are checked
/// against only the people it names (`folderDiagnostics`).
public final class Workspace {
    public private(set) var documents: [String: OpenDocument] = [:]
    /// Workspace folders from `initialize`: preloaded so the first keystroke is fast.
    public var workspaceRoots: [String] = []
    /// What git stores for the files of the repository at a root, for the sealing rules;
    /// `evident lsp` sets it (this module does not see git), and nil means the source.
    public var storedContent: (_ root: String) -> (any StoredContent)? = { _ in nil }

    private var nextRevision = 0
    private var sources: [String: DiskSource] = [:]
    private var parsed: [RepositoryPath: (stamp: Stamp, file: LoadedFile)] = [:]
    /// Load statistics of the last `snapshot` call, for tests and logging.
    public private(set) var lastLoad = (parsed: 0, reused: 0)
    /// Whether the last person folder's snapshot added the folder to the organisation
    /// files' organisation (`Organisation.adding`) rather than assembling everything.
    public private(set) var lastSnapshotAddedFolder = false

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
    ///
    /// A person folder's snapshot is the organisation files' organisation, assembled once
    /// per version of those files, with the folder added (`Organisation.adding`): the
    /// same organisation as assembling everything, at the cost of the folder, so that
    /// completion and hover right after a keystroke do not assemble 10,000 people again.
    public func snapshot(root: String, scope: LoadScope) throws -> Snapshot {
        if case .personFolder(let folder) = scope {
            let (parts, source) = try folderFiles(root: root, folder: folder)
            let base = organisation(root: root, source: source, files: parts.organisation)
            if let organisation = base.adding(folder: folder, files: parts.folder, at: parts.position) {
                lastSnapshotAddedFolder = true
                return Snapshot(organisation: organisation, source: source, scope: scope)
            }
            lastSnapshotAddedFolder = false
            let organisation = RepositoryLoader.assemble(root: source.root, files: parts.merged)
            return Snapshot(organisation: organisation, source: source, scope: scope)
        }
        if case .organisation = scope {
            let source = try overlaySource(root: root)
            let files = organisationFiles(root: root, source: source.source, revisions: source.revisions)
            return Snapshot(
                organisation: organisation(root: root, source: source.source, files: files), source: source.source,
                scope: scope)
        }
        let (files, source) = try loadedFiles(root: root, scope: scope)
        let organisation = RepositoryLoader.assemble(root: source.root, files: files)
        return Snapshot(organisation: organisation, source: source, scope: scope)
    }

    /// The snapshot of a person folder assembled from the whole list of its files, as
    /// before `Organisation.adding`: what the tests hold the quick snapshot to.
    func snapshotAssembledWhole(root: String, folder: String) throws -> Snapshot {
        let (parts, source) = try folderFiles(root: root, folder: folder)
        let organisation = RepositoryLoader.assemble(root: source.root, files: parts.merged)
        return Snapshot(organisation: organisation, source: source, scope: .personFolder(folder))
    }

    /// The organisation of the organisation files `files`, just returned by
    /// `organisationFiles` for `root`: assembled once per version of them.
    private func organisation(root: String, source: OverlaySource, files: [LoadedFile]) -> Organisation {
        if let cached = organisationCache[root]?.organisation { return cached }
        let organisation = RepositoryLoader.assemble(root: source.root, files: files)
        organisationCache[root]?.organisation = organisation
        return organisation
    }

    /// Ids of the rules the server runs (tests check for rules that may be added later).
    public static var ruleIDs: Set<String> { RuleRegistry.allIDs }

    /// Diagnostics for `paths` (repository-relative) against a snapshot.
    public func check(_ snapshot: Snapshot, paths: Set<String>) -> [Diagnostic] {
        RuleEngine().check(
            snapshot.organisation, source: snapshot.source, stored: storedContent(snapshot.source.root), files: paths,
            showText: true)
    }

    /// Diagnostics for `paths`, files of the person folder `folder`: what `check` gives
    /// on the snapshot of `.personFolder(folder)`, without its organisation-wide work.
    ///
    /// The rules walk every person of people.yaml (unknown managers, duplicate ids), but
    /// what they find there is reported in people.yaml, which a review edit does not
    /// show. Inside a person folder the rules reach people only by looking up the ids the
    /// folder's files name (`person:`, `reviewer:`/`author:`, the folder's own person, and
    /// for an appeal its answerer and the person's two nearest managers).
    /// So the organisation checked here keeps just those people: resolving it and running
    /// the rules cost what one folder costs, not what 10,000 people cost.
    /// `FolderDiagnosticsTests` checks this against the full check for every file of the
    /// example organisation, so a rule that starts reading other people shows up there.
    public func folderDiagnostics(root: String, folder: String, paths: Set<String>) throws -> [Diagnostic] {
        let (files, source) = try loadedFiles(root: root, scope: .personFolder(folder))
        let organisation = RepositoryLoader.assemble(
            root: source.root, files: Workspace.keepingPeople(namedIn: folder, files: files))
        return RuleEngine().check(
            organisation, source: source, stored: storedContent(source.root), files: paths, showText: true)
    }

    /// `files` with every people file cut down to the people the files of `folder` name.
    /// Entries are kept in order, duplicates included, so a lookup finds the same person
    /// (the first declaration) as in the whole file; a file that failed to decode stays
    /// as it is, so `isIncomplete(.people)` is unchanged.
    static func keepingPeople(namedIn folder: String, files: [LoadedFile]) -> [LoadedFile] {
        var named: Set<String> = [String(folder.split(separator: "/").last ?? "")]
        var hasAppeal = false
        for file in files where PersonFolder.of(file.path) == folder {
            guard case .review(let document)? = file.document else { continue }
            if let person = document.person?.value { named.insert(person) }
            if let author = document.author?.value { named.insert(author) }
            if let appeal = document.appeal {
                // appeal-unanswered asks whether the answerer is the person's skip-level.
                if let by = appeal.answer?.by?.value { named.insert(by) }
                hasAppeal = true
            }
        }
        if hasAppeal {
            var managerOf: [String: String] = [:]
            for file in files {
                guard case .people(let people)? = file.document else { continue }
                for person in people where managerOf[person.id.value] == nil {
                    managerOf[person.id.value] = person.manager?.value ?? ""
                }
            }
            var current = String(folder.split(separator: "/").last ?? "")
            for _ in 0..<2 {
                guard let manager = managerOf[current], !manager.isEmpty else { break }
                named.insert(manager)
                current = manager
            }
        }
        // In place: copying 2,000 team files to change one file costs more than the rules.
        var files = files
        for index in files.indices {
            guard case .people(let people)? = files[index].document else { continue }
            var kept: [Person] = []
            // By index: copying each of 10,000 people out to test its id costs more
            // than the test.
            for position in people.indices where named.contains(people[position].id.value) {
                kept.append(people[position])
            }
            files[index].document = .people(kept)
        }
        return files
    }

    /// The disk source of `root` with every open buffer of it laid over, and the buffers'
    /// revisions by path. Resets `lastLoad`.
    private func overlaySource(root: String) throws -> (source: OverlaySource, revisions: [String: Int]) {
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
        lastLoad = (0, 0)
        return (OverlaySource(base: base, overrides: overrides), revisions)
    }

    /// The parsed files of a scope, sorted by path, and the source they were read from.
    private func loadedFiles(root: String, scope: LoadScope) throws -> (files: [LoadedFile], source: OverlaySource) {
        switch scope {
        case .all:
            let (source, revisions) = try overlaySource(root: root)
            let paths = try source.listFiles().filter(Workspace.isLoaded).sorted()
            return (load(paths, root: root, source: source, revisions: revisions), source)
        case .organisation:
            let (source, revisions) = try overlaySource(root: root)
            return (organisationFiles(root: root, source: source, revisions: revisions), source)
        case .personFolder(let folder):
            let (parts, source) = try folderFiles(root: root, folder: folder)
            return (parts.merged, source)
        }
    }

    /// The organisation files and the files of one person folder, and where the folder's
    /// files go among the others so that the whole list is sorted by path.
    private struct FolderFiles {
        var organisation: [LoadedFile]
        var folder: [LoadedFile]
        var position: Int

        /// One sorted list, as a listing of both would give: the first declaration of an
        /// id wins, so the order must not depend on where the files were cached.
        var merged: [LoadedFile] {
            var files: [LoadedFile] = []
            files.reserveCapacity(organisation.count + folder.count)
            files += organisation[..<position]
            files += folder
            files += organisation[position...]
            return files
        }
    }

    private func folderFiles(root: String, folder: String) throws -> (files: FolderFiles, source: OverlaySource) {
        let (source, revisions) = try overlaySource(root: root)
        let organisation = organisationFiles(root: root, source: source, revisions: revisions)
        let inFolder = load(
            folderPaths(folder, root: root, source: source), root: root, source: source, revisions: revisions)
        // The folder's paths share a prefix no organisation file has, so they sort
        // together: insert them at their place rather than sort 2,000 files again.
        let prefix = folder + "/"
        var low = 0
        var high = organisation.count
        while low < high {
            let middle = (low + high) / 2
            if organisation[middle].path < prefix { low = middle + 1 } else { high = middle }
        }
        return (FolderFiles(organisation: organisation, folder: inFolder, position: low), source)
    }

    /// Parses `paths`, reusing cached parses whose buffer revision or disk stamp is
    /// unchanged; counts into `lastLoad`.
    private func load(_ paths: [String], root: String, source: OverlaySource, revisions: [String: Int])
        -> [LoadedFile]
    {
        var files: [LoadedFile] = []
        files.reserveCapacity(paths.count)
        for path in paths {
            let key = RepositoryPath(root: root, path: path)
            let stamp: Stamp? = revisions[path].map { Stamp.buffer(revision: $0) } ?? diskStamp(root + "/" + path)
            if let stamp, let cached = parsed[key], cached.stamp == stamp {
                files.append(cached.file)
                lastLoad.reused += 1
                continue
            }
            let file = RepositoryLoader.loadFile(path, kind: DocumentKind.classify(path), from: source)
            if let stamp { parsed[key] = (stamp, file) }
            files.append(file)
            lastLoad.parsed += 1
        }
        return files
    }

    /// The organisation files of a repository (policy, people, values, metrics, level
    /// guides, teams, cycles), kept between edits with what tells whether they changed.
    ///
    /// A repository of 10,000 people has some 2,000 team files; listing and stat'ing them
    /// all took a quarter of a keystroke. Instead, on each edit this checks:
    /// - the open buffers over organisation files (opened, edited or closed: reload);
    /// - the modification times of the folders they are listed from (the root, `levels/`,
    ///   `teams/`, `cycles/` and each cycle's folder), which change when a file is
    ///   added, removed or replaced, as editors and git replace files when they save;
    /// - the stamp of each organisation file outside `teams/` (a handful: a level guide
    ///   edited in place by another program is seen at the next keystroke).
    /// A team file rewritten in place by another program is seen after the editor reports
    /// it (`workspace/didChangeWatchedFiles`) or after any save (`forgetOrganisationFiles`);
    /// no diagnostic of a person's folder reads a team file's content anyway.
    private struct OrganisationFiles {
        var files: [LoadedFile]
        var watched: [String: Stamp?]
        var buffers: [String: Int]
        /// `files` assembled and resolved, once asked for (`organisation(root:source:files:)`).
        var organisation: Organisation?
    }

    private var organisationCache: [String: OrganisationFiles] = [:]

    private func organisationFiles(root: String, source: OverlaySource, revisions: [String: Int]) -> [LoadedFile] {
        let buffers = revisions.filter { PersonFolder.of($0.key) == nil }
        if let cached = organisationCache[root], cached.buffers == buffers,
            cached.watched.allSatisfy({ diskStamp(Workspace.join(root, $0.key)) == $0.value })
        {
            lastLoad.reused += cached.files.count
            return cached.files
        }
        let paths = organisationPaths(root: root, source: source)
        var folders: Set<String> = ["", "levels", "teams", "cycles"]
        for cycle in entries(root + "/cycles", directories: true) { folders.insert("cycles/" + cycle) }
        var watched: [String: Stamp?] = [:]
        for folder in folders { watched[folder] = diskStamp(Workspace.join(root, folder)) }
        for path in paths where !path.hasPrefix("teams/") { watched[path] = diskStamp(Workspace.join(root, path)) }
        let files = load(paths, root: root, source: source, revisions: revisions)
        organisationCache[root] = OrganisationFiles(files: files, watched: watched, buffers: buffers, organisation: nil)
        return files
    }

    private static func join(_ root: String, _ path: String) -> String {
        path.isEmpty ? root : root + "/" + path
    }

    /// Sorted organisation files: a targeted listing of the places they live in, so an
    /// edit never walks the 50,000 files of the people's folders.
    private func organisationPaths(root: String, source: OverlaySource) -> [String] {
        var paths = Set<String>()
        for name in entries(root) { paths.insert(name) }
        for name in entries(root + "/levels") { paths.insert("levels/" + name) }
        for name in entries(root + "/teams") { paths.insert("teams/" + name) }
        for cycle in entries(root + "/cycles", directories: true) { paths.insert("cycles/\(cycle)/cycle.yaml") }
        paths = paths.filter { Workspace.exists($0, in: source) }
        for path in source.overrides.keys { paths.insert(path) }
        return paths.filter { Workspace.isLoaded($0) && PersonFolder.of($0) == nil }.sorted()
    }

    /// Sorted files of one person folder, on disk or open.
    private func folderPaths(_ folder: String, root: String, source: OverlaySource) -> [String] {
        var paths = Set(
            entries(root + "/" + folder).map { folder + "/" + $0 }.filter { Workspace.exists($0, in: source) })
        for path in source.overrides.keys where PersonFolder.of(path) == folder { paths.insert(path) }
        return paths.filter(Workspace.isLoaded).sorted()
    }

    private static func exists(_ path: String, in source: OverlaySource) -> Bool {
        let status = source.status(of: path)
        return status == .file || status == .outsideRepository
    }

    /// Whether a check loads the file: a known kind, or an unknown file it reports.
    private static func isLoaded(_ path: String) -> Bool {
        DocumentKind.classify(path) != nil || RepositoryLoader.isReportedUnknownFile(path)
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
        forgetOrganisationFiles()
    }

    /// Makes the next edit list and stat the organisation files again (after a save,
    /// when formatters and hooks may have rewritten files the quick check does not stat).
    public func forgetOrganisationFiles() {
        organisationCache.removeAll()
    }
}
