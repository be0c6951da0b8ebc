import EvidentCore
import EvidentFilter
import EvidentSeal
import Foundation
import XCTest

/// The filter's clean and smudge on files with private sections in every spelling the
/// one definition accepts: a private reader gets the exact bytes back, a reader of the
/// file who is no private reader never sees the private text, and the blocks are found
/// again where they were put.
final class PrivateRoundTripTests: XCTestCase {
    private var root: URL!
    private var keys: [String: String] = [:]

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("evfilter-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("keys"), withIntermediateDirectories: true)
        addTeardownBlock { [root] in try? FileManager.default.removeItem(at: root!) }
        var keygen: String?
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init) + [
            "/usr/bin"
        ]
        where FileManager.default.isExecutableFile(atPath: directory + "/ssh-keygen") {
            keygen = directory + "/ssh-keygen"
            break
        }
        let tool = try XCTUnwrap(keygen, "ssh-keygen is not installed (scripts/setup.sh installs it)")
        for person in ["dana", "alice", "kofi"] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: tool)
            process.arguments = [
                "-q", "-t", "ed25519", "-N", "", "-C", person, "-f", root.appendingPathComponent("keys/\(person)").path,
            ]
            try process.run()
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, 0)
            keys[person] = try String(contentsOf: root.appendingPathComponent("keys/\(person).pub"), encoding: .utf8)
                .split(separator: " ").prefix(2).joined(separator: " ")
        }
        let people = """
            people:
              - { id: dana, name: Dana, email: dana@x, level: l, team: t, signing_key: "\(keys["dana"]!)" }
              - { id: alice, name: Alice, email: alice@x, level: l, team: t, manager: dana, signing_key: "\(keys["alice"]!)" }
              - { id: kofi, name: Kofi, email: kofi@x, level: l, team: t, manager: dana, signing_key: "\(keys["kofi"]!)" }

            """
        try Data(
            "evident: 1\norganization: T\nratings: [{ id: meets, label: Meets }]\nsealing: { enabled: true }\n".utf8
        )
        .write(to: root.appendingPathComponent("evident.yaml"))
        try Data(people.utf8).write(to: root.appendingPathComponent("people.yaml"))
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("cycles/c"), withIntermediateDirectories: true)
        try Data("id: c\nperiod: { start: 2026-01-01, end: 2026-06-30 }\nphase: calibration\n".utf8)
            .write(to: root.appendingPathComponent("cycles/c/cycle.yaml"))
    }

    private func filter(_ person: String) -> SealFilter {
        SealFilter(
            workTree: root.path, repository: nil,
            environment: ["EVIDENT_IDENTITY": root.appendingPathComponent("keys/\(person)").path, "HOME": root.path],
            warn: { XCTFail("unexpected warning: \($0)") })
    }

    /// Bodies that end right before a setext heading, a fenced block, a block quote, a
    /// CRLF file, entities and inline markup in the heading, nested sections, no final
    /// newline, two private sections.
    static let documents: [String] = [
        "---\nkind: evidence\n---\nPublic.\n\n## Private\n\nSECRET-1\n\n## Next\nPublic.\n",
        "---\nkind: evidence\n---\n## Private\n```\nSECRET-2\n```\nLater\n-----\nPublic.\n",
        "---\nkind: evidence\n---\n> ### Private\n> SECRET-3\n\n## After\nPublic.\n",
        "---\r\nkind: evidence\r\n---\r\n## Private\r\nSECRET-4\r\n## Next\r\nPublic.\r\n",
        "---\nkind: evidence\n---\n## **Priv&#97;te**\nSECRET-5\n### Inner\nSECRET-6\n## Out\nPublic.\n",
        "---\nkind: evidence\n---\nPublic.\n\nPrivate\n=======\nSECRET-7 without a final newline",
        "---\nkind: evidence\n---\n## Private\nSECRET-8\n\n## Public\nPublic.\n\n## private\n- SECRET-9\n",
    ]

    func testEverySpellingRoundTripsAndNeverLeaks() throws {
        let path = "cycles/c/alice/evidence.md"
        for (index, document) in Self.documents.enumerated() {
            let original = Array(document.utf8)
            let secrets = document.components(separatedBy: "SECRET-").dropFirst().map { "SECRET-" + $0.prefix(1) }
            XCTAssertFalse(secrets.isEmpty)
            let stored = try filter("dana").clean(pathname: path, content: original)
            XCTAssertTrue(Age.isAgeFile(stored), "document \(index)")
            // dana (private reader): the exact bytes.
            XCTAssertEqual(filter("dana").smudge(pathname: path, content: stored), original, "document \(index)")
            // alice (reads the file, not its private sections): no secret, and her text stores back the same blocks.
            let asAlice = filter("alice").smudge(pathname: path, content: stored)
            let aliceText = String(decoding: asAlice, as: UTF8.self)
            for secret in secrets {
                XCTAssertFalse(aliceText.contains(secret), "document \(index): \(secret) shown to alice")
            }
            XCTAssertTrue(aliceText.contains("-----BEGIN AGE ENCRYPTED FILE-----"), "document \(index)")
            let bodies = PrivateSections.bodyByteRanges(in: asAlice)
            XCTAssertEqual(
                SealedDocument.blocks(asAlice, bodies: bodies).count, secrets.count == 2 && index == 6 ? 2 : 1,
                "document \(index): every block found again")
            let again = try filter("alice").clean(pathname: path, content: asAlice)
            XCTAssertEqual(
                filter("dana").smudge(pathname: path, content: again), original,
                "document \(index): alice's clean keeps the blocks byte for byte")
            // Alice types inside a private section, after its block: what she typed is sealed with
            // the block, to the private readers, never stored where she (or any outer reader) reads it.
            // (Right after the armour's last line: after the blank line that follows it, a line
            // such as `Later` over `-----` would be a public heading she wrote.)
            if let block = SealedDocument.blocks(asAlice, bodies: bodies).first,
                let blockEnd = aliceText.utf8.indices(of: block).last.map({ $0 - (block.count - armourLength(block)) })
            {
                var typed = asAlice
                typed.insert(contentsOf: Array("ALICE-TYPED-HERE\n".utf8), at: blockEnd)
                let typedStored = try filter("alice").clean(pathname: path, content: typed)
                let seenByAlice = String(
                    decoding: filter("alice").smudge(pathname: path, content: typedStored), as: UTF8.self)
                XCTAssertFalse(seenByAlice.contains("ALICE-TYPED-HERE"), "document \(index): \(seenByAlice)")
                let seenByDana = String(
                    decoding: filter("dana").smudge(pathname: path, content: typedStored), as: UTF8.self)
                XCTAssertTrue(seenByDana.contains("ALICE-TYPED-HERE"), "document \(index): dana reads it")
            } else {
                XCTFail("document \(index): no block")
            }
            // kofi (no reader): armour only.
            XCTAssertEqual(filter("kofi").smudge(pathname: path, content: stored), stored)
        }
    }
}

/// The length of a block up to and including the end line's line feed.
func armourLength(_ block: ArraySlice<UInt8>) -> Int {
    let end = Array("-----END AGE ENCRYPTED FILE-----\n".utf8)
    let bytes = Array(block)
    let at = (0...(bytes.count - end.count)).last { bytes[$0..<$0 + end.count].elementsEqual(end) } ?? 0
    return at + end.count
}

extension String.UTF8View {
    /// Where `block` ends in this text, for each place it occurs (the test's blocks are unique).
    func indices(of block: ArraySlice<UInt8>) -> [Int] {
        let bytes = Array(self)
        let needle = Array(block)
        guard needle.count <= bytes.count else { return [] }
        return (0...(bytes.count - needle.count)).filter { bytes[$0..<$0 + needle.count].elementsEqual(needle) }.map {
            $0 + needle.count
        }
    }
}
