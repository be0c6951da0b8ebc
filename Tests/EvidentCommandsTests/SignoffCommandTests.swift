import Foundation
import XCTest

/// `evident signoff` end to end, read back with the git CLI as the only judge: the commit
/// must be what the spec says, readable by `git log`, `git interpret-trailers` and
/// `git fsck --strict`, and must leave the index and work tree alone.
final class SignoffCommandTests: XCTestCase {
    func testSignoffWritesTheSpecCommit() throws {
        let repo = try SignoffRepo(self)
        let parent = repo.head
        let blob = try repo.gitOutput(["rev-parse", "HEAD:" + SignoffRepo.review])

        let result = try repo.evident(["signoff", SignoffRepo.review, "--as", "manager"], as: "dana@example.com")
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertTrue(result.stdout.contains("Sign off alice's 2026-h2 review as manager"), result.stdout)

        XCTAssertEqual(try repo.gitOutput(["rev-parse", "HEAD~1"]), parent)
        XCTAssertEqual(
            try repo.gitOutput(["rev-parse", "HEAD^{tree}"]), try repo.gitOutput(["rev-parse", "HEAD~1^{tree}"]))
        XCTAssertEqual(
            try repo.gitOutput(["log", "-1", "--format=%B"]),
            """
            Sign off alice's 2026-h2 review as manager

            Evident-Signoff: manager
            Evident-File: cycles/2026-h2/alice/review.md
            Evident-Blob: \(blob)
            Evident-Rating: meets
            Signed-off-by: Dana Okafor <dana@example.com>
            """)
        let message = try repo.gitOutput(["log", "-1", "--format=%B"])
        let parsed = try repo.git(["interpret-trailers", "--parse"], stdin: message)
        XCTAssertEqual(
            parsed.stdout,
            """
            Evident-Signoff: manager
            Evident-File: cycles/2026-h2/alice/review.md
            Evident-Blob: \(blob)
            Evident-Rating: meets
            Signed-off-by: Dana Okafor <dana@example.com>

            """)
        XCTAssertEqual(
            try repo.gitOutput(["log", "-1", "--format=%an <%ae>|%cn <%ce>"]),
            "Test Setup <dana@example.com>|Test Setup <dana@example.com>")
        let fsck = try repo.git(["fsck", "--strict"])
        XCTAssertEqual(fsck.status, 0, fsck.output)
        XCTAssertEqual(try repo.gitOutput(["status", "--porcelain"]), "")

        // A valid sign-off: nothing to report, and status lists it.
        let check = try repo.checkFindings()
        XCTAssertEqual(check.status, 0, "\(check.messages)")
        XCTAssertEqual(check.findings, [])
        let status = try repo.statusEntry()
        XCTAssertEqual((status["valid"] as? [[String: Any]])?.compactMap { $0["role"] as? String }, ["manager"])
        XCTAssertEqual(status["missing"] as? [String], ["skip-level", "calibrator"])
    }

    func testSignoffByPersonAndCycle() throws {
        let repo = try SignoffRepo(self)
        var result = try repo.evident(["signoff", "alice", "--as", "calibrator"], as: "erin@example.com")
        XCTAssertEqual(result.status, 0, result.output)
        result = try repo.evident(
            ["signoff", "alice", "--cycle", "2026-h2", "--as", "skip-level"], as: "vera@example.com")
        XCTAssertEqual(result.status, 0, result.output)
        result = try repo.evident(
            ["signoff", "alice", "--cycle", "2031-h1", "--as", "skip-level"], as: "vera@example.com")
        XCTAssertEqual(result.status, 2, result.output)
        XCTAssertTrue(result.stderr.contains("no cycle 2031-h1"), result.stderr)
        // Run from a sub-folder, with a relative path, like git.
        result = try repo.evident(
            ["signoff", "review.md", "--as", "manager"], as: "dana@example.com",
            in: repo.url("cycles/2026-h2/alice"))
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertEqual(
            try repo.gitOutput(["log", "--format=%(trailers:key=Evident-Signoff,valueonly)", "-3"])
                .split(separator: "\n").filter { !$0.isEmpty }, ["manager", "skip-level", "calibrator"])
        let status = try repo.statusEntry()
        XCTAssertEqual(status["complete"] as? Bool, true, "\(status)")
    }

    func testLatestCycleIsTheDefault() throws {
        let repo = try SignoffRepo(self)
        try repo.write(
            "cycles/2025-h2/cycle.yaml",
            """
            id: 2025-h2
            period: { start: 2025-07-01, end: 2025-12-31 }
            phase: closed
            calibration_groups:
              - { id: eng, calibrators: [erin], teams: [payments] }

            """)
        try repo.write(
            "cycles/2025-h2/alice/review.md",
            try repo.read(SignoffRepo.review).replacingOccurrences(
                of: "cycle: 2026-h2", with: "cycle: 2025-h2"))
        try repo.git(["add", "-A"])
        try repo.git(["commit", "-q", "-m", "Last year's review"])
        var result = try repo.evident(["signoff", "alice", "--as", "manager"], as: "dana@example.com")
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertEqual(
            try repo.gitOutput(["log", "-1", "--format=%(trailers:key=Evident-File,valueonly)"]),
            "cycles/2026-h2/alice/review.md")
        result = try repo.evident(
            ["signoff", "alice", "--cycle", "2025-h2", "--as", "manager"], as: "dana@example.com")
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertEqual(
            try repo.gitOutput(["log", "-1", "--format=%(trailers:key=Evident-File,valueonly)"]),
            "cycles/2025-h2/alice/review.md")
    }

    func testEachRoleIsAllowedOnlyToItsHolder() throws {
        let repo = try SignoffRepo(self)
        let cases: [(role: String, holder: String, outsider: String, reason: String)] = [
            ("manager", "dana@example.com", "bob@example.com", "bob is not alice's manager (dana is)"),
            ("skip-level", "vera@example.com", "dana@example.com", "dana is not alice's skip-level manager (vera is)"),
            ("calibrator", "erin@example.com", "dana@example.com", "dana is not a calibrator of group eng"),
            ("hr", "harriet@example.com", "dana@example.com", "dana does not have the hr role"),
            ("self", "alice@example.com", "bob@example.com", "bob is not alice"),
        ]
        for entry in cases {
            let before = repo.head
            let refused = try repo.evident(["signoff", SignoffRepo.review, "--as", entry.role], as: entry.outsider)
            XCTAssertEqual(refused.status, 2, "\(entry.role) by \(entry.outsider): \(refused.output)")
            XCTAssertTrue(refused.stderr.contains("cannot sign off"), refused.stderr)
            XCTAssertTrue(refused.stderr.contains(entry.reason), "\(entry.role): \(refused.stderr)")
            XCTAssertEqual(repo.head, before, "a refused sign-off must write nothing")

            let allowed = try repo.evident(["signoff", SignoffRepo.review, "--as", entry.role], as: entry.holder)
            XCTAssertEqual(allowed.status, 0, "\(entry.role) by \(entry.holder): \(allowed.output)")
            XCTAssertNotEqual(repo.head, before)
        }
        let stranger = try repo.evident(["signoff", SignoffRepo.review, "--as", "manager"], as: "stranger@example.net")
        XCTAssertEqual(stranger.status, 2)
        XCTAssertTrue(
            stranger.stderr.contains("no one in people.yaml has the email stranger@example.net"), stranger.stderr)
        let badRole = try repo.evident(["signoff", SignoffRepo.review, "--as", "ceo"], as: "dana@example.com")
        XCTAssertEqual(badRole.status, 2, badRole.output)

        let status = try repo.statusEntry()
        XCTAssertEqual(
            (status["valid"] as? [[String: Any]])?.compactMap { $0["role"] as? String },
            ["manager", "skip-level", "calibrator", "hr", "self"])
        XCTAssertEqual(try repo.checkFindings().findings, [])
    }

    /// The people a decision needs are cached by people.yaml's blob: a committed change
    /// to people.yaml is a new blob and is seen at once; an uncommitted one is not.
    func testPeopleChangesApplyOnceCommitted() throws {
        let repo = try SignoffRepo(self)
        XCTAssertEqual(
            try repo.evident(["signoff", SignoffRepo.review, "--as", "hr"], as: "harriet@example.com").status, 0)
        let people = try repo.read("people.yaml")
        try repo.write("people.yaml", people.replacingOccurrences(of: ", roles: [hr] }", with: " }"))
        var result = try repo.evident(["signoff", SignoffRepo.review, "--as", "hr"], as: "harriet@example.com")
        XCTAssertEqual(result.status, 0, "uncommitted people.yaml edits do not count: \(result.output)")
        try repo.git(["commit", "-qam", "Harriet moves out of HR"])
        result = try repo.evident(["signoff", SignoffRepo.review, "--as", "hr"], as: "harriet@example.com")
        XCTAssertEqual(result.status, 2, result.output)
        XCTAssertTrue(result.stderr.contains("harriet does not have the hr role"), result.stderr)
        // Her earlier hr sign-offs no longer count either.
        let check = try repo.checkFindings()
        XCTAssertEqual(check.findings.filter { $0.contains("signoff-unauthorized") }.count, 2, "\(check.findings)")
    }

    func testRefusesUncommittedChanges() throws {
        let repo = try SignoffRepo(self)
        let before = repo.head
        let original = try repo.read(SignoffRepo.review)
        try repo.write(SignoffRepo.review, original.replacingOccurrences(of: "rating: meets", with: "rating: exceeds"))
        var result = try repo.evident(["signoff", SignoffRepo.review, "--as", "manager"], as: "dana@example.com")
        XCTAssertEqual(result.status, 2, result.output)
        XCTAssertTrue(result.stderr.contains("has unstaged changes"), result.stderr)

        try repo.git(["add", SignoffRepo.review])
        result = try repo.evident(["signoff", SignoffRepo.review, "--as", "manager"], as: "dana@example.com")
        XCTAssertEqual(result.status, 2, result.output)
        XCTAssertTrue(result.stderr.contains("has staged changes"), result.stderr)

        try repo.write(SignoffRepo.review, original)  // staged differs, work tree back to HEAD
        result = try repo.evident(["signoff", SignoffRepo.review, "--as", "manager"], as: "dana@example.com")
        XCTAssertEqual(result.status, 2, result.output)
        XCTAssertTrue(result.stderr.contains("changes"), result.stderr)

        try repo.git(["reset", "-q", SignoffRepo.review])
        try repo.write(
            "cycles/2026-h2/bob/review.md", original.replacingOccurrences(of: "person: alice", with: "person: bob"))
        result = try repo.evident(
            ["signoff", "cycles/2026-h2/bob/review.md", "--as", "manager"], as: "dana@example.com")
        XCTAssertEqual(result.status, 2, result.output)
        XCTAssertTrue(result.stderr.contains("is not committed"), result.stderr)

        result = try repo.evident(["signoff", "cycles/2026-h2/alice/self.md", "--as", "self"], as: "alice@example.com")
        XCTAssertEqual(result.status, 2, result.output)
        XCTAssertTrue(result.stderr.contains("is not a review"), result.stderr)
        XCTAssertEqual(repo.head, before)
    }

    func testRefusesDetachedHead() throws {
        let repo = try SignoffRepo(self)
        try repo.git(["checkout", "-q", "--detach"])
        let result = try repo.evident(["signoff", SignoffRepo.review, "--as", "manager"], as: "dana@example.com")
        XCTAssertEqual(result.status, 2, result.output)
        XCTAssertTrue(result.stderr.contains("HEAD is detached"), result.stderr)
        XCTAssertEqual(try repo.gitOutput(["rev-list", "--count", "--all"]), "1")
    }

    func testUnbornBranchIsRefusedCleanly() throws {
        let repo = try SignoffRepo(self, commit: false)
        let result = try repo.evident(["signoff", SignoffRepo.review, "--as", "manager"], as: "dana@example.com")
        XCTAssertEqual(result.status, 2, result.output)
        XCTAssertTrue(result.stderr.contains("branch main has no commits yet"), result.stderr)
        XCTAssertEqual(try repo.git(["rev-parse", "--verify", "-q", "HEAD"]).status, 1)
        // status and check work on an unborn branch: no history, no sign-offs.
        XCTAssertEqual(try repo.evident(["status"]).status, 0)
        XCTAssertEqual(try repo.checkFindings().status, 0)
    }

    func testOutsideGitIsAnEnvironmentError() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("evident-nogit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        try Data("evident: 1\norganization: X\nratings: [{ id: meets, label: Meets, min_evidence: 1 }]\n".utf8)
            .write(to: folder.appendingPathComponent("evident.yaml"))
        let env = ["GIT_CEILING_DIRECTORIES": folder.deletingLastPathComponent().path]
        let result = try SignoffRepo.run(
            SignoffRepo.binary, ["signoff", "alice", "--as", "manager"], in: folder,
            environment: env)
        XCTAssertEqual(result.status, 2, result.output)
        XCTAssertTrue(result.stderr.contains("not inside a git repository"), result.stderr)
        // check still works outside git, without sign-off rules.
        let check = try SignoffRepo.run(SignoffRepo.binary, ["check"], in: folder, environment: env)
        XCTAssertNotEqual(check.status, 2, check.output)
    }

    /// The spec's reliability promise: eight writers at once on one branch all land, or
    /// fail with the retry message; none is lost, and the repository stays sound.
    func testEightConcurrentSignoffs() throws {
        let repo = try SignoffRepo(self)
        try repo.git(["config", "--unset", "user.email"])
        let before = Int(try repo.gitOutput(["rev-list", "--count", "HEAD"])) ?? 0
        let signers = [
            ("dana@example.com", "manager"), ("vera@example.com", "skip-level"), ("erin@example.com", "calibrator"),
            ("harriet@example.com", "hr"), ("alice@example.com", "self"), ("dana@example.com", "manager"),
            ("erin@example.com", "calibrator"), ("vera@example.com", "skip-level"),
        ]
        // Each process gets its own identity through its own global git config.
        let homes = signers.indices.map { repo.scratch.appendingPathComponent("home\($0)") }
        for (index, signer) in signers.enumerated() {
            try FileManager.default.createDirectory(at: homes[index], withIntermediateDirectories: true)
            try Data("[user]\n\tname = Signer \(index)\n\temail = \(signer.0)\n".utf8)
                .write(to: homes[index].appendingPathComponent(".gitconfig"))
        }
        let results = ResultBox(count: signers.count)
        let binary = SignoffRepo.binary
        let root = repo.reviewRoot
        DispatchQueue.concurrentPerform(iterations: signers.count) { index in
            let env = ["HOME": homes[index].path, "XDG_CONFIG_HOME": homes[index].path]
            let result = try? SignoffRepo.run(
                binary, ["signoff", SignoffRepo.review, "--as", signers[index].1], in: root, environment: env)
            results.set(index, result)
        }
        var landed: [String] = []
        for index in signers.indices {
            let result = try XCTUnwrap(results.get(index))
            if result.status == 0 {
                let id = try XCTUnwrap(
                    result.stdout.split(separator: " ").dropFirst().first.map { String($0.dropLast()) })
                landed.append(id)
            } else {
                XCTAssertEqual(result.status, 2)
                XCTAssertTrue(result.stderr.contains("retry"), "a failed writer must say to retry: \(result.stderr)")
            }
        }
        XCTAssertGreaterThanOrEqual(landed.count, 1)
        let after = Int(try repo.gitOutput(["rev-list", "--count", "HEAD"])) ?? 0
        XCTAssertEqual(after - before, landed.count, "every sign-off that reported success is in the history")
        for id in landed {
            XCTAssertEqual(try repo.git(["merge-base", "--is-ancestor", id, "HEAD"]).status, 0, "\(id) was lost")
        }
        XCTAssertEqual(
            try repo.gitOutput(["log", "--first-parent", "--format=%P", "-\(landed.count)"])
                .split(separator: "\n").count, landed.count)
        let fsck = try repo.git(["fsck", "--strict"])
        XCTAssertEqual(fsck.status, 0, fsck.output)
        XCTAssertEqual(try repo.gitOutput(["status", "--porcelain"]), "")
        // Every role that signed is valid.
        try repo.git(["config", "user.email", "setup@example.com"])
        XCTAssertEqual(try repo.checkFindings().findings, [])
    }

    /// A sign-off reads three blob ids for one path and writes objects and one ref: the
    /// index file keeps its bytes and its modification time, even with something staged.
    func testSignoffLeavesTheIndexUntouched() throws {
        let repo = try SignoffRepo(self)
        try repo.write(
            "cycles/2026-h2/alice/evidence.md", try repo.read("cycles/2026-h2/alice/evidence.md") + "More notes.\n")
        try repo.git(["add", "cycles/2026-h2/alice/evidence.md"])
        try repo.write("values.md", try repo.read("values.md") + "Unstaged edit.\n")
        // git status may refresh the index itself: run it before taking the snapshot.
        let statusBefore = try repo.gitOutput(["status", "--porcelain"])
        Thread.sleep(forTimeInterval: 1.1)  // an index rewrite would show a later mtime
        let index = repo.root.appendingPathComponent(".git/index")
        let bytesBefore = try Data(contentsOf: index)
        let modifiedBefore = try FileManager.default.attributesOfItem(atPath: index.path)[.modificationDate] as? Date

        let result = try repo.evident(["signoff", SignoffRepo.review, "--as", "manager"], as: "dana@example.com")
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertEqual(try Data(contentsOf: index), bytesBefore, "the index was rewritten")
        XCTAssertEqual(
            try FileManager.default.attributesOfItem(atPath: index.path)[.modificationDate] as? Date, modifiedBefore)
        XCTAssertEqual(try repo.gitOutput(["status", "--porcelain"]), statusBefore)
    }

    func testReviewRepositoryInASubfolder() throws {
        let repo = try SignoffRepo(self, subfolder: "people/reviews")
        let result = try repo.evident(["signoff", SignoffRepo.review, "--as", "manager"], as: "dana@example.com")
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertEqual(
            try repo.gitOutput(["log", "-1", "--format=%(trailers:key=Evident-File,valueonly)"]),
            "people/reviews/cycles/2026-h2/alice/review.md")
        XCTAssertEqual(
            try repo.gitOutput(["log", "-1", "--format=%(trailers:key=Evident-Blob,valueonly)"]),
            try repo.gitOutput(["rev-parse", "HEAD:people/reviews/" + SignoffRepo.review]))
        let status = try repo.statusEntry()
        XCTAssertEqual((status["valid"] as? [[String: Any]])?.count, 1, "\(status)")
        // A change after the sign-off makes it stale, seen through the prefix too.
        try repo.write(SignoffRepo.review, try repo.read(SignoffRepo.review) + "\nOne more line.\n")
        try repo.git(["commit", "-qam", "Edit after sign-off"])
        XCTAssertEqual(try repo.checkFindings().findings, ["cycles/2026-h2/alice/review.md:7 [signoff-stale] warning"])
    }

    /// `--sign` writes the SSH signature `git verify-commit` checks, with the key from
    /// `user.signingkey`; `require_signature` then verifies against people.yaml.
    func testSignedSignoffVerifiesWithGit() throws {
        let repo = try SignoffRepo(self)
        let erinKey = try repo.sshKey("erin")
        let otherKey = try repo.sshKey("other")
        let publicKey = try repo.publicKey(erinKey)
        try repo.requireSignatures(erinKey: publicKey)
        try repo.git(["config", "gpg.format", "ssh"])
        // Signatures are required, so evident signs; with no key configured it refuses and says how.
        let noKey = try repo.evident(["signoff", SignoffRepo.review, "--as", "calibrator"], as: "erin@example.com")
        XCTAssertEqual(noKey.status, 2, noKey.output)
        XCTAssertTrue(noKey.stderr.contains("git config user.signingkey"), noKey.stderr)
        try repo.git(["config", "user.signingkey", erinKey + ".pub"])

        let signed = try repo.evident(
            ["signoff", SignoffRepo.review, "--as", "calibrator", "--sign"], as: "erin@example.com")
        XCTAssertEqual(signed.status, 0, signed.output)
        let allowed = repo.scratch.appendingPathComponent("allowed_signers")
        try Data("erin@example.com \(publicKey)\n".utf8).write(to: allowed)
        let verify = try repo.git([
            "-c", "gpg.format=ssh", "-c", "gpg.ssh.allowedSignersFile=\(allowed.path)",
            "verify-commit", "HEAD",
        ])
        XCTAssertEqual(verify.status, 0, verify.output)
        XCTAssertTrue(verify.stderr.contains("Good \"git\" signature for erin@example.com"), verify.stderr)
        XCTAssertEqual(try repo.git(["fsck", "--strict"]).status, 0)
        XCTAssertEqual(
            try repo.gitOutput(["rev-parse", "HEAD^{tree}"]), try repo.gitOutput(["rev-parse", "HEAD~1^{tree}"]))
        let status = try repo.statusEntry()
        let valid = try XCTUnwrap(status["valid"] as? [[String: Any]])
        XCTAssertEqual(valid.first?["verified"] as? Bool, true, "\(status)")
        XCTAssertEqual(try repo.checkFindings().findings, [])

        // A key that is not Erin's: refused before anything is written.
        try repo.git(["config", "user.signingkey", otherKey])
        let before = repo.head
        let wrongKey = try repo.evident(
            ["signoff", SignoffRepo.review, "--as", "calibrator", "--sign"], as: "erin@example.com")
        XCTAssertEqual(wrongKey.status, 2, wrongKey.output)
        XCTAssertTrue(wrongKey.stderr.contains("not the signing_key"), wrongKey.stderr)
        XCTAssertEqual(repo.head, before)
    }
}

/// Results from concurrent workers, behind a lock.
final class ResultBox: @unchecked Sendable {
    private var results: [SignoffRepo.Result?]
    private let lock = NSLock()
    init(count: Int) { results = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ result: SignoffRepo.Result?) {
        lock.lock()
        results[index] = result
        lock.unlock()
    }
    func get(_ index: Int) -> SignoffRepo.Result? {
        lock.lock()
        defer { lock.unlock() }
        return results[index]
    }
}
