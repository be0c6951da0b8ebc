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
/// Link lookups only read the parsed index (`GitIndexFile`, immutable), so they are safe
/// from the rules' threads. Reading a link's target text needs libgit2; those reads use
/// the repository handle, which must not be used from two threads at once, so they are
/// serialised by a lock; that is what makes the `@unchecked Sendable` sound.
public final class GitIndexSource: RepositorySource, @unchecked Sendable {
    public let root: String
    /// Review-relative paths read, with their bytes.
    private let contents: [String: [UInt8]]
    /// people.yaml as decoded by an earlier check (`PeopleCache`): listed, not read.
    private let decodedFiles: [String: LoadedFile]
    /// people.yaml's blob when the cache did not have it: decoded by the loader, then kept.
    private let undecodedPeople: (path: String, blob: String, cache: URL)?
    /// Read paths that are links leading outside the review repository.
    private let escapingLinks: Set<String>
    /// Read paths that are links that loop or lead to nothing.
    private let danglingLinks: Set<String>
    /// "" or the review repository's folder with a trailing "/".
    private let prefix: String
    /// Serialises every use of `repository`, which `GitStoredContent(sharing:)` shares.
    let lock = NSLock()
    let repository: GitRepository
    private let index: GitIndexFile

    /// Reads, from the index, the organisation files (policy, people, values, metrics,
    /// level guides, teams, every cycle's cycle.yaml) and every file of `personFolders`
    /// (`cycles/<cycle>/<person>`), the selection `FileSelection.organisationAnd` loads;
    /// with `everything`, every file the loader reads (`FileSelection.all`).
    ///
    /// - Parameters:
    ///   - reviewRoot: the review repository's folder inside the git work tree ("" at the top).
    ///   - displayRoot: the absolute path shown to users.
    ///   - teams: read the team files. Only organisation files refer to teams, so a check
    ///     reporting on person folders alone leaves the 2,000 team files of a large
    ///     organisation unread (their cached bytes are kept in the cache all the same).
    public static func load(
        repository: GitRepository, reviewRoot: String, displayRoot: String, personFolders: Set<String>,
        everything: Bool = false, teams: Bool = true
    ) throws -> GitIndexSource {
        let prefix = reviewRoot.isEmpty ? "" : reviewRoot + "/"
        let index = try repository.index()
        func files(under folder: String) -> [String] {
            index.range(under: prefix + folder).map { String(index.pathString($0).dropFirst(prefix.count)) }
        }
        var selected: [String] = []
        if everything {
            // What a check of the work tree loads: documents by their place, and any file
            // of a person folder (an unknown name there is reported).
            var previous: String?
            for position in index.range(under: reviewRoot) {
                let path = String(index.pathString(position).dropFirst(prefix.count))
                guard path != previous else { continue }  // the stages of a conflicted path
                previous = path
                if DocumentKind.classify(path) != nil || PersonFolder.of(path) != nil { selected.append(path) }
            }
        }
        for name in ["evident.yaml", "people.yaml", "values.md", "metrics.yaml"] { selected.append(name) }
        selected += files(under: "levels")
        let teamEntries = index.range(under: prefix + "teams")
        if teams || everything { selected += files(under: "teams") }
        // Cycle folders: those committed (one tree level of HEAD) and those of the staged
        // person folders. A cycle folder that exists only in the index holds a staged
        // file, so it is among the latter.
        var cycles = Set(try repository.subfolders(of: prefix + "cycles"))
        for folder in personFolders {
            let parts = folder.split(separator: "/")
            if parts.count == 3 { cycles.insert(String(parts[1])) }
        }
        selected += cycles.sorted().map { "cycles/\($0)/cycle.yaml" }
        for folder in personFolders.sorted() { selected += files(under: folder) }

        var contents: [String: [UInt8]] = [:]
        var escaping: Set<String> = []
        var dangling: Set<String> = []
        // Organisation files come from the blob cache when it has them; the person
        // folders' files (the ones being committed) are always read from the index.
        let cacheURL = BlobCache.url(in: repository)
        let cache = BlobCache.read(cacheURL)
        var organisationBlobs: [String: ArraySlice<UInt8>] = [:]
        var missed = false
        var decoded: [String: LoadedFile] = [:]
        var undecodedPeople: (path: String, blob: String, cache: URL)?
        let peopleCache = PeopleCache.url(in: repository)
        for path in selected where contents[path] == nil && decoded[path] == nil && !isHidden(path) {
            switch try resolve(path, prefix: prefix, index: index, readLink: repository.readBlob) {
            case .file(let blob):
                guard PersonFolder.of(path) == nil else {
                    contents[path] = Array(try repository.readBlob(id: blob))
                    continue
                }
                if DocumentKind.classify(path) == .people {
                    // Kept out of the blob cache: the people cache stands for it.
                    if let people = PeopleCache.read(peopleCache, blob: blob, path: path) {
                        decoded[path] = .people(people, path: path)
                    } else {
                        let bytes = try cache.blobs[blob].map { Array($0) } ?? Array(repository.readBlob(id: blob))
                        contents[path] = bytes
                        undecodedPeople = (path, blob, peopleCache)
                    }
                    continue
                }
                let bytes: ArraySlice<UInt8>
                if let cached = cache.blobs[blob] {
                    bytes = cached
                } else {
                    bytes = ArraySlice(try repository.readBlob(id: blob))
                    missed = true
                }
                organisationBlobs[blob] = bytes
                contents[path] = Array(bytes)
            case .escaping: escaping.insert(path)
            case .missing:
                // A link that loops or leads nowhere is listed, as on disk, so that the
                // document it stands for is reported rather than silently missing.
                if index.find(prefix + path) != nil { dangling.insert(path) }
            case .directory: continue
            }
        }
        if !(teams || everything) {
            // The team files' entries by position (stage 0: what `find` gives a path): a
            // binary search per team file through the 6 MB index cost 2,000 of them.
            for position in teamEntries where index.entries[position].stage == 0 {
                let blob = hexString(index.entries[position].id)
                if let cached = cache.blobs[blob] { organisationBlobs[blob] = cached }
            }
        }
        if missed || organisationBlobs.count != cache.blobs.count {
            BlobCache.write(organisationBlobs.map { ($0.key, $0.value) }, to: cacheURL)
        }
        return GitIndexSource(
            root: displayRoot, contents: contents, decodedFiles: decoded, undecodedPeople: undecodedPeople,
            escapingLinks: escaping, danglingLinks: dangling, prefix: prefix, repository: repository, index: index)
    }

    private init(
        root: String, contents: [String: [UInt8]], decodedFiles: [String: LoadedFile],
        undecodedPeople: (path: String, blob: String, cache: URL)?, escapingLinks: Set<String>,
        danglingLinks: Set<String>, prefix: String, repository: GitRepository, index: GitIndexFile
    ) {
        self.root = root
        self.contents = contents
        self.decodedFiles = decodedFiles
        self.undecodedPeople = undecodedPeople
        self.escapingLinks = escapingLinks
        self.danglingLinks = danglingLinks
        self.prefix = prefix
        self.repository = repository
        self.index = index
    }

    /// The files read; everything else exists only for link lookups.
    public func listFiles() throws -> [String] {
        // Byte order, as the index and a disk listing (`DiskSource`) have it.
        (Array(contents.keys) + decodedFiles.keys + escapingLinks + danglingLinks).sorted {
            $0.utf8.lexicographicallyPrecedes($1.utf8)
        }
    }

    /// people.yaml from the people cache; or, the first time a registry is seen, decoded
    /// by the loader itself and then kept for the next check.
    public func decoded(_ path: String, kind: DocumentKind) -> LoadedFile? {
        if let file = decodedFiles[path] { return file }
        guard let undecodedPeople, undecodedPeople.path == path else { return nil }
        let file = RepositoryLoader.loadFile(path, kind: kind, from: Undecoded(source: self))
        if let people = file.peopleWithoutProblems {
            PeopleCache.write(people, blob: undecodedPeople.blob, path: path, to: undecodedPeople.cache)
        }
        return file
    }

    /// This source without its decoded files, for the loader to decode one.
    private struct Undecoded: RepositorySource {
        let source: GitIndexSource
        var root: String { source.root }
        func listFiles() throws -> [String] { try source.listFiles() }
        func read(_ path: String) throws -> [UInt8] { try source.read(path) }
        func status(of path: String) -> PathStatus { source.status(of: path) }
    }

    /// A file read in `load`, or else (a link target's headings, for `#anchor` links) read
    /// from the index now, as a check of the work tree would read it from disk.
    public func read(_ path: String) throws -> [UInt8] {
        if escapingLinks.contains(path) {
            throw SourceError(path: path, reason: "is a link that leads outside the repository")
        }
        if let bytes = contents[path] { return bytes }
        if danglingLinks.contains(path) {
            throw SourceError(path: path, reason: "is a symbolic link that loops or leads nowhere")
        }
        lock.lock()
        defer { lock.unlock() }
        let found = try? GitIndexSource.resolve(path, prefix: prefix, index: index, readLink: repository.readBlob)
        switch found {
        case .file(let blob)?:
            do {
                let size = try repository.blobSize(id: blob)
                let limit = SourceText.maximumBytes(forPath: path)
                if size > limit {
                    let problem = SourceText.Problem.tooLarge(bytes: size, limit: limit)
                    throw SourceError(path: path, reason: problem.message, problem: problem)
                }
                return Array(try repository.readBlob(id: blob))
            } catch let error as GitError {
                throw SourceError(path: path, reason: "cannot read from the index: \(error.message)")
            }
        case .escaping?: throw SourceError(path: path, reason: "is a link that leads outside the repository")
        case .directory?: throw SourceError(path: path, reason: "is a directory")
        case .missing?, nil: throw SourceError(path: path, reason: "no such file")
        }
    }

    public func status(of path: String) -> PathStatus {
        if contents[path] != nil { return .file }
        if escapingLinks.contains(path) { return .outsideRepository }
        var path = path
        while path.hasSuffix("/") { path.removeLast() }
        if path.isEmpty { return .directory }
        let found = try? GitIndexSource.resolve(path, prefix: prefix, index: index) { blob in
            lock.lock()
            defer { lock.unlock() }
            return try repository.readBlob(id: blob)
        }
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

    /// What a review-relative path is in the index, as a check of the work tree finds it
    /// on disk (`DiskSource`): links are followed, chains included, while they stay inside
    /// the review repository; a link whose target is missing, or a loop, names nothing.
    /// `readLink` reads a link's target text from its blob.
    private static func resolve(
        _ path: String, prefix: String, index: GitIndexFile, readLink: (String) throws -> Data
    ) throws -> Found {
        var current = path
        // A chain longer than the kernel follows (40 links) is a loop to it.
        for _ in 0..<40 {
            guard let position = index.find(prefix + current) else {
                return index.hasEntries(under: prefix + current) ? .directory : .missing
            }
            let entry = index.entries[position]
            guard GitFileKind(mode: entry.mode) == .symlink else { return .file(blob: hexString(entry.id)) }
            let target = String(decoding: try readLink(hexString(entry.id)), as: UTF8.self)
            guard let resolved = GitSnapshotSource.resolveLink(target, from: current) else { return .escaping }
            if resolved.isEmpty { return .directory }  // a link to the review repository's root
            current = resolved
        }
        return .missing
    }

    /// Files and folders whose name starts with "." are not part of the review repository.
    private static func isHidden(_ path: String) -> Bool { ChangeScope.isHidden(path) }
}
