import EvidentCore
import EvidentSeal
import XCTest

@testable import EvidentRules

/// The sealing rules' messages, and files sealed by Evident itself checked against the
/// reader set as the organisation changes.
final class SealingRulesTests: XCTestCase {
    private func check(_ files: [String: String], removing: [String] = []) throws -> [Diagnostic] {
        var texts = ExampleRepository.files
        for path in removing { texts[path] = nil }
        for (path, text) in files { texts[path] = text }
        let source = MemorySource(root: "/example", texts: texts)
        let organisation = try RepositoryLoader.load(from: source)
        return RuleEngine().check(organisation, source: source).filter { $0.ruleID.hasPrefix("seal-") }
    }

    private func seal(_ text: String, to people: [String]) throws -> String {
        let recipients = try people.map { try AgeRecipient(parsing: SealingExamples.keys[$0]!) }
        return String(decoding: try Age.seal(Array(text.utf8), to: recipients), as: UTF8.self)
    }

    func testMessagesNameMissingAndExtraReaders() throws {
        let found = try check(
            [
                "evident.yaml": SealingExamples.policy, "people.yaml": SealingExamples.people(),
                "cycles/2026-h2/alice/review.md": SealingExamples.reviewSealedToOthers,
            ], removing: SealingExamples.otherFilesOfAlice)
        XCTAssertEqual(
            found.map(\.message),
            [
                "sealed to other recipients than its readers: sealed to bob, not a reader; not sealed to erin, vera, who read it"
            ])
    }

    func testPlaintextMessageListsReadersAndQuotesNothing() throws {
        let found = try check(
            [
                "evident.yaml": SealingExamples.policy, "people.yaml": SealingExamples.people(),
            ], removing: SealingExamples.otherFilesOfAlice)
        XCTAssertEqual(
            found.map(\.message), ["stored in plaintext while sealing is on; seal it to its readers (dana, erin, vera)"]
        )
        XCTAssertEqual(found.map(\.location.file), ["cycles/2026-h2/alice/review.md"])
    }

    /// Sealed by Evident to the readers, including an hr person: clean. Then alice's
    /// manager changes in people.yaml: the same file is now sealed to the wrong people.
    func testReaderChangesMakeASealedFileWrong() throws {
        let people = SealingExamples.people().replacingOccurrences(
            of: "{ id: carol, name: Carol Diaz, email: carol@example.com, level: eng-3, team: payments, manager: dana",
            with:
                "{ id: carol, name: Carol Diaz, email: carol@example.com, level: eng-3, team: payments, manager: dana, roles: [hr]"
        )
        XCTAssertNotEqual(people, SealingExamples.people())
        let sealed = try seal("# Review\n", to: ["dana", "vera", "erin", "carol"])
        var files = [
            "evident.yaml": SealingExamples.policy, "people.yaml": people, "cycles/2026-h2/alice/review.md": sealed,
        ]
        XCTAssertEqual(try check(files, removing: SealingExamples.otherFilesOfAlice).map(\.message), [])

        files["people.yaml"] = people.replacingOccurrences(
            of: "team: payments, manager: dana, signing_key: \"\(SealingExamples.keys["alice"]!)\"",
            with: "team: payments, manager: erin, signing_key: \"\(SealingExamples.keys["alice"]!)\"")
        XCTAssertEqual(
            try check(files, removing: SealingExamples.otherFilesOfAlice).map(\.message),
            [
                "sealed to other recipients than its readers: sealed to dana, not a reader"
            ])
    }

    func testDamagedHeaderAndForeignRecipientsAreReported() throws {
        let base = ["evident.yaml": SealingExamples.policy, "people.yaml": SealingExamples.people()]
        var damaged = base
        damaged["cycles/2026-h2/alice/review.md"] =
            "-----BEGIN AGE ENCRYPTED FILE-----\nnot base64!\n-----END AGE ENCRYPTED FILE-----\n"
        let first = try check(damaged, removing: SealingExamples.otherFilesOfAlice).map(\.message)
        XCTAssertEqual(first.count, 1)
        XCTAssertTrue(first[0].hasPrefix("a sealed file whose age header cannot be read"), first[0])

        var native = base
        let x25519 = AgeRecipient.x25519(Array(repeating: 9, count: 32))
        let readers = try ["dana", "vera", "erin"].map { try AgeRecipient(parsing: SealingExamples.keys[$0]!) }
        native["cycles/2026-h2/alice/review.md"] = String(
            decoding: try Age.seal([1], to: readers + [x25519]), as: UTF8.self)
        XCTAssertEqual(
            try check(native, removing: SealingExamples.otherFilesOfAlice).map(\.message),
            [
                "sealed to other recipients than its readers: sealed to 1 recipient that names no SSH key"
            ])
    }

    func testNoKeyReportsOncePerPersonAndRejectsRSA() throws {
        let rsa = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7"
        let people = SealingExamples.people(without: ["dana"]).replacingOccurrences(
            of: SealingExamples.keys["vera"]!, with: rsa)
        let found = try check(["evident.yaml": SealingExamples.policy, "people.yaml": people])
            .filter { $0.ruleID == "seal-no-key" }
        XCTAssertEqual(
            found.map(\.message).sorted(),
            [
                "dana reads sealed files but has no signing_key; add an ssh-ed25519 public key",
                "vera reads sealed files but their signing_key is not an ssh-ed25519 key Evident can seal to",
            ])
    }

    /// `seal-no-key` takes its two filters in either order (readers first in a partial
    /// check, keys first in a full one); both orders find the same people: a keyless
    /// reader, one with an RSA key, and not a keyless person who reads nothing.
    func testNoKeyFindsTheSamePeopleInEitherOrder() throws {
        var texts = ExampleRepository.files
        texts["cycles/2026-h2/alice/peer-carol.md"] = nil
        texts["evident.yaml"] = SealingExamples.policy
        texts["people.yaml"] = SealingExamples.people(without: ["dana", "carol"]).replacingOccurrences(
            of: SealingExamples.keys["vera"]!, with: "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7")
        let organisation = try RepositoryLoader.load(from: MemorySource(root: "/example", texts: texts))
        let readersFirst = SealNoKeyRule.keylessReaders(in: organisation, readersFirst: true).map(\.id.value)
        let keysFirst = SealNoKeyRule.keylessReaders(in: organisation, readersFirst: false).map(\.id.value)
        XCTAssertEqual(readersFirst, ["vera", "dana"], "people.yaml order")
        XCTAssertEqual(readersFirst, keysFirst)
    }

    /// Both rules take their readers from the organisation's shared reader sets: every
    /// plaintext file names exactly `SealReaders.readers` of it, and `seal-no-key` reports
    /// exactly the keyless people among `SealReaders.everyReader`, under the default
    /// policy and one where every kind's readers differ.
    func testBothRulesAgreeWithTheSharedReaderSets() throws {
        let policies = [
            SealingExamples.policy,
            (ExampleRepository.files["evident.yaml"] ?? "")
                + "sealing: { enabled: true, readers: { evidence: [person, manager], peer: [author, skip-level], "
                + "review: [calibrators], private: [author, manager] } }\n",
        ]
        let everyone: Set<String> = ["vera", "dana", "alice", "bob", "carol", "erin"]
        for policy in policies {
            let people = SealingExamples.people(without: everyone)
            let texts = ExampleRepository.files.merging(["evident.yaml": policy, "people.yaml": people]) { $1 }
            let source = MemorySource(root: "/example", texts: texts)
            let organisation = try RepositoryLoader.load(from: source)
            let found = RuleEngine().check(organisation, source: source)
            let plaintext = found.filter { $0.message.hasPrefix("stored in plaintext") }
            XCTAssertGreaterThan(plaintext.count, 3)
            for diagnostic in plaintext {
                let readers = SealReaders.readers(of: diagnostic.location.file, in: organisation) ?? []
                XCTAssertFalse(readers.isEmpty)
                XCTAssertEqual(
                    diagnostic.message,
                    "stored in plaintext while sealing is on; seal it to its readers (\(readers.joined(separator: ", ")))"
                )
            }
            let noKey = found.filter { $0.ruleID == "seal-no-key" }.map { $0.message.prefix { $0 != " " } }
            let expected = SealReaders.everyReader(in: organisation).intersection(everyone)
            XCTAssertFalse(expected.isEmpty)
            XCTAssertEqual(Set(noKey.map(String.init)), expected, policy)
            XCTAssertEqual(noKey.count, expected.count, "once per person")
        }
    }

    /// A folder with a file this checkout cannot open is skipped, not reported on; the
    /// same folder in plaintext with the same fault is reported.
    func testFoldersWithSealedFilesAreSkipped() throws {
        var texts = ExampleRepository.files
        texts["evident.yaml"] = SealingExamples.policy
        texts["people.yaml"] = SealingExamples.people()
        // A fault in alice's plaintext evidence: an item dated outside the cycle.
        texts["cycles/2026-h2/alice/evidence.md"] = texts["cycles/2026-h2/alice/evidence.md"]!
            .replacingOccurrences(of: "date: 2026-08-14", with: "date: 2020-08-14")
        func diagnostics(_ texts: [String: String]) throws -> [Diagnostic] {
            let source = MemorySource(root: "/example", texts: texts)
            return RuleEngine().check(try RepositoryLoader.load(from: source), source: source)
        }
        let plain = try diagnostics(texts).filter { !$0.ruleID.hasPrefix("seal-") }
        XCTAssertTrue(plain.contains { $0.ruleID == "evidence-date-outside-cycle" }, "\(plain.map(\.ruleID))")

        texts["cycles/2026-h2/alice/review.md"] = SealingExamples.reviewSealedToReaders
        let organisation = try RepositoryLoader.load(from: MemorySource(root: "/example", texts: texts))
        XCTAssertEqual(organisation.sealedPersonFolders, ["cycles/2026-h2/alice"])
        XCTAssertEqual(organisation.file("cycles/2026-h2/alice/review.md")?.problems.count, 0)
        let skipped = try diagnostics(texts)
        XCTAssertEqual(skipped.filter { !$0.ruleID.hasPrefix("seal-") }.map(\.message), [])
        // The sealing rules still judge the folder: its plaintext files should be sealed.
        XCTAssertEqual(
            Set(skipped.map(\.location.file)),
            [
                "cycles/2026-h2/alice/evidence.md", "cycles/2026-h2/alice/self.md",
                "cycles/2026-h2/alice/peer-bob.md", "cycles/2026-h2/alice/peer-carol.md",
            ])
    }
}
