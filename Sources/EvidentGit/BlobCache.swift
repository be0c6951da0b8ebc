import EvidentCore
import Foundation

/// The organisation files' contents by blob id, in one file: `.git/evident/blobs-v1`.
///
/// Why: a pre-commit check of one review reads every organisation file from the index
/// (people.yaml, the level guides, 2,000 team files in a 10,000-person organisation).
/// Read blob by blob from the object database that took 30–45 ms; these files rarely
/// change, so their bytes are kept together and read in one go.
///
/// Content-addressed: an entry is the content of the blob its id names, so it can never
/// describe another version of a file. The ids are not re-hashed on read; instead the
/// file is authenticated like every cache (`CacheText`), so a forged or damaged one is
/// ignored whole and rebuilt. A cache that cannot be written only costs time.
///
/// Format: the line `evident-blobs 1`, then per blob a line `<40-hex id> <byte count>`
/// followed by exactly that many bytes and a newline.
struct BlobCache {
    static let magic = Array("evident-blobs 1\n".utf8)

    /// Blob id → content.
    private(set) var blobs: [String: ArraySlice<UInt8>] = [:]

    static func url(in repository: GitRepository) -> URL {
        repository.evidentCacheURL("blobs-v1")
    }

    /// The cache at `url`; empty when there is none or it is damaged.
    static func read(_ url: URL) -> BlobCache {
        guard let content = CacheText.read(url), content.starts(with: magic) else { return BlobCache() }
        // The blobs are slices of the file as read: one buffer, no copies.
        let bytes = content
        var cache = BlobCache()
        var position = bytes.startIndex + magic.count
        while position < bytes.endIndex {
            // "<id> <count>\n"
            guard position + 42 <= bytes.endIndex, bytes[position + 40] == UInt8(ascii: " "),
                let newline = bytes[(position + 41)...].prefix(21).firstIndex(of: UInt8(ascii: "\n")),
                let count = Int(String(decoding: bytes[(position + 41)..<newline], as: UTF8.self)),
                count >= 0, count < bytes.endIndex - newline - 1, bytes[newline + 1 + count] == UInt8(ascii: "\n")
            else { return BlobCache() }
            let id = String(decoding: bytes[position..<position + 40], as: UTF8.self)
            cache.blobs[id] = bytes[(newline + 1)..<(newline + 1 + count)]
            position = newline + 2 + count
        }
        return cache
    }

    /// Replaces the cache at `url` with exactly `blobs`, atomically (a temporary file,
    /// then a rename), so a concurrent reader sees one whole version.
    static func write(_ blobs: [(id: String, bytes: ArraySlice<UInt8>)], to url: URL) {
        var out = magic
        out.reserveCapacity(blobs.reduce(magic.count) { $0 + $1.bytes.count + 64 })
        for blob in blobs.sorted(by: { $0.id < $1.id }) {
            out += Array("\(blob.id) \(blob.bytes.count)\n".utf8)
            out += blob.bytes
            out.append(UInt8(ascii: "\n"))
        }
        CacheText.write(bytes: out, to: url)
    }
}
