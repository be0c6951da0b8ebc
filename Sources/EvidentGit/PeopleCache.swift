import EvidentCore
import Foundation

/// The decoded `people.yaml`, kept in `.git/evident/people-decoded-v2` for the next check.
///
/// Why: every pre-commit check loads the whole registry (a sign-off needs only a few
/// people, and keeps those in `SignoffPeople`'s cache), and decoding the 1.4 MB
/// people.yaml of a 10,000-person organisation was an eighth of a `check --staged`,
/// though the file rarely changes. Reading the people back from this compact form
/// costs a fraction of that, and the registry's bytes are not read at all.
///
/// Keyed by the blob id and the review-relative path of the file it was decoded from,
/// so it can only stand for exactly those bytes at that place (the path is in every
/// location a finding points to). Authenticated like every cache (`CacheText`): a
/// damaged or forged file is ignored and the registry decoded again. Only a registry
/// the loader decoded without a problem is kept (`LoadedFile.peopleWithoutProblems`), so
/// every diagnostic about people.yaml is still worded by the loader.
///
/// Format, after the `evident-people 2` line: the blob id and a newline, the path, then
/// the number of people and per person its fields in `Person`'s order. Strings are a
/// 32-bit length and UTF-8 bytes, numbers 32 bits (little-endian), an optional field a
/// byte 0 or 1 before its value. A change to `Person` needs a new version.
enum PeopleCache {
    static let magic = Array("evident-people 2\n".utf8)

    static func url(in repository: GitRepository) -> URL {
        repository.evidentCacheURL("people-decoded-v2")
    }

    /// The people decoded from blob `blob` at `path`, nil when the cache is missing,
    /// damaged, not authenticated or for another file.
    static func read(_ url: URL, blob: String, path: String) -> [Person]? {
        CacheText.withContent(of: url) { decode($0, blob: blob, path: path) }
    }

    /// Replaces the cache with `people`; nothing is written when they cannot be kept
    /// exactly (a location in another file, a number out of range).
    static func write(_ people: [Person], blob: String, path: String, to url: URL) {
        guard let bytes = encode(people, blob: blob, path: path) else { return }
        CacheText.write(bytes: bytes, to: url)
    }

    static func encode(_ people: [Person], blob: String, path: String) -> [UInt8]? {
        var out = Writer()
        out.bytes = magic + Array(blob.utf8) + [0x0A]
        out.string(path)
        out.number(people.count)
        for person in people {
            for located in [person.id, person.level, person.team]
                + [person.manager, person.specialism].compactMap({ $0 })
            {
                guard located.location.file == path else { return nil }
            }
            out.located(person.id)
            out.string(person.name)
            out.string(person.email)
            out.located(person.level)
            out.located(person.team)
            out.flag(person.manager != nil)
            if let manager = person.manager { out.located(manager) }
            out.number(person.roles.count)
            for role in person.roles { out.string(role) }
            out.flag(person.signingKey != nil)
            if let key = person.signingKey { out.string(key) }
            out.flag(person.specialism != nil)
            if let specialism = person.specialism { out.located(specialism) }
        }
        return out.failed ? nil : out.bytes
    }

    static func decode(_ bytes: ArraySlice<UInt8>, blob: String, path: String) -> [Person]? {
        bytes.withUnsafeBufferPointer { decode($0, blob: blob, path: path) }
    }

    /// Read through a raw buffer: 10,000 people are 80,000 strings and 100,000 numbers,
    /// and a slice checks its bounds on every byte it gives.
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, blob: String, path: String) -> [Person]? {
        let header = magic + Array(blob.utf8) + [0x0A]
        guard bytes.starts(with: header) else { return nil }
        return decode(Reader(bytes: bytes, position: header.count), path: path)
    }

    private static func decode(_ start: Reader, path: String) -> [Person]? {
        var reader = start
        do {
            guard try reader.string() == path else { return nil }
            let count = try reader.number()
            // Each person takes at least 30 bytes: no reserving for a forged count.
            guard count <= reader.remaining / 30 else { return nil }
            var people: [Person] = []
            people.reserveCapacity(count)
            for _ in 0..<count {
                let id = try reader.located(path)
                let name = try reader.string()
                let email = try reader.string()
                let level = try reader.located(path)
                let team = try reader.located(path)
                let manager = try reader.flag() ? try reader.located(path) : nil
                let roleCount = try reader.number()
                guard roleCount <= reader.remaining / 4 else { return nil }
                var roles: [String] = []
                roles.reserveCapacity(roleCount)
                for _ in 0..<roleCount { roles.append(try reader.string()) }
                let signingKey = try reader.flag() ? try reader.string() : nil
                let specialism = try reader.flag() ? try reader.located(path) : nil
                people.append(
                    Person(
                        id: id, name: name, email: email, level: level, team: team, manager: manager, roles: roles,
                        signingKey: signingKey, specialism: specialism))
            }
            guard reader.remaining == 0 else { return nil }
            return people
        } catch {
            return nil
        }
    }

    private struct Writer {
        var bytes: [UInt8] = []
        /// Set when a number does not fit in 32 bits: the cache is then not written.
        var failed = false

        mutating func number(_ value: Int) {
            guard value >= 0, value <= Int(UInt32.max) else {
                failed = true
                return
            }
            withUnsafeBytes(of: UInt32(value).littleEndian) { bytes.append(contentsOf: $0) }
        }

        mutating func string(_ text: String) {
            number(text.utf8.count)
            bytes.append(contentsOf: text.utf8)
        }

        mutating func located(_ value: Located<String>) {
            string(value.value)
            number(value.location.line)
            number(value.location.column)
        }

        mutating func flag(_ value: Bool) {
            bytes.append(value ? 1 : 0)
        }
    }

    private struct Malformed: Error {}

    /// A bounds-checked cursor: a truncated or altered file fails the read, never traps.
    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var position: Int

        var remaining: Int { bytes.count - position }

        @inline(__always)
        mutating func number() throws(Malformed) -> Int {
            guard remaining >= 4 else { throw Malformed() }
            let value = UnsafeRawPointer(bytes.baseAddress! + position).loadUnaligned(as: UInt32.self)
            position += 4
            return Int(UInt32(littleEndian: value))
        }

        @inline(__always)
        mutating func string() throws(Malformed) -> String {
            let count = try number()
            guard count <= remaining else { throw Malformed() }
            let text = String(
                decoding: UnsafeBufferPointer(rebasing: bytes[position..<position + count]), as: UTF8.self)
            position += count
            return text
        }

        @inline(__always)
        mutating func located(_ path: String) throws(Malformed) -> Located<String> {
            let value = try string()
            let line = try number()
            let column = try number()
            return Located(value, at: SourceLocation(file: path, line: line, column: column))
        }

        @inline(__always)
        mutating func flag() throws(Malformed) -> Bool {
            guard remaining >= 1, bytes[position] <= 1 else { throw Malformed() }
            position += 1
            return bytes[position - 1] == 1
        }
    }
}
