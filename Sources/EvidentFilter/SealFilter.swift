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

    /// Set by the filter process: the facts `check` keeps of each sealed blob, derived as
    /// blobs are opened, and saved when git is done (`saveFacts`).
    public var smudgeFacts: SmudgeFacts?

    private var loadedIdentities: [AgeIdentity]?
    private var organisations: [String: Organisation?] = [:]

    public init(
        workTree: String, repository: GitRepository?, environment: [String: String],
        warn: @escaping (String) -> Void
    ) {
        self.workTree = workTree
        self.repository = repository
        self.environment = environment
        self.warn = warn
    }

    // MARK: Identity

    /// `EVIDENT_IDENTITY`, else git config `evident.identity`, else `~/.ssh/id_ed25519`.
    public static func identityPath(environment: [String: String], repository: GitRepository?) -> (
        path: String, isDefault: Bool
    ) {
        SealIdentityPath.resolve(environment: environment, repository: repository)
    }

    /// The identities of this clone, loaded once; empty when there is none (a
    /// non-reader's clone), with one warning when a named key cannot be used.
    func identities() -> [AgeIdentity] {
        if let loadedIdentities { return loadedIdentities }
        let (identities, problem) = SealIdentities.load(environment: environment, repository: repository)
        if let problem { warn("evident: sealed files stay sealed in this work tree: \(problem)") }
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
        let stored = storedBlob(pathname)
        if let stored, Age.isAgeFile(stored), !identities().isEmpty,
            let outer = try? Age.open(stored, with: identities())
        {
            // Unchanged text gives back the stored blob: as this clone sees it, with the
            // private blocks it can open opened, or (not a private reader) still sealed.
            if outer == content || open(outer).text == content { return stored }
        }
        // A policy that cannot be read could hide `enabled: true`: refuse rather than
        // store plaintext.
        guard let organisation = organisation(prefix: prefix), let policy = organisation.policy,
            organisation.file("evident.yaml")?.problems.isEmpty ?? false
        else {
            throw SealFilterError(
                "evident.yaml has problems or cannot be read (run evident check); refusing to store \(pathname) "
                    + "until it is fixed, so that a broken policy cannot store it in plaintext")
        }
        guard policy.sealing.enabled else { return content }
        let outer = SealRecipients.of(path, in: organisation)
        guard !outer.recipients.isEmpty else {
            throw SealFilterError(
                "no reader of \(pathname) (\(outer.readers.joined(separator: ", "))) has an ssh-ed25519 signing_key in people.yaml; "
                    + "refusing to store it in plaintext")
        }
        for problem in outer.problems { warn("evident: \(pathname) is sealed without \(problem)") }
        var text = content
        let bodies = PrivateSections.bodyByteRanges(in: content)
        if bodies.contains(where: { !SealedDocument.isBlock(content[$0]) }) {
            let inner = SealRecipients.of(path, in: organisation, privateSection: true)
            guard !inner.recipients.isEmpty else {
                throw SealFilterError(
                    "no reader of the private sections of \(pathname) (\(inner.readers.joined(separator: ", "))) has an "
                        + "ssh-ed25519 signing_key in people.yaml; refusing to store them")
            }
            for problem in inner.problems {
                warn("evident: the private sections of \(pathname) are sealed without \(problem)")
            }
            // A private body whose text is unchanged keeps its stored block, while that
            // block is sealed to exactly today's private readers (else it is sealed anew).
            var storedBlocks: [[UInt8]: [UInt8]] = [:]
            let expected = Set(inner.tags.values)
            let ids = identities()
            if let stored, !ids.isEmpty, let opened = try? Age.open(stored, with: ids) {
                for block in SealedDocument.blocks(opened, bodies: PrivateSections.bodyByteRanges(in: opened))
                where Age.sshTags(of: Array(block)) == expected
                    && (try? Age.recipients(of: Array(block)))?.count == expected.count
                {
                    if let plaintext = try? Age.open(Array(block), with: ids) { storedBlocks[plaintext] = Array(block) }
                }
            }
            text = try SealedDocument.sealBodies(content, bodies: bodies, to: inner.recipients) {
                storedBlocks[Array($0)]
            }
        }
        return try Age.seal(text, to: outer.recipients)
    }

    public func smudge(pathname: String, content: [UInt8]) -> [UInt8] {
        smudge(pathname: pathname, content: content, warn: warn)
    }

    /// The smudge, warning through `warn`: the filter process collects the warnings of
    /// files opened on other threads and prints them from the one talking to git.
    /// `blob`, git's id of `content` when git names it (a clone or checkout does), lets
    /// `smudgeFacts` remember what `check` would derive from it.
    func smudge(pathname: String, content: [UInt8], blob: String? = nil, warn: (String) -> Void) -> [UInt8] {
        guard Age.isAgeFile(content) else { return content }
        let identities = identities()
        let opening = GitStoredContent.open(content, with: identities)
        if let blob, let smudgeFacts {
            smudgeFacts.record(blob: blob, bytes: content, opened: opening, identities: identities)
        }
        let outer: [UInt8]
        switch opening {
        case nil: return content
        case .failure(let error)?:
            warn("evident: \(pathname) stays sealed: \(error)")
            return content
        case .success(let text)?: outer = text
        }
        let opened = open(outer)
        for failure in opened.failures { warn("evident: a private section of \(pathname) stays sealed: \(failure)") }
        return opened.text
    }

    /// Adds the facts derived from the blobs opened so far to `check`'s cache.
    func saveFacts() {
        smudgeFacts?.save(identities: identities(), repository: repository)
    }

    /// Opens the private blocks of an opened file that this identity may read.
    func open(_ outer: [UInt8]) -> SealedDocument.Opened {
        let bodies = PrivateSections.bodyByteRanges(in: outer)
        guard !bodies.isEmpty else { return SealedDocument.Opened(text: outer, sealedToOthers: 0, failures: []) }
        return SealedDocument.openBodies(outer, bodies: bodies, with: identities())
    }

    /// The blob stored for `pathname` in the index (what `git status` compares with).
    private func storedBlob(_ pathname: String) -> [UInt8]? {
        guard let repository, let data = try? repository.readIndexedFile(path: pathname) else { return nil }
        return Array(data)
    }
}

/// Lets EvidentGit hash a reader's plaintext work tree as git's filter would store it
/// (see `WorkTreeCleanFilter`), in clones where the sealing filter is configured.
public enum SealWorkTreeHook {
    public static func install(environment: [String: String]) {
        let filters = FilterCache(environment: environment)
        WorkTreeCleanFilter.clean = { repository, path, content in filters.clean(repository, path, content) }
    }

    private final class FilterCache: @unchecked Sendable {
        let environment: [String: String]
        let lock = NSLock()
        var filters: [String: SealFilter?] = [:]

        init(environment: [String: String]) { self.environment = environment }

        func clean(_ repository: GitRepository, _ path: String, _ content: () -> [UInt8]?) -> [UInt8]? {
            guard let (_, reviewPath) = SealFilter.reviewPath(path), SealReaders.kind(of: reviewPath) != nil,
                let workdir = repository.workdir
            else { return nil }
            lock.lock()
            defer { lock.unlock() }
            let filter: SealFilter?
            if let cached = filters[workdir] {
                filter = cached
            } else {
                let configured = ((try? repository.configString("filter.evident.process")) ?? nil) != nil
                filter =
                    configured
                    ? SealFilter(
                        workTree: workdir.hasSuffix("/") ? String(workdir.dropLast()) : workdir,
                        repository: repository, environment: environment, warn: { _ in }) : nil
                filters[workdir] = filter
            }
            guard let filter, let bytes = content() else { return nil }
            return try? filter.clean(pathname: path, content: bytes)
        }
    }
}
