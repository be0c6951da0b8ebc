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
    private let lock = NSLock()
    private var state: Indexed?

    /// The review repository at `root`, an absolute path.
    public init(root: String) {
        self.root = root
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

    private var indexed: Indexed {
        if let state { return state }
        let loaded = Indexed(root: root)
        state = loaded
        return loaded
    }
}

/// The repository, if sealing applies, and its index entries under `cycles/`.
private struct Indexed {
    private let repository: GitRepository?
    /// Review-relative path → blob id, for files in the index.
    private let blobs: [String: String]

    init(root: String) {
        guard root.hasPrefix("/"), let repository = try? GitRepository.discover(startingAt: root),
            let workdir = repository.workdir,
            ((try? repository.configString("filter.evident.process")) ?? nil) != nil,
            let realRoot = Indexed.realPath(root), let realWorkdir = Indexed.realPath(workdir)
        else {
            self.repository = nil
            blobs = [:]
            return
        }
        let prefix = realRoot == realWorkdir ? "" : String(realRoot.dropFirst(realWorkdir.count + 1)) + "/"
        var blobs: [String: String] = [:]
        for entry in (try? repository.indexEntries(under: prefix + "cycles")) ?? [] where entry.path.hasPrefix(prefix) {
            blobs[String(entry.path.dropFirst(prefix.count))] = entry.blobID
        }
        self.repository = repository
        self.blobs = blobs
    }

    /// This clone's sealing identities, loaded on first use (none when there is no key).
    private let identityBox = IdentityBox()

    /// Opens a sealed file with this clone's identity: its text, nil when the identity
    /// is no reader (or there is none), or the error when the file is damaged or forged.
    func open(_ bytes: [UInt8]) -> Result<[UInt8], SealError>? {
        let identities = identityBox.get(repository)
        guard !identities.isEmpty else { return nil }
        do {
            return .success(try Age.open(bytes, with: identities))
        } catch let error as SealError {
            return error.kind == .noIdentity ? nil : .failure(error)
        } catch {
            return .failure(SealError(.payload, "\(error)"))
        }
    }

    /// The stored bytes of `path`, or nil when there is nothing to judge (unreadable, or
    /// untracked in a clone whose filter will seal it when it is added).
    func bytes(of path: String, source: any RepositorySource) -> [UInt8]? {
        guard let repository else { return try? source.read(path) }
        guard let id = blobs[path] else { return nil }
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
