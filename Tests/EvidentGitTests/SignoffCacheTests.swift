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
        XCTAssertEqual(cached.select(signerEmail: "zoë@ex\\ample", person: "nobody").map(\.name), ["Zoë"])
        XCTAssertEqual(
            cached.select(signerEmail: "zoë@ex\\ample", person: "nobody").first?.roles, ["x\u{1F}hr", "a\tb"])
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
