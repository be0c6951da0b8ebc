import CGit2
import Crypto
import EvidentCore
import EvidentSeal
import Foundation

/// `.git/evident/seal-verdicts-<kind>-<identity>`: the stored blobs a rule judged clean
/// (`StoredContent.judge`), each with the condition it was judged under, so a warm check
/// of 50,000 sealed files looks each file up once instead of decoding its facts
/// (`SealFactsCache`) and comparing them with its readers' keys.
///
/// An entry is the blob id and a digest of the condition (for `seal-readers`, the key
/// tags of the file's readers and private readers): the blob fixes the bytes, the file's
/// name fixes the identity that opened them and the rule's judgement (`kind`, which the
/// rule changes whenever what it judges or how changes), and the condition fixes the
/// rest. So an entry cannot go stale: new readers, a new key or a new blob is another
/// entry, judged afresh. Only clean verdicts are kept; a file with findings is judged
/// every time. Authenticated like every cache (`CacheText`): a damaged, forged or renamed
/// file is ignored whole, which costs time and never changes a result.
///
/// Format, after the `evident-seal-verdicts 1` line: fixed records of the 20-byte blob id
/// and the first 16 bytes of the SHA-256 of the condition, in no order.
///
/// `.git/evident/seal-folder-verdicts-<kind>-<identity>` keeps, in the same records after
/// the `evident-seal-folder-verdicts 1` line, the person folders whose judged files were
/// all clean: the id of the folder's tree in the index (git's cached tree, which fixes
/// the name, mode and blob of everything below the folder) and a digest of the judged
/// files' names and conditions (`folderCondition`). It cannot go stale either: a changed
/// file changes the tree id, or leaves the folder without one until the next commit, and
/// new readers change the digest; each is judged file by file.
enum SealVerdictCache {
    static let magic = Array("evident-seal-verdicts 1\n".utf8)
    static let folderMagic = Array("evident-seal-folder-verdicts 1\n".utf8)
    static let recordSize = 36

    /// One verdict: a blob id and a condition digest, as plain integers (hashing 52,000
    /// of them is most of a warm check's sealing cost).
    struct Key: Hashable {
        var blob0: UInt64
        var blob1: UInt64
        var blob2: UInt32
        var condition0: UInt64
        var condition1: UInt64

        init(blob: git_oid, condition: Condition) {
            (blob0, blob1, blob2) = withUnsafeBytes(of: blob.id) { raw in
                (
                    raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self),
                    raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
                    raw.loadUnaligned(fromByteOffset: 16, as: UInt32.self)
                )
            }
            (condition0, condition1) = (condition.first, condition.second)
        }

        fileprivate init(record raw: UnsafeRawBufferPointer, at offset: Int) {
            blob0 = raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            blob1 = raw.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self)
            blob2 = raw.loadUnaligned(fromByteOffset: offset + 16, as: UInt32.self)
            condition0 = raw.loadUnaligned(fromByteOffset: offset + 20, as: UInt64.self)
            condition1 = raw.loadUnaligned(fromByteOffset: offset + 28, as: UInt64.self)
        }

        fileprivate func append(to out: inout [UInt8]) {
            withUnsafeBytes(of: blob0) { out += $0 }
            withUnsafeBytes(of: blob1) { out += $0 }
            withUnsafeBytes(of: blob2) { out += $0 }
            withUnsafeBytes(of: condition0) { out += $0 }
            withUnsafeBytes(of: condition1) { out += $0 }
        }
    }

    /// The first 16 bytes of the SHA-256 of a condition: collision-resistant, since a
    /// collision would let one reader set stand for another.
    struct Condition: Hashable {
        var first: UInt64
        var second: UInt64

        init(_ bytes: [UInt8]) {
            let digest = SHA256.hash(data: bytes)
            (first, second) = digest.withUnsafeBytes { raw in
                (
                    raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self),
                    raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
                )
            }
        }
    }

    /// The cache's file name for verdicts of `kind` (a rule's constant, a plain file
    /// name) judged on facts opened with `identities`.
    static func name(kind: String, identities: [AgeIdentity]) -> String {
        "seal-verdicts-\(kind)-\(SealFactsCache.identityName(identities))"
    }

    /// The cache's file name for folder verdicts of `kind` with `identities`.
    static func folderName(kind: String, identities: [AgeIdentity]) -> String {
        "seal-folder-verdicts-\(kind)-\(SealFactsCache.identityName(identities))"
    }

    /// What a folder verdict holds for besides the folder's tree: the condition common to
    /// the check (`StoredContent.judge`), then the paths of the folder's files the check
    /// reports on, in order, each length-prefixed so no two lists encode alike. Nil when
    /// a path is not directly in `folder` (its tree would not fix the file's blob).
    static func folderCondition(folder: String, paths: [String], common: Condition) -> Condition? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16 + paths.count * 64)
        withUnsafeBytes(of: common.first) { bytes += $0 }
        withUnsafeBytes(of: common.second) { bytes += $0 }
        let folderBytes = folder.utf8
        for path in paths {
            let path = path.utf8
            guard path.count > folderBytes.count + 1, path.starts(with: folderBytes),
                path[path.index(path.startIndex, offsetBy: folderBytes.count)] == UInt8(ascii: "/"),
                !path.dropFirst(folderBytes.count + 1).contains(UInt8(ascii: "/"))
            else { return nil }
            withUnsafeBytes(of: UInt32(truncatingIfNeeded: path.count).littleEndian) { bytes += $0 }
            bytes += path
        }
        return Condition(bytes)
    }

    /// The verdicts; empty when the file is missing, damaged or not authenticated.
    static func read(_ url: URL, magic: [UInt8] = magic) -> Set<Key> {
        guard let content = CacheText.read(url), content.starts(with: magic),
            (content.count - magic.count) % recordSize == 0
        else { return [] }
        let count = (content.count - magic.count) / recordSize
        var out = Set<Key>(minimumCapacity: count)
        content.withUnsafeBytes { raw in
            for record in 0..<count { out.insert(Key(record: raw, at: magic.count + record * recordSize)) }
        }
        return out
    }

    static func write(_ verdicts: Set<Key>, to url: URL, magic: [UInt8] = magic) {
        var bytes = magic
        bytes.reserveCapacity(magic.count + verdicts.count * recordSize)
        for key in verdicts { key.append(to: &bytes) }
        CacheText.write(bytes: bytes, to: url)
    }
}
