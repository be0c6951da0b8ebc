import EvidentCore
import EvidentGit
import EvidentSeal
import Foundation

/// What git stores for a review repository's files under `cycles/`, for the rules about
/// storage (sealing).
///
/// With the sealing filter configured, a reader's work tree holds plaintext while git
/// holds sealed blobs, so the work tree says nothing about what is stored: tracked files
/// are read from the index, and untracked ones are left out (adding them seals them).
/// Without the filter, or outside git, what the source shows is what gets stored.
struct StoredContent {
    private let repository: GitRepository?
    /// Review-relative path → blob id, for files in the index.
    private let blobs: [String: String]

    init(root: String) {
        guard root.hasPrefix("/"), let repository = try? GitRepository.discover(startingAt: root),
              let workdir = repository.workdir,
              ((try? repository.configString("filter.evident.process")) ?? nil) != nil,
              let realRoot = StoredContent.realPath(root), let realWorkdir = StoredContent.realPath(workdir)
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

    var identities: [AgeIdentity] { identityBox.get(repository) }

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
        let identities = SealIdentities.load(environment: ProcessInfo.processInfo.environment, repository: repository).identities
        loaded = identities
        return identities
    }
}
