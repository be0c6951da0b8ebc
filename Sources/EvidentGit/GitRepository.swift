import CGit2
import Foundation

/// An open git repository: the single owner of a `git_repository` handle.
///
/// Not `Sendable` on purpose. A libgit2 repository handle must not be used from two
/// threads at once, so each thread (or task) opens its own `GitRepository`; opening is
/// cheap. Everything it returns is a plain Sendable value that can cross threads freely.
public final class GitRepository {
    let pointer: OpaquePointer

    /// The work tree root without a trailing slash; nil for a bare repository.
    public let workdir: String?
    /// The `.git` directory (or the bare repository itself), without a trailing slash.
    public let gitDir: String

    /// The index file this repository reads: `GIT_INDEX_FILE` when opened from the
    /// environment and set (as libgit2 does then), else `index` in the git directory.
    let indexFile: String
    /// The parsed index and the file state it was read from (see `index()`).
    var cachedIndex: (stamp: FileStamp, index: GitIndexFile)?
    /// Every index this repository mapped, for `requireIntactIndex`.
    var mappedIndexes: [GitIndexFile] = []
    /// Files of a revision whose tree the whole index stands for are looked up in the
    /// index (`indexEntry(_:ifIndexIs:)`). Set by a sign-off, which checks the index is
    /// intact before it writes.
    var committedFilesThroughIndex = false
    /// Paths a command will look up in the index one by one (set by a sign-off): the
    /// first scan for one of them records them all (`index(of:)`), so the 54,000
    /// entries of a large index are walked once and none of the others is recorded.
    var indexPathsOfInterest: [String] = []
    /// The entries of some paths alone, and the file state they were read from.
    var cachedPartialIndex: (stamp: FileStamp, paths: Set<String>, index: GitIndexFile)?

    private init(pointer: OpaquePointer, fromEnvironment: Bool) {
        self.pointer = pointer
        gitDir = GitRepository.trimSlash(optionalString(git_repository_path(pointer)) ?? "")
        workdir = optionalString(git_repository_workdir(pointer)).map(GitRepository.trimSlash)
        if fromEnvironment, let file = ProcessInfo.processInfo.environment["GIT_INDEX_FILE"], !file.isEmpty {
            indexFile = file.hasPrefix("/") ? file : FileManager.default.currentDirectoryPath + "/" + file
        } else {
            indexFile = gitDir + "/index"
        }
    }

    deinit {
        git_repository_free(pointer)
    }

    /// Opens the repository at exactly `path` (a work tree root or a `.git` directory),
    /// without searching parent folders, so a typo never silently opens another repo.
    public static func open(path: String) throws -> GitRepository {
        try openExt(
            path: path, flags: GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue, operation: "open repository at '\(path)'")
    }

    /// Opens the repository that contains `path`, searching upwards like `git` does
    /// from a sub-folder.
    public static func discover(startingAt path: String) throws -> GitRepository {
        try openExt(path: path, flags: 0, operation: "open repository containing '\(path)'")
    }

    /// Opens the repository the way the git CLI would from the current directory,
    /// honouring `GIT_DIR`, `GIT_INDEX_FILE`, `GIT_CEILING_DIRECTORIES` and friends.
    /// Use this inside git hooks: `git commit -a` runs pre-commit against a temporary
    /// index named by `GIT_INDEX_FILE`, and only this opener reads that index.
    public static func openFromEnvironment() throws -> GitRepository {
        try openExt(
            path: nil, flags: GIT_REPOSITORY_OPEN_FROM_ENV.rawValue, operation: "open repository from the environment")
    }

    private static func openExt(path: String?, flags: UInt32, operation: String) throws -> GitRepository {
        try ensureLibgit2()
        if let path { try requireNoNUL(path, "repository path") }
        var repo: OpaquePointer?
        let rc = git_repository_open_ext(&repo, path, flags, nil)
        if rc < 0 {
            let kind: GitError.Kind? = rc == GIT_ENOTFOUND.rawValue ? .notARepository : nil
            throw GitError.fromLibgit2(code: rc, operation: operation, kind: kind)
        }
        guard let repo else {
            throw GitError(kind: .library, message: "libgit2 returned no repository", operation: operation)
        }
        return GitRepository(pointer: repo, fromEnvironment: flags & GIT_REPOSITORY_OPEN_FROM_ENV.rawValue != 0)
    }

    private static func trimSlash(_ path: String) -> String {
        var path = path
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        return path
    }

    /// Whether the repository has no work tree.
    public var isBare: Bool { workdir == nil }

    // MARK: - HEAD

    /// Where HEAD points, read from the refs without touching the index.
    public func headState() throws -> GitHeadState {
        switch try readHead() {
        case .detached(let oid):
            return .detached(commitID: hexString(oid))
        case .symbolic(let refName, let oid):
            let name = GitRepository.shortBranchName(refName)
            if let oid { return .branch(name: name, commitID: hexString(oid)) }
            return .unborn(branchName: name)
        }
    }

    enum RawHead {
        case detached(git_oid)
        /// `oid` is nil when the branch does not exist yet (unborn).
        case symbolic(refName: String, oid: git_oid?)
    }

    func readHead() throws -> RawHead {
        let head = try ReferenceHandle.make("read HEAD", owner: self) { git_reference_lookup(&$0, pointer, "HEAD") }
        return try head.withPointer { head in
            if git_reference_type(head) == GIT_REFERENCE_SYMBOLIC {
                guard let target = optionalString(git_reference_symbolic_target(head)) else {
                    throw GitError(
                        kind: .library, message: "HEAD is symbolic but has no target", operation: "read HEAD")
                }
                var oid = git_oid()
                let rc = git_reference_name_to_id(&oid, pointer, target)
                if rc == GIT_ENOTFOUND.rawValue {
                    return .symbolic(refName: target, oid: nil)
                }
                try check(rc, "resolve \(target)")
                return .symbolic(refName: target, oid: oid)
            }
            guard let target = git_reference_target(head) else {
                throw GitError(kind: .library, message: "HEAD has no target", operation: "read HEAD")
            }
            return .detached(target.pointee)
        }
    }

    static func shortBranchName(_ refName: String) -> String {
        refName.hasPrefix("refs/heads/") ? String(refName.dropFirst("refs/heads/".count)) : refName
    }

    // MARK: - Revisions

    /// Resolves any revision git understands (`HEAD`, `main`, a short or full id,
    /// `HEAD~1`, `v1.0^{commit}` …) to a full commit id.
    public func resolveCommit(_ revision: String) throws -> String {
        hexString(try commitHandle(revision: revision).id)
    }

    func object(revision: String) throws -> ObjectHandle {
        try ensureLibgit2()
        try requireNoNUL(revision, "revision")
        return try ObjectHandle.make("resolve revision '\(revision)'", owner: self) {
            git_revparse_single(&$0, pointer, revision)
        }
    }

    func commitHandle(revision: String) throws -> CommitHandle {
        try object(revision: revision).withPointer { object in
            try CommitHandle.make("resolve '\(revision)' to a commit", owner: self) {
                git_object_peel(&$0, object, GIT_OBJECT_COMMIT)
            }
        }
    }

    func commitHandle(oid: git_oid) throws -> CommitHandle {
        var oid = oid
        return try CommitHandle.make("look up commit \(hexString(oid))", owner: self) {
            git_commit_lookup(&$0, pointer, &oid)
        }
    }

    /// The tree a revision names (a commit's tree, or a tree id itself). Returns nil for
    /// "HEAD" on an unborn branch, whose content is empty, so readers need no special case.
    func treeHandle(revision: String) throws -> TreeHandle? {
        if revision == "HEAD", case .symbolic(_, nil) = try readHead() {
            return nil
        }
        return try object(revision: revision).withPointer { object in
            try TreeHandle.make("resolve '\(revision)' to a tree", owner: self) {
                git_object_peel(&$0, object, GIT_OBJECT_TREE)
            }
        }
    }

    /// The tree with id `oid`.
    func treeHandle(oid: git_oid) throws -> TreeHandle {
        var oid = oid
        return try TreeHandle.make("read tree \(hexString(oid))", owner: self) { git_tree_lookup(&$0, pointer, &oid) }
    }

    // MARK: - Config

    /// A config value as git would read it: the repository's config, then the global
    /// (~/.gitconfig, XDG) and system files, with includes. Nil when unset.
    public func configString(_ key: String) throws -> String? {
        try requireNoNUL(key, "config key")
        return try configHandle().withPointer { config in
            var buf = git_buf()
            defer { git_buf_dispose(&buf) }
            let rc = git_config_get_string_buf(&buf, config, key)
            if rc == GIT_ENOTFOUND.rawValue { return nil }
            try check(rc, "read config '\(key)'")
            return string(of: buf)
        }
    }

    /// A boolean config value ("true", "yes", "on", "1" …), nil when unset.
    public func configBool(_ key: String) throws -> Bool? {
        try requireNoNUL(key, "config key")
        return try configHandle().withPointer { config in
            var value: Int32 = 0
            let rc = git_config_get_bool(&value, config, key)
            if rc == GIT_ENOTFOUND.rawValue { return nil }
            try check(rc, "read config '\(key)'")
            return value != 0
        }
    }

    private func configHandle() throws -> ConfigHandle {
        try ensureLibgit2()
        return try ConfigHandle.make("read repository config", owner: self) {
            git_repository_config_snapshot(&$0, pointer)
        }
    }

    /// The identity git would use for a new commit (user.name and user.email, with the
    /// current time). Fails with libgit2's message when they are not configured.
    public func defaultSignature() throws -> GitSignature {
        try ensureLibgit2()
        return try SignatureHandle.make("read user.name and user.email from git config", owner: nil) {
            git_signature_default(&$0, pointer)
        }.withPointer { GitSignature(UnsafePointer($0)) }
    }
}
