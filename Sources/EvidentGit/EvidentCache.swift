import Crypto
import EvidentCore
import Foundation

/// The only reader and writer of Evident's cache files under `.git/evident/`.
///
/// Caches are hints, never authority: anyone who can write `.git` (a CI system restoring
/// a shared cache, a colleague on a shared machine) could otherwise decide a verdict by
/// editing one. Every cache file therefore ends with an HMAC-SHA-256 of its name and
/// content, keyed by a secret kept outside the repository (`CacheKey`). A file whose MAC
/// does not verify, including one written on another machine, is ignored whole and
/// rebuilt from the object database: it costs time, never changes a result.
///
/// Text caches are tab-separated lines with `\`, tab, line breaks and U+001F escaped, so
/// any value YAML or a trailer can hold round-trips, and U+001F is free to separate
/// list items inside a field.
enum CacheText {
    /// The last line of every cache file: the marker, 64 hex digits, a newline.
    static let macMarker = Array("evident-mac ".utf8)
    static let macLineLength = macMarker.count + 64 + 1

    /// Escapes by bytes, not `Character`s: "\r\n" is one Character in Swift and would
    /// slip through a character comparison with "\n".
    static func escape(_ text: String) -> String {
        let bytes = Array(text.utf8)
        guard bytes.contains(where: { $0 == 0x5C || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == 0x1F }) else {
            return text
        }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 8)
        for byte in bytes {
            switch byte {
            case 0x5C: out += [0x5C, 0x5C]
            case 0x09: out += [0x5C, UInt8(ascii: "t")]
            case 0x0A: out += [0x5C, UInt8(ascii: "n")]
            case 0x0D: out += [0x5C, UInt8(ascii: "r")]
            case 0x1F: out += [0x5C, UInt8(ascii: "u")]
            default: out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func unescape(_ bytes: ArraySlice<UInt8>) -> String {
        guard bytes.contains(0x5C) else { return String(decoding: bytes, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var escaping = false
        for byte in bytes {
            if escaping {
                switch byte {
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "u"): out.append(0x1F)
                default: out.append(byte)
                }
                escaping = false
            } else if byte == 0x5C {
                escaping = true
            } else {
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A list as one field: each item escaped, joined by a raw U+001F (which `escape`
    /// never leaves in an item).
    static func escapeList(_ items: [String]) -> String {
        items.map(escape).joined(separator: "\u{1F}")
    }

    /// The items of a field written by `escapeList`, split before unescaping.
    static func unescapeList(_ raw: ArraySlice<UInt8>) -> [String] {
        raw.isEmpty ? [] : raw.split(separator: 0x1F, omittingEmptySubsequences: false).map(unescape)
    }

    /// The lines of the cache file at `url`, as byte slices, nil when it is missing,
    /// unreadable or not authenticated: caches are read on every command, so they are
    /// parsed as bytes, never through `Character` or Foundation string search.
    static func lines(of url: URL) -> [ArraySlice<UInt8>]? {
        read(url).map(lines)
    }

    /// The non-empty lines of `content`, found with `memchr`: the people cache of a
    /// 10,000-person organisation has 10,000 lines, and the generic `split` over them was
    /// a tenth of a sign-off's CPU time.
    static func lines(_ content: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
        var lines: [ArraySlice<UInt8>] = []
        content.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            var start = 0
            while start < buffer.count {
                var end = buffer.count
                if let found = memchr(base + start, 0x0A, buffer.count - start) {
                    end = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(found))
                }
                if end > start { lines.append(content[(content.startIndex + start)..<(content.startIndex + end)]) }
                start = end + 1
            }
        }
        return lines
    }

    /// How many times `byte` occurs in `bytes`.
    static func count(_ byte: UInt8, in bytes: ArraySlice<UInt8>) -> Int {
        bytes.withUnsafeBufferPointer { buffer in
            var count = 0
            for value in buffer where value == byte { count += 1 }
            return count
        }
    }

    /// The tab-separated, escaped fields of one line.
    static func fields(_ line: ArraySlice<UInt8>) -> [String] {
        line.split(separator: 0x09, omittingEmptySubsequences: false).map(unescape)
    }

    /// The content of the cache file at `url` without its MAC line; nil when the file is
    /// missing, unreadable, or its MAC does not verify with this user's key.
    static func read(_ url: URL) -> ArraySlice<UInt8>? {
        guard let key = CacheKey.shared, let bytes = RegularFile.read(url.path), bytes.count >= macLineLength else {
            return nil
        }
        let macStart = bytes.count - macLineLength
        guard bytes[macStart...].starts(with: macMarker), bytes.last == 0x0A,
            let mac = hexBytes(bytes[(macStart + macMarker.count)..<(bytes.count - 1)])
        else { return nil }
        let content = bytes[..<macStart]
        // `==` between a MAC and bytes compares in constant time.
        guard authenticationCode(url, content, key: key) == mac else { return nil }
        return content
    }

    /// `body` run on the content of the cache file at `url` without its MAC line, read in
    /// place (mapped) rather than copied; nil when the file is missing, unreadable or not
    /// authenticated, or when it was made shorter while read (see `IndexStorage`: caches
    /// are replaced by renaming, so only someone writing in place could do that).
    ///
    /// Why: the people cache of a 10,000-person organisation is 1.4 MB, which `read`
    /// copied into fresh pages on every pre-commit check (and freed again at exit).
    static func withContent<Result>(of url: URL, _ body: (UnsafeBufferPointer<UInt8>) -> Result?) -> Result? {
        guard let key = CacheKey.shared, let storage = IndexStorage(mapping: url.path) else { return nil }
        let bytes = storage.bytes
        guard bytes.count >= macLineLength else { return nil }
        let macStart = bytes.count - macLineLength
        guard bytes[macStart..<(macStart + macMarker.count)].elementsEqual(macMarker), bytes.last == 0x0A,
            let mac = hexBytes(ArraySlice(bytes[(macStart + macMarker.count)..<(bytes.count - 1)]))
        else { return nil }
        let content = UnsafeBufferPointer(rebasing: bytes[..<macStart])
        var hmac = HMAC<SHA256>(key: key)
        hmac.update(data: Array(url.lastPathComponent.utf8) + [0])
        hmac.update(data: UnsafeRawBufferPointer(content))
        // `==` between a MAC and bytes compares in constant time.
        guard hmac.finalize() == mac else { return nil }
        let result = body(content)
        withExtendedLifetime(storage) {}
        return storage.changed ? nil : result
    }

    /// Replaces `url` atomically (write a temporary file, then rename), so concurrent
    /// readers see the old or the new file, never half of one. Failures are ignored: a
    /// cache that cannot be written (read-only checkout, no cache key) only costs time.
    static func write(_ text: String, to url: URL) {
        write(bytes: Array(text.utf8), to: url)
    }

    static func write(bytes: [UInt8], to url: URL) {
        guard let key = CacheKey.shared else { return }
        let mac = authenticationCode(url, bytes[...], key: key)
        var out = bytes
        out.reserveCapacity(bytes.count + macLineLength)
        out += macMarker
        out += Array(mac.map { String(format: "%02x", $0) }.joined().utf8)
        out.append(0x0A)
        writeRaw(out, to: url)
    }

    /// Replaces `url` atomically with bytes already authenticated by the caller.
    static func writeRaw(_ out: [UInt8], to url: URL) {
        let folder = url.deletingLastPathComponent()
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).\(UUID().uuidString).tmp")
        do {
            try Data(out).write(to: temporary)
            if rename(temporary.path, url.path) != 0 { try? FileManager.default.removeItem(at: temporary) }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
        }
    }

    /// The MAC of the file's name (so a cache cannot be renamed to stand for another
    /// key, such as another people.yaml blob), a NUL, then the content. Fed in pieces,
    /// so a 2 MB cache is not copied to be authenticated.
    private static func authenticationCode(_ url: URL, _ content: ArraySlice<UInt8>, key: SymmetricKey)
        -> HashedAuthenticationCode<SHA256>
    {
        var hmac = HMAC<SHA256>(key: key)
        hmac.update(data: Array(url.lastPathComponent.utf8) + [0])
        hmac.update(data: content)
        return hmac.finalize()
    }

    private static func hexBytes(_ hex: ArraySlice<UInt8>) -> [UInt8]? {
        guard hex.count % 2 == 0 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case 0x30...0x39: return c - 0x30
            case 0x61...0x66: return c - 0x61 + 10
            default: return nil
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(hex.count / 2)
        var index = hex.startIndex
        while index < hex.endIndex {
            guard let high = nibble(hex[index]), let low = nibble(hex[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }
}

/// A cache file read in parts: a table of sections, then the sections, each with its own
/// MAC, so a reader that needs a few of them reads and authenticates those alone.
///
/// Why: a sign-off needs four people of 10,000, and authenticating (and reading, and
/// splitting) the whole 865 KB people cache to find them cost more than everything else
/// it reads. Authenticated as `CacheText` files are, with the same key: the table's MAC
/// covers the file's name, its magic and where every section lies; each section's MAC
/// covers the name, the table's MAC and the section's number as well as its bytes, so a
/// section cannot be moved to another place or into another file (each file has a random
/// nonce in its table). A section that fails is reported (nil) and the caller rebuilds
/// the file.
///
/// Layout: the magic, a 16-byte random nonce, the number of sections N (32 bits,
/// little-endian), N + 1 offsets
/// from the start of the file (32 bits each; section i lies between offsets i and i + 1,
/// the last is the file's size), the table's 32-byte MAC, then each section's bytes
/// followed by its 32-byte MAC.
final class CacheSections {
    static let macSize = 32
    static let nonceSize = 16

    private let descriptor: Int32
    private let key: SymmetricKey
    private let name: [UInt8]
    private let tableMAC: [UInt8]
    private let offsets: [Int]

    /// How many sections the file holds.
    var count: Int { offsets.count - 1 }

    /// Opens the cache file at `url` and authenticates its table; nil when the file is
    /// missing, not a regular file, of another kind (`magic`) or not authenticated.
    init?(_ url: URL, magic: [UInt8]) {
        guard let key = CacheKey.shared else { return nil }
        let descriptor = open(url.path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size < Int64(UInt32.max),
            let head = Self.read(descriptor, at: 0, count: magic.count + Self.nonceSize + 4), head.starts(with: magic)
        else {
            close(descriptor)
            return nil
        }
        let size = Int(info.st_size)
        let count = Self.number(head, at: magic.count + Self.nonceSize)
        let tableSize = head.count + (count + 1) * 4
        guard count >= 1, tableSize + Self.macSize + count * Self.macSize <= size,
            let table = Self.read(descriptor, at: head.count, count: (count + 1) * 4 + Self.macSize)
        else {
            close(descriptor)
            return nil
        }
        self.descriptor = descriptor
        self.key = key
        self.name = Array(url.lastPathComponent.utf8)
        let offsets = (0...count).map { Self.number(table, at: $0 * 4) }
        self.offsets = offsets
        self.tableMAC = Array(table[((count + 1) * 4)...])
        var hmac = HMAC<SHA256>(key: key)
        hmac.update(data: name + [0])
        hmac.update(data: head)
        hmac.update(data: table[..<((count + 1) * 4)])
        // `==` between a MAC and bytes compares in constant time.
        guard hmac.finalize() == tableMAC, offsets[0] == tableSize + Self.macSize, offsets[count] == size,
            zip(offsets, offsets.dropFirst()).allSatisfy({ $1 - $0 >= Self.macSize })
        else { return nil }
    }

    deinit { close(descriptor) }

    /// The bytes of section `index` once authenticated; nil when they are not (or cannot
    /// be read).
    func section(_ index: Int) -> ArraySlice<UInt8>? {
        guard index >= 0, index < count,
            let bytes = Self.read(descriptor, at: offsets[index], count: offsets[index + 1] - offsets[index])
        else { return nil }
        let content = bytes[..<(bytes.count - Self.macSize)]
        guard
            Self.sectionMAC(key: key, name: name, tableMAC: tableMAC, index: index, content: content)
                == bytes[(bytes.count - Self.macSize)...]
        else { return nil }
        return content
    }

    /// Replaces `url` atomically with `sections` behind `magic` (see `CacheText.write`);
    /// nothing is written when there is no cache key or the file would not fit 32-bit offsets.
    static func write(_ sections: [[UInt8]], magic: [UInt8], to url: URL) {
        guard let key = CacheKey.shared, !sections.isEmpty else { return }
        let name = Array(url.lastPathComponent.utf8)
        var head = magic
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<nonceSize { head.append(UInt8.random(in: 0...255, using: &generator)) }
        withUnsafeBytes(of: UInt32(sections.count).littleEndian) { head.append(contentsOf: $0) }
        var offsets: [Int] = [head.count + (sections.count + 1) * 4 + macSize]
        for section in sections { offsets.append(offsets[offsets.count - 1] + section.count + macSize) }
        guard let last = offsets.last, last < Int(UInt32.max) else { return }
        var table: [UInt8] = []
        table.reserveCapacity((sections.count + 1) * 4)
        for offset in offsets { withUnsafeBytes(of: UInt32(offset).littleEndian) { table.append(contentsOf: $0) } }
        var hmac = HMAC<SHA256>(key: key)
        hmac.update(data: name + [0])
        hmac.update(data: head)
        hmac.update(data: table)
        let tableMAC = Array(hmac.finalize())
        var out = head + table + tableMAC
        out.reserveCapacity(last)
        for (index, section) in sections.enumerated() {
            out += section
            out += sectionMAC(key: key, name: name, tableMAC: tableMAC, index: index, content: section[...])
        }
        CacheText.writeRaw(out, to: url)
    }

    private static func sectionMAC(
        key: SymmetricKey, name: [UInt8], tableMAC: [UInt8], index: Int, content: ArraySlice<UInt8>
    ) -> HashedAuthenticationCode<SHA256> {
        var hmac = HMAC<SHA256>(key: key)
        hmac.update(data: name + [0])
        hmac.update(data: tableMAC)
        hmac.update(data: withUnsafeBytes(of: UInt32(index).littleEndian) { Array($0) })
        hmac.update(data: content)
        return hmac.finalize()
    }

    private static func number(_ bytes: [UInt8], at position: Int) -> Int {
        Int(
            UInt32(bytes[position]) | UInt32(bytes[position + 1]) << 8 | UInt32(bytes[position + 2]) << 16
                | UInt32(bytes[position + 3]) << 24)
    }

    /// Exactly `count` bytes at `offset`, nil when the file ends first or a read fails.
    private static func read(_ descriptor: Int32, at offset: Int, count: Int) -> [UInt8]? {
        guard count >= 0 else { return nil }
        var failed = false
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var total = 0
            while total < count {
                let read = pread(descriptor, buffer.baseAddress! + total, count - total, off_t(offset + total))
                if read < 0 && errno == EINTR { continue }
                if read <= 0 {
                    failed = true
                    break
                }
                total += read
            }
            initialized = total
        }
        return failed ? nil : bytes
    }
}

/// The secret that authenticates cache files: 32 random bytes in
/// `$XDG_CACHE_HOME/evident/cache-key` (default `~/.cache/evident/cache-key`), created
/// on first use with mode 0600.
///
/// It lives outside every repository on purpose: whoever can write a repository's `.git`
/// but not the user's home (a shared CI cache, a shared checkout) cannot forge a cache
/// this user trusts. With no usable home, nothing is cached.
enum CacheKey {
    /// The key's bytes (a `SymmetricKey` is not `Sendable`, so the global holds plain bytes).
    private static let sharedBytes: [UInt8]? = load(environment: locationEnvironment())
        .map { key in key.withUnsafeBytes { Array($0) } }

    static var shared: SymmetricKey? { sharedBytes.map { SymmetricKey(data: $0) } }

    /// The two variables `location` reads, from `getenv`: `ProcessInfo.environment`
    /// builds a dictionary of the whole environment on every call.
    static func locationEnvironment() -> [String: String] {
        var environment: [String: String] = [:]
        for name in ["XDG_CACHE_HOME", "HOME"] {
            if let value = getenv(name) { environment[name] = String(cString: value) }
        }
        return environment
    }

    static func location(environment: [String: String]) -> URL? {
        if let base = environment["XDG_CACHE_HOME"], base.hasPrefix("/") {
            return URL(fileURLWithPath: base).appendingPathComponent("evident/cache-key")
        }
        guard let home = environment["HOME"], home.hasPrefix("/") else { return nil }
        return URL(fileURLWithPath: home).appendingPathComponent(".cache/evident/cache-key")
    }

    static func load(environment: [String: String]) -> SymmetricKey? {
        guard let url = location(environment: environment) else { return nil }
        if let key = readKey(url) { return key }
        try? FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700])
        // Create-exclusive, so two processes starting at once agree on one key: the loser
        // reads the winner's.
        let descriptor = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        if descriptor >= 0 {
            let key = SymmetricKey(size: .bits256)
            let bytes = key.withUnsafeBytes { Array($0) }
            let written = bytes.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
            close(descriptor)
            if written == bytes.count { return key }
            unlink(url.path)
            return nil
        }
        return readKey(url)
    }

    /// The key at `url` when it is a regular file of exactly 32 bytes that only its owner
    /// can read or write; anything else is not trusted.
    private static func readKey(_ url: URL) -> SymmetricKey? {
        var info = stat()
        guard lstat(url.path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_mode & 0o077 == 0,
            info.st_uid == getuid(), let bytes = RegularFile.read(url.path), bytes.count == 32
        else { return nil }
        return SymmetricKey(data: bytes)
    }
}

/// `signoffs-v2`: "evident-signoffs 2", "head <id>", then one record per line. Written
/// only after a walk of the history from that head, so (with its MAC) it stands for
/// exactly the sign-offs reachable from it.
enum RecordCache {
    static let magic = "evident-signoffs 2"
    static let fieldCount = 14

    static func read(_ url: URL) -> (head: String, records: [SignoffHistory.Record])? {
        guard let lines = CacheText.lines(of: url) else { return nil }
        guard lines.count >= 2, String(decoding: lines[0], as: UTF8.self) == magic else { return nil }
        let second = String(decoding: lines[1], as: UTF8.self)
        guard second.hasPrefix("head ") else { return nil }
        let head = String(second.dropFirst(5))
        var records: [SignoffHistory.Record] = []
        records.reserveCapacity(lines.count - 2)
        for line in lines.dropFirst(2) {
            let f = CacheText.fields(line)
            guard f.count == fieldCount, let position = SignoffPosition(rawValue: f[9]) else { return nil }
            records.append(
                SignoffHistory.Record(
                    commitID: f[0], role: f[1], file: f[2], blob: f[3], rating: f[4].isEmpty ? nil : f[4],
                    signerName: f[5], signerEmail: f[6], committerName: f[7], committerEmail: f[8], date: f[12],
                    position: position, reason: f[10].isEmpty ? nil : f[10], voids: f[11].isEmpty ? nil : f[11],
                    isSigned: f[13] == "1", signatureVerified: nil, currentBlob: nil))
        }
        return (head, records)
    }

    static func write(_ url: URL, head: String, records: [SignoffHistory.Record]) {
        var text = magic + "\nhead " + head + "\n"
        for r in records {
            let fields = [
                r.commitID, r.role, r.file, r.blob, r.rating ?? "", r.signerName, r.signerEmail, r.committerName,
                r.committerEmail, r.position.rawValue, r.reason ?? "", r.voids ?? "", r.date, r.isSigned ? "1" : "0",
            ]
            text += fields.map(CacheText.escape).joined(separator: "\t") + "\n"
        }
        CacheText.write(text, to: url)
    }
}
