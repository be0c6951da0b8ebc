import CGit2
import Foundation

/// A person and a moment, as stored in a commit's author or committer line.
///
/// Git keeps whole seconds and the author's UTC offset; we keep both so a round trip
/// through a commit reproduces the same bytes.
public struct GitSignature: Sendable, Equatable, Hashable {
    public var name: String
    public var email: String
    public var date: Date
    /// Offset from UTC in minutes, as written in the commit (for example +120).
    public var timeZoneOffsetMinutes: Int

    public init(name: String, email: String, date: Date = Date(), timeZoneOffsetMinutes: Int? = nil) {
        self.name = name
        self.email = email
        self.date = date
        self.timeZoneOffsetMinutes = timeZoneOffsetMinutes ?? TimeZone.current.secondsFromGMT(for: date) / 60
    }

    init(_ sig: UnsafePointer<git_signature>) {
        name = optionalString(sig.pointee.name) ?? ""
        email = optionalString(sig.pointee.email) ?? ""
        date = Date(timeIntervalSince1970: TimeInterval(sig.pointee.when.time))
        timeZoneOffsetMinutes = Int(sig.pointee.when.offset)
    }
}

/// Where HEAD points.
public enum GitHeadState: Sendable, Equatable {
    /// HEAD names a branch with commits. `name` is the short name ("main").
    case branch(name: String, commitID: String)
    /// HEAD names a branch that has no commit yet (a fresh repository).
    case unborn(branchName: String)
    /// HEAD holds a commit id directly.
    case detached(commitID: String)

    /// The commit HEAD resolves to, nil when unborn.
    public var commitID: String? {
        switch self {
        case .branch(_, let id), .detached(let id): return id
        case .unborn: return nil
        }
    }

    /// The short branch name, nil when detached.
    public var branchName: String? {
        switch self {
        case .branch(let name, _), .unborn(let name): return name
        case .detached: return nil
        }
    }
}

/// What a tree or index entry is, so callers can tell a symlink (whose "content" is a
/// target path) from a file before reading it.
public enum GitFileKind: Sendable, Equatable, Hashable {
    case file
    case executable
    case symlink

    init?(mode: UInt32) {
        switch mode {
        case 0o100644, 0o100664: self = .file
        case 0o100755: self = .executable
        case 0o120000: self = .symlink
        default: return nil
        }
    }
}

/// One file in a tree or in the index: repository-relative path and blob id.
public struct GitFileEntry: Sendable, Equatable, Hashable {
    /// Path from the repository root with "/" separators, as git stores it.
    public let path: String
    /// The blob's 40-hex id.
    public let blobID: String
    public let kind: GitFileKind
    /// The raw git file mode (0o100644, 0o100755, 0o120000).
    public let mode: UInt32

    public init(path: String, blobID: String, kind: GitFileKind, mode: UInt32) {
        self.path = path
        self.blobID = blobID
        self.kind = kind
        self.mode = mode
    }
}

/// A commit, copied out of libgit2 into plain values.
public struct GitCommitInfo: Sendable, Equatable, Hashable {
    public let id: String
    public let parentIDs: [String]
    public let treeID: String
    public let author: GitSignature
    public let committer: GitSignature
    /// The full raw message, trailers included.
    public let message: String
    /// The first paragraph joined into one line, as `git log --format=%s` shows it.
    public let summary: String
    /// Whether the commit carries a `gpgsig` header (SSH or GPG); use
    /// `GitRepository.commitSignature(id:)` to get and check it.
    public let isSigned: Bool

    public init(
        id: String, parentIDs: [String], treeID: String, author: GitSignature, committer: GitSignature, message: String,
        summary: String, isSigned: Bool
    ) {
        self.id = id
        self.parentIDs = parentIDs
        self.treeID = treeID
        self.author = author
        self.committer = committer
        self.message = message
        self.summary = summary
        self.isSigned = isSigned
    }

    /// The message's trailers, parsed by git's own grammar.
    public func trailers() throws -> [GitTrailer] {
        try GitTrailers.parse(message: message)
    }
}

/// A commit's signature block and the exact bytes it signs.
public struct GitCommitSignature: Sendable, Equatable {
    /// The armored signature ("-----BEGIN SSH SIGNATURE-----…").
    public let signature: String
    /// The commit object without its `gpgsig` header: what the signer signed.
    public let signedData: Data
}

/// How one path differs between HEAD, the index and the work tree.
///
/// Computed for that path alone (no full status), hashing the work-tree file the way
/// `git add` would, without refreshing or writing the index.
public struct GitPathStatus: Sendable, Equatable {
    public let path: String
    /// Blob at HEAD, nil when the path is absent there (or HEAD is unborn).
    public let headBlobID: String?
    /// Stage-0 blob in the index, nil when absent or only present as a conflict.
    public let indexBlobID: String?
    /// Hash of the work-tree file, nil when the file is missing (or not a file).
    public let workTreeBlobID: String?
    /// The index holds conflict stages (1–3) for the path.
    public let isConflicted: Bool

    /// Staged but not committed: the index differs from HEAD.
    public var isStaged: Bool { indexBlobID != headBlobID || isConflicted }
    /// Changed in the work tree relative to the index (what `git diff` would show).
    public var isModifiedInWorkTree: Bool { workTreeBlobID != indexBlobID || isConflicted }
    /// Anything that is not committed: the work tree or index differ from HEAD.
    public var hasUncommittedChanges: Bool {
        isConflicted || workTreeBlobID != headBlobID || indexBlobID != headBlobID
    }
}
