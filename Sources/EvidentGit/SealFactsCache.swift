import Crypto
import EvidentSeal
import Foundation

/// `.git/evident/seal-facts-<kind>-<identity>`: what a rule derived from each sealed
/// blob (`StoredContent.derived`), by blob id, so a check reads and opens only the blobs
/// it has not seen; a whole check of 50,000 sealed files otherwise reads every blob from
/// the pack and opens every file it can.
///
/// What is kept is a function of the blob's bytes and the identity that opened it, never
/// of people.yaml or the policy: the blob id fixes the bytes, and the file's name fixes
/// the identity (a digest of its public keys) and what was derived (`kind`, which a rule
/// changes whenever its facts change). So an entry cannot go stale; an older copy of the
/// file only knows fewer blobs. Authenticated like every cache (`CacheText`): a damaged,
/// forged or renamed file is ignored whole and the facts are derived again, which costs
/// time and never changes a result.
///
/// Format, after the `evident-seal-facts 1` line: per line the blob id, a tab and the
/// facts, escaped.
enum SealFactsCache {
    static let magic = "evident-seal-facts 1"
    /// Below this many files the cache costs more to read than the files.
    static let minimumFiles = 64

    /// The cache's file name for facts of `kind` (a rule's constant, a plain file name)
    /// derived with `identities`.
    static func name(kind: String, identities: [AgeIdentity]) -> String {
        "seal-facts-\(kind)-\(identityName(identities))"
    }

    /// What names `identities` in a cache file's name: a digest of their public keys.
    static func identityName(_ identities: [AgeIdentity]) -> String {
        let keys = identities.map(\.recipient.text).sorted().joined(separator: "\n")
        let digest = SHA256.hash(data: Array(keys.utf8)).prefix(12).map { String(format: "%02x", $0) }.joined()
        return identities.isEmpty ? "none" : digest
    }

    /// Blob id → facts; empty when the file is missing, damaged or not authenticated.
    static func read(_ url: URL) -> [String: String] {
        guard let lines = CacheText.lines(of: url), let first = lines.first,
            String(decoding: first, as: UTF8.self) == magic
        else { return [:] }
        var out: [String: String] = [:]
        out.reserveCapacity(lines.count)
        for line in lines.dropFirst() {
            guard let tab = line.firstIndex(of: 0x09) else { return [:] }
            out[String(decoding: line[..<tab], as: UTF8.self)] = CacheText.unescape(line[(tab + 1)...])
        }
        return out
    }

    static func write(_ facts: [String: String], to url: URL) {
        var text = magic + "\n"
        text.reserveCapacity(facts.count * 120)
        for (blob, derived) in facts {
            text += blob
            text += "\t"
            text += CacheText.escape(derived)
            text += "\n"
        }
        CacheText.write(text, to: url)
    }
}
