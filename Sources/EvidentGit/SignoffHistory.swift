import EvidentCore
import EvidentSeal
import Foundation

/// A review repository inside a git repository: the repository, and the review
/// repository's folder inside its work tree ("" when `evident.yaml` is at the top).
///
/// Sign-off trailers and git's own paths are relative to the git work tree; Evident's
/// are relative to the review repository. Every conversion goes through `gitPath` and
/// `reviewPath` so the two never get mixed up.
public struct GitReviewLocation {
    public let repository: GitRepository
    /// The review repository's folder relative to the work tree, no leading or trailing "/".
    public let prefix: String
    /// The review repository's absolute path.
    public let reviewRoot: String

    /// Opens the git repository holding `reviewRoot`: from the environment when git set
    /// one up for a hook (`GIT_DIR`, or `GIT_INDEX_FILE` for `git commit -a`'s temporary
    /// index), else by searching upwards from the folder. Nil when the folder is not in a
    /// git repository; throws for a bare repository or a broken one.
    public static func find(reviewRoot: String, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws -> GitReviewLocation?
    {
        let repository: GitRepository
        do {
            if environment["GIT_INDEX_FILE"] != nil || environment["GIT_DIR"] != nil {
                repository = try GitRepository.openFromEnvironment()
            } else {
                repository = try GitRepository.discover(startingAt: reviewRoot)
            }
        } catch let error as GitError where error.kind == .notARepository {
            return nil
        }
        guard let workdir = repository.workdir else {
            throw GitError(
                kind: .bareRepository, message: "the repository at \(repository.gitDir) has no work tree",
                operation: "find the review repository in git")
        }
        let root = realPath(reviewRoot) ?? reviewRoot
        let top = realPath(workdir) ?? workdir
        let prefix: String
        if root == top {
            prefix = ""
        } else if root.hasPrefix(top.hasSuffix("/") ? top : top + "/") {
            prefix = String(root.dropFirst(top.hasSuffix("/") ? top.count : top.count + 1))
        } else {
            throw GitError(
                kind: .invalidArgument, message: "\(reviewRoot) is not inside the git work tree \(workdir)",
                operation: "find the review repository in git")
        }
        return GitReviewLocation(repository: repository, prefix: prefix, reviewRoot: root)
    }

    public init(repository: GitRepository, prefix: String, reviewRoot: String) {
        self.repository = repository
        self.prefix = prefix
        self.reviewRoot = reviewRoot
    }

    /// A review-repository-relative path as git names it.
    public func gitPath(_ reviewPath: String) -> String {
        prefix.isEmpty ? reviewPath : prefix + "/" + reviewPath
    }

    /// A git path as the review repository names it; nil when it lies outside.
    public func reviewPath(_ gitPath: String) -> String? {
        if prefix.isEmpty { return gitPath }
        let folder = prefix + "/"
        return gitPath.hasPrefix(folder) ? String(gitPath.dropFirst(folder.count)) : nil
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}

/// Sign-off commits found in history, and the `SignoffLedger` the rules and `status` read.
///
/// A sign-off is recognised by its trailers, never by its subject: `Evident-Signoff`,
/// `Evident-File` and `Evident-Blob` must all be present. Every commit reachable from
/// HEAD counts, merged branches included, because a sign-off made on a branch and merged
/// is still a sign-off.
///
/// Caches under `.git/evident/` keep repeated checks cheap. They only ever save work:
/// each is authenticated (`CacheText`), and a missing, forged, stale or corrupt cache
/// falls back to the full computation:
/// - `signoffs-v2`: the sign-offs reachable from one HEAD. When HEAD has moved forward
///   since, only the new commits are walked (`git log OLD..HEAD`); when it moved
///   anywhere else (reset, checkout), the whole history is walked again.
/// Signature verdicts are never cached: ssh-ed25519 signatures are verified in process
/// in microseconds, other key types by `ssh-keygen` on every run.
public enum SignoffHistory {
    /// A sign-off commit as written, before judging it: a ledger entry whose `file` is
    /// the git path and whose verdicts are not set yet. One type, so the cache, the walk
    /// and the ledger cannot disagree about what a sign-off holds.
    public typealias Record = SignoffLedger.Entry

    /// Whose content a sign-off's blob is compared with.
    public enum Content: Sendable {
        /// The committed content (`evident status` in a bare-bones CI checkout, tests).
        case head
        /// The staged content (`evident check --staged`).
        case index
        /// The files on disk (`evident check`, `evident status`), hashed as `git add` would.
        case workTree
        /// The content committed at a revision (`evident calibrate diff` at its head).
        case revision(String)
    }

    /// The sign-off trailer keys, as `evident signoff` writes them.
    public static let roleKey = "Evident-Signoff"
    public static let fileKey = "Evident-File"
    public static let blobKey = "Evident-Blob"
    public static let ratingKey = "Evident-Rating"
    public static let signedOffByKey = "Signed-off-by"
    public static let positionKey = "Evident-Position"
    public static let reasonKey = "Evident-Reason"
    public static let voidsKey = "Evident-Voids"

    /// Builds the ledger for the review repository at `location`, with the signature of
    /// every signed sign-off checked against the signer's `signing_key` from
    /// `organisation`'s people.yaml.
    ///
    /// - Parameters:
    ///   - content: what "the file's current blob" means for staleness.
    ///   - files: when given, only sign-offs of these review-relative paths are kept
    ///     (a pre-commit check of one review need not verify every signature).
    public static func ledger(
        location: GitReviewLocation, organisation: Organisation, content: Content, files: Set<String>? = nil,
        useCache: Bool = true
    ) throws -> SignoffLedger {
        let repository = location.repository
        let records: [Record]
        if case .revision(let revision) = content {
            // History as seen from that revision: only HEAD's history is cached.
            records = try self.records(in: repository, from: revision)
        } else {
            records = try self.records(in: repository, useCache: useCache)
        }
        // Indexing 10,000 people by email is only worth it when a signed sign-off of a
        // checked file needs its signer's key (a pre-commit check usually has none).
        var keys: [String: Person]?
        var verifier = SignatureVerifier(repository: repository)
        var currentBlobs: [String: String?] = [:]
        var sameSealedContent: [String: Bool] = [:]
        // Only a repository that seals has resealed blobs; others never read a blob here.
        let sealing = organisation.policy?.sealing.enabled ?? false
        var identities: [AgeIdentity]?
        var entries: [SignoffLedger.Entry] = []
        for record in records {
            guard let file = location.reviewPath(record.file), files?.contains(file) ?? true else { continue }
            if currentBlobs[record.file] == nil {
                currentBlobs[record.file] = .some(currentBlob(record.file, content: content, in: repository))
            }
            var verified: Bool?
            if record.isSigned {
                keys = keys ?? organisation.peopleByEmail()
            }
            if record.isSigned, let key = keys?[record.signerEmail.lowercased()]?.signingKey {
                verified = verifier.verify(commit: record.commitID, principal: record.signerEmail, key: key)
            }
            let current = currentBlobs[record.file] ?? nil
            // A resealed file is a new blob holding the same text: the sign-off still
            // approves it (SPEC §8, "Stable"). Compared by payload, see SealedDocument.
            var resealed = false
            if sealing, let current, current != record.blob {
                let key = record.blob + current
                if let known = sameSealedContent[key] {
                    resealed = known
                } else {
                    resealed = sealedContentMatches(record.blob, current, in: repository) {
                        if identities == nil {
                            identities =
                                SealIdentities.load(
                                    environment: ProcessInfo.processInfo.environment, repository: repository
                                ).identities
                        }
                        return identities ?? []
                    }
                    sameSealedContent[key] = resealed
                }
            }
            var entry = record
            entry.file = file
            entry.signatureVerified = verified
            entry.currentBlob = current
            entry.resealed = resealed
            entries.append(entry)
        }
        return SignoffLedger(entries: entries)
    }

    /// Whether two blobs are the same sealed text under different headers (a reseal).
    private static func sealedContentMatches(
        _ signed: String, _ current: String, in repository: GitRepository, identities: () -> [AgeIdentity]
    ) -> Bool {
        guard let a = try? repository.readBlob(id: signed), let b = try? repository.readBlob(id: current) else {
            return false
        }
        return SealedDocument.sameContent(
            Array(a), Array(b), identities: identities, bodies: PrivateSections.bodyByteRanges)
    }

    private static func currentBlob(_ path: String, content: Content, in repository: GitRepository) -> String? {
        switch content {
        case .head: return try? repository.blobID(path: path, atRevision: "HEAD")
        case .index: return (try? repository.indexEntry(path: path))?.blobID
        case .workTree: return try? repository.workTreeBlobID(path: path)
        case .revision(let revision): return try? repository.blobID(path: path, atRevision: revision)
        }
    }

    /// Every sign-off reachable from `revision`, newest first, without the cache.
    public static func records(in repository: GitRepository, from revision: String) throws -> [Record] {
        var found: [Record] = []
        try repository.forEachCommit(mentioning: roleKey, from: revision) { commit in
            if let record = try record(from: commit) { found.append(record) }
        }
        return found
    }

    /// Every sign-off reachable from HEAD, newest first (children before parents).
    public static func records(in repository: GitRepository, useCache: Bool = true) throws -> [Record] {
        guard let head = try repository.headState().commitID else { return [] }
        let cacheURL = repository.evidentCacheURL("signoffs-v2")
        var known: [Record] = []
        var since: String?
        if useCache, let cached = RecordCache.read(cacheURL) {
            if cached.head == head { return cached.records }
            if repository.hasObject(cached.head), (try? repository.isDescendant(head, of: cached.head)) == true {
                known = cached.records
                since = cached.head
            }
        }
        var fresh: [Record] = []
        try repository.forEachCommit(mentioning: roleKey, hiding: since) { commit in
            if let record = try record(from: commit) { fresh.append(record) }
        }
        let all = fresh + known
        if useCache { RecordCache.write(cacheURL, head: head, records: all) }
        return all
    }

    /// Reads a sign-off from a commit; nil when the commit is not one (a trailer missing,
    /// or the keyword only appearing in prose).
    public static func record(from commit: GitCommitInfo) throws -> Record? {
        let trailers = try GitTrailers.parse(message: commit.message)
        func first(_ key: String) -> String? {
            GitTrailers.values(key, in: trailers).first.flatMap { $0.isEmpty ? nil : $0 }
        }
        guard let role = first(roleKey), let file = first(fileKey), let blob = first(blobKey) else { return nil }
        // A position Evident does not know approves nothing and replaces nothing.
        guard let position = first(positionKey).map({ SignoffPosition(rawValue: $0.lowercased()) }) ?? .approve else {
            return nil
        }
        var name = commit.committer.name
        var email = commit.committer.email
        // The last Signed-off-by is the most recent, as in git's own convention.
        if let signedOff = GitTrailers.values(signedOffByKey, in: trailers).last, let parsed = parseIdentity(signedOff)
        {
            name = parsed.name
            email = parsed.email
        }
        return Record(
            commitID: commit.id, role: role, file: file, blob: blob.lowercased(), rating: first(ratingKey),
            signerName: name, signerEmail: email, committerName: commit.committer.name,
            committerEmail: commit.committer.email, date: isoDate(commit.committer), position: position,
            reason: first(reasonKey), voids: first(voidsKey)?.lowercased(), isSigned: commit.isSigned,
            signatureVerified: nil, currentBlob: nil)
    }

    /// Splits "Name <email>"; nil when there is no `<…>` part.
    static func parseIdentity(_ text: String) -> (name: String, email: String)? {
        guard let open = text.lastIndex(of: "<"), let close = text.lastIndex(of: ">"), open < close else { return nil }
        let email = text[text.index(after: open)..<close].trimmingCharacters(in: .whitespaces)
        guard !email.isEmpty else { return nil }
        return (text[..<open].trimmingCharacters(in: .whitespaces), email)
    }

    /// The committer date as ISO 8601 in the committer's own time zone, as `git log
    /// --date=iso-strict` prints it ("Z" for UTC, as `ISO8601DateFormatter` writes it).
    ///
    /// Formatted by hand: a history walk formats one date per sign-off, and building an
    /// `ISO8601DateFormatter` each time cost more than the rest of the walk (about 0.15 ms
    /// a sign-off, seconds over a cycle's history).
    static func isoDate(_ signature: GitSignature) -> String {
        let offset = signature.timeZoneOffsetMinutes
        var seconds = time_t(signature.date.timeIntervalSince1970.rounded(.down)) + time_t(offset * 60)
        var parts = tm()
        guard gmtime_r(&seconds, &parts) != nil else { return "" }
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        var text = "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))"
        text += "T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))"
        if offset == 0 { return text + "Z" }
        let magnitude = Int32(abs(offset))
        return text + (offset < 0 ? "-" : "+") + two(magnitude / 60) + ":" + two(magnitude % 60)
    }
}

/// Verifies commit signatures against the signer's people.yaml key, afresh on every run.
///
/// No verdict is read from or written to `.git/evident/`: anyone who can write there (a
/// CI cache shared between jobs) could otherwise turn a forged sign-off into a verified
/// one. ssh-ed25519 signatures are checked in process in microseconds; other key types
/// run `ssh-keygen` every time, a positive result included, because a remembered "verified"
/// is exactly what a forger would write. Results are kept in memory for one ledger only.
struct SignatureVerifier {
    let repository: GitRepository
    private var known: [Question: Bool] = [:]

    private struct Question: Hashable {
        let commit: String, principal: String, key: String
    }

    /// Results live for one ledger only: signature verdicts are never cached on disk.
    init(repository: GitRepository) {
        self.repository = repository
    }

    /// True or false when verification ran; nil when it could not run (no ssh-keygen
    /// for a non-ed25519 key), which is not remembered.
    mutating func verify(commit: String, principal: String, key: String) -> Bool? {
        let key = key.trimmingCharacters(in: .whitespacesAndNewlines)
        let memoKey = Question(commit: commit, principal: principal, key: key)
        if let result = known[memoKey] { return result }
        let result: Bool
        do {
            result = try repository.verifyCommitSignature(id: commit, publicKey: key, principal: principal)
        } catch let error as GitError where error.kind == .invalidArgument {
            // An email that cannot be a principal, or a key that cannot be read, cannot
            // match a real signature either.
            result = false
        } catch {
            return nil
        }
        known[memoKey] = result
        return result
    }
}
