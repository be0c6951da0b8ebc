import CGit2
import EvidentCore
import EvidentSeal
import Foundation

/// What git stores for a review repository's files under `cycles/`, for the rules about
/// storage (sealing), which see it through `StoredContent` and never see git.
///
/// With the sealing filter configured, a reader's work tree holds plaintext while git
/// holds sealed blobs, so the work tree says nothing about what is stored: tracked files
/// are read from the index, and untracked ones are left out (adding them seals them).
/// Without the filter, or outside git, what the source shows is what gets stored.
///
/// Creating one costs nothing: the repository and its index are read on first use, so a
/// check with sealing off never opens them. A lock keeps the (non-Sendable) repository
/// to one thread at a time.
public final class GitStoredContent: StoredContent, @unchecked Sendable {
    private let root: String
    private let lock: NSLock
    private var state: Indexed?
    /// The repository to use instead of discovering one around `root`.
    private let shared: GitRepository?

    /// The review repository at `root`, an absolute path.
    public init(root: String) {
        self.root = root
        lock = NSLock()
        shared = nil
    }

    /// What git stores for the review repository `source` reads from the index: its
    /// repository and parsed index are used, not opened and parsed again (a pre-commit
    /// check of a sealed review spent 7 % of its time on that), under its lock.
    public init(sharing source: GitIndexSource) {
        root = source.root
        lock = source.lock
        shared = source.repository
    }

    public func bytes(of path: String, source: any RepositorySource) -> [UInt8]? {
        lock.lock()
        defer { lock.unlock() }
        return indexed.bytes(of: path, source: source)
    }

    public func open(_ bytes: [UInt8]) -> Result<[UInt8], any Error>? {
        lock.lock()
        defer { lock.unlock() }
        return indexed.open(bytes).map { $0.mapError { $0 as any Error } }
    }

    /// With many files (a whole check), `derive` is remembered by blob id in an
    /// authenticated cache (`SealFactsCache`) and computed on every core for the blobs it
    /// has not seen; with a few (a pre-commit check) it is computed now, as it costs less
    /// than reading the cache.
    public func derived(
        of paths: [String], source: any RepositorySource, kind: String,
        _ derive: @escaping @Sendable (_ bytes: [UInt8], _ open: @escaping StoredContentOpener) -> String
    ) -> [String: String] {
        lock.lock()
        let indexed = self.indexed
        let identities = indexed.identities()
        let blobs = paths.count >= SealFactsCache.minimumFiles ? indexed.blobIDs(of: paths) : []
        lock.unlock()
        guard paths.count >= SealFactsCache.minimumFiles, let repository = indexed.repository else {
            return directly(paths, source: source, identities: identities, derive)
        }
        var entries: [(path: String, blob: String)] = []
        entries.reserveCapacity(paths.count)
        for (path, blob) in zip(paths, blobs) {
            if let blob { entries.append((path, hexString(blob))) }
        }
        let facts = remembered(
            entries, current: blobs, kind: kind, identities: identities, repository: repository, derive)
        var out: [String: String] = [:]
        for (entry, derived) in zip(entries, facts) { out[entry.path] = derived }
        return out
    }

    /// With many files, what `judge` found clean is remembered by blob and condition in
    /// an authenticated cache (`SealVerdictCache`): a warm check looks each file up and
    /// judges only the others, with facts from `derived`'s cache (or derived now, when
    /// there are a few). A folder whose files were all clean is remembered too, by its
    /// tree in the index, its files' paths and `condition()`, and skipped whole while
    /// none of them changes. With a few files everything is judged now.
    public func judge(
        _ folders: [JudgedFolder], condition: () -> [UInt8], source: any RepositorySource, factsKind: String,
        verdictKind: String,
        derive: @escaping @Sendable (_ bytes: [UInt8], _ open: @escaping StoredContentOpener) -> String,
        files: (_ folders: [Int]) -> JudgedFiles,
        _ judge: (_ position: Int, _ facts: String) -> Bool
    ) {
        lock.lock()
        let indexed = self.indexed
        let identities = indexed.identities()
        let many =
            folders.reduce(0) { $0 + $1.paths.count } >= SealFactsCache.minimumFiles && indexed.repository != nil
        let index = many ? indexed.index() : nil
        lock.unlock()
        guard many, let repository = indexed.repository, let index else {
            let all = files(Array(folders.indices))
            let paths = all.files.map(\.path)
            let facts = directly(paths, source: source, identities: identities, derive)
            for (position, path) in paths.enumerated() {
                guard let encoded = facts[path] else { continue }
                _ = judge(position, encoded)
            }
            return
        }
        // Folders first: one whose tree, paths and condition were found clean is skipped.
        let folderURL = repository.evidentCacheURL(
            SealVerdictCache.folderName(kind: verdictKind, identities: identities))
        var knownFolders = SealVerdictCache.read(folderURL, magic: SealVerdictCache.folderMagic)
        let common = SealVerdictCache.Condition(condition())
        let trees = indexed.treeIDs(of: folders.map(\.path), in: index)
        var folderKeys: [SealVerdictCache.Key?] = []
        folderKeys.reserveCapacity(folders.count)
        var asked: [Int] = []
        for (position, (folder, tree)) in zip(folders, trees).enumerated() {
            let key = tree.flatMap { tree in
                SealVerdictCache.folderCondition(folder: folder.path, paths: folder.paths, common: common).map {
                    SealVerdictCache.Key(blob: tree, condition: $0)
                }
            }
            folderKeys.append(key)
            if key.map({ !knownFolders.contains($0) }) ?? true { asked.append(position) }
        }
        var changed = false
        if !asked.isEmpty {
            let batch = files(asked)
            // Whether each file was found clean (or has nothing stored to judge).
            var clean = [Bool](repeating: false, count: batch.files.count)
            judgeFiles(
                batch, index: index, repository: repository, identities: identities, factsKind: factsKind,
                verdictKind: verdictKind, everyFile: asked.count == folders.count, clean: &clean, derive: derive, judge)
            for (position, range) in zip(asked, batch.folders) {
                guard let key = folderKeys[position], range.allSatisfy({ clean[$0] }) else { continue }
                changed = knownFolders.insert(key).inserted || changed
            }
        }
        // Verdicts of trees no longer in the index are dropped once they outnumber the others.
        if knownFolders.count > 2 * folders.count {
            knownFolders = knownFolders.intersection(folderKeys.compactMap { $0 })
            changed = true
        }
        if changed { SealVerdictCache.write(knownFolders, to: folderURL, magic: SealVerdictCache.folderMagic) }
    }

    /// Judges `batch`'s files, but those whose blob was found clean before under the same
    /// condition, and marks in `clean` those found clean now or before, and those with
    /// nothing stored. `everyFile`: the batch holds every file of the check.
    private func judgeFiles(
        _ batch: JudgedFiles, index: GitIndexFile, repository: GitRepository, identities: [AgeIdentity],
        factsKind: String, verdictKind: String, everyFile: Bool, clean: inout [Bool],
        derive: @escaping @Sendable (_ bytes: [UInt8], _ open: @escaping StoredContentOpener) -> String,
        _ judge: (_ position: Int, _ facts: String) -> Bool
    ) {
        let (files, conditions) = (batch.files, batch.conditions)
        lock.lock()
        let blobs = indexed.blobIDs(of: files.map(\.path), in: index)
        lock.unlock()
        // A few files (a folder changed since its verdict) are cheaper to open than the
        // 50,000 verdicts and facts are to read; their folder's verdict remembers them.
        if files.count < SealFactsCache.minimumFiles {
            lock.lock()
            let bytes = blobs.map { blob in blob.flatMap { try? repository.readBlob(id: hexString($0)) }.map(Array.init)
            }
            lock.unlock()
            let opener = Self.opener(identities)
            for position in files.indices {
                guard blobs[position] != nil else {
                    clean[position] = true
                    continue
                }
                guard let stored = bytes[position] else { continue }
                clean[position] = judge(position, derive(stored, opener))
            }
            return
        }
        let url = repository.evidentCacheURL(SealVerdictCache.name(kind: verdictKind, identities: identities))
        var known = SealVerdictCache.read(url)
        var keys: [SealVerdictCache.Key?] = []
        keys.reserveCapacity(files.count)
        var pending: [(position: Int, path: String, blob: String)] = []
        // Files of one folder often share their readers: each condition is digested once.
        var digests = [SealVerdictCache.Condition?](repeating: nil, count: conditions.count)
        for (position, file) in files.enumerated() {
            // Not in the index: nothing stored to judge (adding the file seals it).
            guard let blob = blobs[position] else {
                keys.append(nil)
                clean[position] = true
                continue
            }
            // A condition the caller did not give: judged, never remembered.
            guard conditions.indices.contains(file.condition) else {
                keys.append(nil)
                pending.append((position, file.path, hexString(blob)))
                continue
            }
            let condition = digests[file.condition] ?? SealVerdictCache.Condition(conditions[file.condition])
            digests[file.condition] = condition
            let key = SealVerdictCache.Key(blob: blob, condition: condition)
            keys.append(key)
            if known.contains(key) {
                clean[position] = true
            } else {
                pending.append((position, file.path, hexString(blob)))
            }
        }
        var changed = false
        if !pending.isEmpty {
            // A few new blobs (a pull, a commit) are cheaper to open than the facts cache is to read.
            let facts: [String?]
            if pending.count < SealFactsCache.minimumFiles {
                lock.lock()
                let bytes = pending.map { (try? repository.readBlob(id: $0.blob)).map(Array.init) }
                lock.unlock()
                let opener = Self.opener(identities)
                facts = bytes.map { $0.map { derive($0, opener) } }
            } else {
                facts = remembered(
                    pending.map { ($0.path, $0.blob) }, current: blobs, kind: factsKind, identities: identities,
                    repository: repository, derive)
            }
            for (entry, encoded) in zip(pending, facts) {
                guard let encoded else { continue }
                guard judge(entry.position, encoded) else { continue }
                clean[entry.position] = true
                if let key = keys[entry.position] { changed = known.insert(key).inserted || changed }
            }
        }
        // Verdicts of blobs no longer in the index are dropped once they outnumber the
        // others; only when every file of the check is here (files of folders skipped
        // whole keep theirs, for the day their folder changes).
        if everyFile, known.count > 2 * files.count {
            known = known.intersection(keys.compactMap { $0 })
            changed = true
        }
        if changed { SealVerdictCache.write(known, to: url) }
    }

    /// `derive` of each of `paths`, now, with no cache.
    private func directly(
        _ paths: [String], source: any RepositorySource, identities: [AgeIdentity],
        _ derive: @escaping @Sendable (_ bytes: [UInt8], _ open: @escaping StoredContentOpener) -> String
    ) -> [String: String] {
        let opener = Self.opener(identities)
        var out: [String: String] = [:]
        for path in paths {
            guard let bytes = self.bytes(of: path, source: source) else { continue }
            out[path] = derive(bytes, opener)
        }
        return out
    }

    private static func opener(_ identities: [AgeIdentity]) -> StoredContentOpener {
        { bytes in Indexed.open(bytes, with: identities).map { $0.mapError { $0 as any Error } } }
    }

    /// `derive` of the blob of each entry (by hex id), from the facts cache or computed on
    /// every core and added to it; nil where the blob cannot be read. `current`: every
    /// blob the caller asked about, so the cache keeps those when it drops old ones.
    private func remembered(
        _ entries: [(path: String, blob: String)], current: [git_oid?], kind: String, identities: [AgeIdentity],
        repository: GitRepository,
        _ derive: @escaping @Sendable (_ bytes: [UInt8], _ open: @escaping StoredContentOpener) -> String
    ) -> [String?] {
        let opener = Self.opener(identities)
        let url = repository.evidentCacheURL(SealFactsCache.name(kind: kind, identities: identities))
        var known = SealFactsCache.read(url)
        var out: [String?] = entries.map { known[$0.blob] }
        let missing = out.indices.filter { out[$0] == nil }
        guard !missing.isEmpty else { return out }
        // Blobs are read under the lock (the repository is not Sendable), a slice at a
        // time so a cold check never holds 50,000 sealed files; they are opened on every core.
        var start = 0
        while start < missing.count {
            let slice = Array(missing[start..<min(start + 2048, missing.count)])
            start += slice.count
            lock.lock()
            let blobs: [[UInt8]?] = slice.map { (try? repository.readBlob(id: entries[$0].blob)).map(Array.init) }
            lock.unlock()
            let computed = parallelMap(Array(blobs.indices)) { index in blobs[index].map { derive($0, opener) } }
            for (position, facts) in zip(slice, computed) {
                guard let facts else { continue }
                out[position] = facts
                known[entries[position].blob] = facts
            }
        }
        // Blobs no longer in the index are dropped once they outnumber the ones that are.
        if known.count > 2 * current.count {
            let ids = Set(current.compactMap { $0.map(hexString) })
            known = known.filter { ids.contains($0.key) }
        }
        SealFactsCache.write(known, to: url)
        return out
    }

    /// Opens a stored sealed file with `identities`: its text, nil when they are no
    /// reader (or there are none), or the error when the file is damaged or forged. The
    /// one opening behind `StoredContentOpener`, here and in the sealing filter, so the
    /// facts either derives are the same.
    public static func open(_ bytes: [UInt8], with identities: [AgeIdentity]) -> Result<[UInt8], SealError>? {
        guard !identities.isEmpty else { return nil }
        do {
            return .success(try Age.open(bytes, with: identities))
        } catch let error as SealError {
            return error.kind == .noIdentity ? nil : .failure(error)
        } catch {
            return .failure(SealError(.payload, "\(error)"))
        }
    }

    /// Adds facts derived elsewhere from stored blobs (by the sealing filter, as a clone
    /// or checkout opens them) to the cache `derived` reads, by blob id, under the same
    /// name and authentication: what `derived` would have computed from the same bytes
    /// and `identities`, so a first check after a clone opens nothing again. A copy that
    /// is damaged, forged or another identity's is read as empty and replaced. Fewer facts
    /// than a check would cache for (a checkout of a few files) are not worth rewriting
    /// the cache: a check derives those itself.
    public static func remember(
        _ facts: [String: String], kind: String, identities: [AgeIdentity], in repository: GitRepository
    ) {
        guard facts.count >= SealFactsCache.minimumFiles else { return }
        let url = repository.evidentCacheURL(SealFactsCache.name(kind: kind, identities: identities))
        var known = SealFactsCache.read(url)
        known.merge(facts) { _, derived in derived }
        SealFactsCache.write(known, to: url)
    }

    private var indexed: Indexed {
        if let state { return state }
        let loaded = Indexed(root: root, repository: shared)
        state = loaded
        return loaded
    }
}

/// The repository, if sealing applies, and where the review repository is in it.
private struct Indexed {
    let repository: GitRepository?
    /// The review repository's folder in the git work tree, "" or ending in "/".
    private let prefix: String

    /// `repository`: the one holding `root`, when the caller has it open already.
    init(root: String, repository given: GitRepository? = nil) {
        guard root.hasPrefix("/"), let repository = given ?? (try? GitRepository.discover(startingAt: root)),
            let workdir = repository.workdir,
            ((try? repository.configString("filter.evident.process")) ?? nil) != nil,
            let realRoot = Indexed.realPath(root), let realWorkdir = Indexed.realPath(workdir)
        else {
            self.repository = nil
            prefix = ""
            return
        }
        // Entries are looked up one path at a time in the parsed index: a pre-commit check
        // of one review asks for one, and listing all 54,000 cost more than its check.
        prefix = realRoot == realWorkdir ? "" : String(realRoot.dropFirst(realWorkdir.count + 1)) + "/"
        self.repository = repository
    }

    /// This clone's sealing identities, loaded on first use (none when there is no key).
    private let identityBox = IdentityBox()

    func identities() -> [AgeIdentity] { identityBox.get(repository) }

    /// The blob id of `path` in the index, nil when it is not there (or sealing does not apply).
    func blobID(of path: String) -> String? {
        guard let repository, path.hasPrefix("cycles/") else { return nil }
        return (try? repository.indexEntry(path: prefix + path))?.blobID
    }

    /// The parsed index, nil when sealing does not apply or it cannot be read.
    func index() -> GitIndexFile? {
        guard let repository else { return nil }
        return try? repository.index()
    }

    /// `blobID(of:)` of each of `paths`, with the index read once: a whole check asks
    /// for 50,000, and each `indexEntry` looks at the index file's `stat` again.
    func blobIDs(of paths: [String]) -> [git_oid?] {
        guard let index = index() else { return paths.map { _ in nil } }
        return blobIDs(of: paths, in: index)
    }

    func blobIDs(of paths: [String], in index: GitIndexFile) -> [git_oid?] {
        guard repository != nil else { return paths.map { _ in nil } }
        return paths.map { path in
            guard path.hasPrefix("cycles/") else { return nil }
            let full = prefix + path
            guard let normal = Self.isNormal(full) ? full : try? normalizedRepoPath(full),
                let position = index.find(normal)
            else { return nil }
            let entry = index.entries[position]
            return GitFileKind(mode: entry.mode) == nil ? nil : entry.id
        }
    }

    /// The id of the tree git's cached tree of `index` holds for each of `folders`
    /// (`cycles/<cycle>/<person>`), nil where it has none or it was invalidated since
    /// (`git add` leaves the folders above a changed file without one until the next
    /// commit or `git write-tree`).
    func treeIDs(of folders: [String], in index: GitIndexFile) -> [git_oid?] {
        guard repository != nil, var base = index.cachedTree else { return folders.map { _ in nil } }
        for part in prefix.utf8.split(separator: UInt8(ascii: "/")) {
            guard let child = base.child(named: Array(part)) else { return folders.map { _ in nil } }
            base = child
        }
        let cycles = base.child(named: Array("cycles".utf8))
        // Folders of one cycle come together: the cycle's node is found once for them.
        var last: (cycle: Substring.UTF8View, node: GitIndexFile.CachedTree?)?
        let out: [git_oid?] = folders.map { folder in
            let bytes = folder.utf8
            guard bytes.starts(with: "cycles/".utf8) else { return nil }
            let rest = bytes.dropFirst(7)
            guard let slash = rest.firstIndex(of: UInt8(ascii: "/")) else { return nil }
            let cycle = rest[..<slash]
            let person = rest[rest.index(after: slash)...]
            guard !person.contains(UInt8(ascii: "/")) else { return nil }
            let cycleNode: GitIndexFile.CachedTree?
            if let last, last.cycle.elementsEqual(cycle) {
                cycleNode = last.node
            } else {
                cycleNode = cycles?.child(named: Array(cycle))
                last = (cycle, cycleNode)
            }
            return cycleNode?.child(named: Array(person))?.id
        }
        // Read from a file that shrank while mapped: nothing read from it counts.
        return index.isIntact ? out : folders.map { _ in nil }
    }

    /// Whether `normalizedRepoPath` leaves `path` as it is (as the loader's paths are):
    /// no empty, `.` or `..` part and no NUL.
    private static func isNormal(_ path: String) -> Bool {
        var length = 0
        var onlyDots = true
        for byte in path.utf8 {
            if byte == 0 { return false }
            if byte == UInt8(ascii: "/") {
                if length == 0 || (onlyDots && length <= 2) { return false }
                (length, onlyDots) = (0, true)
            } else {
                length += 1
                onlyDots = onlyDots && byte == UInt8(ascii: ".")
            }
        }
        return length > 0 && !(onlyDots && length <= 2)
    }

    /// Opens a sealed file with this clone's identity: its text, nil when the identity
    /// is no reader (or there is none), or the error when the file is damaged or forged.
    func open(_ bytes: [UInt8]) -> Result<[UInt8], SealError>? {
        Self.open(bytes, with: identityBox.get(repository))
    }

    static func open(_ bytes: [UInt8], with identities: [AgeIdentity]) -> Result<[UInt8], SealError>? {
        GitStoredContent.open(bytes, with: identities)
    }

    /// The stored bytes of `path`, or nil when there is nothing to judge (unreadable, or
    /// untracked in a clone whose filter will seal it when it is added).
    func bytes(of path: String, source: any RepositorySource) -> [UInt8]? {
        guard let repository else { return try? source.read(path) }
        guard let id = blobID(of: path) else { return nil }
        return (try? repository.readBlob(id: id)).map(Array.init)
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}

/// Loads the identities once, lazily: most checks never meet a sealed file.
private final class IdentityBox {
    private var loaded: [AgeIdentity]?

    func get(_ repository: GitRepository?) -> [AgeIdentity] {
        if let loaded { return loaded }
        let identities = SealIdentities.load(environment: ProcessInfo.processInfo.environment, repository: repository)
            .identities
        loaded = identities
        return identities
    }
}
