import EvidentCore
import EvidentGit
import EvidentSeal
import Foundation

/// What `check` derives from each stored sealed blob (what `seal-readers` keeps: whom it
/// is sealed to, how its private blocks are sealed), derived as a clone or checkout hands
/// the filter that blob, and added to the cache `check` reads (`GitStoredContent.remember`).
///
/// Why: the first check in a new clone read and opened every sealed blob again (52,539
/// at 10,000 people: 18 s against 4 s unsealed), though the filter had just opened each
/// with the same key. The derivation is the rule's own, passed in (this module does not
/// know the rules), and its opener is the one `check` uses, handed the file already
/// opened: the facts are those a check derives from the same blob and key.
public final class SmudgeFacts: @unchecked Sendable {
    public typealias Derive = @Sendable (_ bytes: [UInt8], _ open: @escaping StoredContentOpener) -> String

    let kind: String
    private let derive: Derive
    private let lock = NSLock()
    private var facts: [String: String] = [:]

    /// `kind` names what `derive` computes, as the rule names it to `StoredContent.derived`.
    public init(kind: String, derive: @escaping Derive) {
        self.kind = kind
        self.derive = derive
    }

    /// Derives the facts of the blob `blob` (git's id of `bytes`), whose opening with
    /// `identities` gave `opened`. Called from the threads that open delayed files.
    func record(blob: String, bytes: [UInt8], opened: Result<[UInt8], SealError>?, identities: [AgeIdentity]) {
        let opener: StoredContentOpener = { candidate in
            let result = candidate == bytes ? opened : GitStoredContent.open(candidate, with: identities)
            return result.map { $0.mapError { $0 as any Error } }
        }
        let derived = derive(bytes, opener)
        lock.lock()
        facts[blob] = derived
        lock.unlock()
    }

    /// Adds what was derived to the cache of `identities` in `repository`.
    func save(identities: [AgeIdentity], repository: GitRepository?) {
        lock.lock()
        let all = facts
        lock.unlock()
        guard let repository else { return }
        GitStoredContent.remember(all, kind: kind, identities: identities, in: repository)
    }

    /// Whether `value` of git's `blob=` is an object id (hex, SHA-1 or SHA-256): the
    /// cache's lines are keyed by it.
    static func isObjectID(_ value: String) -> Bool {
        (value.utf8.count == 40 || value.utf8.count == 64)
            && value.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}
