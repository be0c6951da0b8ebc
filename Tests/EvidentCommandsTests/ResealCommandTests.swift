import Foundation
import XCTest

/// `evident reseal` and `evident seal status` after reader changes, with a sign-off that
/// must survive a reseal and go stale on an edit; plaintext left in history; `init --sealed`.
final class ResealCommandTests: XCTestCase {
    private func statusLine(_ h: SealHarness, in clone: URL) throws -> String {
        let status = try h.evident(["status"], in: clone, as: "dana")
        XCTAssertEqual(status.status, 0, status.stderr)
        return status.stdout.split(separator: "\n").first { $0.contains("manager by Dana") }.map(String.init)
            ?? status.stdout
    }

    private func storedBlob(_ h: SealHarness, _ path: String, in clone: URL) throws -> String {
        try h.git(["rev-parse", "HEAD:\(path)"], in: clone, as: "dana").stdout.trimmingCharacters(
            in: .whitespacesAndNewlines)
    }

    func testResealAfterReaderChangesKeepsSignoffsAndAnEditMakesThemStale() throws {
        let h = try SealHarness(self)
        let origin = try h.makeOrigin()
        try h.git(["add", "-A"], in: origin, as: "dana")
        try h.git(["commit", "-q", "-m", "cycle c"], in: origin, as: "dana")
        let dana = try h.clone(origin, as: "dana")
        let signed = try h.evident(["signoff", "cycles/c/alice/review.md", "--as", "manager"], in: dana, as: "dana")
        XCTAssertEqual(signed.status, 0, signed.stderr)
        XCTAssertTrue(try statusLine(h, in: dana).contains("signed off    manager by Dana"))
        let seal = try h.evident(["seal", "status", "--format", "json"], in: dana, as: "dana")
        XCTAssertEqual(seal.status, 0, seal.stdout)
        XCTAssertEqual(
            try h.evident(["seal", "status", "--cycle", "c"], in: dana, as: "dana").stdout,
            try h.evident(["seal", "status"], in: dana, as: "dana").stdout)
        let unknown = try h.evident(["seal", "status", "--cycle", "nope"], in: dana, as: "dana")
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.contains("no cycle nope"), unknown.stderr)

        // A private edit stashed and popped: the private text round-trips through the filter.
        try h.write(
            SealHarness.review.replacingOccurrences(of: "Second private line.", with: "Stashed private line."),
            to: "cycles/c/alice/review.md", in: dana)
        XCTAssertEqual(
            try h.git(["status", "--porcelain"], in: dana, as: "dana").stdout, " M cycles/c/alice/review.md\n")
        try h.git(["stash", "-q"], in: dana, as: "dana")
        XCTAssertEqual(try h.read("cycles/c/alice/review.md", in: dana), SealHarness.review)
        try h.git(["stash", "pop", "-q"], in: dana, as: "dana")
        XCTAssertTrue(try h.read("cycles/c/alice/review.md", in: dana).contains("Stashed private line."))
        try h.git(["checkout", "--", "cycles/c/alice/review.md"], in: dana, as: "dana")
        XCTAssertEqual(try h.git(["status", "--porcelain"], in: dana, as: "dana").stdout, "")

        // 1. A new calibrator: the review's readers change, its private readers do not.
        h.calibrators = ["erin", "kofi"]
        try h.write(h.cycleYAML(), to: "cycles/c/cycle.yaml", in: dana)
        try h.git(["commit", "-q", "-am", "kofi calibrates too"], in: dana, as: "dana")
        let wrong = try h.evident(["seal", "status"], in: dana, as: "dana")
        XCTAssertEqual(wrong.status, 1, wrong.stdout)
        XCTAssertTrue(
            wrong.stdout.contains("wrong-readers    cycles/c/alice/review.md: not sealed to kofi, who reads it"),
            wrong.stdout)
        let before = try storedBlob(h, "cycles/c/alice/review.md", in: dana)
        let beforeText = try h.git(["cat-file", "blob", before], in: dana, as: "dana").stdout
        let resealed = try h.evident(["reseal"], in: dana, as: "dana")
        XCTAssertEqual(resealed.status, 0, resealed.stderr)
        XCTAssertTrue(
            resealed.stdout.contains("resealed cycles/c/alice/review.md to dana, erin, hana, kofi, vera"),
            resealed.stdout)
        XCTAssertEqual(
            try h.git(["status", "--porcelain"], in: dana, as: "dana").stdout,
            "M  cycles/c/alice/evidence.md\nM  cycles/c/alice/review.md\n")
        try h.git(["commit", "-q", "-m", "reseal"], in: dana, as: "dana")
        XCTAssertEqual(try h.git(["status", "--porcelain"], in: dana, as: "dana").stdout, "")
        let after = try storedBlob(h, "cycles/c/alice/review.md", in: dana)
        XCTAssertNotEqual(before, after)
        let afterText = try h.git(["cat-file", "blob", after], in: dana, as: "dana").stdout
        XCTAssertNotNil(try h.ageOpen(afterText, as: "kofi"), "kofi now reads it (age CLI)")
        XCTAssertNil(try h.ageOpen(beforeText, as: "kofi"))
        XCTAssertEqual(try h.ageOpen(afterText, as: "dana"), try h.ageOpen(beforeText, as: "dana"))
        XCTAssertEqual(try h.evident(["seal", "status"], in: dana, as: "dana").status, 0)
        XCTAssertTrue(
            try statusLine(h, in: dana).contains("signed off    manager by Dana"), "a reseal keeps the sign-off")

        // 2. A manager change above dana (she now reports to no one): vera leaves the manager
        // chain, and so the private readers.
        h.managers["dana"] = nil
        try h.write(h.peopleYAML(), to: "people.yaml", in: dana)
        try h.git(["commit", "-q", "-am", "dana reports to no one"], in: dana, as: "dana")
        let chain = try h.evident(["seal", "status", "--format", "json"], in: dana, as: "dana")
        XCTAssertEqual(chain.status, 1)
        XCTAssertTrue(chain.stdout.contains("\"privateExtra\" : [\n        \"vera\""), chain.stdout)
        let check = try h.evident(["check"], in: dana, as: "dana").stdout
        XCTAssertTrue(
            check.contains(
                "cycles/c/alice/review.md:12:1: error: a private section sealed to other recipients than its readers: "
                    + "sealed to vera, not a reader [seal-readers]"), check)
        XCTAssertFalse(check.contains("CANARY"))
        XCTAssertEqual(try h.evident(["reseal", "cycles/c/alice/review.md"], in: dana, as: "dana").status, 0)
        try h.git(["commit", "-q", "-m", "reseal review"], in: dana, as: "dana")
        let opened = try XCTUnwrap(
            try h.ageOpen(
                try h.git(["show", "HEAD:cycles/c/alice/review.md"], in: dana, as: "dana").stdout, as: "dana"))
        let block = String(opened[opened.range(of: "-----BEGIN")!.lowerBound...])
        XCTAssertNil(try h.ageOpen(block, as: "vera"), "vera no longer reads the private section")
        XCTAssertNotNil(try h.ageOpen(block, as: "hana"))
        XCTAssertTrue(
            try statusLine(h, in: dana).contains("signed off    manager by Dana"),
            "inner blocks re-wrapped: same content, compared with dana's key")
        // Without a key that opens both versions, the ledger cannot tell: stale, conservatively.
        let keyless = try h.evident(
            ["status"], in: dana, as: "dana", identity: h.root.appendingPathComponent("keys/none").path)
        XCTAssertTrue(keyless.stdout.contains("stale         manager by Dana"), keyless.stdout)

        // 3. An edit makes the sign-off stale.
        try h.write(SealHarness.review + "One more line.\n", to: "cycles/c/alice/review.md", in: dana)
        try h.git(["commit", "-q", "-am", "edit"], in: dana, as: "dana")
        XCTAssertTrue(try statusLine(h, in: dana).contains("stale         manager by Dana"))

        // 4. The cycle closes: alice reads her review now, but not its private section.
        try h.write(h.cycleYAML(phase: "closed"), to: "cycles/c/cycle.yaml", in: dana)
        try h.git(["commit", "-q", "-am", "close cycle c"], in: dana, as: "dana")
        let closing = try h.evident(["reseal", "--dry-run"], in: dana, as: "dana")
        // (The evidence log still waits for its reseal from step 2, which named the review only.)
        XCTAssertEqual(
            closing.stdout,
            "would reseal cycles/c/alice/evidence.md to alice, dana, erin, hana, kofi\n"
                + "would reseal cycles/c/alice/review.md to alice, dana, erin, hana, kofi\n")
        XCTAssertEqual(
            try h.git(["status", "--porcelain"], in: dana, as: "dana").stdout, "", "a dry run writes nothing")
        let oldPayloadBlob = try storedBlob(h, "cycles/c/alice/review.md", in: dana)
        XCTAssertEqual(try h.evident(["reseal"], in: dana, as: "dana").status, 0)
        try h.git(["commit", "-q", "-m", "reseal for the closed cycle"], in: dana, as: "dana")
        XCTAssertNotEqual(try storedBlob(h, "cycles/c/alice/review.md", in: dana), oldPayloadBlob)
        let forAlice = try XCTUnwrap(
            try h.ageOpen(
                try h.git(["show", "HEAD:cycles/c/alice/review.md"], in: dana, as: "dana").stdout,
                as: "alice"), "alice opens her review")
        XCTAssertTrue(forAlice.contains("Alice did well this half."))
        XCTAssertFalse(forAlice.contains("CANARY"), forAlice)
        XCTAssertNil(try h.ageOpen(String(forAlice[forAlice.range(of: "-----BEGIN")!.lowerBound...]), as: "alice"))
    }

    /// Someone who cannot read a file puts a header of their own over its payload: the
    /// ledger sees the same payload, but the file is reported and never opens.
    func testAForgedHeaderIsReportedAndNeverOpens() throws {
        let h = try SealHarness(self)
        let origin = try h.makeOrigin()
        try h.git(["add", "-A"], in: origin, as: "dana")
        try h.git(["commit", "-q", "-m", "cycle c"], in: origin, as: "dana")
        let kofi = try h.clone(origin, as: "kofi")
        let stored = try h.git(["show", "HEAD:cycles/c/alice/review.md"], in: kofi, as: "kofi").stdout
        func binary(_ armoured: String) -> Data {
            Data(base64Encoded: armoured.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined())!
        }
        func headerEnd(_ data: Data) -> Int {
            let mac = data.range(of: Data("\n--- ".utf8))!
            return data[mac.upperBound...].firstIndex(of: 0x0A)! + 1
        }
        // kofi's own header, made by the age CLI, then the stored payload.
        try Data(h.keys["kofi"]!.utf8).write(to: h.root.appendingPathComponent("kofi.txt"))
        try Data("x".utf8).write(to: h.root.appendingPathComponent("x"))
        let own = try EvidentProcess.runTool(
            try SealHarness.tool("age"),
            [
                "-a", "-R", h.root.appendingPathComponent("kofi.txt").path, h.root.appendingPathComponent("x").path,
            ])
        let ownBinary = binary(own.stdout)
        let storedBinary = binary(stored)
        let forgedBinary = ownBinary[..<headerEnd(ownBinary)] + storedBinary[headerEnd(storedBinary)...]
        let base64 = forgedBinary.base64EncodedString()
        var lines: [String] = []
        var index = base64.startIndex
        while index < base64.endIndex {
            let end = base64.index(index, offsetBy: 64, limitedBy: base64.endIndex) ?? base64.endIndex
            lines.append(String(base64[index..<end]))
            index = end
        }
        let forged =
            "-----BEGIN AGE ENCRYPTED FILE-----\n" + lines.joined(separator: "\n")
            + "\n-----END AGE ENCRYPTED FILE-----\n"
        XCTAssertNil(try h.ageOpen(forged, as: "kofi"), "kofi's header does not open dana's payload")
        XCTAssertNil(try h.ageOpen(forged, as: "dana"))
        try h.write(forged, to: "cycles/c/alice/review.md", in: kofi)
        try h.git(["commit", "-q", "-am", "forged header"], in: kofi, as: "kofi")
        try h.git(["push", "-q", "origin", "HEAD:refs/heads/forged"], in: kofi, as: "kofi")

        let dana = try h.clone(origin, as: "dana")
        // To dana the file is sealed to someone else: it stays armoured, as stored.
        try h.git(["checkout", "-q", "forged"], in: dana, as: "dana")
        XCTAssertEqual(try h.read("cycles/c/alice/review.md", in: dana), forged, "never other text")
        let check = try h.evident(["check"], in: dana, as: "dana")
        XCTAssertTrue(
            check.stdout.contains(
                "cycles/c/alice/review.md:1:1: error: sealed to other recipients than its readers: sealed to kofi"),
            check.stdout + check.stderr)
        let seal = try h.evident(["seal", "status", "--no-history"], in: dana, as: "dana")
        XCTAssertEqual(seal.status, 1)
        XCTAssertTrue(seal.stdout.contains("wrong-readers    cycles/c/alice/review.md"), seal.stdout)
        let reseal = try h.evident(["reseal"], in: dana, as: "dana")
        XCTAssertEqual(reseal.status, 1)
        XCTAssertTrue(
            reseal.stderr.contains("cycles/c/alice/review.md: error: cannot reseal: this clone's key does not open it"),
            reseal.stderr)
    }

    /// Plaintext committed from a clone without the filter, then sealed: the old blob
    /// is still in history, and seal status names it with its commit.
    func testPlaintextLeftInHistoryIsListed() throws {
        let h = try SealHarness(self)
        let origin = try h.makeOrigin()
        try h.git(["add", "-A"], in: origin, as: "dana")
        try h.git(["commit", "-q", "-m", "cycle c"], in: origin, as: "dana")
        let plain = h.root.appendingPathComponent("plain")
        try h.git(["clone", "-q", origin.path, plain.path], in: h.root, as: "alice")
        try h.write("---\nkind: self-review\n---\nAlice, in plaintext.\n", to: "cycles/c/alice/self.md", in: plain)
        try h.git(["add", "-A"], in: plain, as: "alice")
        try h.git(["commit", "-q", "-m", "oops"], in: plain, as: "alice")
        let leak = try h.git(["rev-parse", "HEAD"], in: plain, as: "alice").stdout.trimmingCharacters(
            in: .whitespacesAndNewlines)
        try h.git(["push", "-q", "origin", "HEAD:refs/heads/leak"], in: plain, as: "alice")
        let dana = try h.clone(origin, as: "dana")
        try h.git(["checkout", "-q", "leak"], in: dana, as: "dana")
        let current = try h.evident(["seal", "status"], in: dana, as: "dana")
        XCTAssertEqual(current.status, 1)
        XCTAssertTrue(current.stdout.contains("plaintext        cycles/c/alice/self.md"), current.stdout)
        XCTAssertFalse(current.stdout.contains("in-history"), "the current plaintext is reported once, as current")
        // Sealed now (renormalised through the filter), but the plaintext blob stays in history.
        try h.git(["add", "--renormalize", "cycles"], in: dana, as: "dana")
        try h.git(["commit", "-q", "-m", "seal self review"], in: dana, as: "dana")
        let history = try h.evident(["seal", "status", "--format", "json"], in: dana, as: "dana")
        XCTAssertEqual(history.status, 1, history.stdout)
        let report = try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [String: Any]
        let copies = (report?["plaintextInHistory"] as? [[String: Any]]) ?? []
        XCTAssertEqual(copies.count, 1, history.stdout)
        XCTAssertEqual(copies.first?["path"] as? String, "cycles/c/alice/self.md")
        XCTAssertEqual(copies.first?["commit"] as? String, leak)
        let files = (report?["files"] as? [[String: Any]]) ?? []
        XCTAssertEqual(files.map { $0["state"] as? String ?? "" }, ["sealed", "sealed", "sealed"], history.stdout)
        let skip = try h.evident(["seal", "status", "--no-history"], in: dana, as: "dana")
        XCTAssertEqual(skip.status, 0, skip.stdout)
    }

    func testInitSealedWritesTheAttributesAndThePolicy() throws {
        let root = try EvidentProcess.temporaryDirectory(self, "evinit")
        let made = try EvidentProcess.run(["init", "--sealed", root.appendingPathComponent("org").path])
        XCTAssertEqual(made.status, 0, made.stderr)
        XCTAssertEqual(
            try String(contentsOf: root.appendingPathComponent("org/.gitattributes"), encoding: .utf8),
            "/cycles/** filter=evident\n/cycles/** diff=evident\n")
        XCTAssertTrue(made.stdout.contains("evident seal setup"))
        let check = try EvidentProcess.run(["check"], in: root.appendingPathComponent("org"))
        XCTAssertEqual(check.status, 0, check.stdout)
        let status = try EvidentProcess.run(
            ["seal", "status", "--format", "json"], in: root.appendingPathComponent("org"))
        XCTAssertTrue(status.stdout.contains("\"sealingEnabled\" : true"), status.stdout + status.stderr)
        let plain = try EvidentProcess.run(["init", root.appendingPathComponent("plain").path])
        XCTAssertEqual(plain.status, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: root.appendingPathComponent("plain/.gitattributes").path))
    }
}
