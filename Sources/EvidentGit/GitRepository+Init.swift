import CGit2

extension GitRepository {
    /// Creates a git repository with a work tree at `path` (like `git init`) and opens it.
    /// Used by `evident init` so a new review repository can record sign-offs at once.
    public static func initialize(at path: String) throws -> GitRepository {
        try ensureLibgit2()
        try requireNoNUL(path, "repository path")
        var created: OpaquePointer?
        try check(git_repository_init(&created, path, 0), "initialise repository at '\(path)'")
        if let created { git_repository_free(created) }
        return try open(path: path)
    }
}
