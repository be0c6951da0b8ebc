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
    /// Add an SSH signature with `user.signingkey`. Sign-offs are signed anyway when
    /// evident.yaml requires signatures.
    public var sign: Bool
    /// Approve (the default), dissent or withdraw. Voids are written by `void(_:location:)`.
    public var position: SignoffPosition
    /// Why: required for a dissent, optional for a withdrawal.
    public var reason: String?

    public init(
        target: Target, role: SignoffRole, cycle: String? = nil, sign: Bool = false,
        position: SignoffPosition = .approve, reason: String? = nil
    ) {
        self.target = target
        self.role = role
        self.cycle = cycle
        self.sign = sign
        self.position = position
        self.reason = reason
    }
}

/// An `hr` void of another sign-off commit.
public struct VoidRequest: Sendable {
    /// The sign-off commit to cancel: a full or abbreviated id, or any revision git reads.
    public var commit: String
    public var reason: String
    public var sign: Bool

    public init(commit: String, reason: String, sign: Bool = false) {
        self.commit = commit
        self.reason = reason
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
        var request = request
        switch request.position {
        case .void:
            throw SignoffRefusal("a void names a sign-off commit; use evident signoff --void <commit> --reason \"…\"")
        case .dissent:
            request.reason = try reasonTrailer(request.reason, for: "a dissent")
        case .withdraw, .approve:
            if request.reason != nil { request.reason = try reasonTrailer(request.reason, for: "the reason") }
        }
        let repository = location.repository
        // Committed files are looked up in the index when it stands for the commit's tree;
        // the index is checked intact before the commit is written.
        repository.committedFilesThroughIndex = true
        defer {
            repository.committedFilesThroughIndex = false
            repository.indexPathsOfInterest = []
        }
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
        // Every path the decision reads from the index, found in one walk over its entries.
        repository.indexPathsOfInterest =
            [gitFile, location.gitPath("evident.yaml"), location.gitPath("people.yaml")]
            + (PathShape(file).cycleFolder.map { [location.gitPath("cycles/\($0)/cycle.yaml")] } ?? [])
        let status = try repository.pathStatus(gitFile)
        guard let blob = status.headBlobID else {
            if status.indexBlobID != nil {
                throw SignoffRefusal("\(file) is staged but not committed; commit it before signing it off")
            }
            throw SignoffRefusal("\(file) is not committed on \(tip.branchName); commit it before signing it off")
        }
        if status.hasUncommittedChanges && request.position != .withdraw {
            let changes =
                status.isStaged ? (status.isModifiedInWorkTree ? "staged and unstaged" : "staged") : "unstaged"
            throw SignoffRefusal(
                "\(file) has \(changes) changes; a sign-off approves the committed content, so commit or discard them first"
            )
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
        let signer = try commitSigner(
            requested: request.sign, required: prepared.requireSignature, signer: prepared.signer, email: email,
            repository: repository)

        // The review's status came from the index, read in place: if the file was rewritten
        // in place meanwhile, that status is void and nothing is written.
        try repository.requireIntactIndex()
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
                        throw SignoffRefusal(
                            "branch \(newTip.branchName) was deleted while signing off; run the command again")
                    }
                    let current = try repository.blobID(path: gitFile, atRevision: newTipID)
                    guard current == blob else {
                        throw SignoffRefusal(
                            "\(file) changed on \(newTip.branchName) while signing off; review the new version and run the command again"
                        )
                    }
                    prepared = try prepare(
                        request: request, file: file, gitFile: gitFile, email: email, location: location, at: newTipID)
                }
                return prepared.message
            }
        } catch let error as GitError where error.kind == .branchMoved {
            if let lock = staleLock(tip, in: repository) { throw SignoffRefusal(lock) }
            throw SignoffRefusal(
                "branch \(tip.branchName) moved \(maxAttempts) times while signing off (other commits kept landing); retry"
            )
        } catch let error as GitError where error.kind == .signing {
            throw SignoffRefusal("cannot sign: \(error.message)")
        }
        return SignoffResult(
            commitID: commitID, branch: tip.branchName, message: prepared.message, file: file, gitFile: gitFile,
            blob: blob, rating: prepared.rating, retries: max(0, attempts - 1), signed: signer != nil)
    }

    /// Writes an `hr` void of the sign-off commit `request.commit`: a sign-off of its own
    /// (`Evident-Position: void`, `Evident-Voids`, `Evident-Reason`), signed like any other,
    /// after which the voided commit counts for nothing and fails no check. The commit
    /// must be a sign-off reachable from the branch, and not itself a void.
    public static func void(_ request: VoidRequest, location: GitReviewLocation) throws -> SignoffResult {
        let repository = location.repository
        let reason = try reasonTrailer(request.reason, for: "a void")
        let tip: GitBranchTip
        do {
            tip = try repository.currentBranchTip()
        } catch let error as GitError where error.kind == .detachedHead {
            throw SignoffRefusal("HEAD is detached; check out the branch before voiding a sign-off")
        }
        guard let headCommit = tip.commitID else { throw SignoffRefusal("branch \(tip.branchName) has no commits yet") }
        let target: GitCommitInfo
        do {
            target = try repository.commit(request.commit)
        } catch let error as GitError {
            throw SignoffRefusal("no commit \(request.commit): \(error.message)")
        }
        let reachable = try target.id == headCommit || repository.isDescendant(headCommit, of: target.id)
        guard reachable else {
            throw SignoffRefusal(
                "\(target.id.prefix(12)) is not in the history of \(tip.branchName); only its sign-offs count")
        }
        guard let record = try SignoffHistory.record(from: target) else {
            throw SignoffRefusal(
                "\(target.id.prefix(12)) is not a sign-off commit (it has no Evident-Signoff, Evident-File and Evident-Blob trailers)"
            )
        }
        guard record.position != .void else {
            throw SignoffRefusal("\(target.id.prefix(12)) is itself a void; a void cannot be voided")
        }
        guard let email = try repository.configString("user.email")?.trimmingCharacters(in: .whitespaces),
            !email.isEmpty
        else {
            throw SignoffRefusal("user.email is not set; git config user.email <your email in people.yaml>")
        }
        let file = location.reviewPath(record.file) ?? record.file
        // The path comes from a trailer anyone can write: read it without indexing its parts.
        let person = PathShape(file).person.map(String.init) ?? ""
        let people = try SignoffPeople.subset(location: location, at: headCommit, signerEmail: email, person: person)
        let organisation = try loadCommitted(
            ["evident.yaml"], location: location, at: headCommit, replacing: people.map { ["people.yaml": $0] } ?? [:])
        guard let policy = organisation.policy else {
            throw SignoffRefusal("evident.yaml is missing or invalid at HEAD; run evident check")
        }
        guard let signer = organisation.person(email: email) else {
            throw SignoffRefusal("no one in people.yaml has the email \(email) (from git config user.email)")
        }
        guard signer.roles.contains("hr") else {
            throw SignoffRefusal(
                "\(signer.id.value) does not have the hr role in people.yaml; only hr can void a sign-off")
        }
        let trailers = [
            GitTrailer(key: SignoffHistory.roleKey, value: SignoffRole.hr.rawValue),
            GitTrailer(key: SignoffHistory.fileKey, value: record.file),
            GitTrailer(key: SignoffHistory.blobKey, value: record.blob),
            GitTrailer(key: SignoffHistory.positionKey, value: SignoffPosition.void.rawValue),
            GitTrailer(key: SignoffHistory.voidsKey, value: target.id),
            GitTrailer(key: SignoffHistory.reasonKey, value: reason),
            GitTrailer(key: SignoffHistory.signedOffByKey, value: "\(signer.name) <\(signer.email)>"),
        ]
        let message: String
        do {
            message = try GitTrailers.composeMessage(
                subject: "Void the \(record.role) sign-off \(target.id.prefix(12))", trailers: trailers)
        } catch let error as GitError {
            throw SignoffRefusal("the voided commit's trailers cannot be repeated safely: \(error.message)")
        }
        let identity = GitSignature(
            name: (try? repository.configString("user.name")).flatMap { $0 } ?? signer.name, email: email)
        let commitSigner = try commitSigner(
            requested: request.sign, required: policy.requireSignature, signer: signer, email: email,
            repository: repository)
        var attempts = 0
        let commitID: String
        do {
            // A void does not depend on the branch's content, so it is simply retried on a moved tip.
            commitID = try repository.createEmptyCommit(
                maxAttempts: maxAttempts, author: identity, committer: identity, signer: commitSigner
            ) { _ in
                attempts += 1
                return message
            }
        } catch let error as GitError where error.kind == .branchMoved {
            if let lock = staleLock(tip, in: repository) { throw SignoffRefusal(lock) }
            throw SignoffRefusal("branch \(tip.branchName) kept moving while voiding; retry")
        } catch let error as GitError where error.kind == .signing {
            throw SignoffRefusal("cannot sign: \(error.message)")
        }
        return SignoffResult(
            commitID: commitID, branch: tip.branchName, message: message, file: file, gitFile: record.file,
            blob: record.blob, rating: nil, retries: max(0, attempts - 1), signed: commitSigner != nil)
    }

    /// When the branch could not be moved because its lock file is there (a git command
    /// running, or one killed with SIGKILL while moving it), what to do about it.
    static func staleLock(_ tip: GitBranchTip, in repository: GitRepository) -> String? {
        let lock = repository.commonDir + "/" + tip.refName + ".lock"
        guard FileManager.default.fileExists(atPath: lock) else { return nil }
        return "\(lock) exists: another git command is moving \(tip.branchName), or one was killed while doing so; "
            + "if no git command is running, remove that file and run the command again"
    }

    /// The SSH signer for a sign-off: used when asked for, and always when evident.yaml
    /// requires signatures (an unsigned sign-off would only fail `signoff-signature`).
    /// The signature is checked against the key people.yaml lists for the signer before
    /// anything is written: otherwise the sign-off would land and then fail every check.
    private static func commitSigner(
        requested: Bool, required: Bool, signer person: Person, email: String, repository: GitRepository
    ) throws -> GitCommitSigner? {
        guard requested || required else { return nil }
        guard let expectedKey = person.signingKey else {
            throw SignoffRefusal(
                "\(person.id.value) has no signing_key in people.yaml\(required ? ", and evident.yaml requires signed sign-offs" : ""); add your SSH public key there (docs/signoffs.md, \"Setting up your key\")"
            )
        }
        let ssh: SSHSigner
        do {
            ssh = try SSHSigner.fromConfig(repository)
        } catch let error as GitError {
            throw SignoffRefusal(
                "cannot sign: \(error.message) (git config user.signingkey ~/.ssh/id_ed25519.pub and git config gpg.format ssh)"
            )
        }
        return { data in
            let signature = try ssh.sign(data)
            if try !SSHSigner.verify(signature: signature, signedData: data, publicKey: expectedKey, principal: email) {
                throw SignoffRefusal(
                    "user.signingkey is not the signing_key people.yaml lists for \(person.id.value); the signature would not verify"
                )
            }
            return signature
        }
    }

    /// A reason as one trailer line: every run of whitespace, line breaks of any kind
    /// included (CR, LF, U+0085, U+2028, U+2029), becomes one space, so a reason can never
    /// end its trailer and start another. Other control characters are refused.
    static func reasonTrailer(_ reason: String?, for what: String) throws -> String {
        let words = (reason ?? "").split(whereSeparator: { $0.isWhitespace || $0.isNewline })
        let folded = words.joined(separator: " ")
        guard !folded.isEmpty else { throw SignoffRefusal("\(what) needs a reason: --reason \"…\"") }
        if folded.unicodeScalars.contains(where: {
            $0.properties.generalCategory == .control || $0.properties.generalCategory == .format && $0.value != 0x200D
        }) {
            throw SignoffRefusal("the reason contains control or formatting characters; write it as plain text")
        }
        guard folded.utf8.count <= 2000 else {
            throw SignoffRefusal(
                "the reason is \(folded.utf8.count) bytes; keep it under 2,000 (link to a document for more)")
        }
        return folded
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
        let shape = PathShape(file)
        guard let folder = shape.personFolder, let cycleFolder = shape.cycleFolder.map(String.init),
            let person = shape.person, !cycleFolder.isEmpty, !person.isEmpty
        else {
            throw SignoffRefusal("\(file) is not a review: expected cycles/<cycle>/<person>/review.md")
        }
        let people = try SignoffPeople.subset(
            location: location, at: commit, signerEmail: email, person: String(person))
        let organisation = try loadCommitted(
            ["evident.yaml", "cycles/\(cycleFolder)/cycle.yaml", file], location: location, at: commit,
            replacing: people.map { ["people.yaml": $0] } ?? [:])
        guard organisation.policy != nil else {
            throw SignoffRefusal("evident.yaml is missing or invalid at HEAD; run evident check")
        }
        guard let signer = organisation.person(email: email) else {
            throw SignoffRefusal(
                "no one in people.yaml has the email \(email) (from git config user.email); sign off with the email people.yaml lists for you"
            )
        }
        if let refusal = organisation.signoffRefusal(
            role: request.role.rawValue, signer: signer.id.value, folder: folder)
        {
            throw SignoffRefusal("\(signer.id.value) cannot sign off \(file) as \(request.role.rawValue): \(refusal)")
        }
        let review = organisation.personCycle(folder: folder)?.review
        let rating = review.flatMap { organisation.signoffRating(of: $0) }
        let cycleName = organisation.cycle(cycleFolder)?.id.value ?? cycleFolder
        var trailers = [
            GitTrailer(key: SignoffHistory.roleKey, value: request.role.rawValue),
            GitTrailer(key: SignoffHistory.fileKey, value: gitFile),
            GitTrailer(
                key: SignoffHistory.blobKey,
                value: try location.repository.blobID(path: gitFile, atRevision: commit) ?? ""),
        ]
        if let rating, request.position != .withdraw {
            trailers.append(GitTrailer(key: SignoffHistory.ratingKey, value: rating))
        }
        if request.position != .approve {
            trailers.append(GitTrailer(key: SignoffHistory.positionKey, value: request.position.rawValue))
        }
        if let reason = request.reason { trailers.append(GitTrailer(key: SignoffHistory.reasonKey, value: reason)) }
        trailers.append(GitTrailer(key: SignoffHistory.signedOffByKey, value: "\(signer.name) <\(signer.email)>"))
        let verb: String
        switch request.position {
        case .approve, .void: verb = "Sign off"
        case .dissent: verb = "Sign off, dissenting,"
        case .withdraw: verb = "Withdraw the sign-off of"
        }
        let message = try GitTrailers.composeMessage(
            subject: "\(verb) \(person)'s \(cycleName) review as \(request.role.rawValue)", trailers: trailers)
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
    static func resolveFile(_ request: SignoffRequest, location: GitReviewLocation, at commit: String) throws -> String
    {
        switch request.target {
        case .file(let path):
            let shape = PathShape(path)
            guard let folderCycle = shape.cycleFolder.map(String.init), !folderCycle.isEmpty,
                shape.person?.isEmpty == false, shape.fileName == "review.md"
            else {
                throw SignoffRefusal("\(path) is not a review: expected cycles/<cycle>/<person>/review.md")
            }
            if let cycle = request.cycle {
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
        throw SignoffRefusal(
            "no cycle \(name) is committed (cycles: \(folders.isEmpty ? "none" : folders.joined(separator: ", ")))")
    }

    /// The only cycle, or the one whose period ends last (ties: the greatest folder name).
    static func latestCycle(location: GitReviewLocation, at commit: String) throws -> String {
        let folders = try location.repository.subfolders(of: location.gitPath("cycles"), atRevision: commit)
        guard let last = folders.last else {
            throw SignoffRefusal("no cycle is committed yet (cycles/<cycle>/cycle.yaml)")
        }
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
