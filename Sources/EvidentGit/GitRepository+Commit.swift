import CGit2
import Foundation

/// The branch a new commit will move and the commit it pointed to when read: the
/// expected old value of the compare-and-swap.
public struct GitBranchTip: Sendable, Equatable {
    /// The full reference name, for example "refs/heads/main".
    public let refName: String
    /// The commit the branch pointed to; nil when the branch is unborn.
    public let commitID: String?

    public init(refName: String, commitID: String?) {
        self.refName = refName
        self.commitID = commitID
    }

    /// The short branch name ("main").
    public var branchName: String { GitRepository.shortBranchName(refName) }
}

/// Signs a commit buffer and returns the armored signature text.
public typealias GitCommitSigner = (Data) throws -> String

// Writing sign-off commits: a commit whose tree equals its parent's, appended to the
// current branch by compare-and-swap. The index and the work tree are never read for
// writing, refreshed or changed, so a sign-off cannot disturb what the user has staged.

extension GitRepository {
    /// The branch HEAD points to and its current commit. Refuses a detached HEAD,
    /// because a sign-off must land on a branch others can see.
    public func currentBranchTip() throws -> GitBranchTip {
        switch try readHead() {
        case .detached(let oid):
            throw GitError(
                kind: .detachedHead,
                message: "HEAD is detached at \(hexString(oid)); check out a branch before signing off",
                operation: "read the current branch")
        case .symbolic(let refName, let oid):
            return GitBranchTip(refName: refName, commitID: oid.map(hexString))
        }
    }

    /// Appends an empty commit (its tree is the current commit's tree) to the branch HEAD
    /// points to, and returns its id.
    ///
    /// The branch moves only if it still points where it did when read: if another writer
    /// got there first this throws `GitError` with kind `.branchMoved`, and nothing is
    /// lost. Use `createEmptyCommit(maxAttempts:…)` to retry automatically.
    ///
    /// - Parameters:
    ///   - author: defaults to `user.name`/`user.email` from git config, now.
    ///   - committer: defaults to the author.
    ///   - signer: when given, receives the commit buffer and returns an armored
    ///     signature stored in the `gpgsig` header (see `SSHSigner`).
    public func createEmptyCommit(
        message: String, author: GitSignature? = nil, committer: GitSignature? = nil,
        signer: GitCommitSigner? = nil
    ) throws -> String {
        try createEmptyCommit(
            message: message, author: author, committer: committer, signer: signer, onto: currentBranchTip())
    }

    /// Like `createEmptyCommit(message:…)`, but against an explicit expected tip: the new
    /// commit's parent is `tip.commitID` (none when nil) and the branch `tip.refName`
    /// moves only if it still points there (or, for nil, still does not exist).
    public func createEmptyCommit(
        message: String, author: GitSignature? = nil, committer: GitSignature? = nil,
        signer: GitCommitSigner? = nil, onto tip: GitBranchTip
    ) throws -> String {
        try ensureLibgit2()
        try requireNoNUL(tip.refName, "branch name")
        let cleaned = try Self.prettify(message)
        let authorSig = try SignatureHandle.make(for: author ?? defaultSignature())
        let committerSig = try committer.map(SignatureHandle.make(for:)) ?? authorSig
        let parent = try tip.commitID.map { try commitHandle(oid: parseFullID($0, what: "commit id")) }
        let tree = try parent?.tree(in: self) ?? emptyTree()
        // The C calls borrow every one of these handles: each is kept alive by withPointer.
        let newID = try authorSig.withPointer { author in
            try committerSig.withPointer { committer in
                try tree.withPointer { tree in
                    try Self.withPointers(parent) { parents in
                        try writeCommit(
                            author: author, committer: committer, tree: tree, parents: &parents, message: cleaned,
                            signer: signer)
                    }
                }
            }
        }

        try moveBranch(tip, to: newID, summary: Self.summaryLine(cleaned))
        return hexString(newID)
    }

    /// Runs `body` with the C pointers of `parent` (none or one), keeping it alive.
    private static func withPointers<Result>(
        _ parent: CommitHandle?, _ body: (inout [OpaquePointer?]) throws -> Result
    ) throws -> Result {
        guard let parent else {
            var none: [OpaquePointer?] = []
            return try body(&none)
        }
        return try parent.withPointer { pointer in
            var one: [OpaquePointer?] = [pointer]
            return try body(&one)
        }
    }

    /// Writes the commit object (signed when there is a `signer`) and returns its id;
    /// the branch is moved separately, by compare-and-swap.
    private func writeCommit(
        author: UnsafeMutablePointer<git_signature>, committer: UnsafeMutablePointer<git_signature>,
        tree: OpaquePointer, parents: inout [OpaquePointer?], message cleaned: String, signer: GitCommitSigner?
    ) throws -> git_oid {
        var newID = git_oid()
        if let signer {
            var buffer = git_buf()
            defer { git_buf_dispose(&buffer) }
            try check(
                git_commit_create_buffer(
                    &buffer, pointer, author, committer, nil, cleaned, tree, parents.count, &parents),
                "build the commit to sign")
            let content = data(of: buffer)
            var signature = try signer(content)
            while signature.hasSuffix("\n") || signature.hasSuffix("\r") { signature.removeLast() }
            guard !signature.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw GitError(
                    kind: .signing, message: "the signer returned an empty signature", operation: "sign the commit")
            }
            try requireNoNUL(signature, "signature")
            guard let contentPointer = buffer.ptr else {
                throw GitError(
                    kind: .library, message: "libgit2 returned an empty commit buffer",
                    operation: "build the commit to sign")
            }
            try check(
                git_commit_create_with_signature(&newID, pointer, contentPointer, signature, "gpgsig"),
                "write the signed commit")
        } else {
            // No update_ref: the branch is moved by an explicit compare-and-swap,
            // identical for signed and unsigned commits.
            try check(
                git_commit_create(
                    &newID, pointer, nil, author, committer, nil, cleaned, tree, parents.count, &parents),
                "write the commit")
        }
        return newID
    }

    /// Creates an empty commit, retrying up to `maxAttempts` times when the branch moved
    /// underneath us. Each attempt re-reads the branch tip and asks `message` again,
    /// so the caller can re-check that what it signs off is still current at the new
    /// parent (for example that a file's blob did not change).
    public func createEmptyCommit(
        maxAttempts: Int, author: GitSignature? = nil, committer: GitSignature? = nil,
        signer: GitCommitSigner? = nil,
        message: (GitBranchTip) throws -> String
    ) throws -> String {
        let maxAttempts = max(1, maxAttempts)
        var attempt = 0
        while true {
            attempt += 1
            let tip = try currentBranchTip()
            do {
                return try createEmptyCommit(
                    message: message(tip), author: author, committer: committer, signer: signer, onto: tip)
            } catch let error as GitError where error.kind == .branchMoved && attempt < maxAttempts {
                // Random back-off so racing writers spread out instead of colliding again.
                let maxDelay = min(2 * attempt, 50)
                usleep(UInt32.random(in: 1...UInt32(maxDelay)) * 1000)
            }
        }
    }

    /// Moves `tip.refName` to `newID` by compare-and-swap, mapping every "someone else got
    /// there first" outcome to `.branchMoved`.
    private func moveBranch(_ tip: GitBranchTip, to newID: git_oid, summary: String) throws {
        var newID = newID
        var ref: OpaquePointer?
        let rc: Int32
        let operation: String
        if let expected = tip.commitID {
            var old = try parseFullID(expected, what: "commit id")
            operation = "move \(tip.refName) from \(expected) to \(hexString(newID))"
            rc = InterruptShield.run {
                git_reference_create_matching(&ref, pointer, tip.refName, &newID, 1, &old, "commit: \(summary)")
            }
        } else {
            operation = "create \(tip.refName) at \(hexString(newID))"
            rc = InterruptShield.run {
                git_reference_create(&ref, pointer, tip.refName, &newID, 0, "commit (initial): \(summary)")
            }
        }
        if let ref { git_reference_free(ref) }
        if rc < 0 {
            let raced = [GIT_EMODIFIED.rawValue, GIT_ELOCKED.rawValue, GIT_EEXISTS.rawValue, GIT_ENOTFOUND.rawValue]
                .contains(rc)
            throw GitError.fromLibgit2(code: rc, operation: operation, kind: raced ? .branchMoved : nil)
        }
    }

    /// The empty tree, written through a tree builder (it may not exist in a new repo).
    private func emptyTree() throws -> TreeHandle {
        let builder = try TreeBuilderHandle.make("create a tree builder", owner: self) {
            git_treebuilder_new(&$0, pointer, nil)
        }
        var oid = git_oid()
        try builder.withPointer { try check(git_treebuilder_write(&oid, $0), "write the empty tree") }
        return try TreeHandle.make("read the empty tree", owner: self) { git_tree_lookup(&$0, pointer, &oid) }
    }

    /// Cleans a message like `git commit --cleanup=whitespace`: trailing spaces and
    /// surplus blank lines go, and it ends with exactly one newline, so trailers parse.
    static func prettify(_ message: String) throws -> String {
        try requireNoNUL(message, "commit message")
        var buf = git_buf()
        defer { git_buf_dispose(&buf) }
        let commentCharacter = CChar(UInt8(ascii: "#"))  // unused: comments are not stripped
        try check(git_message_prettify(&buf, message, 0, commentCharacter), "clean up the commit message")
        let cleaned = string(of: buf)
        guard !cleaned.isEmpty else {
            throw GitError(
                kind: .invalidArgument, message: "the commit message is empty", operation: "clean up the commit message"
            )
        }
        return cleaned
    }

    static func summaryLine(_ message: String) -> String {
        String(message.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: true).first ?? "")
    }
}
