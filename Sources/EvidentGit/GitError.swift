import CGit2

/// An error from the git layer.
///
/// Every failure carries libgit2's own return code, error class and message when it
/// came from libgit2, so a user sees the library's explanation (for example "could
/// not find repository at '/tmp/x'") rather than a bare number. `kind` lets callers
/// react to the few cases they handle differently, above all `.branchMoved`, which
/// means a compare-and-swap lost a race and the operation may be retried.
public struct GitError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The situations callers distinguish.
    public enum Kind: Sendable, Equatable {
        /// Any libgit2 failure without a more specific kind.
        case library
        /// A revision, object, path, reference or config key does not exist.
        case notFound
        /// A short id or revision matches more than one object.
        case ambiguous
        /// No repository at (or above) the given path.
        case notARepository
        /// The operation needs a work tree and the repository is bare.
        case bareRepository
        /// HEAD names a branch that has no commit yet.
        case unbornBranch
        /// HEAD is detached; sign-off commits need a branch to move.
        case detachedHead
        /// The branch moved (or was locked, or was created) by someone else between
        /// reading it and updating it. Retrying on the new tip is safe.
        case branchMoved
        /// A caller passed something unusable (a malformed id, a NUL in a message…).
        case invalidArgument
        /// Signing or verifying with ssh-keygen failed.
        case signing
    }

    public let kind: Kind
    /// libgit2's return code (`GIT_ENOTFOUND` = -3, `GIT_EMODIFIED` = -15 …), or 0 when
    /// the error did not come from libgit2.
    public let code: Int32
    /// libgit2's error class (`git_error_t`), or 0 (`GIT_ERROR_NONE`).
    public let errorClass: Int32
    /// A readable explanation; for libgit2 failures this is libgit2's message.
    public let message: String
    /// What we were doing when it failed, for example "open repository".
    public let operation: String

    public init(kind: Kind, code: Int32 = 0, errorClass: Int32 = 0, message: String, operation: String) {
        self.kind = kind
        self.code = code
        self.errorClass = errorClass
        self.message = message
        self.operation = operation
    }

    /// The libgit2 error class as a word ("repository", "reference", "odb" …).
    public var errorClassName: String {
        GitError.className(errorClass)
    }

    public var description: String {
        var text = "\(operation): \(message)"
        if code != 0 {
            text += " (libgit2 error \(code), class \(errorClassName))"
        }
        return text
    }

    /// Reads `git_error_last()` for a libgit2 call that just returned `code` < 0.
    ///
    /// Must be called on the thread that made the call, before any other libgit2 call,
    /// because libgit2 keeps the last error in thread-local storage.
    static func fromLibgit2(code: Int32, operation: String, kind overrideKind: Kind? = nil) -> GitError {
        var klass: Int32 = 0
        var text = "unknown libgit2 error"
        if let last = git_error_last() {
            klass = last.pointee.klass
            if let msg = last.pointee.message {
                text = String(cString: msg)
            }
        }
        let kind: Kind
        if let overrideKind {
            kind = overrideKind
        } else {
            switch code {
            case GIT_ENOTFOUND.rawValue: kind = .notFound
            case GIT_EAMBIGUOUS.rawValue: kind = .ambiguous
            case GIT_EBAREREPO.rawValue: kind = .bareRepository
            case GIT_EUNBORNBRANCH.rawValue: kind = .unbornBranch
            case GIT_EINVALIDSPEC.rawValue: kind = .invalidArgument
            default: kind = .library
            }
        }
        return GitError(kind: kind, code: code, errorClass: klass, message: text, operation: operation)
    }

    static func className(_ klass: Int32) -> String {
        let names = [
            "none", "nomemory", "os", "invalid", "reference", "zlib", "repository", "config",
            "regex", "odb", "index", "object", "net", "tag", "tree", "indexer", "ssl",
            "submodule", "thread", "stash", "checkout", "fetchhead", "merge", "ssh", "filter",
            "revert", "callback", "cherrypick", "describe", "rebase", "filesystem", "patch",
            "worktree", "sha", "http", "internal",
        ]
        return klass >= 0 && Int(klass) < names.count ? names[Int(klass)] : "class \(klass)"
    }
}

/// Throws a `GitError` when a libgit2 call failed (returned < 0).
///
/// Centralising the check makes "every return code is checked" easy to audit: all calls
/// go through `check` or through an explicit comparison right next to the call.
@inline(__always)
func check(_ code: Int32, _ operation: @autoclosure () -> String, kind: GitError.Kind? = nil) throws {
    if code < 0 {
        throw GitError.fromLibgit2(code: code, operation: operation(), kind: kind)
    }
}
