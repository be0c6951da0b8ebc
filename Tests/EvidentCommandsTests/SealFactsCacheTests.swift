import Foundation
import XCTest

/// `seal-readers` remembers what each sealed blob is sealed to in
/// `.git/evident/seal-facts-*`, by blob id and identity. The cache may only save time: a
/// warm check says exactly what a cold one says, and a damaged, forged, swapped or stale
/// copy changes nothing. (A copy with a valid MAC does change the result, which shows
/// the cache is read at all: the MAC key, outside the repository, is what is trusted.)
final class SealFactsCacheTests: XCTestCase {
    /// How many files a check's text output reports as sealed to the wrong readers.
    private static func wronglySealed(in output: String) -> Int {
        output.split(separator: "\n").filter {
            $0.contains(":1:1: error: sealed to other recipients than its readers")
        }.count
    }

    private static let wrong = "cycles/c3/alice/self.md"

    /// 72 sealed files (the cache is used from 64), one of them sealed to kofi instead of
    /// dana, alice's manager.
    private func makeRepository(_ h: SealHarness) throws -> URL {
        let origin = try h.makeOrigin()
        for cycle in 0..<35 {
            try h.write(
                h.cycleYAML().replacingOccurrences(of: "id: c\n", with: "id: c\(cycle)\n"),
                to: "cycles/c\(cycle)/cycle.yaml", in: origin)
            try h.write(
                "---\nkind: evidence\n---\nAlice, cycle \(cycle).\n", to: "cycles/c\(cycle)/alice/evidence.md",
                in: origin)
            try h.write(
                "---\nkind: self-review\n---\nMe, cycle \(cycle).\n", to: "cycles/c\(cycle)/alice/self.md", in: origin)
        }
        try h.git(["add", "-A"], in: origin, as: "dana")
        try h.git(["commit", "-q", "-m", "cycles"], in: origin, as: "dana")
        try stageSealedToKofi("Me, cycle 3, again.", h, origin)
        try h.git(["commit", "-q", "-m", "resealed to kofi"], in: origin, as: "dana")
        return origin
    }

    /// Stages the wrong file with `text` while people.yaml says kofi manages alice, so the
    /// filter seals it to the wrong readers, then puts people.yaml back.
    private func stageSealedToKofi(_ text: String, _ h: SealHarness, _ origin: URL) throws {
        h.managers["alice"] = "kofi"
        try h.write(h.peopleYAML(), to: "people.yaml", in: origin)
        try h.write("---\nkind: self-review\n---\n\(text)\n", to: Self.wrong, in: origin)
        try h.git(["add", Self.wrong], in: origin, as: "dana")
        h.managers["alice"] = "dana"
        try h.write(h.peopleYAML(), to: "people.yaml", in: origin)
    }

    private func check(_ h: SealHarness, _ origin: URL, as person: String) throws -> (status: Int32, out: String) {
        let result = try h.evident(["check"], in: origin, as: person)
        return (result.status, result.stdout)
    }

    /// A check with no remembered verdicts (`seal-verdicts-*`, `seal-folder-verdicts-*`),
    /// so every file is judged on its facts: what the facts cache says is what it reports.
    private func checkFacts(_ h: SealHarness, _ origin: URL, as person: String) throws -> (status: Int32, out: String) {
        try removeFolderVerdicts(origin)
        for file in cacheFiles(origin, prefix: "seal-verdicts-") { try FileManager.default.removeItem(at: file) }
        return try check(h, origin, as: person)
    }

    /// An authenticated cache file damaged the ways an attacker or a crash would leave it:
    /// its MAC forged, one byte of its content flipped (at `flippingByte`, past the
    /// header), cut short, and emptied. Each must be refused whole.
    private static func damagedCopies(of authentic: Data, flippingByte offset: Int) -> [(String, Data)] {
        var badMAC = authentic
        badMAC[badMAC.count - 2] = badMAC[badMAC.count - 2] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
        var altered = authentic
        altered[offset] ^= 0x01
        return [
            ("forged MAC", badMAC), ("content changed under the MAC", altered),
            ("cut short", authentic.prefix(authentic.count - 40)), ("empty", Data()),
        ]
    }

    private func removeFolderVerdicts(_ origin: URL) throws {
        for file in cacheFiles(origin, prefix: "seal-folder-verdicts-") { try FileManager.default.removeItem(at: file) }
    }

    private func cacheFiles(_ origin: URL, prefix: String = "seal-facts-") -> [URL] {
        let folder = origin.appendingPathComponent(".git/evident")
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { $0.hasPrefix(prefix) }.sorted().map { folder.appendingPathComponent($0) }
    }

    func testAWarmCheckSaysWhatAColdOneSaysAndNoCopyOfTheCacheChangesThat() throws {
        let h = try SealHarness(self)
        let origin = try makeRepository(h)
        XCTAssertEqual(cacheFiles(origin), [])
        let cold = try check(h, origin, as: "dana")
        XCTAssertEqual(cold.status, 1, cold.out)
        let findings = cold.out.split(separator: "\n").filter { $0.contains("[seal-readers]") }
        XCTAssertEqual(findings.count, 1, cold.out)
        XCTAssertTrue(
            findings.first?.hasPrefix(
                "\(Self.wrong):1:1: error: sealed to other recipients than its readers: sealed to kofi, not a reader; "
                    + "not sealed to dana, who reads it") ?? false, "\(findings)")
        let caches = cacheFiles(origin)
        XCTAssertEqual(caches.count, 1, "the check kept what it learnt")
        let cache = try XCTUnwrap(caches.first)
        let written = try Data(contentsOf: cache)
        XCTAssertFalse(String(decoding: written, as: UTF8.self).contains("cycle 3"), "no text of a sealed file")
        XCTAssertEqual(try check(h, origin, as: "dana").out, cold.out, "warm")
        XCTAssertEqual(try checkFacts(h, origin, as: "dana").out, cold.out, "warm, judged on the facts")

        // The entry of the wrongly sealed blob, replaced by that of a rightly sealed one
        // with the same readers (what a forger would write).
        let blob = { (path: String) in
            try h.git(["rev-parse", ":\(path)"], in: origin, as: "dana").stdout
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let wrongBlob = try blob(Self.wrong)
        let rightBlob = try blob("cycles/c4/alice/self.md")
        let lines = String(decoding: written, as: UTF8.self).split(separator: "\n").map(String.init)
        let rightEntry = try XCTUnwrap(lines.first { $0.hasPrefix(rightBlob + "\t") })
        let content =
            lines.dropLast().filter { !$0.hasPrefix(wrongBlob + "\t") }.joined(separator: "\n") + "\n"
            + wrongBlob + rightEntry.dropFirst(rightBlob.count) + "\n"

        // Authenticated with this user's key: believed, which shows the cache is read.
        try writeAuthenticated(content, to: cache, key: h.root.appendingPathComponent(".cache/evident/cache-key"))
        XCTAssertFalse(try checkFacts(h, origin, as: "dana").out.contains("[seal-readers]"), "the cache is read")
        // Forged without the key: an altered MAC, or the content changed under a valid one.
        let authentic = try Data(contentsOf: cache)
        var badMAC = authentic
        badMAC[badMAC.count - 2] = badMAC[badMAC.count - 2] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
        try badMAC.write(to: cache)
        XCTAssertEqual(try checkFacts(h, origin, as: "dana").out, cold.out, "forged MAC")
        try writeAuthenticated(content, to: cache, key: h.root.appendingPathComponent(".cache/evident/cache-key"))
        var text = try String(contentsOf: cache, encoding: .utf8)
        text = text.replacingOccurrences(of: rightBlob, with: String(rightBlob.reversed()))
        try Data(text.utf8).write(to: cache)
        XCTAssertEqual(try checkFacts(h, origin, as: "dana").out, cold.out, "content changed under the MAC")
        // Damaged: cut short, and emptied.
        try authentic.prefix(authentic.count / 2).write(to: cache)
        XCTAssertEqual(try checkFacts(h, origin, as: "dana").out, cold.out, "cut short")
        try Data().write(to: cache)
        XCTAssertEqual(try checkFacts(h, origin, as: "dana").out, cold.out, "empty")

        // Swapped: another identity's file (with its own valid MAC) under this name.
        let erinCold = try checkFacts(h, origin, as: "erin")
        let erinCache = try XCTUnwrap(cacheFiles(origin).first { $0 != cache })
        try authentic.write(to: erinCache)
        XCTAssertEqual(try checkFacts(h, origin, as: "erin").out, erinCold.out, "another identity's file")
        try FileManager.default.removeItem(at: cache)
        try FileManager.default.copyItem(at: erinCache, to: cache)
        XCTAssertEqual(try checkFacts(h, origin, as: "dana").out, cold.out, "another identity's file, renamed")

        // Stale: the wrong file sealed again to its readers; the cache knows the old blob only.
        try writeAuthenticated(content, to: cache, key: h.root.appendingPathComponent(".cache/evident/cache-key"))
        try h.write("---\nkind: self-review\n---\nMe, cycle 3, once more.\n", to: Self.wrong, in: origin)
        try h.git(["commit", "-q", "-am", "resealed to dana"], in: origin, as: "dana")
        let fixed = try checkFacts(h, origin, as: "dana")
        XCTAssertFalse(fixed.out.contains("[seal-readers]"), fixed.out)
        // And the readers change (a new manager) with every blob already known: all reported.
        h.managers["alice"] = "erin"
        try h.write(h.peopleYAML(), to: "people.yaml", in: origin)
        let moved = try checkFacts(h, origin, as: "dana")
        XCTAssertEqual(Self.wronglySealed(in: moved.out), 72, moved.out)
    }

    /// A clone's filter opens every sealed blob as it checks it out, and leaves what a
    /// check derives from each in the same authenticated cache: the first check in the
    /// clone has nothing left to open (it does not even rewrite the cache), says what a
    /// cold check says, and a cold check derives exactly the facts the filter left. A
    /// forged, damaged or swapped copy met by a later checkout is replaced, not merged;
    /// a blob the cache does not know yet (a pull) is derived by the check.
    func testACloneLeavesTheFactsACheckWouldDerive() throws {
        let h = try SealHarness(self)
        let origin = try makeRepository(h)
        let clone = try h.clone(origin, as: "dana")
        let caches = cacheFiles(clone)
        XCTAssertEqual(caches.count, 1, "the filter kept what it derived")
        let cache = try XCTUnwrap(caches.first)
        let byFilter = try entries(cache)
        let sealed = try h.git(["ls-files", "cycles"], in: clone, as: "dana").stdout.split(separator: "\n")
            .filter { !$0.hasSuffix("cycle.yaml") }
        XCTAssertEqual(byFilter.count, sealed.count, "one entry per sealed blob")
        XCTAssertFalse(
            String(decoding: try Data(contentsOf: cache), as: UTF8.self).contains("CANARY"), "no text of a sealed file")
        let written = try Data(contentsOf: cache)
        let first = try check(h, clone, as: "dana")
        XCTAssertEqual(try Data(contentsOf: cache), written, "nothing was missing, so nothing was opened or rewritten")
        XCTAssertEqual(first.status, 1, first.out)
        XCTAssertEqual(first.out.split(separator: "\n").filter { $0.contains("[seal-readers]") }.count, 1, first.out)
        XCTAssertTrue(first.out.contains("\(Self.wrong):1:1: error: sealed to other recipients"), first.out)

        try FileManager.default.removeItem(at: cache)
        let cold = try checkFacts(h, clone, as: "dana")
        XCTAssertEqual(cold.out, first.out, "cold")
        XCTAssertEqual(try entries(cache), byFilter, "the check derived exactly what the filter did")

        // A later checkout of every file meets a forged copy (altered MAC), a damaged one
        // and another identity's (renamed, valid MAC under its own name): each is ignored
        // and replaced by what this checkout derived.
        let erin = try check(h, clone, as: "erin")
        let erinCache = try XCTUnwrap(cacheFiles(clone).first { $0 != cache })
        var forged = try Data(contentsOf: cache)
        forged[forged.count - 2] = forged[forged.count - 2] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
        let copies = [
            ("forged", forged), ("damaged", try Data(contentsOf: cache).prefix(100)),
            ("swapped", try Data(contentsOf: erinCache)),
        ]
        for (name, copy) in copies {
            try copy.write(to: cache)
            try FileManager.default.removeItem(at: clone.appendingPathComponent("cycles"))
            try h.git(["checkout", "--", "cycles"], in: clone, as: "dana")
            XCTAssertEqual(try h.git(["status", "--porcelain"], in: clone, as: "dana").stdout, "", name)
            XCTAssertEqual(try entries(cache), byFilter, name)
            XCTAssertEqual(try checkFacts(h, clone, as: "dana").out, cold.out, name)
        }
        XCTAssertEqual(try checkFacts(h, clone, as: "erin").out, erin.out, "erin's own cache is untouched")

        // Stale: the wrong file is sealed again to its readers and pulled; the filter
        // opened one file (too few to rewrite the cache), so the check derives it.
        try h.write("---\nkind: self-review\n---\nMe, cycle 3, once more.\n", to: Self.wrong, in: origin)
        try h.git(["commit", "-q", "-am", "resealed to dana"], in: origin, as: "dana")
        try h.git(["pull", "-q", "--ff-only"], in: clone, as: "dana")
        let pulled = try check(h, clone, as: "dana")
        XCTAssertFalse(pulled.out.contains("[seal-readers]"), pulled.out)
        try FileManager.default.removeItem(at: cache)
        XCTAssertEqual(try checkFacts(h, clone, as: "dana").out, pulled.out, "cold after the pull")
    }

    /// `seal-readers` also remembers which stored blobs it found clean, each with the key
    /// tags of the readers it was judged for (`.git/evident/seal-verdicts-*`), so a warm
    /// check judges nothing again. A verdict holds only for its blob, readers and identity:
    /// a file with findings is never remembered, new readers are judged afresh, and a
    /// forged, damaged or swapped copy changes nothing. (An authentic forged entry does
    /// change the result, which shows the verdicts are read at all.)
    func testARememberedVerdictHoldsOnlyForItsBlobReadersAndIdentity() throws {
        let h = try SealHarness(self)
        let origin = try makeRepository(h)
        let key = h.root.appendingPathComponent(".cache/evident/cache-key")
        let cold = try check(h, origin, as: "dana")
        XCTAssertEqual(cold.out.split(separator: "\n").filter { $0.contains("[seal-readers]") }.count, 1, cold.out)
        let cache = try XCTUnwrap(cacheFiles(origin, prefix: "seal-verdicts-").first)
        XCTAssertEqual(cacheFiles(origin, prefix: "seal-verdicts-").count, 1)
        let records = try verdicts(cache)
        XCTAssertEqual(records.count, 71, "every file but the one sealed to kofi")
        let blob = { (path: String) in
            Self.rawID(
                try h.git(["rev-parse", ":\(path)"], in: origin, as: "dana").stdout
                    .trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let wrongBlob = try blob(Self.wrong)
        XCTAssertFalse(records.contains { $0.prefix(20) == wrongBlob }, "findings are never remembered")
        let right = try XCTUnwrap(records.first { $0.prefix(20) == (try? blob("cycles/c4/alice/self.md")) })
        let written = try Data(contentsOf: cache)
        XCTAssertEqual(try check(h, origin, as: "dana").out, cold.out, "warm")
        XCTAssertEqual(try Data(contentsOf: cache), written, "nothing new to remember, nothing rewritten")

        // The wrongly sealed blob, remembered clean under the readers of a rightly sealed
        // file of the same folder kind (what a forger would write).
        let forged = Data("evident-seal-verdicts 1\n".utf8) + records.reduce(Data(), +) + wrongBlob + right.suffix(16)
        try writeAuthenticated(forged, to: cache, key: key)
        try removeFolderVerdicts(origin)
        XCTAssertFalse(try check(h, origin, as: "dana").out.contains("[seal-readers]"), "the verdicts are read")
        let copies = Self.damagedCopies(of: try Data(contentsOf: cache), flippingByte: 30)
        for (name, copy) in copies {
            // Folders remembered whole would spare their files a look at these verdicts.
            try removeFolderVerdicts(origin)
            try copy.write(to: cache)
            XCTAssertEqual(try check(h, origin, as: "dana").out, cold.out, name)
            XCTAssertEqual(try verdicts(cache).count, 71, "\(name): replaced by what the check found")
        }

        // Swapped: erin's file, authentic under its own name, holding the forged entry.
        let erinCold = try check(h, origin, as: "erin")
        let erinCache = try XCTUnwrap(cacheFiles(origin, prefix: "seal-verdicts-").first { $0 != cache })
        try writeAuthenticated(forged, to: erinCache, key: key)
        try FileManager.default.removeItem(at: cache)
        try FileManager.default.copyItem(at: erinCache, to: cache)
        XCTAssertEqual(try check(h, origin, as: "dana").out, cold.out, "another identity's file, renamed")
        XCTAssertNotEqual(erinCold.out, "")

        // Stale: with every blob remembered (the forged entry too), a new manager makes
        // every file judged again, and every one wrong.
        try writeAuthenticated(forged, to: cache, key: key)
        h.managers["alice"] = "erin"
        try h.write(h.peopleYAML(), to: "people.yaml", in: origin)
        let moved = try check(h, origin, as: "dana")
        XCTAssertEqual(Self.wronglySealed(in: moved.out), 72, moved.out)
        // And back: the verdicts of the old readers hold again (every folder looked at
        // file by file: one folder alone would be judged without reading them).
        h.managers["alice"] = "dana"
        try h.write(h.peopleYAML(), to: "people.yaml", in: origin)
        try removeFolderVerdicts(origin)
        XCTAssertFalse(try check(h, origin, as: "dana").out.contains("[seal-readers]"), "the forged entry again")
    }

    /// A peer file's readers are its folder's and its author (kofi, who reads nothing else
    /// of alice's): the author's key is part of
    /// what its verdict holds for, so a new key for the author makes the check judge the
    /// file again (and report it, sealed to the old key), as a cold check does.
    func testAPeerFilesVerdictHoldsOnlyForItsAuthorsKey() throws {
        let h = try SealHarness(self)
        let origin = try makeRepository(h)
        let peer = "cycles/c0/alice/peer-kofi.md"
        try h.write("---\nkind: peer-feedback\n---\nKofi on Alice.\n", to: peer, in: origin)
        try h.git(["add", peer], in: origin, as: "dana")
        try h.git(["commit", "-q", "-m", "peer feedback"], in: origin, as: "dana")
        let sealing = { (out: String) in out.split(separator: "\n").filter { $0.contains("[seal-readers]") } }
        let before = try check(h, origin, as: "dana")
        XCTAssertEqual(sealing(before.out).count, 1, before.out)
        XCTAssertFalse(sealing(before.out).contains { $0.hasPrefix(peer) }, before.out)
        let cache = try XCTUnwrap(cacheFiles(origin, prefix: "seal-verdicts-").first)
        XCTAssertEqual(try verdicts(cache).count, 72, "the peer file is remembered clean")

        for suffix in ["", ".pub"] {
            try FileManager.default.removeItem(at: URL(fileURLWithPath: h.key("kofi") + suffix))
        }
        try h.makeKey("kofi", type: "ed25519")
        try h.write(h.peopleYAML(), to: "people.yaml", in: origin)
        let warm = try check(h, origin, as: "dana")
        XCTAssertTrue(
            warm.out.contains(
                "\(peer):1:1: error: sealed to other recipients than its readers: sealed to an unknown key"),
            warm.out)
        XCTAssertTrue(warm.out.contains("not sealed to kofi, who reads it"), warm.out)
        XCTAssertEqual(sealing(warm.out).count, 2, "the peer file only, and the one sealed to kofi: \(warm.out)")
        XCTAssertEqual(try checkFacts(h, origin, as: "dana").out, warm.out, "as a check with no verdicts")
    }

    /// `seal-readers` also remembers person folders whose files were all clean
    /// (`.git/evident/seal-folder-verdicts-*`): by the folder's tree in the index, the
    /// paths checked and everything readers come from. A warm check skips those folders
    /// whole. A verdict holds only for its tree, readers and identity: a folder with a
    /// finding is never remembered, a changed file (committed, or only added) or new
    /// readers make the folder judged file by file again, and a forged, damaged or
    /// swapped copy changes nothing. (An authentic forged entry does change the result,
    /// which shows the folder verdicts are read at all.)
    func testARememberedFolderHoldsOnlyForItsTreeReadersAndIdentity() throws {
        let h = try SealHarness(self)
        let origin = try makeRepository(h)
        let key = h.root.appendingPathComponent(".cache/evident/cache-key")
        let tree = { (folder: String) in
            let line = try h.git(["ls-tree", "HEAD", folder], in: origin, as: "dana").stdout
            return Self.rawID(String(line.split(separator: " ")[2].prefix(40)))
        }
        let folder = "cycles/c3/alice"
        let wrongTree = try tree(folder)
        let cold = try check(h, origin, as: "dana")
        // What seal-readers reports (the work tree changes below, and other rules with it).
        let sealing = { (out: String) in out.split(separator: "\n").filter { $0.contains("[seal-readers]") } }
        let findings = sealing(cold.out)
        XCTAssertEqual(findings.count, 1, cold.out)
        let cache = try XCTUnwrap(cacheFiles(origin, prefix: "seal-folder-verdicts-").first)
        XCTAssertEqual(cacheFiles(origin, prefix: "seal-folder-verdicts-").count, 1)
        let records = try verdicts(cache, magic: "evident-seal-folder-verdicts 1\n")
        XCTAssertEqual(records.count, 35, "every folder but the one with the file sealed to kofi")
        XCTAssertFalse(records.contains { $0.prefix(20) == wrongTree }, "a folder with findings is never remembered")
        XCTAssertTrue(records.contains { $0.prefix(20) == (try? tree("cycles/c4/alice")) }, "by the folder's tree")
        let written = try Data(contentsOf: cache)

        // Warm: the folders remembered are skipped whole, so with no verdicts and no facts
        // kept per file, only the two files of the folder with a finding are judged: opened
        // directly, with nothing per file read or written.
        for file in cacheFiles(origin, prefix: "seal-verdicts-") + cacheFiles(origin) {
            try FileManager.default.removeItem(at: file)
        }
        XCTAssertEqual(try check(h, origin, as: "dana").out, cold.out, "warm")
        XCTAssertEqual(try Data(contentsOf: cache), written, "nothing new to remember, nothing rewritten")
        XCTAssertEqual(cacheFiles(origin, prefix: "seal-verdicts-") + cacheFiles(origin), [])

        // Fixed and committed: the folder's new tree is remembered, under the same condition.
        try h.write("---\nkind: self-review\n---\nMe, cycle 3, once more.\n", to: Self.wrong, in: origin)
        try h.git(["commit", "-q", "-am", "resealed to dana"], in: origin, as: "dana")
        XCTAssertFalse(try check(h, origin, as: "dana").out.contains("[seal-readers]"))
        let fixedRecords = try verdicts(cache, magic: "evident-seal-folder-verdicts 1\n")
        XCTAssertEqual(fixedRecords.count, 36)
        let fixed = try XCTUnwrap(fixedRecords.first { $0.prefix(20) == (try? tree(folder)) })
        // The wrong file back, committed: the folder's tree is the wrong one again, which
        // no verdict names, so it is judged and reported.
        try h.git(["checkout", "HEAD~1", "--", Self.wrong], in: origin, as: "dana")
        try h.git(["commit", "-q", "-m", "the wrong seal back"], in: origin, as: "dana")
        XCTAssertEqual(try tree(folder), wrongTree)
        XCTAssertEqual(sealing(try check(h, origin, as: "dana").out), findings, "a changed file: judged again")

        // The wrong tree, remembered clean under the fixed one's condition (what a forger
        // would write): believed when authentic, which shows the verdicts are read.
        let forged =
            Data("evident-seal-folder-verdicts 1\n".utf8) + records.reduce(Data(), +) + wrongTree + fixed.suffix(16)
        try writeAuthenticated(forged, to: cache, key: key)
        XCTAssertFalse(try check(h, origin, as: "dana").out.contains("[seal-readers]"), "the verdicts are read")
        let copies = Self.damagedCopies(of: try Data(contentsOf: cache), flippingByte: 40)
        for (name, copy) in copies {
            try copy.write(to: cache)
            XCTAssertEqual(sealing(try check(h, origin, as: "dana").out), findings, name)
            XCTAssertEqual(
                try verdicts(cache, magic: "evident-seal-folder-verdicts 1\n").count, 35,
                "\(name): replaced by what the check found")
        }

        // Swapped: erin's file, authentic under its own name, holding the forged entry.
        XCTAssertNotEqual(try check(h, origin, as: "erin").out, "")
        let erinCache = try XCTUnwrap(cacheFiles(origin, prefix: "seal-folder-verdicts-").first { $0 != cache })
        try writeAuthenticated(forged, to: erinCache, key: key)
        try FileManager.default.removeItem(at: cache)
        try FileManager.default.copyItem(at: erinCache, to: cache)
        XCTAssertEqual(sealing(try check(h, origin, as: "dana").out), findings, "another identity's file, renamed")

        // Stale readers: with the forged entry authentic again, a new manager makes every
        // folder judged again, and every file wrong; back to the old manager, the forged
        // entry holds again.
        try writeAuthenticated(forged, to: cache, key: key)
        h.managers["alice"] = "erin"
        try h.write(h.peopleYAML(), to: "people.yaml", in: origin)
        XCTAssertEqual(Self.wronglySealed(in: try check(h, origin, as: "dana").out), 72)
        h.managers["alice"] = "dana"
        try h.write(h.peopleYAML(), to: "people.yaml", in: origin)
        XCTAssertFalse(try check(h, origin, as: "dana").out.contains("[seal-readers]"), "the forged entry again")

        // Only added, not committed: git leaves the folder without a tree until the next
        // commit, so the forged entry no longer applies and the staged file is judged.
        try stageSealedToKofi("Me, cycle 3, staged.", h, origin)
        XCTAssertEqual(sealing(try check(h, origin, as: "dana").out), findings, "a folder changed in the index alone")
    }

    /// The records of a verdict cache file (36 bytes each: blob or tree id, condition digest).
    private func verdicts(_ url: URL, magic: String = "evident-seal-verdicts 1\n") throws -> [Data] {
        let data = try Data(contentsOf: url)
        let magic = Data(magic.utf8)
        XCTAssertEqual(data.prefix(magic.count), magic)
        let macLine = 12 + 64 + 1
        let records = data.dropFirst(magic.count).dropLast(macLine)
        XCTAssertEqual(records.count % 36, 0)
        XCTAssertTrue(String(decoding: data.suffix(macLine), as: UTF8.self).hasPrefix("evident-mac "))
        return stride(from: records.startIndex, to: records.endIndex, by: 36).map { Data(records[$0..<($0 + 36)]) }
    }

    private static func rawID(_ hex: String) -> Data {
        let bytes = Array(hex.utf8)
        func nibble(_ c: UInt8) -> UInt8 { c <= 0x39 ? c - 0x30 : c - 0x61 + 10 }
        return Data(stride(from: 0, to: bytes.count - 1, by: 2).map { nibble(bytes[$0]) << 4 | nibble(bytes[$0 + 1]) })
    }

    /// The entries of a cache file: blob id → facts (the lines between the magic line and the MAC).
    private func entries(_ url: URL) throws -> [String: String] {
        let lines = String(decoding: try Data(contentsOf: url), as: UTF8.self).split(separator: "\n")
        XCTAssertEqual(lines.first, "evident-seal-facts 1")
        XCTAssertTrue(lines.last?.hasPrefix("evident-mac ") ?? false)
        var out: [String: String] = [:]
        for line in lines.dropFirst().dropLast() {
            let parts = line.split(separator: "\t", maxSplits: 1)
            XCTAssertEqual(parts.count, 2, String(line))
            out[String(parts[0])] = parts.count == 2 ? String(parts[1]) : ""
        }
        return out
    }

    /// Writes `content` as Evident's cache writer would, under the key at `key`, with
    /// the MAC computed by the project's Python (a second implementation).
    private func writeAuthenticated(_ content: String, to url: URL, key: URL) throws {
        try writeAuthenticated(Data(content.utf8), to: url, key: key)
    }

    private func writeAuthenticated(_ content: Data, to url: URL, key: URL) throws {
        XCTAssertTrue(FileManager.default.fileExists(atPath: key.path), "a check created the cache key")
        let project = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let python = project.appendingPathComponent(".venv/bin/python")
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: python.path), "run scripts/setup.sh to create .venv")
        let script = """
            import hmac, hashlib, sys
            key = open(sys.argv[1], 'rb').read()
            content = open(sys.argv[3], 'rb').read()
            sys.stdout.write(hmac.new(key, sys.argv[2].encode() + b'\\0' + content, hashlib.sha256).hexdigest())
            """
        let contentFile = url.deletingLastPathComponent().appendingPathComponent("forged-content")
        try content.write(to: contentFile)
        defer { try? FileManager.default.removeItem(at: contentFile) }
        let mac = try EvidentProcess.runTool(python, ["-c", script, key.path, url.lastPathComponent, contentFile.path])
        XCTAssertEqual(mac.status, 0, mac.stderr)
        XCTAssertEqual(mac.stdout.count, 64, mac.stderr)
        try (content + Data(("evident-mac " + mac.stdout + "\n").utf8)).write(to: url)
    }
}
