import EvidentCore
import XCTest

@testable import EvidentGit

/// The caches under `.git/evident/` must give back exactly what was written, whatever a
/// trailer or a name holds, and the people subset must decide like the full file.
final class SignoffCacheTests: XCTestCase {
    func testEscapingRoundTripsAnyText() {
        let samples = ["plain", "tab\there", "line\nbreak", "crlf\r\nend", "back\\slash\\t", "", "üñî 🚀", "\\", "\t\n\r"]
        for sample in samples {
            let escaped = CacheText.escape(sample)
            XCTAssertFalse(escaped.utf8.contains(0x09) || escaped.utf8.contains(0x0A) || escaped.utf8.contains(0x0D), sample)
            XCTAssertEqual(CacheText.unescape(ArraySlice(escaped.utf8)), sample)
        }
        let line = samples.map(CacheText.escape).joined(separator: "\t")
        XCTAssertEqual(CacheText.fields(ArraySlice(line.utf8)), samples)
    }

    func testRecordCacheRoundTrip() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("evident-cache-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("evident/signoffs-v1")
        let records = [
            SignoffHistory.Record(
                commitID: String(repeating: "a", count: 40), role: "manager", file: "cycles/x/y/review.md",
                blob: String(repeating: "b", count: 40), rating: "meets", signerName: "Dana\tO\r\nkafor",
                signerEmail: "dana@example.com", date: "2026-12-15T10:00:00Z", isSigned: true),
            SignoffHistory.Record(
                commitID: String(repeating: "c", count: 40), role: "hr", file: "a\\b", blob: "", rating: nil,
                signerName: "", signerEmail: "", date: "", isSigned: false),
        ]
        RecordCache.write(url, head: String(repeating: "d", count: 40), records: records)
        let read = try XCTUnwrap(RecordCache.read(url))
        XCTAssertEqual(read.head, String(repeating: "d", count: 40))
        XCTAssertEqual(read.records, records)
        try Data("evident-signoffs 1\nhead x\ntoo\tfew\n".utf8).write(to: url)
        XCTAssertNil(RecordCache.read(url), "a malformed cache is ignored, not half-used")
    }

    func testPeopleSubsetHoldsSignerAndManagerChain() throws {
        let records: [SignoffPeople.Record] = [
            .init(id: "vera", name: "Vera", email: "vera@x", level: "m", team: "t", manager: "alice", roles: [], signingKey: nil),
            .init(id: "dana", name: "Dana \"D\"", email: "dana@x", level: "m", team: "t", manager: "vera", roles: ["hr"], signingKey: "ssh-ed25519 AAAA d"),
            .init(id: "alice", name: "Alice", email: "alice@x", level: "e", team: "t", manager: "dana", roles: [], signingKey: nil),
            .init(id: "bob", name: "Bob", email: "DANA@x", level: "e", team: "t", manager: nil, roles: [], signingKey: nil),
            .init(id: "dana", name: "Second Dana", email: "d2@x", level: "e", team: "t", manager: nil, roles: [], signingKey: nil),
        ]
        // A manager loop (vera → alice → dana → vera) ends; the duplicate dana is not chosen.
        let subset = SignoffPeople.select(records, signerEmail: "Dana@X", person: "alice")
        XCTAssertEqual(subset.map(\.id), ["vera", "dana", "alice"])
        XCTAssertEqual(SignoffPeople.select(records, signerEmail: "bob@nowhere", person: "ghost").map(\.id), [])

        // The cache file answers the same, decoding only the lines it selects, for
        // escaped, upper-case and non-ASCII emails alike.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("evident-people-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("people-v1-test")
        let more = records + [
            .init(id: "zoe", name: "Zoë", email: "ZOË@Ex\\ample", level: "e", team: "t", manager: "alice", roles: [], signingKey: nil)
        ]
        SignoffPeople.write(more, to: url)
        let cached = try XCTUnwrap(SignoffPeople.CachedPeople(url))
        for (email, person) in [("Dana@X", "alice"), ("bob@nowhere", "ghost"), ("zoë@ex\\ample", "zoe"), ("vera@x", "bob")] {
            XCTAssertEqual(
                cached.select(signerEmail: email, person: person), SignoffPeople.select(more, signerEmail: email, person: person),
                "\(email) signing off \(person)")
        }
        XCTAssertEqual(cached.select(signerEmail: "zoë@ex\\ample", person: "nobody").map(\.name), ["Zoë"])
        try Data("evident-people 1\nonly\ttwo\n".utf8).write(to: url)
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
