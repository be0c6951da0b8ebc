import EvidentCore
import Foundation

/// A review repository as git stores it at one revision or in the index, for checks
/// that must not read the work tree: `check --staged` (the index), `calibrate diff`
/// (two revisions), and sign-off validation.
///
/// Every path is known (so links to any file resolve), but only the files `include`
/// selects are read, which keeps a pre-commit check of one review independent of the
/// size of the organisation. The snapshot is a plain value: no git handle escapes.
public struct GitSnapshotSource: RepositorySource {
    public enum Origin: Sendable, Equatable {
        case revision(String)
        case index
    }

    public let root: String
    /// Blob ids by review-repository-relative path.
    public let blobIDs: [String: String]
    private let contents: [String: [UInt8]]
    private let escapingLinks: Set<String>
    private let directories: Set<String>

    /// Reads the snapshot.
    /// - Parameters:
    ///   - reviewRoot: the review repository's folder inside the git repository ("" for its root).
    ///   - displayRoot: the absolute path shown to users (the work tree folder).
    ///   - include: which review-relative paths to read; the rest are only listed.
    public static func load(
        repository: GitRepository, origin: Origin, reviewRoot: String, displayRoot: String,
        include: (String) -> Bool
    ) throws -> GitSnapshotSource {
        let prefix = reviewRoot.isEmpty ? nil : reviewRoot
        let entries: [GitFileEntry]
        switch origin {
        case .revision(let revision): entries = try repository.listTree(revision: revision, under: prefix)
        case .index: entries = try repository.indexEntries(under: prefix)
        }
        let strip = reviewRoot.isEmpty ? 0 : reviewRoot.count + 1
        var blobIDs: [String: String] = [:]
        var links: [String: String] = [:]
        for entry in entries {
            let relative = String(entry.path.dropFirst(strip))
            guard !relative.isEmpty, !relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) else {
                continue
            }
            blobIDs[relative] = entry.blobID
            if entry.kind == .symlink { links[relative] = entry.blobID }
        }
        var contents: [String: [UInt8]] = [:]
        var escaping: Set<String> = []
        for (path, blob) in blobIDs where include(path) {
            if links[path] != nil {
                let target = String(decoding: try repository.readBlob(id: blob), as: UTF8.self)
                guard let resolved = resolveLink(target, from: path), let targetBlob = blobIDs[resolved],
                    links[resolved] == nil
                else {
                    escaping.insert(path)
                    continue
                }
                contents[path] = Array(try repository.readBlob(id: targetBlob))
            } else {
                contents[path] = Array(try repository.readBlob(id: blob))
            }
        }
        return GitSnapshotSource(root: displayRoot, blobIDs: blobIDs, contents: contents, escapingLinks: escaping)
    }

    init(root: String, blobIDs: [String: String], contents: [String: [UInt8]], escapingLinks: Set<String>) {
        self.root = root
        self.blobIDs = blobIDs
        self.contents = contents
        self.escapingLinks = escapingLinks
        var directories: Set<String> = [""]
        for path in blobIDs.keys {
            var folder = Substring(path)
            while let slash = folder.lastIndex(of: "/") {
                folder = folder[..<slash]
                guard directories.insert(String(folder)).inserted else { break }
            }
        }
        self.directories = directories
    }

    /// Lists the files that were read; unread files exist only for link checks.
    public func listFiles() throws -> [String] { contents.keys.sorted() + escapingLinks.sorted() }

    public func read(_ path: String) throws -> [UInt8] {
        if escapingLinks.contains(path) {
            throw SourceError(path: path, reason: "is a link that leads outside the repository")
        }
        guard let bytes = contents[path] else {
            throw SourceError(path: path, reason: blobIDs[path] == nil ? "no such file" : "not read in this check")
        }
        return bytes
    }

    public func status(of path: String) -> PathStatus {
        if escapingLinks.contains(path) { return .outsideRepository }
        if blobIDs[path] != nil { return .file }
        return directories.contains(path.hasSuffix("/") ? String(path.dropLast()) : path) ? .directory : .missing
    }

    /// Resolves a symlink's target against the link's folder; nil when it leaves the
    /// review repository or is absolute.
    static func resolveLink(_ target: String, from link: String) -> String? {
        guard !target.hasPrefix("/") else { return nil }
        var parts = link.split(separator: "/").dropLast().map(String.init)
        for component in target.split(separator: "/") {
            switch component {
            case ".": continue
            case "..":
                guard !parts.isEmpty else { return nil }
                parts.removeLast()
            default: parts.append(String(component))
            }
        }
        return parts.joined(separator: "/")
    }
}
