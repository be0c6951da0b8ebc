import EvidentCore
import EvidentFilter
import EvidentGit
import EvidentSeal
import Foundation

/// A source that opens sealed files with this clone's identity, for checks that read
/// what git stores rather than the work tree (`check --staged`).
///
/// A reader's work tree holds plaintext because the git filter opens files on checkout;
/// the index holds the sealed blobs. Without this, `--staged` would see armoured text
/// and skip every folder of the commit it is meant to judge. The identity is the
/// filter's (`EVIDENT_IDENTITY`, git config `evident.identity`, `~/.ssh/id_ed25519`); a
/// file this identity cannot open stays armoured, so its folder is skipped as in a full
/// check. The sealing rules read the index themselves (`StoredContent`), not this.
struct OpeningSource: RepositorySource {
    let base: any RepositorySource
    let identities: [AgeIdentity]

    var root: String { base.root }

    /// Wraps `base` with the identity of `repository`'s clone; nil when there is no
    /// identity to open anything with.
    static func wrapping(_ base: any RepositorySource, repository: GitRepository) -> (any RepositorySource)? {
        let environment = ProcessInfo.processInfo.environment
        let (path, isDefault) = SealFilter.identityPath(environment: environment, repository: repository)
        if isDefault, !FileManager.default.fileExists(atPath: path) { return nil }
        guard let identities = try? AgeIdentity.load(contentsOf: path), !identities.isEmpty else {
            if !isDefault {
                Console.error("note: sealed files stay sealed for this check: cannot use the identity \(path)")
            }
            return nil
        }
        return OpeningSource(base: base, identities: identities)
    }

    func listFiles() throws -> [String] { try base.listFiles() }

    func read(_ path: String) throws -> [UInt8] {
        let bytes = try base.read(path)
        guard Age.isAgeFile(bytes) else { return bytes }
        // Not a reader, or a damaged file: left armoured, which check treats as sealed to others.
        return (try? Age.open(bytes, with: identities)) ?? bytes
    }

    func status(of path: String) -> PathStatus { base.status(of: path) }

    /// What the base kept decoded from an earlier check (people.yaml, which is never
    /// sealed): without it a sealed repository's pre-commit check read and decoded the
    /// 1.4 MB registry of 10,000 people again, a third of its time.
    func decoded(_ path: String, kind: DocumentKind) -> LoadedFile? { base.decoded(path, kind: kind) }
}
