import Foundation
import XCTest

/// `evident seal setup` and the filter process, driven by the real git CLI: clones by
/// different people, each reading what they may, and `git status` clean throughout.
final class SealFilterTests: XCTestCase {
    /// Real tools, found on PATH or in /usr/bin; missing ones fail the test.
    private func tool(_ name: String) throws -> URL {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for directory in path.split(separator: ":").map(String.init) + ["/usr/bin", "/bin"] {
            let candidate = directory + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return URL(fileURLWithPath: candidate) }
        }
        XCTFail("\(name) is not installed (scripts/setup.sh installs it)")
        throw CocoaError(.fileNoSuchFile)
    }

    private var root: URL!
    private var keys: [String: String] = [:]

    /// people: vera (top), dana (manages alice), alice, erin (calibrator), hana (hr),
    /// kofi (reads nothing of alice's).
    private static let people = ["vera", "dana", "alice", "erin", "hana", "kofi"]

    override func setUpWithError() throws {
        root = try EvidentProcess.temporaryDirectory(self, "evseal")
        let keygen = try tool("ssh-keygen")
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("keys"), withIntermediateDirectories: true)
        for person in Self.people {
            let file = root.appendingPathComponent("keys/\(person)").path
            let made = try EvidentProcess.runTool(keygen, ["-q", "-t", "ed25519", "-N", "", "-C", person, "-f", file])
            XCTAssertEqual(made.status, 0, made.stderr)
            keys[person] = try String(contentsOfFile: file + ".pub", encoding: .utf8)
                .split(separator: " ").prefix(2).joined(separator: " ")
        }
    }

    private func key(_ person: String) -> String { root.appendingPathComponent("keys/\(person)").path }

    @discardableResult
    private func git(
        _ arguments: [String], in directory: URL, as person: String, expect status: Int32 = 0,
        line: UInt = #line
    ) throws -> EvidentProcess.Result {
        let result = try EvidentProcess.runTool(
            try tool("git"), arguments, in: directory,
            environment: [
                "EVIDENT_IDENTITY": key(person), "GIT_AUTHOR_NAME": person, "GIT_AUTHOR_EMAIL": "\(person)@x",
                "GIT_COMMITTER_NAME": person, "GIT_COMMITTER_EMAIL": "\(person)@x", "GIT_CONFIG_NOSYSTEM": "1",
                "HOME": root.path,
            ])
        XCTAssertEqual(result.status, status, "git \(arguments.joined(separator: " ")): \(result.stderr)", line: line)
        return result
    }

    private func write(_ text: String, to path: String, in directory: URL) throws {
        let url = directory.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    private func read(_ path: String, in directory: URL) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(path), encoding: .utf8)
    }

    private func makeOrigin(withKeys: Bool = true) throws -> URL {
        let origin = root.appendingPathComponent("origin")
        let managers = ["dana": "vera", "alice": "dana", "erin": "vera", "hana": "vera", "kofi": "vera"]
        var people = "people:\n"
        for person in Self.people {
            people +=
                "  - { id: \(person), name: \(person.capitalized), email: \(person)@x, level: l, team: \(person == "alice" ? "pay" : "top")"
            if let manager = managers[person] { people += ", manager: \(manager)" }
            if person == "hana" { people += ", roles: [hr]" }
            if withKeys { people += ", signing_key: \"\(keys[person]!)\"" }
            people += " }\n"
        }
        try write(
            "evident: 1\norganization: T\nratings: [{ id: meets, label: Meets }]\nsealing: { enabled: true }\n",
            to: "evident.yaml", in: origin)
        try write(people, to: "people.yaml", in: origin)
        try write(
            """
            id: c
            period: { start: 2026-01-01, end: 2026-06-30 }
            phase: calibration
            calibration_groups:
              - { id: eng, calibrators: [erin], teams: [pay] }

            """, to: "cycles/c/cycle.yaml", in: origin)
        try write("---\nkind: review\n---\nAlice's review: confidential.\n", to: "cycles/c/alice/review.md", in: origin)
        try write("---\nkind: evidence\n---\nAlice's evidence.\n", to: "cycles/c/alice/evidence.md", in: origin)
        try git(["init", "-q", "-b", "main"], in: origin, as: "dana")
        let setup = try EvidentProcess.run(
            ["seal", "setup"], in: origin, environment: ["EVIDENT_IDENTITY": key("dana"), "HOME": root.path])
        XCTAssertEqual(setup.status, 0, setup.stderr)
        XCTAssertEqual(try read(".gitattributes", in: origin), "/cycles/** filter=evident\n/cycles/** diff=evident\n")
        return origin
    }

    private func clone(_ origin: URL, as person: String) throws -> URL {
        let target = root.appendingPathComponent("clone-\(person)")
        let process = try git(["config", "--get", "filter.evident.process"], in: origin, as: person).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try git(
            [
                "clone", "-q", "-c", "filter.evident.process=\(process)", "-c", "filter.evident.required=true",
                origin.path, target.path,
            ], in: root, as: person)
        return target
    }

    private func isSealed(_ text: String) -> Bool { text.hasPrefix("-----BEGIN AGE ENCRYPTED FILE-----") }

    func testClonesReadWhatTheirOwnerMayAndStayClean() throws {
        let origin = try makeOrigin()
        try git(["add", "-A"], in: origin, as: "dana")
        try git(["commit", "-q", "-m", "cycle c"], in: origin, as: "dana")

        // Stored: review files sealed, organisation files and cycle.yaml in plaintext.
        let storedReview = try git(["show", "HEAD:cycles/c/alice/review.md"], in: origin, as: "dana").stdout
        XCTAssertTrue(isSealed(storedReview), storedReview)
        XCTAssertFalse(storedReview.contains("confidential"))
        XCTAssertTrue(isSealed(try git(["show", "HEAD:cycles/c/alice/evidence.md"], in: origin, as: "dana").stdout))
        XCTAssertTrue(try git(["show", "HEAD:cycles/c/cycle.yaml"], in: origin, as: "dana").stdout.hasPrefix("id: c"))
        XCTAssertTrue(try git(["show", "HEAD:people.yaml"], in: origin, as: "dana").stdout.hasPrefix("people:"))
        // The origin's own work tree keeps plaintext and is clean.
        XCTAssertEqual(
            try read("cycles/c/alice/review.md", in: origin), "---\nkind: review\n---\nAlice's review: confidential.\n")
        XCTAssertEqual(try git(["status", "--porcelain"], in: origin, as: "dana").stdout, "")

        // The real age CLI opens the stored blob with a reader's key, and not with kofi's.
        let age = try tool("age")
        try Data(storedReview.utf8).write(to: root.appendingPathComponent("review.age"))
        for (person, reads) in [
            ("vera", true), ("erin", true), ("hana", true), ("dana", true), ("alice", false), ("kofi", false),
        ] {
            let opened = try EvidentProcess.runTool(
                age, ["-d", "-i", key(person), root.appendingPathComponent("review.age").path])
            XCTAssertEqual(opened.status == 0, reads, "\(person): \(opened.stderr)")
            if reads { XCTAssertTrue(opened.stdout.contains("confidential")) }
        }

        // Clones: each work tree holds what its owner may read, and git status is clean.
        let expectations: [(String, review: Bool, evidence: Bool)] = [
            ("dana", true, true), ("erin", true, true), ("alice", false, true), ("kofi", false, false),
        ]
        for (person, readsReview, readsEvidence) in expectations {
            let clone = try clone(origin, as: person)
            XCTAssertEqual(!isSealed(try read("cycles/c/alice/review.md", in: clone)), readsReview, person)
            XCTAssertEqual(!isSealed(try read("cycles/c/alice/evidence.md", in: clone)), readsEvidence, person)
            XCTAssertEqual(try git(["status", "--porcelain"], in: clone, as: person).stdout, "", person)
            // Racy and changed timestamps make git run the filter again: still clean.
            for path in ["cycles/c/alice/review.md", "cycles/c/alice/evidence.md"] {
                try FileManager.default.setAttributes(
                    [.modificationDate: Date().addingTimeInterval(5)],
                    ofItemAtPath: clone.appendingPathComponent(path).path)
            }
            XCTAssertEqual(
                try git(["status", "--porcelain"], in: clone, as: person).stdout, "", "\(person) after touch")
            try git(["add", "--renormalize", "."], in: clone, as: person)
            XCTAssertEqual(
                try git(["status", "--porcelain"], in: clone, as: person).stdout, "", "\(person) after renormalize")
            XCTAssertEqual(try git(["diff", "--stat"], in: clone, as: person).stdout, "", person)
        }
    }

    /// A clone delays every sealed file (git's `delay` capability) and collects them opened
    /// at the end: the work tree is byte for byte the one the files were sealed from, git
    /// status is clean, and a file that cannot be opened is still reported and left sealed.
    func testCloneWithDelayedFilesMatchesTheOriginByteForByte() throws {
        let origin = try makeOrigin()
        var files = ["cycles/c/alice/review.md", "cycles/c/alice/evidence.md"]
        for person in ["alice", "dana", "erin", "hana", "kofi"] {
            for name in ["self.md", "peer-vera.md", "response.md"] {
                let path = "cycles/c/\(person)/\(name)"
                var text = "---\nkind: \(name.hasPrefix("peer") ? "peer-feedback" : "self-review")\n---\n"
                // Varied sizes, one over the pkt-line payload size, and CRLF line ends.
                for line in 0..<(person == "hana" ? 3000 : 5 + files.count) { text += "\(path) line \(line)\r\n" }
                try write(text, to: path, in: origin)
                files.append(path)
            }
        }
        try git(["add", "-A"], in: origin, as: "dana")
        try git(["commit", "-q", "-m", "cycle c"], in: origin, as: "dana")
        // A stored file damaged after sealing (one base64 letter of its payload changed).
        let damagedPath = "cycles/c/kofi/self.md"
        var armour = Array(try git(["show", "HEAD:\(damagedPath)"], in: origin, as: "dana").stdout.utf8)
        let lines = armour.indices.filter { armour[$0] == 0x0A }
        let spot = lines[lines.count - 3] - 5
        armour[spot] = armour[spot] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        try Data(armour).write(to: root.appendingPathComponent("damaged.age"))
        let blob = try git(
            ["hash-object", "-w", "--no-filters", root.appendingPathComponent("damaged.age").path], in: origin,
            as: "dana"
        ).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try git(["update-index", "--cacheinfo", "100644,\(blob),\(damagedPath)"], in: origin, as: "dana")
        try git(["commit", "-q", "-m", "damaged"], in: origin, as: "dana")

        let target = root.appendingPathComponent("clone-vera")
        let process = try git(["config", "--get", "filter.evident.process"], in: origin, as: "vera").stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let trace = root.appendingPathComponent("trace.txt")
        let cloned = try EvidentProcess.runTool(
            try tool("git"),
            [
                "clone", "-q", "-c", "filter.evident.process=\(process)", "-c", "filter.evident.required=true",
                origin.path, target.path,
            ], in: root,
            environment: [
                "EVIDENT_IDENTITY": key("vera"), "GIT_CONFIG_NOSYSTEM": "1", "HOME": root.path,
                "GIT_TRACE_PACKET": trace.path,
            ])
        XCTAssertEqual(cloned.status, 0, cloned.stderr)
        let traced = try String(contentsOf: trace, encoding: .utf8)
        XCTAssertTrue(traced.contains("capability=delay"), "the filter offers delay")
        XCTAssertTrue(traced.contains("status=delayed"), "git delayed files")
        XCTAssertTrue(traced.contains("command=list_available_blobs"), "and collected them")
        // The damaged file: reported at its path, left as stored, the checkout goes on.
        XCTAssertTrue(cloned.stderr.contains("evident: \(damagedPath) stays sealed"), cloned.stderr)
        XCTAssertEqual(Array(try Data(contentsOf: target.appendingPathComponent(damagedPath))), armour)
        for path in files where path != damagedPath {
            XCTAssertEqual(
                try Data(contentsOf: target.appendingPathComponent(path)),
                try Data(contentsOf: origin.appendingPathComponent(path)), path)
        }
        XCTAssertEqual(try git(["status", "--porcelain"], in: target, as: "vera").stdout, "")
        // A checkout of another commit delays too, and ends where the origin is.
        try git(["checkout", "-q", "HEAD~1"], in: target, as: "vera")
        XCTAssertEqual(
            try Data(contentsOf: target.appendingPathComponent(damagedPath)),
            try Data(contentsOf: origin.appendingPathComponent(damagedPath)))
        XCTAssertEqual(try git(["status", "--porcelain"], in: target, as: "vera").stdout, "")
    }

    func testAReaderEditsAndOthersSeeTheChangeSealed() throws {
        let origin = try makeOrigin()
        try git(["add", "-A"], in: origin, as: "dana")
        try git(["commit", "-q", "-m", "cycle c"], in: origin, as: "dana")
        let dana = try clone(origin, as: "dana")
        let before = try git(["rev-parse", "HEAD:cycles/c/alice/review.md"], in: dana, as: "dana").stdout
        try write("---\nkind: review\n---\nAlice's review, revised.\n", to: "cycles/c/alice/review.md", in: dana)
        XCTAssertEqual(
            try git(["status", "--porcelain"], in: dana, as: "dana").stdout, " M cycles/c/alice/review.md\n")
        // Stash and pop round-trip the plaintext.
        try git(["stash", "-q"], in: dana, as: "dana")
        XCTAssertTrue(try read("cycles/c/alice/review.md", in: dana).contains("confidential"))
        try git(["stash", "pop", "-q"], in: dana, as: "dana")
        XCTAssertTrue(try read("cycles/c/alice/review.md", in: dana).contains("revised"))
        try git(["commit", "-q", "-am", "revise"], in: dana, as: "dana")
        let after = try git(["show", "HEAD:cycles/c/alice/review.md"], in: dana, as: "dana").stdout
        XCTAssertTrue(isSealed(after))
        XCTAssertNotEqual(before, try git(["rev-parse", "HEAD:cycles/c/alice/review.md"], in: dana, as: "dana").stdout)
        try git(["push", "-q", origin.path, "HEAD:refs/heads/revised"], in: dana, as: "dana")

        let erin = try clone(origin, as: "erin")
        try git(["checkout", "-q", "revised"], in: erin, as: "erin")
        XCTAssertEqual(
            try read("cycles/c/alice/review.md", in: erin), "---\nkind: review\n---\nAlice's review, revised.\n")
        let kofi = try clone(origin, as: "kofi")
        try git(["checkout", "-q", "revised"], in: kofi, as: "kofi")
        XCTAssertTrue(isSealed(try read("cycles/c/alice/review.md", in: kofi)))
        XCTAssertEqual(try git(["status", "--porcelain"], in: kofi, as: "kofi").stdout, "")
    }

    /// With no reader key to seal to, git add fails (filter.evident.required) and
    /// nothing is stored in plaintext.
    func testNoKeyMeansNoPlaintextStored() throws {
        let origin = try makeOrigin(withKeys: false)
        let added = try git(["add", "-A"], in: origin, as: "dana", expect: 128)
        XCTAssertTrue(added.stderr.contains("refusing to store it in plaintext"), added.stderr)
        let staged = try git(["ls-files", "--stage"], in: origin, as: "dana").stdout
        XCTAssertFalse(staged.contains("cycles/c/alice"), staged)
    }

    /// A broken evident.yaml could hide `sealing: { enabled: true }`: the filter then
    /// refuses to store review files instead of storing them in plaintext.
    func testBrokenPolicyMeansNoPlaintextStored() throws {
        let origin = try makeOrigin()
        try write(
            "evident: 1\norganization: T\nratings: [{ id: meets, label: Meets }]\nsealing: { enabled: yes please }\n",
            to: "evident.yaml", in: origin)
        let added = try git(["add", "-A"], in: origin, as: "dana", expect: 128)
        XCTAssertTrue(added.stderr.contains("evident.yaml has problems"), added.stderr)
        XCTAssertFalse(try git(["ls-files"], in: origin, as: "dana").stdout.contains("cycles/c/alice"))
        // Sealing turned off on purpose: files are stored as they are.
        try write(
            "evident: 1\norganization: T\nratings: [{ id: meets, label: Meets }]\nsealing: { enabled: false }\n",
            to: "evident.yaml", in: origin)
        try git(["add", "-A"], in: origin, as: "dana")
        XCTAssertTrue(
            try git(["show", ":cycles/c/alice/review.md"], in: origin, as: "dana").stdout.contains("confidential"))
    }

    /// A clone made before `seal setup` holds armoured text; setup checks it out again.
    func testSetupInAnExistingCloneOpensWhatItCan() throws {
        let origin = try makeOrigin()
        try git(["add", "-A"], in: origin, as: "dana")
        try git(["commit", "-q", "-m", "cycle c"], in: origin, as: "dana")
        let plain = root.appendingPathComponent("plain-clone")
        try git(["clone", "-q", origin.path, plain.path], in: root, as: "erin")
        XCTAssertTrue(isSealed(try read("cycles/c/alice/review.md", in: plain)))
        let setup = try EvidentProcess.run(
            ["seal", "setup"], in: plain, environment: ["EVIDENT_IDENTITY": key("erin"), "HOME": root.path])
        XCTAssertEqual(setup.status, 0, setup.stderr)
        XCTAssertTrue(try read("cycles/c/alice/review.md", in: plain).contains("confidential"))
        XCTAssertEqual(try git(["status", "--porcelain"], in: plain, as: "erin").stdout, "")
    }

    /// `check` judges what git stores: a reader's plaintext work tree is not "stored in
    /// plaintext", and a plaintext file committed from a clone without the filter is.
    func testCheckJudgesWhatGitStores() throws {
        let origin = try makeOrigin()
        try git(["add", "-A"], in: origin, as: "dana")
        try git(["commit", "-q", "-m", "cycle c"], in: origin, as: "dana")
        let dana = try clone(origin, as: "dana")
        XCTAssertTrue(try read("cycles/c/alice/review.md", in: dana).contains("confidential"))
        let inReaderClone = try EvidentProcess.run(["check"], in: dana, environment: ["HOME": root.path])
        XCTAssertFalse(inReaderClone.stdout.contains("[seal-readers]"), inReaderClone.stdout)
        XCTAssertFalse(inReaderClone.stdout.contains("confidential"), "no output quotes sealed text")

        XCTAssertFalse(inReaderClone.stderr.contains("skipped"), inReaderClone.stderr)
        // kofi reads nothing of alice's: her folder is skipped with one note, not reported on.
        let kofi = try clone(origin, as: "kofi")
        let inNonReaderClone = try EvidentProcess.run(["check"], in: kofi, environment: ["HOME": root.path])
        XCTAssertFalse(inNonReaderClone.stdout.contains("cycles/c/alice/"), inNonReaderClone.stdout)
        XCTAssertTrue(
            inNonReaderClone.stderr.contains(
                "note: skipped 1 person folder with files sealed to others (cycles/c/alice)"),
            inNonReaderClone.stderr)

        let plain = root.appendingPathComponent("plain-clone")
        try git(["clone", "-q", origin.path, plain.path], in: root, as: "kofi")
        try write("---\nkind: self-review\n---\nKofi, in plaintext.\n", to: "cycles/c/kofi/self.md", in: plain)
        try git(["add", "-A"], in: plain, as: "kofi")
        try git(["commit", "-q", "-m", "oops"], in: plain, as: "kofi")
        let inPlainClone = try EvidentProcess.run(["check"], in: plain, environment: ["HOME": root.path])
        let sealFindings = inPlainClone.stdout.split(separator: "\n").filter { $0.contains("[seal-readers]") }
        XCTAssertEqual(sealFindings.count, 1, inPlainClone.stdout)
        XCTAssertTrue(
            sealFindings.first?.hasPrefix("cycles/c/kofi/self.md:1:1: error: stored in plaintext") ?? false,
            "\(sealFindings)")
    }
}
