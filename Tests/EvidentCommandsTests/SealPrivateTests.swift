import Foundation
import XCTest

/// `## Private` sealed again inside sealed files, the diff driver, damaged files and
/// unusable keys, through the real git and age CLIs in clones made as different people.
final class SealPrivateTests: XCTestCase {
    private let canaries = ["CANARY-EVIDENCE-4471", "CANARY-REVIEW-9902"]

    /// The private text is in no git object a non-private reader can read: not in any
    /// object of the packed repository, and not in any sealed blob opened by the outer
    /// readers (alice reads her evidence, not its private section; kofi reads nothing).
    func testPrivateTextIsOnlyInsideAgeBlocks() throws {
        let h = try SealHarness(self)
        let origin = try h.makeOrigin()
        try h.git(["add", "-A"], in: origin, as: "dana")
        try h.git(["commit", "-q", "-m", "cycle c"], in: origin, as: "dana")
        XCTAssertEqual(try h.git(["status", "--porcelain"], in: origin, as: "dana").stdout, "")

        // Each clone holds what its owner may read, and git status stays clean.
        let alice = try h.clone(origin, as: "alice")
        let dana = try h.clone(origin, as: "dana")
        let kofi = try h.clone(origin, as: "kofi")
        let aliceEvidence = try h.read("cycles/c/alice/evidence.md", in: alice)
        XCTAssertTrue(aliceEvidence.contains("Alice shipped the ledger."), aliceEvidence)
        XCTAssertTrue(aliceEvidence.contains("## Private\n-----BEGIN AGE ENCRYPTED FILE-----\n"), aliceEvidence)
        XCTAssertTrue(aliceEvidence.contains("Alice mentored two people."))
        XCTAssertFalse(aliceEvidence.contains("CANARY"), aliceEvidence)
        XCTAssertTrue(
            SealHarness.isSealed(try h.read("cycles/c/alice/review.md", in: alice)), "alice reads no open review")
        XCTAssertEqual(try h.read("cycles/c/alice/evidence.md", in: dana), SealHarness.evidence)
        XCTAssertEqual(try h.read("cycles/c/alice/review.md", in: dana), SealHarness.review)
        XCTAssertTrue(SealHarness.isSealed(try h.read("cycles/c/alice/evidence.md", in: kofi)))
        for (person, clone) in [("alice", alice), ("dana", dana), ("kofi", kofi)] {
            XCTAssertEqual(try h.git(["status", "--porcelain"], in: clone, as: person).stdout, "", person)
            for path in ["cycles/c/alice/review.md", "cycles/c/alice/evidence.md"] {
                try FileManager.default.setAttributes(
                    [.modificationDate: Date().addingTimeInterval(5)],
                    ofItemAtPath: clone.appendingPathComponent(path).path)
            }
            try h.git(["add", "--renormalize", "."], in: clone, as: person)
            XCTAssertEqual(
                try h.git(["status", "--porcelain"], in: clone, as: person).stdout, "", "\(person) after touch")
        }

        // Alice edits the public part around a block she cannot open: the block is kept.
        try h.write(aliceEvidence + "Alice also fixed the build.\n", to: "cycles/c/alice/evidence.md", in: alice)
        try h.git(["commit", "-q", "-am", "alice: one more item"], in: alice, as: "alice")
        try h.git(["push", "-q", "origin", "HEAD:refs/heads/alice-edit"], in: alice, as: "alice")
        try h.git(["fetch", "-q", "origin"], in: dana, as: "dana")
        try h.git(["checkout", "-q", "-b", "alice-edit", "origin/alice-edit"], in: dana, as: "dana")
        XCTAssertEqual(
            try h.read("cycles/c/alice/evidence.md", in: dana), SealHarness.evidence + "Alice also fixed the build.\n")
        // The diff driver shows dana plaintext, and kofi armour.
        let diff = try h.git(["diff", "main", "alice-edit"], in: dana, as: "dana").stdout
        XCTAssertTrue(diff.contains("+Alice also fixed the build."), diff)
        XCTAssertFalse(diff.contains("BEGIN AGE"), diff)
        try h.git(["fetch", "-q", "origin"], in: kofi, as: "kofi")
        let kofiDiff = try h.git(["diff", "origin/main", "origin/alice-edit"], in: kofi, as: "kofi").stdout
        XCTAssertFalse(kofiDiff.contains("fixed the build"), kofiDiff)

        // Dana (a private reader) edits the public part: the private block is kept byte for byte.
        func block(_ revision: String) throws -> String {
            let outer = try h.ageOpen(
                try h.git(["show", "\(revision):cycles/c/alice/evidence.md"], in: dana, as: "dana").stdout, as: "dana")
            let text = try XCTUnwrap(outer)
            return String(text[text.range(of: "-----BEGIN")!.lowerBound..<text.range(of: "## Later")!.lowerBound])
        }
        let blockBefore = try block("HEAD")
        try h.write(
            SealHarness.evidence.replacingOccurrences(of: "two people", with: "three people")
                + "Alice also fixed the build.\n",
            to: "cycles/c/alice/evidence.md", in: dana)
        try h.git(["commit", "-q", "-am", "dana: three"], in: dana, as: "dana")
        XCTAssertEqual(try block("HEAD"), blockBefore)
        XCTAssertNotEqual(
            try h.git(["rev-parse", "HEAD:cycles/c/alice/evidence.md"], in: dana, as: "dana").stdout,
            try h.git(["rev-parse", "HEAD~1:cycles/c/alice/evidence.md"], in: dana, as: "dana").stdout)
        try h.git(["push", "-q", "origin", "HEAD:refs/heads/dana-edit"], in: dana, as: "dana")

        // Every object of the packed repository: no canary anywhere.
        try h.git(["gc", "-q"], in: origin, as: "dana")
        let all = try h.git(
            ["cat-file", "--batch-all-objects", "--batch-check=%(objectname) %(objecttype)"], in: origin, as: "dana"
        ).stdout
        let blobs = all.split(separator: "\n").compactMap { line -> String? in
            let parts = line.split(separator: " ")
            return parts.count == 2 && parts[1] == "blob" ? String(parts[0]) : nil
        }
        XCTAssertFalse(all.isEmpty)
        let contents = try h.git(["cat-file", "--batch-all-objects", "--batch"], in: origin, as: "dana").stdout
        for canary in canaries { XCTAssertFalse(contents.contains(canary), "\(canary) in a raw object") }
        var sealedBlobs = 0
        for blob in blobs {
            let text = try h.git(["cat-file", "blob", blob], in: origin, as: "dana").stdout
            guard SealHarness.isSealed(text) else { continue }
            sealedBlobs += 1
            for person in ["alice", "kofi", "dana", "erin", "hana", "vera"] {
                guard let opened = try h.ageOpen(text, as: person) else { continue }
                for canary in canaries {
                    XCTAssertFalse(opened.contains(canary), "\(canary) in \(blob) opened by \(person)")
                }
                // A private reader opens the inner block too: the canary is there, sealed.
                if person == "dana", let start = opened.range(of: "-----BEGIN AGE ENCRYPTED FILE-----")?.lowerBound,
                    let end = opened.range(of: "-----END AGE ENCRYPTED FILE-----\n")?.upperBound
                {
                    let inner = try h.ageOpen(String(opened[start..<end]), as: "dana")
                    XCTAssertTrue(
                        canaries.contains { inner?.contains($0) ?? false }, "dana opens the inner block of \(blob)")
                    XCTAssertNil(try h.ageOpen(String(opened[start..<end]), as: "alice"), "alice does not")
                }
            }
        }
        XCTAssertEqual(sealedBlobs, 4, "review, evidence, alice's and dana's edits of the evidence")
    }

    /// `seal-readers` opens what it can: a private section left in plaintext inside a
    /// sealed file (sealed by hand with age) is reported in a reader's clone.
    func testSealReadersChecksInsideWhatItCanOpen() throws {
        let h = try SealHarness(self)
        let origin = try h.makeOrigin()
        try h.git(["add", "-A"], in: origin, as: "dana")
        try h.git(["commit", "-q", "-m", "cycle c"], in: origin, as: "dana")
        let dana = try h.clone(origin, as: "dana")
        let clean = try h.evident(["check"], in: dana, as: "dana")
        XCTAssertFalse(clean.stdout.contains("[seal-readers]"), clean.stdout)

        // The evidence sealed whole by the age CLI to its readers: its private section is in plaintext inside.
        var recipients = ""
        for person in ["alice", "dana", "erin", "hana", "vera"] { recipients += h.keys[person]! + "\n" }
        try Data(recipients.utf8).write(to: h.root.appendingPathComponent("recipients.txt"))
        try Data(SealHarness.evidence.utf8).write(to: h.root.appendingPathComponent("evidence.md"))
        let sealed = try EvidentProcess.runTool(
            try SealHarness.tool("age"),
            [
                "-a", "-R", h.root.appendingPathComponent("recipients.txt").path,
                h.root.appendingPathComponent("evidence.md").path,
            ])
        XCTAssertEqual(sealed.status, 0, sealed.stderr)
        let blob = try h.git(
            ["hash-object", "-w", "--no-filters", "--stdin"], in: dana, as: "dana", stdin: sealed.stdout
        ).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try h.git(["update-index", "--cacheinfo", "100644,\(blob),cycles/c/alice/evidence.md"], in: dana, as: "dana")
        let found = try h.evident(["check"], in: dana, as: "dana")
        let findings = found.stdout.split(separator: "\n").filter { $0.contains("[seal-readers]") }
        XCTAssertEqual(findings.count, 1, found.stdout)
        XCTAssertTrue(
            findings.first?.hasPrefix("cycles/c/alice/evidence.md:6:1: error: a private section stored in plaintext")
                ?? false,
            "\(findings)")
        XCTAssertFalse(found.stdout.contains("CANARY"))
        // kofi cannot open it: nothing more to see, no finding about its inside.
        let kofi = try h.clone(origin, as: "kofi")
        try h.git(
            ["update-index", "--cacheinfo", "100644,\(blob),cycles/c/alice/evidence.md"], in: kofi, as: "kofi",
            expect: nil)
        let asKofi = try h.evident(["check"], in: kofi, as: "kofi")
        XCTAssertFalse(asKofi.stdout.contains("private section"), asKofi.stdout)
        // seal status in dana's clone says the same.
        let status = try h.evident(["seal", "status", "--no-history"], in: dana, as: "dana")
        XCTAssertEqual(status.status, 1, status.stdout)
        XCTAssertTrue(
            status.stdout.contains("wrong-readers    cycles/c/alice/evidence.md: 1 private section in plaintext"),
            status.stdout)
    }

    /// Damaged files (tampered, truncated, junk armour, a bad stanza): a clone still
    /// succeeds, each file holds exactly its stored bytes with a warning naming it, git
    /// status is clean, and `seal status` and `check` report each at its path.
    func testDamagedFilesNeverBreakACheckoutOrLeakGarbage() throws {
        let h = try SealHarness(self)
        let origin = try h.makeOrigin()
        try h.write("---\nkind: self-review\n---\nAlice's self review.\n", to: "cycles/c/alice/self.md", in: origin)
        try h.write("---\nkind: peer-feedback\n---\nKofi on Alice.\n", to: "cycles/c/alice/peer-kofi.md", in: origin)
        try h.git(["add", "-A"], in: origin, as: "dana")
        try h.git(["commit", "-q", "-m", "cycle c"], in: origin, as: "dana")
        func stored(_ path: String) throws -> String {
            try h.git(["show", "HEAD:\(path)"], in: origin, as: "dana").stdout
        }
        func binary(_ armoured: String) -> Data {
            Data(base64Encoded: armoured.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined())!
        }
        func armour(_ data: Data) -> String {
            let text = data.base64EncodedString()
            var lines: [String] = []
            var index = text.startIndex
            while index < text.endIndex {
                let end = text.index(index, offsetBy: 64, limitedBy: text.endIndex) ?? text.endIndex
                lines.append(String(text[index..<end]))
                index = end
            }
            return "-----BEGIN AGE ENCRYPTED FILE-----\n" + lines.joined(separator: "\n")
                + "\n-----END AGE ENCRYPTED FILE-----\n"
        }
        var tampered = binary(try stored("cycles/c/alice/evidence.md"))
        tampered[tampered.count - 20] ^= 0x01
        let truncated =
            try stored("cycles/c/alice/review.md").split(separator: "\n").dropLast(2).joined(separator: "\n") + "\n"
        let junk = "-----BEGIN AGE ENCRYPTED FILE-----\nthis is not base64 at all!\n-----END AGE ENCRYPTED FILE-----\n"
        var badStanza = binary(try stored("cycles/c/alice/peer-kofi.md"))
        let arrow = try XCTUnwrap(badStanza.range(of: Data("-> ssh-ed25519 ".utf8)))
        badStanza.replaceSubrange(arrow, with: Data("-> ssh-ed25519 !! ".utf8))
        let damaged = [
            "cycles/c/alice/evidence.md": armour(tampered), "cycles/c/alice/review.md": truncated,
            "cycles/c/alice/self.md": junk,
            "cycles/c/alice/peer-kofi.md": armour(badStanza),
        ]
        for (path, text) in damaged {
            let blob = try h.git(["hash-object", "-w", "--no-filters", "--stdin"], in: origin, as: "dana", stdin: text)
                .stdout
                .trimmingCharacters(in: .whitespacesAndNewlines)
            try h.git(["update-index", "--cacheinfo", "100644,\(blob),\(path)"], in: origin, as: "dana")
        }
        try h.git(["commit", "-q", "-m", "damage"], in: origin, as: "dana")

        let cloned = try h.git(
            [
                "clone", "-q", "-c",
                "filter.evident.process="
                    + (try h.git(["config", "filter.evident.process"], in: origin, as: "dana").stdout
                        .trimmingCharacters(in: .whitespacesAndNewlines)),
                "-c", "filter.evident.required=true", origin.path,
                h.root.appendingPathComponent("clone-dana").path,
            ], in: h.root, as: "dana")
        let dana = h.root.appendingPathComponent("clone-dana")
        for (path, text) in damaged {
            XCTAssertEqual(try h.read(path, in: dana), text, "\(path) holds exactly what is stored")
            XCTAssertTrue(cloned.stderr.contains("evident: \(path) stays sealed:"), "\(path): \(cloned.stderr)")
        }
        XCTAssertEqual(try h.git(["status", "--porcelain"], in: dana, as: "dana").stdout, "")
        let status = try h.evident(["seal", "status", "--no-history", "--format", "json"], in: dana, as: "dana")
        XCTAssertEqual(status.status, 1, status.stderr)
        let report = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any]
        let files = (report?["files"] as? [[String: Any]]) ?? []
        var states: [String: String] = [:]
        for file in files { states[file["path"] as? String ?? ""] = file["state"] as? String }
        for path in damaged.keys { XCTAssertEqual(states[path], "damaged", "\(path): \(status.stdout)") }
        let check = try h.evident(["check"], in: dana, as: "dana")
        for path in damaged.keys {
            XCTAssertTrue(check.stdout.contains("\(path):1:1: error: "), "\(path): \(check.stdout)")
        }
    }

    /// Keys that cannot open anything: a missing identity file and a passphrase-protected
    /// key give a clear warning with the fix, and the clone still succeeds, sealed; an
    /// ssh-rsa reader is named with the fix when a file is sealed without them.
    func testUnusableKeysAreExplained() throws {
        let h = try SealHarness(self)
        h.rsaReader = true
        try h.makeKey("rob", type: "rsa")
        try h.makeKey("pat", type: "ed25519", passphrase: "secret words")
        let origin = try h.makeOrigin()
        let added = try h.git(["add", "-A"], in: origin, as: "dana")
        XCTAssertTrue(
            added.stderr.contains(
                "rob, whose signing_key is ssh-rsa, which Evident cannot seal to (give rob an ssh-ed25519 key"),
            added.stderr)
        try h.git(["commit", "-q", "-m", "cycle c"], in: origin, as: "dana")
        let missing = h.root.appendingPathComponent("keys/nobody").path
        let cloneMissing = try h.git(
            [
                "clone", "-q", "-c",
                "filter.evident.process="
                    + (try h.git(["config", "filter.evident.process"], in: origin, as: "dana").stdout
                        .trimmingCharacters(in: .whitespacesAndNewlines)),
                origin.path, h.root.appendingPathComponent("c1").path,
            ], in: h.root, as: "dana",
            identity: missing)
        XCTAssertTrue(
            cloneMissing.stderr.contains(
                "no identity at \(missing): set EVIDENT_IDENTITY or git config evident.identity"),
            cloneMissing.stderr)
        XCTAssertTrue(
            SealHarness.isSealed(try h.read("cycles/c/alice/review.md", in: h.root.appendingPathComponent("c1"))))
        let protected = try h.clone(origin, as: "dana", name: "c2", identity: h.key("pat"))
        XCTAssertTrue(SealHarness.isSealed(try h.read("cycles/c/alice/review.md", in: protected)))
        let status = try h.evident(["seal", "status"], in: protected, as: "dana", identity: h.key("pat"))
        XCTAssertTrue(status.stderr.contains("is protected by a passphrase"), status.stderr)
        XCTAssertTrue(status.stderr.contains("ssh-keygen -p -N ''"), status.stderr)
        XCTAssertEqual(
            status.status, 0, "the files are sealed right; a key problem is a warning here: \(status.stdout)")
        XCTAssertTrue(status.stdout.contains("sealed-to-others cycles/c/alice/review.md"), status.stdout)
        let reseal = try h.evident(["reseal"], in: protected, as: "dana", identity: h.key("pat"))
        XCTAssertEqual(reseal.status, 2)
        XCTAssertTrue(reseal.stderr.contains("is protected by a passphrase"), reseal.stderr)
        // rob (ssh-rsa, hr) is a reader nobody can seal to: status and reseal run, no crash.
        let dana = try h.clone(origin, as: "dana")
        let asDana = try h.evident(["seal", "status"], in: dana, as: "dana")
        XCTAssertEqual(asDana.status, 0, asDana.stdout + asDana.stderr)
        XCTAssertEqual(try h.evident(["reseal"], in: dana, as: "dana").status, 0)
        let check = try h.evident(["check"], in: dana, as: "dana")
        XCTAssertFalse(
            check.stdout.contains("[seal-readers]"), "rob's absence is seal-no-key's to report: \(check.stdout)")
        XCTAssertTrue(check.stdout.contains("rob") && check.stdout.contains("[seal-no-key]"), check.stdout)
    }
}
