import CGit2
import EvidentCore
import Foundation

/// The review repository as staged in the git index, for `evident check --staged`, read
/// without listing the index.
///
/// A pre-commit check of one review must not cost time in proportion to the size of the
/// organisation. `GitSnapshotSource` lists every index entry up front (50,000 paths in a
/// 10,000-person organisation) so that any link target can be looked up; this source
/// instead reads only the files a partial check loads, found through the index's sorted
/// prefix ranges, and answers link lookups (`status(of:)`) with a binary search of the
/// index itself.
///
/// It keeps the repository handle open for those lookups. libgit2 handles must not be
/// used from two threads at once and rules run in parallel, so every use of the handle
/// is serialised by a lock; that is what makes the `@unchecked Sendable` sound.
public final class GitIndexSource: RepositorySource, @unchecked Sendable {
    public let root: String
    /// Review-relative paths read, with their bytes.
    private let contents: [String: [UInt8]]
    /// Read paths that are links leading outside the review repository.
    private let escapingLinks: Set<String>
    /// "" or the review repository's folder with a trailing "/".
    private let prefix: String
    private let lock = NSLock()
    private let repository: GitRepository
    private let index: IndexHandle

    /// Reads, from the index, the organisation files (policy, people, values, metrics,
    /// level guides, teams, every cycle's cycle.yaml) and every file of `personFolders`
    /// (`cycles/<cycle>/<person>`), the selection `FileSelection.organisationAnd` loads.
    ///
    /// - Parameters:
    ///   - reviewRoot: the review repository's folder inside the git work tree ("" at the top).
    ///   - displayRoot: the absolute path shown to users.
    public static func load(
        repository: GitRepository, reviewRoot: String, displayRoot: String, personFolders: Set<String>
    ) throws -> GitIndexSource {
        let prefix = reviewRoot.isEmpty ? "" : reviewRoot + "/"
        let index = try repository.indexHandle()
        var selected: [String] = []
        for name in ["evident.yaml", "people.yaml", "values.md", "metrics.yaml"] { selected.append(name) }
        for folder in ["levels", "teams"] {
            selected += try repository.indexEntries(under: prefix + folder).map { String($0.path.dropFirst(prefix.count)) }
        }
        // Cycle folders: those committed (one tree level of HEAD) and those of the staged
        // person folders. A cycle folder that exists only in the index holds a staged
        // file, so it is among the latter.
        var cycles = Set(try repository.subfolders(of: prefix + "cycles"))
        for folder in personFolders {
            let parts = folder.split(separator: "/")
            if parts.count == 3 { cycles.insert(String(parts[1])) }
        }
        selected += cycles.sorted().map { "cycles/\($0)/cycle.yaml" }
        for folder in personFolders.sorted() {
            selected += try repository.indexEntries(under: prefix + folder).map { String($0.path.dropFirst(prefix.count)) }
        }

        var contents: [String: [UInt8]] = [:]
        var escaping: Set<String> = []
        for path in selected where contents[path] == nil && !isHidden(path) {
            switch try resolve(path, prefix: prefix, index: index, repository: repository) {
            case .file(let blob): contents[path] = Array(try repository.readBlob(id: blob))
            case .escaping: escaping.insert(path)
            case .missing, .directory: continue
            }
        }
        return GitIndexSource(
            root: displayRoot, contents: contents, escapingLinks: escaping, prefix: prefix, repository: repository,
            index: index)
    }

    private init(
        root: String, contents: [String: [UInt8]], escapingLinks: Set<String>, prefix: String,
        repository: GitRepository, index: IndexHandle
    ) {
        self.root = root
        self.contents = contents
        self.escapingLinks = escapingLinks
        self.prefix = prefix
        self.repository = repository
        self.index = index
    }

    /// The files read; everything else exists only for link lookups.
    public func listFiles() throws -> [String] { contents.keys.sorted() + escapingLinks.sorted() }

    public func read(_ path: String) throws -> [UInt8] {
        if escapingLinks.contains(path) {
            throw SourceError(path: path, reason: "is a link that leads outside the repository")
        }
        guard let bytes = contents[path] else {
            throw SourceError(path: path, reason: status(of: path) == .file ? "not read in this check" : "no such file")
        }
        return bytes
    }

    public func status(of path: String) -> PathStatus {
        if contents[path] != nil { return .file }
        if escapingLinks.contains(path) { return .outsideRepository }
        var path = path
        while path.hasSuffix("/") { path.removeLast() }
        if path.isEmpty { return .directory }
        if GitIndexSource.isHidden(path) { return .missing }
        lock.lock()
        defer { lock.unlock() }
        let found = try? GitIndexSource.resolve(path, prefix: prefix, index: index, repository: repository)
        switch found {
        case .file?: return .file
        case .escaping?: return .outsideRepository
        case .directory?: return .directory
        case .missing?, nil: return .missing
        }
    }

    private enum Found {
        case file(blob: String)
        case escaping
        case directory
        case missing
    }

    /// What a review-relative path is in the index; a link is followed once, and only to
    /// a file inside the review repository (as `GitSnapshotSource` does).
    private static func resolve(_ path: String, prefix: String, index: IndexHandle, repository: GitRepository) throws
        -> Found
    {
        if let entry = git_index_get_bypath(index.pointer, prefix + path, 0) {
            guard GitFileKind(mode: entry.pointee.mode) == .symlink else { return .file(blob: hexString(entry.pointee.id)) }
            let target = String(decoding: try repository.readBlob(id: hexString(entry.pointee.id)), as: UTF8.self)
            guard let resolved = GitSnapshotSource.resolveLink(target, from: path), !isHidden(resolved),
                let targetEntry = git_index_get_bypath(index.pointer, prefix + resolved, 0),
                GitFileKind(mode: targetEntry.pointee.mode) != .symlink
            else { return .escaping }
            return .file(blob: hexString(targetEntry.pointee.id))
        }
        var position = 0
        return git_index_find_prefix(&position, index.pointer, prefix + path + "/") == 0 ? .directory : .missing
    }

    /// Files and folders whose name starts with "." are not part of the review repository.
    private static func isHidden(_ path: String) -> Bool {
        path.hasPrefix(".") || path.contains("/.")
    }
}
