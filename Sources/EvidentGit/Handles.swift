import CGit2

/// A kind of libgit2 object Evident owns: the C pointer type and the function that frees
/// it. One `GitHandle` class serves them all, so freeing and lifetime are written once.
protocol GitObjectKind {
    associatedtype Pointer
    static func free(_ pointer: Pointer)
}

/// The one owning wrapper for libgit2 objects. It frees the object in `deinit` and keeps
/// `owner` (the repository, or the object this one was read from) alive, because libgit2
/// objects point into repository state and must never outlive it.
///
/// The pointer is only reachable inside `withPointer`, which keeps the handle alive for
/// the whole closure: Swift may release a local object right after its last use, so
/// reading a stored pointer and then calling C with it could use freed memory. Nothing
/// here leaves the module: the public API hands out plain Swift values only.
final class GitHandle<Kind: GitObjectKind> {
    private let pointer: Kind.Pointer
    /// Held only to keep it alive while this object exists.
    private let owner: AnyObject?

    private init(_ pointer: Kind.Pointer, owner: AnyObject?) {
        self.pointer = pointer
        self.owner = owner
    }

    deinit { Kind.free(pointer) }

    /// Creates an object through a libgit2 constructor that fills `out` and returns a
    /// code: a negative code or a NULL object throws, naming `operation`.
    static func make(
        _ operation: @autoclosure () -> String, owner: AnyObject?, kind: GitError.Kind? = nil,
        _ create: (_ out: inout Kind.Pointer?) -> Int32
    ) throws -> GitHandle {
        guard let handle = try makeUnlessNotFound(operation(), owner: owner, kind: kind, create, notFound: false) else {
            throw GitError(kind: .library, message: "libgit2 returned nothing", operation: operation())
        }
        return handle
    }

    /// Like `make`, but nil when libgit2 answers `GIT_ENOTFOUND` (a path or key that is
    /// simply absent), which callers treat as an ordinary answer rather than a failure.
    static func makeIfFound(
        _ operation: @autoclosure () -> String, owner: AnyObject?, kind: GitError.Kind? = nil,
        _ create: (_ out: inout Kind.Pointer?) -> Int32
    ) throws -> GitHandle? {
        try makeUnlessNotFound(operation(), owner: owner, kind: kind, create, notFound: true)
    }

    private static func makeUnlessNotFound(
        _ operation: @autoclosure () -> String, owner: AnyObject?, kind: GitError.Kind?,
        _ create: (_ out: inout Kind.Pointer?) -> Int32, notFound: Bool
    ) throws -> GitHandle? {
        var out: Kind.Pointer?
        let rc = create(&out)
        if notFound && rc == GIT_ENOTFOUND.rawValue {
            if let out { Kind.free(out) }
            return nil
        }
        if rc < 0 {
            if let out { Kind.free(out) }
            throw GitError.fromLibgit2(code: rc, operation: operation(), kind: kind)
        }
        guard let out else {
            throw GitError(kind: .library, message: "libgit2 returned nothing", operation: operation())
        }
        return GitHandle(out, owner: owner)
    }

    /// Runs `body` with the C pointer, keeping this handle (and so its owner) alive until
    /// `body` returns. Memory borrowed from the object must not escape `body`.
    func withPointer<Result>(_ body: (Kind.Pointer) throws -> Result) rethrows -> Result {
        try withExtendedLifetime(self) { try body(pointer) }
    }
}

enum GitCommitObject: GitObjectKind { static func free(_ pointer: OpaquePointer) { git_commit_free(pointer) } }
enum GitTreeObject: GitObjectKind { static func free(_ pointer: OpaquePointer) { git_tree_free(pointer) } }
/// An entry from `git_tree_entry_bypath`, which the caller owns (unlike entries from
/// `git_tree_entry_byindex`, which borrow from their tree).
enum GitTreeEntryObject: GitObjectKind {
    static func free(_ pointer: OpaquePointer) { git_tree_entry_free(pointer) }
}
enum GitBlobObject: GitObjectKind { static func free(_ pointer: OpaquePointer) { git_blob_free(pointer) } }
enum GitAnyObject: GitObjectKind { static func free(_ pointer: OpaquePointer) { git_object_free(pointer) } }
enum GitReferenceObject: GitObjectKind {
    static func free(_ pointer: OpaquePointer) { git_reference_free(pointer) }
}
enum GitIndexObject: GitObjectKind { static func free(_ pointer: OpaquePointer) { git_index_free(pointer) } }
enum GitConfigObject: GitObjectKind { static func free(_ pointer: OpaquePointer) { git_config_free(pointer) } }
enum GitRevwalkObject: GitObjectKind { static func free(_ pointer: OpaquePointer) { git_revwalk_free(pointer) } }
enum GitOdbObject: GitObjectKind { static func free(_ pointer: OpaquePointer) { git_odb_free(pointer) } }
enum GitDiffObject: GitObjectKind { static func free(_ pointer: OpaquePointer) { git_diff_free(pointer) } }
enum GitTreeBuilderObject: GitObjectKind {
    static func free(_ pointer: OpaquePointer) { git_treebuilder_free(pointer) }
}
/// A `git_signature` we created (not one borrowed from a commit).
enum GitSignatureObject: GitObjectKind {
    static func free(_ pointer: UnsafeMutablePointer<git_signature>) { git_signature_free(pointer) }
}

typealias CommitHandle = GitHandle<GitCommitObject>
typealias TreeHandle = GitHandle<GitTreeObject>
typealias OwnedTreeEntry = GitHandle<GitTreeEntryObject>
typealias BlobHandle = GitHandle<GitBlobObject>
typealias ObjectHandle = GitHandle<GitAnyObject>
typealias ReferenceHandle = GitHandle<GitReferenceObject>
typealias IndexHandle = GitHandle<GitIndexObject>
typealias ConfigHandle = GitHandle<GitConfigObject>
typealias RevwalkHandle = GitHandle<GitRevwalkObject>
typealias OdbHandle = GitHandle<GitOdbObject>
typealias DiffHandle = GitHandle<GitDiffObject>
typealias TreeBuilderHandle = GitHandle<GitTreeBuilderObject>
typealias SignatureHandle = GitHandle<GitSignatureObject>

extension GitHandle where Kind == GitCommitObject {
    var id: git_oid { withPointer { git_commit_id($0).pointee } }

    /// The commit's tree; it needs only the repository, which it keeps alive itself.
    func tree(in repository: GitRepository) throws -> TreeHandle {
        try withPointer { commit in
            try TreeHandle.make("read the tree of commit \(hexString(git_commit_id(commit)))", owner: repository) {
                git_commit_tree(&$0, commit)
            }
        }
    }
}

extension GitHandle where Kind == GitTreeObject {
    var id: git_oid { withPointer { git_tree_id($0).pointee } }
}

extension GitHandle where Kind == GitSignatureObject {
    /// A new signature for `value`, refusing NUL bytes libgit2 would silently cut at.
    static func make(for value: GitSignature) throws -> SignatureHandle {
        try requireNoNUL(value.name, "signature name")
        try requireNoNUL(value.email, "signature email")
        let seconds = git_time_t(value.date.timeIntervalSince1970.rounded(.down))
        return try make(
            "create signature for \(value.name) <\(value.email)>", owner: nil, kind: .invalidArgument
        ) {
            git_signature_new(&$0, value.name, value.email, seconds, Int32(value.timeZoneOffsetMinutes))
        }
    }
}
