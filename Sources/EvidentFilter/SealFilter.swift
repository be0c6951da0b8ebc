import EvidentCore
import EvidentGit
import EvidentSeal
import Foundation

/// A clean or smudge that must fail the git command rather than store the wrong thing.
public struct SealFilterError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// What the `evident` git filter does to one file (SPEC §8, "Readers edit plaintext").
///
/// Clean (work tree → blob) seals a review file to its readers, but gives back the blob
/// already stored when the plaintext is unchanged, so `git status` stays clean and a
/// re-add makes no new blob. Smudge (blob → work tree) opens a sealed file when this
/// clone's identity is a reader and passes the armoured text through otherwise.
public final class SealFilter {
    /// The git work tree's absolute path; pathnames from git are relative to it.
    let workTree: String
    let repository: GitRepository?
    let environment: [String: String]
    let warn: (String) -> Void

    private var loadedIdentities: [AgeIdentity]?
    private var organisations: [String: Organisation?] = [:]

    public init(workTree: String, repository: GitRepository?, environment: [String: String],
                warn: @escaping (String) -> Void) {
        self.workTree = workTree
        self.repository = repository
        self.environment = environment
        self.warn = warn
    }

    // MARK: Identity

    /// `EVIDENT_IDENTITY`, else git config `evident.identity`, else `~/.ssh/id_ed25519`.
    public static func identityPath(environment: [String: String], repository: GitRepository?) -> (path: String, isDefault: Bool) {
        let home = environment["HOME"] ?? NSHomeDirectory()
        func expand(_ path: String) -> String {
            path.hasPrefix("~/") ? home + path.dropFirst(1) : path
        }
        if let named = environment["EVIDENT_IDENTITY"], !named.isEmpty { return (expand(named), false) }
        if let configured = (try? repository?.configString("evident.identity")) ?? nil, !configured.isEmpty {
            return (expand(configured), false)
        }
        return (home + "/.ssh/id_ed25519", true)
    }

    /// The identities of this clone, loaded once; empty when there is none (a
    /// non-reader's clone), with one warning when a named key cannot be used.
    func identities() -> [AgeIdentity] {
        if let loadedIdentities { return loadedIdentities }
        let (path, isDefault) = Self.identityPath(environment: environment, repository: repository)
        var identities: [AgeIdentity] = []
        if !isDefault || FileManager.default.fileExists(atPath: path) {
            do {
                identities = try AgeIdentity.load(contentsOf: path)
            } catch {
                warn("evident: sealed files stay sealed in this work tree: \(error)")
            }
        }
        loadedIdentities = identities
        return identities
    }

    // MARK: Paths

    /// Splits a git pathname `<prefix>cycles/<cycle>/<person>/<file>` into the review
    /// root's prefix and the review-relative path; nil for anything else.
    static func reviewPath(_ pathname: String) -> (prefix: String, path: String)? {
        let parts = pathname.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 4, parts[parts.count - 4] == "cycles" else { return nil }
        let prefix = parts.dropLast(4).joined(separator: "/")
        return (prefix, parts.suffix(4).joined(separator: "/"))
    }

    /// The organisation files of the review repository at `prefix`, read once.
    private func organisation(prefix: String) -> Organisation? {
        if let cached = organisations[prefix] { return cached }
        let root = prefix.isEmpty ? workTree : workTree + "/" + prefix
        let organisation = (try? DiskSource(root: root)).flatMap {
            try? RepositoryLoader.load(from: $0, selecting: .organisationAnd(personFolders: []))
        }
        organisations[prefix] = organisation
        return organisation
    }

    // MARK: Clean and smudge

    public func clean(pathname: String, content: [UInt8]) throws -> [UInt8] {
        // Armoured text (a non-reader's work tree, or a file sealed by hand) is stored as it is.
        if Age.isAgeFile(content) { return content }
        guard let (prefix, path) = Self.reviewPath(pathname), SealReaders.kind(of: path) != nil else { return content }
        if let stored = storedBlob(pathname), Age.isAgeFile(stored), !identities().isEmpty,
           let opened = try? Age.open(stored, with: identities()), opened == content {
            return stored
        }
        // A policy that cannot be read could hide `enabled: true`: refuse rather than
        // store plaintext.
        guard let organisation = organisation(prefix: prefix), let policy = organisation.policy,
              organisation.file("evident.yaml")?.problems.isEmpty ?? false else {
            throw SealFilterError(
                "evident.yaml has problems or cannot be read (run evident check); refusing to store \(pathname) "
                    + "until it is fixed, so that a broken policy cannot store it in plaintext")
        }
        guard policy.sealing.enabled else { return content }
        let readers = SealReaders.readers(of: path, in: organisation) ?? []
        var recipients: [AgeRecipient] = []
        var keyless: [String] = []
        for reader in readers {
            if let line = organisation.person(reader)?.signingKey, let recipient = try? AgeRecipient(parsing: line),
               case .ssh(let key) = recipient, key.algorithm == .ed25519 {
                recipients.append(recipient)
            } else {
                keyless.append(reader)
            }
        }
        guard !recipients.isEmpty else {
            throw SealFilterError(
                "no reader of \(pathname) (\(readers.joined(separator: ", "))) has an ssh-ed25519 signing_key in people.yaml; "
                    + "refusing to store it in plaintext")
        }
        if !keyless.isEmpty {
            warn("evident: \(pathname) is sealed without \(keyless.joined(separator: ", ")), who \(keyless.count == 1 ? "has" : "have") no ssh-ed25519 signing_key")
        }
        return try Age.seal(content, to: recipients)
    }

    public func smudge(pathname: String, content: [UInt8]) -> [UInt8] {
        guard Age.isAgeFile(content) else { return content }
        let identities = identities()
        guard !identities.isEmpty else { return content }
        do {
            return try Age.open(content, with: identities)
        } catch let error as SealError where error.kind == .noIdentity {
            return content
        } catch {
            warn("evident: \(pathname) stays sealed: \(error)")
            return content
        }
    }

    /// The blob stored for `pathname` in the index (what `git status` compares with).
    private func storedBlob(_ pathname: String) -> [UInt8]? {
        guard let repository, let data = try? repository.readIndexedFile(path: pathname) else { return nil }
        return Array(data)
    }
}
