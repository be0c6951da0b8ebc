/// What a review repository stores for its files, which can differ from what the source
/// shows: with the sealing filter, git stores sealed blobs of a plaintext work tree.
///
/// A protocol here so the rules judge storage without seeing git: the commands that run
/// the engine pass the git-backed one; without one, what the source shows is what is stored.
public protocol StoredContent: Sendable {
    /// The stored bytes of `path`, or nil when there is nothing to judge (unreadable, or
    /// untracked in a clone whose filter will seal it when it is added).
    func bytes(of path: String, source: any RepositorySource) -> [UInt8]?
    /// Opens a sealed file with this clone's identity: its text, nil when the identity is
    /// no reader (or there is none), or the error when the file is damaged or forged.
    func open(_ bytes: [UInt8]) -> Result<[UInt8], any Error>?
}

/// Storage as the source shows it, with no identity to open anything: for checks outside
/// git and for callers (tests, fuzzers, rule examples) that pass no storage.
public struct SourceStoredContent: StoredContent {
    public init() {}

    public func bytes(of path: String, source: any RepositorySource) -> [UInt8]? { try? source.read(path) }

    public func open(_ bytes: [UInt8]) -> Result<[UInt8], any Error>? { nil }
}
