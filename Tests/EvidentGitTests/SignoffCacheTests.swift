import EvidentCore
import EvidentTestSupport
import XCTest

@testable import EvidentGit

/// The caches under `.git/evident/` must give back exactly what was written, whatever a
/// trailer or a name holds, and the people subset must decide like the full file.
final class SignoffCacheTests: XCTestCase {
    func testEscapingRoundTripsAnyText() {
        let samples = [
            "plain", "tab\there", "line\nbreak", "crlf\r\nend", "back\\slash\\t", "", "üñî 🚀", "\\", "\t\n\r",
            "unit\u{1F}separator", "\\u",
        ]
        for sample in samples {
            let escaped = CacheText.escape(sample)
            XCTAssertFalse(escaped.utf8.contains { [0x09, 0x0A, 0x0D, 0x1F].contains($0) }, sample)
            XCTAssertEqual(CacheText.unescape(ArraySlice(escaped.utf8)), sample)
        }
        let line = samples.map(CacheText.escape).joined(separator: "\t")
        XCTAssertEqual(CacheText.fields(ArraySlice(line.utf8)), samples)
        // Lists split on U+001F only between items, never inside one.
        let roles = ["x\u{1F}hr", "hr", "", "a\\u"]
        XCTAssertEqual(CacheText.unescapeList(ArraySlice(CacheText.escapeList(roles).utf8)), roles)
    }

    /// Every cache file is authenticated: an edit, a forged MAC, a truncation or a rename
    /// makes it unreadable (and so rebuilt), never half trusted.
    /// The cache's line and byte scans on memchr and raw buffers give what the generic
    /// `split` and `filter` give, on slices that do not start at 0 as well.
    func testLinesAndCountsEqualTheGenericOnes() {
        let samples = [
            "", "\n", "\n\n\n", "one", "one\n", "\none", "a\n\nb\n", "a\tb\tc\n\td\t\n", "ü\n🚀\n\n x \n",
            String(repeating: "line\twith\ttabs\n", count: 300) + "last",
        ]
        for sample in samples {
            let bytes = Array(sample.utf8)
            for start in [0, min(1, bytes.count), bytes.count / 2] {
                for end in [bytes.count, max(start, bytes.count - 1)] {
                    let slice = bytes[start..<end]
                    XCTAssertEqual(
                        CacheText.lines(slice).map(Array.init),
                        slice.split(separator: 0x0A, omittingEmptySubsequences: true).map(Array.init),
                        "\(sample.debugDescription) \(start)..<\(end)")
                    XCTAssertEqual(CacheText.lines(slice).map(\.startIndex).allSatisfy { $0 >= start }, true)
                    XCTAssertEqual(CacheText.count(0x09, in: slice), slice.filter { $0 == 0x09 }.count)
                }
            }
        }
    }

    func testCacheFilesAreAuthenticated() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("evident-mac-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("evident/test-cache")
        CacheText.write("line one\nline two\n", to: url)
        XCTAssertEqual(CacheText.read(url).map { String(decoding: $0, as: UTF8.self) }, "line one\nline two\n")
        let bytes = try Data(contentsOf: url)
        var flipped = bytes
        flipped[3] ^= 0x01
        try flipped.write(to: url)
        XCTAssertNil(CacheText.read(url), "an edited byte")
        try bytes.dropLast(10).write(to: url)
        XCTAssertNil(CacheText.read(url), "a truncated file")
        let forged = "line one\nevident-mac " + String(repeating: "0", count: 64) + "\n"
        try Data(forged.utf8).write(to: url)
        XCTAssertNil(CacheText.read(url), "a made-up MAC")
        try bytes.write(to: url)
        let renamed = folder.appendingPathComponent("evident/other-cache")
        try bytes.write(to: renamed)
        XCTAssertNotNil(CacheText.read(url))
        XCTAssertNil(CacheText.read(renamed), "a cache moved to another name")
        let key = folder.appendingPathComponent("home/evident/cache-key")
        let made = try XCTUnwrap(
            CacheKey.load(environment: ["XDG_CACHE_HOME": folder.appendingPathComponent("home").path]))
        let again = try XCTUnwrap(
            CacheKey.load(environment: ["XDG_CACHE_HOME": folder.appendingPathComponent("home").path]))
        XCTAssertEqual(made, again, "the key is made once and then read back")
        let attributes = try FileManager.default.attributesOfItem(atPath: key.path)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600)
        chmod(key.path, 0o644)
        XCTAssertNil(
            CacheKey.load(environment: ["XDG_CACHE_HOME": folder.appendingPathComponent("home").path]),
            "a key others can read is not trusted")
        XCTAssertNil(CacheKey.load(environment: [:]), "no home, no cache")
        // The key's place is read with getenv: the same two variables ProcessInfo gives.
        let environment = ProcessInfo.processInfo.environment
        XCTAssertEqual(
            CacheKey.locationEnvironment(), environment.filter { ["XDG_CACHE_HOME", "HOME"].contains($0.key) })
        XCTAssertNotNil(CacheKey.locationEnvironment()["HOME"], "the tests run with a home folder")
    }

    func testRecordCacheRoundTrip() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("evident-cache-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("evident/signoffs-v2")
        let records = [
            SignoffHistory.Record(
                commitID: String(repeating: "a", count: 40), role: "manager", file: "cycles/x/y/review.md",
                blob: String(repeating: "b", count: 40), rating: "meets", signerName: "Dana\tO\r\nkafor",
                signerEmail: "dana@example.com", committerName: "Mallory\u{1F}", committerEmail: "m@x",
                date: "2026-12-15T10:00:00Z", position: .dissent, reason: "Too\nhigh\u{2028}", voids: nil,
                isSigned: true, signatureVerified: nil, currentBlob: nil),
            SignoffHistory.Record(
                commitID: String(repeating: "c", count: 40), role: "hr", file: "a\\b", blob: "", rating: nil,
                signerName: "", signerEmail: "", committerName: "", committerEmail: "", date: "", position: .void,
                reason: nil, voids: String(repeating: "a", count: 40), isSigned: false, signatureVerified: nil,
                currentBlob: nil),
        ]
        RecordCache.write(url, head: String(repeating: "d", count: 40), records: records)
        let read = try XCTUnwrap(RecordCache.read(url))
        XCTAssertEqual(read.head, String(repeating: "d", count: 40))
        XCTAssertEqual(read.records, records)
        CacheText.write("evident-signoffs 2\nhead x\ntoo\tfew\n", to: url)
        XCTAssertNil(RecordCache.read(url), "a malformed cache is ignored, not half-used")
    }

    func testPeopleSubsetHoldsSignerAndManagerChain() throws {
        let records: [SignoffPeople.Record] = [
            .init(
                id: "vera", name: "Vera", email: "vera@x", level: "m", team: "t", manager: "alice", roles: [],
                signingKey: nil),
            .init(
                id: "dana", name: "Dana \"D\"", email: "dana@x", level: "m", team: "t", manager: "vera", roles: ["hr"],
                signingKey: "ssh-ed25519 AAAA d"),
            .init(
                id: "alice", name: "Alice", email: "alice@x", level: "e", team: "t", manager: "dana", roles: [],
                signingKey: nil),
            .init(
                id: "bob", name: "Bob", email: "DANA@x", level: "e", team: "t", manager: nil, roles: [], signingKey: nil
            ),
            .init(
                id: "dana", name: "Second Dana", email: "d2@x", level: "e", team: "t", manager: nil, roles: [],
                signingKey: nil),
        ]
        // A manager loop (vera → alice → dana → vera) ends; the duplicate dana is not chosen.
        let subset = SignoffPeople.select(records, signerEmail: "Dana@X", person: "alice")
        XCTAssertEqual(subset.map(\.id), ["vera", "dana", "alice"])
        XCTAssertEqual(SignoffPeople.select(records, signerEmail: "bob@nowhere", person: "ghost").map(\.id), [])

        // The cache file answers the same, decoding only the lines it selects, for
        // escaped, upper-case and non-ASCII emails alike.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "evident-people-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("people-v2-test")
        let more =
            records + [
                .init(
                    id: "zoe", name: "Zoë", email: "ZOË@Ex\\ample", level: "e", team: "t", manager: "alice",
                    roles: ["x\u{1F}hr", "a\tb"], signingKey: nil)
            ]
        SignoffPeople.write(more, to: url)
        let cached = try XCTUnwrap(SignoffPeople.CachedPeople(url))
        for (email, person) in [
            ("Dana@X", "alice"), ("bob@nowhere", "ghost"), ("zoë@ex\\ample", "zoe"), ("vera@x", "bob"),
        ] {
            XCTAssertEqual(
                cached.select(signerEmail: email, person: person),
                SignoffPeople.select(more, signerEmail: email, person: person),
                "\(email) signing off \(person)")
        }
        XCTAssertEqual(cached.select(signerEmail: "zoë@ex\\ample", person: "nobody")?.map(\.name), ["Zoë"])
        XCTAssertEqual(
            cached.select(signerEmail: "zoë@ex\\ample", person: "nobody")?.first?.roles, ["x\u{1F}hr", "a\tb"])
        CacheText.write("evident-people 2\nonly\ttwo\n", to: url)
        XCTAssertNil(SignoffPeople.CachedPeople(url), "a damaged cache is rebuilt, not half read")

        let yaml = SignoffPeople.yaml(subset)
        let organisation = try RepositoryLoader.load(from: MemorySource(root: "/x", texts: ["people.yaml": yaml]))
        XCTAssertEqual(organisation.people.map(\.id.value), ["vera", "dana", "alice"])
        XCTAssertEqual(organisation.person("dana")?.name, "Dana \"D\"")
        XCTAssertEqual(organisation.person("dana")?.roles, ["hr"])
        XCTAssertEqual(organisation.person("dana")?.signingKey, "ssh-ed25519 AAAA d")
        XCTAssertEqual(organisation.managers(of: "alice"), ["dana", "vera"])
    }
}

/// The sign-off's people cache is read in buckets, each authenticated on its own: it must
/// choose the people the whole list would, and a damaged, forged, moved or truncated part
/// must be refused (nil: the caller parses people.yaml again), never half read.
final class SignoffPeopleBucketTests: XCTestCase {
    private func folder() -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "evident-buckets-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        return folder
    }

    /// Random organisations (duplicate ids, emails differing in case, manager loops and
    /// dangling managers, escaped text) of sizes that make one bucket and hundreds.
    func testBucketsChooseWhatTheWholeListChooses() throws {
        var random = SeededGenerator.forTest(self)
        let seed = random.seed
        let url = folder().appendingPathComponent("people-v3-random")
        for size in [0, 1, 5, 17, 40, 300, 2_000] {
            let ids = (0..<max(1, size * 9 / 10)).map { "p\($0)" } + ["ü-\u{1F}x", "tab\tid"]
            var records: [SignoffPeople.Record] = []
            for _ in 0..<size {
                let id = ids[Int(random.next() % UInt64(ids.count))]
                let mail = "M\(random.next() % UInt64(max(1, size)))@Ex.ample" + (random.next() % 9 == 0 ? "Ö" : "")
                records.append(
                    .init(
                        id: id, name: "Name \(id)\n", email: random.next() % 2 == 0 ? mail : mail.lowercased(),
                        level: "l", team: "t",
                        manager: random.next() % 5 == 0 ? nil : ids[Int(random.next() % UInt64(ids.count))],
                        roles: random.next() % 3 == 0 ? ["hr", "a\u{1F}b"] : [],
                        signingKey: random.next() % 2 == 0 ? nil : "ssh-ed25519 K\(id)"))
            }
            SignoffPeople.write(records, to: url)
            let cached = try XCTUnwrap(SignoffPeople.CachedPeople(url), "seed \(seed), size \(size)")
            for _ in 0..<60 {
                let email =
                    records.isEmpty || random.next() % 4 == 0
                    ? "nobody@x" : records[Int(random.next() % UInt64(records.count))].email.uppercased()
                let person = random.next() % 6 == 0 ? "ghost" : ids[Int(random.next() % UInt64(ids.count))]
                XCTAssertEqual(
                    cached.select(signerEmail: email, person: person),
                    SignoffPeople.select(records, signerEmail: email, person: person),
                    "seed \(seed), size \(size): \(email) signing off \(person)")
            }
        }
    }

    func testDamagedForgedOrMovedBucketsAreRefused() throws {
        let folder = folder()
        let url = folder.appendingPathComponent("people-v3-test")
        let records = (0..<200).map { index in
            SignoffPeople.Record(
                id: "p\(index)", name: "P \(index)", email: "p\(index)@x", level: "l", team: "t",
                manager: index == 0 ? nil : "p\(index / 2)", roles: [], signingKey: nil)
        }
        SignoffPeople.write(records, to: url)
        let expected = SignoffPeople.select(records, signerEmail: "p3@x", person: "p150")
        XCTAssertEqual(expected.map(\.id), ["p0", "p1", "p2", "p3", "p4", "p9", "p18", "p37", "p75", "p150"])
        XCTAssertEqual(
            try XCTUnwrap(SignoffPeople.CachedPeople(url)).select(signerEmail: "p3@x", person: "p150"), expected)
        let bytes = try Data(contentsOf: url)
        let cached = try XCTUnwrap(CacheSections(url, magic: SignoffPeople.CachedPeople.magic))
        XCTAssertEqual(cached.count, 2 * (200 / 16))
        // Every byte of the file matters: a flipped byte in the table fails the open, one
        // in a bucket fails that bucket's read (and so the selection, when it needs it).
        for position in stride(from: 0, to: bytes.count, by: 97) {
            var damaged = bytes
            damaged[position] ^= 0x20
            try damaged.write(to: url)
            let all = SignoffPeople.CachedPeople(url).map { people in
                (0..<people.file.count).allSatisfy { people.file.section($0) != nil }
            }
            XCTAssertNotEqual(all, true, "byte \(position) changed unnoticed")
            if let people = SignoffPeople.CachedPeople(url),
                let chosen = people.select(signerEmail: "p3@x", person: "p150")
            {
                XCTAssertEqual(chosen, expected, "byte \(position)")
            }
        }
        try bytes.dropLast(1).write(to: url)
        XCTAssertNil(SignoffPeople.CachedPeople(url), "a truncated file")
        try (bytes + [0]).write(to: url)
        XCTAssertNil(SignoffPeople.CachedPeople(url), "a longer file")
        // The same file under another name (another people.yaml blob) is not trusted.
        let renamed = folder.appendingPathComponent("people-v3-other")
        try bytes.write(to: renamed)
        XCTAssertNil(SignoffPeople.CachedPeople(renamed))
        try bytes.write(to: url)
        XCTAssertNotNil(SignoffPeople.CachedPeople(url)?.select(signerEmail: "p3@x", person: "p150"))
    }
}

/// `CacheSections` on sections of known bytes: a section moved to another place, or
/// taken from another file of the same name and layout, is refused.
final class CacheSectionsTests: XCTestCase {
    func testSectionsReadBackAndCannotBeMoved() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "evident-sections-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("a/cache")
        let magic = Array("test-sections 1\n".utf8)
        let sections: [[UInt8]] = [Array("first".utf8), Array("other".utf8), [], Array("third one".utf8)]
        CacheSections.write(sections, magic: magic, to: url)
        let file = try XCTUnwrap(CacheSections(url, magic: magic))
        XCTAssertEqual(file.count, 4)
        XCTAssertEqual((0..<4).map { file.section($0).map(Array.init) }, sections)
        XCTAssertNil(file.section(4))
        XCTAssertNil(file.section(-1))
        XCTAssertNil(CacheSections(url, magic: Array("test-sections 2\n".utf8)), "another kind of file")
        let bytes = try Data(contentsOf: url)
        // Sections 0 and 1 have the same length: swapped, the table still fits, the MACs do not.
        let start0 = magic.count + 16 + 4 + 5 * 4 + 32
        let start1 = start0 + 5 + 32
        var swapped = bytes
        swapped.replaceSubrange(start0..<start1, with: bytes[start1..<(start1 + 37)])
        swapped.replaceSubrange(start1..<(start1 + 37), with: bytes[start0..<start1])
        try swapped.write(to: url)
        let moved = try XCTUnwrap(CacheSections(url, magic: magic), "the table is intact")
        XCTAssertNil(moved.section(0))
        XCTAssertNil(moved.section(1))
        XCTAssertEqual(moved.section(3).map(Array.init), sections[3])
        // The same sections written again (same name, same layout, another nonce): a
        // section of one file does not verify in the other.
        let second = folder.appendingPathComponent("b/cache")
        CacheSections.write(sections, magic: magic, to: second)
        var mixed = try Data(contentsOf: second)
        XCTAssertEqual(mixed.count, bytes.count)
        XCTAssertNotEqual(mixed, bytes, "each file has its own nonce")
        mixed.replaceSubrange(start0..<start1, with: bytes[start0..<start1])
        try mixed.write(to: second)
        let other = try XCTUnwrap(CacheSections(second, magic: magic))
        XCTAssertNil(other.section(0))
        XCTAssertEqual(other.section(1).map(Array.init), sections[1])
        // A forged table (its MAC made up) and a short file are refused whole.
        var forged = bytes
        forged[start0 - 1] ^= 0xFF
        try forged.write(to: url)
        XCTAssertNil(CacheSections(url, magic: magic))
        try bytes.prefix(start0 - 10).write(to: url)
        XCTAssertNil(CacheSections(url, magic: magic))
        try Data().write(to: url)
        XCTAssertNil(CacheSections(url, magic: magic))
    }
}

/// The hand-made ISO 8601 date of a sign-off must read exactly as Foundation's
/// formatter writes it, for any commit date and time-zone offset git can record.
final class SignoffDateTests: XCTestCase {
    func testISODateMatchesFoundationForRandomDatesAndOffsets() {
        var random = SeededGenerator.forTest(self)
        let start = random.seed
        func next() -> UInt64 { random.next() }
        let offsets = [0, 60, -60, 330, -330, 345, 525, -570, 720, 765, 840, -720, 1, -1]
        for _ in 0..<2_000 {
            let date = Date(timeIntervalSince1970: Double(next() % 4_102_444_800) + Double(next() % 1000) / 1000)
            let offset = next() % 4 == 0 ? Int(next() % 1681) - 840 : offsets[Int(next() % UInt64(offsets.count))]
            let formatter = ISO8601DateFormatter()
            formatter.timeZone = TimeZone(secondsFromGMT: offset * 60)
            formatter.formatOptions = [.withInternetDateTime]
            let signature = GitSignature(name: "n", email: "e", date: date, timeZoneOffsetMinutes: offset)
            XCTAssertEqual(
                SignoffHistory.isoDate(signature), formatter.string(from: date), "seed \(start), offset \(offset)")
        }
    }
}
