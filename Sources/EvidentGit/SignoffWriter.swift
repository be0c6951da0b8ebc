import EvidentCore
import Foundation

/// A sign-off the user asked for and Evident will not write, with the reason. Commands
/// show `message` as is and exit 2: nothing was written.
public struct SignoffRefusal: Error, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// What to sign off.
public struct SignoffRequest: Sendable {
    public enum Target: Sendable {
        /// A review file, review-repository-relative (`cycles/2026-h2/alice/review.md`).
        case file(String)
        /// A person id; the review is `cycles/<cycle>/<person>/review.md`.
        case person(String)
    }

    public var target: Target
    public var role: SignoffRole
    /// A cycle id or folder name; for a person, nil means the only cycle, or the latest.
    public var cycle: String?
    /// Add an SSH signature with `user.signingkey`.
    public var sign: Bool

    public init(target: Target, role: SignoffRole, cycle: String? = nil, sign: Bool = false) {
        self.target = target
        self.role = role
        self.cycle = cycle
        self.sign = sign
    }
}

/// A sign-off that landed.
public struct SignoffResult: Sendable {
    public var commitID: String
    public var branch: String
    public var message: String
    /// Review-repository-relative path and the git path written to `Evident-File`.
    public var file: String
    public var gitFile: String
    public var blob: String
    public var rating: String?
    /// How many times the branch moved under us before the sign-off landed.
    public var retries: Int
    public var signed: Bool
}

/// Writes sign-off commits (spec section 4).
///
/// Everything the decision depends on is read from HEAD (policy, people, the cycle and
/// the review), plus three blob ids for the one file (HEAD, index, work tree) to refuse
/// uncommitted changes: the work tree is otherwise never read, and the index is never
/// refreshed or written. The commit's tree is its parent's, so `git status` stays as it
/// was, and the branch moves by compare-and-swap.
public enum SignoffWriter {
    /// How many times to retry when another commit lands between reading the branch and
    /// moving it. Each retry re-checks the review at the new tip.
    public static let maxAttempts = 40

    public static func signOff(_ request: SignoffRequest, location: GitReviewLocation) throws -> SignoffResult {
        let repository = location.repository
        let tip: GitBranchTip
        do {
            tip = try repository.currentBranchTip()
        } catch let error as GitError where error.kind == .detachedHead {
            throw SignoffRefusal(
                "HEAD is detached; check out the branch the review lives on (git switch <branch>) before signing off")
        }
        guard let headCommit = tip.commitID else {
            throw SignoffRefusal(
                "branch \(tip.branchName) has no commits yet; commit the review before signing it off")
        }

        let file = try resolveFile(request, location: location, at: headCommit)
        let gitFile = location.gitPath(file)
        let status = try repository.pathStatus(gitFile)
        guard let blob = status.headBlobID else {
            if status.indexBlobID != nil {
                throw SignoffRefusal("\(file) is staged but not committed; commit it before signing it off")
            }
            throw SignoffRefusal("\(file) is not committed on \(tip.branchName); commit it before signing it off")
        }
        if status.hasUncommittedChanges {
            let where_ = status.isStaged ? (status.isModifiedInWorkTree ? "staged and unstaged" : "staged") : "unstaged"
            throw SignoffRefusal(
                "\(file) has \(where_) changes; a sign-off approves the committed content, so commit or discard them first")
        }

        guard let email = try repository.configString("user.email")?.trimmingCharacters(in: .whitespaces),
            !email.isEmpty
        else {
            throw SignoffRefusal("user.email is not set; git config user.email <your email in people.yaml>")
        }

        var prepared = try prepare(
            request: request, file: file, gitFile: gitFile, email: email, location: location, at: headCommit)
        let identity = GitSignature(
            name: (try? repository.configString("user.name")).flatMap { $0 } ?? prepared.signer.name, email: email)
        var signer: GitCommitSigner?
        if request.sign {
            let ssh: SSHSigner
            do {
                ssh = try SSHSigner.fromConfig(repository)
            } catch let error as GitError {
                throw SignoffRefusal("cannot sign: \(error.message)")
            }
            // Check the signature against the key people.yaml lists for the signer before
            // anything is written: otherwise the sign-off would land and then fail
            // signoff-signature in every check.
            let expectedKey = prepared.signer.signingKey
            signer = { data in
                let signature = try ssh.sign(data)
                if let expectedKey,
                    try !SSHSigner.verify(signature: signature, signedData: data, publicKey: expectedKey, principal: email)
                {
                    throw SignoffRefusal(
                        "user.signingkey is not the signing_key people.yaml lists for \(prepared.signer.id.value); the signature would not verify")
                }
                return signature
            }
        } else if prepared.requireSignature {
            throw SignoffRefusal(
                "evident.yaml requires signed sign-offs (signoff.require_signature); add --sign (the key comes from user.signingkey)")
        }

        var attempts = 0
        let commitID: String
        do {
            commitID = try repository.createEmptyCommit(
                maxAttempts: maxAttempts, author: identity, committer: identity, signer: signer
            ) { newTip in
                attempts += 1
                // Someone else's commit landed first. The sign-off must still bind to what
                // is committed at the new tip, so re-check the review there.
                if newTip.commitID != headCommit {
                    guard let newTipID = newTip.commitID else {
                        throw SignoffRefusal("branch \(newTip.branchName) was deleted while signing off; run the command again")
                    }
                    let current = try repository.blobID(path: gitFile, atRevision: newTipID)
                    guard current == blob else {
                        throw SignoffRefusal(
                            "\(file) changed on \(newTip.branchName) while signing off; review the new version and run the command again")
                    }
                    prepared = try prepare(
                        request: request, file: file, gitFile: gitFile, email: email, location: location, at: newTipID)
                }
                return prepared.message
            }
        } catch let error as GitError where error.kind == .branchMoved {
            throw SignoffRefusal(
                "branch \(tip.branchName) moved \(maxAttempts) times while signing off (other commits kept landing); retry")
        } catch let error as GitError where error.kind == .signing {
            throw SignoffRefusal("cannot sign: \(error.message)")
        }
        return SignoffResult(
            commitID: commitID, branch: tip.branchName, message: prepared.message, file: file, gitFile: gitFile,
            blob: blob, rating: prepared.rating, retries: max(0, attempts - 1), signed: request.sign)
    }

    /// The role check and the commit message, from the content committed at `commit`.
    private struct Prepared {
        var message: String
        var rating: String?
        var signer: Person
        var requireSignature: Bool
    }

    private static func prepare(
        request: SignoffRequest, file: String, gitFile: String, email: String, location: GitReviewLocation,
        at commit: String
    ) throws -> Prepared {
        guard let folder = PersonFolder.of(file) else {
            throw SignoffRefusal("\(file) is not a review: expected cycles/<cycle>/<person>/review.md")
        }
        let parts = folder.split(separator: "/").map(String.init)
        let people = try SignoffPeople.subset(location: location, at: commit, signerEmail: email, person: parts[2])
        let organisation = try loadCommitted(
            ["evident.yaml", "cycles/\(parts[1])/cycle.yaml", file], location: location, at: commit,
            replacing: people.map { ["people.yaml": $0] } ?? [:])
        guard organisation.policy != nil else {
            throw SignoffRefusal("evident.yaml is missing or invalid at HEAD; run evident check")
        }
        guard let signer = organisation.person(email: email) else {
            throw SignoffRefusal(
                "no one in people.yaml has the email \(email) (from git config user.email); sign off with the email people.yaml lists for you")
        }
        if let refusal = organisation.signoffRefusal(role: request.role.rawValue, signer: signer.id.value, folder: folder) {
            throw SignoffRefusal("\(signer.id.value) cannot sign off \(file) as \(request.role.rawValue): \(refusal)")
        }
        let review = organisation.personCycle(folder: folder)?.review
        let rating = review.flatMap { organisation.signoffRating(of: $0) }
        let cycleName = organisation.cycle(parts[1])?.id.value ?? parts[1]
        var trailers = [
            GitTrailer(key: SignoffHistory.roleKey, value: request.role.rawValue),
            GitTrailer(key: SignoffHistory.fileKey, value: gitFile),
            GitTrailer(key: SignoffHistory.blobKey, value: try location.repository.blobID(path: gitFile, atRevision: commit) ?? ""),
        ]
        if let rating { trailers.append(GitTrailer(key: SignoffHistory.ratingKey, value: rating)) }
        trailers.append(GitTrailer(key: SignoffHistory.signedOffByKey, value: "\(signer.name) <\(signer.email)>"))
        let message = try GitTrailers.composeMessage(
            subject: "Sign off \(parts[2])'s \(cycleName) review as \(request.role.rawValue)", trailers: trailers)
        return Prepared(
            message: message, rating: rating, signer: signer,
            requireSignature: organisation.policy?.requireSignature ?? false)
    }

    /// Loads just the named files as committed at `commit`, plus `replaced` texts (the
    /// people.yaml subset): cost independent of the size of the organisation.
    static func loadCommitted(
        _ files: [String], location: GitReviewLocation, at commit: String, replacing replaced: [String: String] = [:]
    ) throws -> Organisation {
        var texts: [String: [UInt8]] = replaced.mapValues { Array($0.utf8) }
        for file in files {
            if let data = try location.repository.readFile(path: location.gitPath(file), atRevision: commit) {
                texts[file] = Array(data)
            }
        }
        let source = MemorySource(root: location.reviewRoot, files: texts)
        return try RepositoryLoader.load(from: source)
    }

    /// The review file a request names, review-repository-relative.
    static func resolveFile(_ request: SignoffRequest, location: GitReviewLocation, at commit: String) throws -> String {
        switch request.target {
        case .file(let path):
            guard let folder = PersonFolder.of(path), path.hasSuffix("/review.md") else {
                throw SignoffRefusal("\(path) is not a review: expected cycles/<cycle>/<person>/review.md")
            }
            if let cycle = request.cycle {
                let folderCycle = String(folder.split(separator: "/")[1])
                let resolved = try cycleFolder(named: cycle, location: location, at: commit)
                guard resolved == folderCycle else {
                    throw SignoffRefusal("\(path) belongs to cycle \(folderCycle), not \(cycle)")
                }
            }
            return path
        case .person(let person):
            guard !person.isEmpty, person.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
                throw SignoffRefusal("'\(person)' is neither a review file nor a person id")
            }
            let cycle: String
            if let requested = request.cycle {
                cycle = try cycleFolder(named: requested, location: location, at: commit)
            } else {
                cycle = try latestCycle(location: location, at: commit)
            }
            return "cycles/\(cycle)/\(person)/review.md"
        }
    }

    /// The folder of a cycle named by folder or by its `id:`.
    static func cycleFolder(named name: String, location: GitReviewLocation, at commit: String) throws -> String {
        let folders = try location.repository.subfolders(of: location.gitPath("cycles"), atRevision: commit)
        if folders.contains(name) { return name }
        for folder in folders where try cycleID(folder, location: location, at: commit)?.id == name { return folder }
        throw SignoffRefusal("no cycle \(name) is committed (cycles: \(folders.isEmpty ? "none" : folders.joined(separator: ", ")))")
    }

    /// The only cycle, or the one whose period ends last (ties: the greatest folder name).
    static func latestCycle(location: GitReviewLocation, at commit: String) throws -> String {
        let folders = try location.repository.subfolders(of: location.gitPath("cycles"), atRevision: commit)
        guard let last = folders.last else { throw SignoffRefusal("no cycle is committed yet (cycles/<cycle>/cycle.yaml)") }
        if folders.count == 1 { return last }
        var best: (end: Day, folder: String)?
        for folder in folders {
            guard let end = try cycleID(folder, location: location, at: commit)?.end else { continue }
            if best == nil || (end, folder) > (best!.end, best!.folder) { best = (end, folder) }
        }
        return best?.folder ?? last
    }

    private static func cycleID(_ folder: String, location: GitReviewLocation, at commit: String) throws
        -> (id: String, end: Day)?
    {
        let organisation = try loadCommitted(["cycles/\(folder)/cycle.yaml"], location: location, at: commit)
        return organisation.cycles.first.map { ($0.id.value, $0.end) }
    }
}
