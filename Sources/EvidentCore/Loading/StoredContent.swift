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
    /// `derive` of the stored bytes of each of `paths` that has any, by path. `derive` must
    /// depend only on the bytes and on what `open` (this clone's identity) makes of them,
    /// and never return their text: storage may then remember its answers across runs,
    /// keyed by the stored blob, the identity and `kind` (`SealFactsCache`), so the
    /// sealing rule does not read and open 50,000 sealed files on every check.
    func derived(
        of paths: [String], source: any RepositorySource, kind: String,
        _ derive: @escaping @Sendable (_ bytes: [UInt8], _ open: @escaping StoredContentOpener) -> String
    ) -> [String: String]
    /// Calls `judge` with the position in `files` and the `derive`d facts (of `factsKind`,
    /// as `derived` gives them) of each stored file, but those whose stored blob `judge`
    /// found clean before under the same condition with this clone's identity. `judge`
    /// returns whether the file is clean (it reported nothing); storage may remember that
    /// by blob, condition and identity, under `verdictKind` (`SealVerdictCache`), so a
    /// warm check of 50,000 sealed files looks each up once instead of decoding and
    /// comparing its facts. Facts and verdict of one call come from the same blob.
    ///
    /// Files come by person folder: `files` gives those of the folders asked for (by
    /// position in `folders`), with their conditions. Storage that knows what it stores
    /// below a folder (git's cached tree of the index) may remember that every file of a
    /// folder was clean, under `condition()`: bytes that fix every file's condition from
    /// its path (for `seal-readers`, everything readers and their keys come from). It then
    /// skips the folder whole, without asking for its files, while neither changes:
    /// 10,000 look-ups instead of 50,000 files' readers.
    func judge(
        _ folders: [JudgedFolder], condition: () -> [UInt8], source: any RepositorySource, factsKind: String,
        verdictKind: String,
        derive: @escaping @Sendable (_ bytes: [UInt8], _ open: @escaping StoredContentOpener) -> String,
        files: (_ folders: [Int]) -> JudgedFiles,
        _ judge: (_ position: Int, _ facts: String) -> Bool)
}

/// A stored file to judge (`StoredContent.judge`): its path, and everything besides its
/// stored bytes and this clone's identity that the verdict depends on: a position in the
/// call's `conditions`, each the rule's bytes for it (for example its readers' key tags),
/// so files sharing one are not told apart by comparing bytes.
public struct JudgedFile: Sendable {
    public let path: String
    public let condition: Int

    public init(path: String, condition: Int) {
        self.path = path
        self.condition = condition
    }
}

/// One person folder to judge (`StoredContent.judge`): `cycles/<cycle>/<person>`, and
/// the paths in it directly that the check reports on, of every kind (which of them are
/// judged, and under which condition, follows from the path and the folder's condition).
public struct JudgedFolder: Sendable {
    public let path: String
    public let paths: [String]

    public init(path: String, paths: [String]) {
        self.path = path
        self.paths = paths
    }
}

/// The files of some folders to judge one by one (`StoredContent.judge`): each folder's
/// files lie at `folders[i]` of `files`, in the order the folders were asked for, and
/// each file's condition is a position in `conditions`.
public struct JudgedFiles: Sendable {
    public var files: [JudgedFile] = []
    public var conditions: [[UInt8]] = []
    public var folders: [Range<Int>] = []

    public init() {}
}

/// Opens a sealed file the way `StoredContent.open` does, from any thread.
public typealias StoredContentOpener = @Sendable ([UInt8]) -> Result<[UInt8], any Error>?

extension StoredContent {
    /// Without storage that remembers: `derive` of every file, now.
    public func derived(
        of paths: [String], source: any RepositorySource, kind: String,
        _ derive: @escaping @Sendable (_ bytes: [UInt8], _ open: @escaping StoredContentOpener) -> String
    ) -> [String: String] {
        var out: [String: String] = [:]
        for path in paths {
            guard let bytes = bytes(of: path, source: source) else { continue }
            out[path] = derive(bytes) { self.open($0) }
        }
        return out
    }

    /// Without storage that remembers: every file judged, now.
    public func judge(
        _ folders: [JudgedFolder], condition: () -> [UInt8], source: any RepositorySource, factsKind: String,
        verdictKind: String,
        derive: @escaping @Sendable (_ bytes: [UInt8], _ open: @escaping StoredContentOpener) -> String,
        files: (_ folders: [Int]) -> JudgedFiles,
        _ judge: (_ position: Int, _ facts: String) -> Bool
    ) {
        let all = files(Array(folders.indices))
        let facts = derived(of: all.files.map(\.path), source: source, kind: factsKind, derive)
        for (position, file) in all.files.enumerated() {
            guard let encoded = facts[file.path] else { continue }
            _ = judge(position, encoded)
        }
    }
}

/// Storage as the source shows it, with no identity to open anything: for checks outside
/// git and for callers (tests, fuzzers, rule examples) that pass no storage.
public struct SourceStoredContent: StoredContent {
    public init() {}

    public func bytes(of path: String, source: any RepositorySource) -> [UInt8]? { try? source.read(path) }

    public func open(_ bytes: [UInt8]) -> Result<[UInt8], any Error>? { nil }
}
