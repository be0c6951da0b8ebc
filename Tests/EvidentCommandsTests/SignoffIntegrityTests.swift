import EvidentTestSupport
import Foundation
import XCTest

/// SPEC §7 through the binary and the git CLI: a sign-off is a key's latest word on the
/// exact content. Each test plays what someone who can push (or write `.git`) would try.
final class SignoffIntegrityTests: XCTestCase {
    /// `git interpret-trailers --parse` of a commit's message, as "Key: value" lines.
    func trailers(_ repo: SignoffRepo, _ commit: String = "HEAD") throws -> [String] {
        let message = try repo.gitOutput(["log", "-1", "--format=%B", commit])
        let parsed = try repo.git(["interpret-trailers", "--parse"], stdin: message + "\n")
        XCTAssertEqual(parsed.status, 0, parsed.output)
        return parsed.stdout.split(separator: "\n").map(String.init)
    }

    func list(_ status: [String: Any], _ key: String) -> [[String: Any]] { status[key] as? [[String: Any]] ?? [] }

    func sign(
        _ repo: SignoffRepo, _ role: String, as email: String, _ extra: [String] = [],
        environment: [String: String] = [:], file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let result = try repo.evident(
            ["signoff", SignoffRepo.review, "--as", role] + extra, as: email,
            environment: environment)
        XCTAssertEqual(result.status, 0, result.output, file: file, line: line)
    }

    func editReview(_ repo: SignoffRepo, appending text: String, message: String) throws {
        try repo.write(SignoffRepo.review, try repo.read(SignoffRepo.review) + text)
        XCTAssertEqual(try repo.git(["commit", "-qam", message]).status, 0)
    }

    /// Issue item 1: restoring an earlier version never brings its approvals back.
    func testRevertToAnApprovedVersionDoesNotRestoreItsApprovals() throws {
        let repo = try SignoffRepo(self)
        try sign(repo, "manager", as: "dana@example.com")
        try sign(repo, "calibrator", as: "erin@example.com")
        let versionX = repo.head
        try editReview(repo, appending: "\nCalibration narrowed the scope of the claim.\n", message: "Calibrate")
        try sign(repo, "manager", as: "dana@example.com")
        try sign(repo, "calibrator", as: "erin@example.com")
        XCTAssertEqual(list(try repo.statusEntry(), "valid").count, 2)

        // Anyone who can push restores X's content.
        XCTAssertEqual(try repo.git(["checkout", versionX, "--", repo.gitPath(SignoffRepo.review)]).status, 0)
        XCTAssertEqual(try repo.git(["commit", "-qm", "Restore the earlier review"]).status, 0)

        let status = try repo.statusEntry()
        XCTAssertEqual(list(status, "valid").count, 0, "\(status)")
        XCTAssertEqual(Set(list(status, "superseded").compactMap { $0["role"] as? String }), ["manager", "calibrator"])
        XCTAssertEqual(Set(list(status, "stale").compactMap { $0["role"] as? String }), ["manager", "calibrator"])
        XCTAssertEqual(status["complete"] as? Bool, false)

        let check = try repo.checkFindings()
        XCTAssertEqual(check.findings.filter { $0.contains("[signoff-stale]") }.count, 4, "\(check.findings)")
        XCTAssertTrue(check.messages.contains { $0.contains("replaced it") }, "\(check.messages)")

        let diff = try repo.evident(["calibrate", "diff", "HEAD~1", "HEAD"])
        XCTAssertEqual(diff.status, 1, diff.output)
        XCTAssertEqual(diff.stdout.components(separatedBy: "[superseded-approval]").count - 1, 2, diff.stdout)
        let diffJSON = try repo.evident(["calibrate", "diff", "HEAD~1", "HEAD", "--format", "json"])
        XCTAssertTrue(diffJSON.stdout.contains("\"restoredApprovals\""), diffJSON.stdout)
        // The calibration before the revert, compared with its own base, restores nothing.
        XCTAssertEqual(try repo.evident(["calibrate", "diff", versionX, "HEAD~1"]).status, 0)

        let record = try repo.evident(["record", "alice", "--cycle", "2026-h2"])
        XCTAssertEqual(record.status, 0, record.output)
        XCTAssertTrue(record.stdout.contains("superseded"), record.stdout)
        XCTAssertFalse(record.stdout.contains("valid: approves the current content"), record.stdout)

        // --renew shows what changed and signs the restored version again.
        let renewed = try repo.evident(["signoff", "--renew", "--yes"], as: "dana@example.com")
        XCTAssertEqual(renewed.status, 0, renewed.output)
        XCTAssertTrue(renewed.stdout.contains("cycles/2026-h2/alice/review.md as manager"), renewed.stdout)
        XCTAssertTrue(renewed.stdout.contains("Renewed 1 of 1"), renewed.stdout)
        let after = try repo.statusEntry()
        XCTAssertEqual(list(after, "valid").compactMap { $0["role"] as? String }, ["manager"])
        // Nothing left to renew for Dana, and --renew without a terminal or --yes refuses.
        let again = try repo.evident(["signoff", "--renew"], as: "dana@example.com")
        XCTAssertEqual(again.status, 0, again.output)
        XCTAssertTrue(again.stdout.contains("nothing to renew"), again.stdout)
        let unattended = try repo.evident(["signoff", "--renew"], as: "erin@example.com")
        XCTAssertEqual(unattended.status, 2, unattended.output)
        XCTAssertTrue(unattended.stderr.contains("--yes"), unattended.stderr)
    }

    /// Issue item 5: withdrawal and dissent, visible everywhere.
    func testWithdrawAndDissentAreRecordedAndShown() throws {
        let repo = try SignoffRepo(self)
        try sign(repo, "manager", as: "dana@example.com")
        try sign(repo, "manager", as: "dana@example.com", ["--withdraw", "--reason", "The scope claim is wrong."])
        let withdrawal = try trailers(repo)
        XCTAssertTrue(withdrawal.contains("Evident-Position: withdraw"), withdrawal.joined(separator: "\n"))
        var status = try repo.statusEntry()
        XCTAssertEqual(list(status, "valid").count, 0)
        XCTAssertEqual(list(status, "withdrawn").count, 1)
        XCTAssertTrue((status["missing"] as? [String] ?? []).contains("manager"), "\(status)")

        try sign(
            repo, "calibrator", as: "erin@example.com",
            ["--dissent", "--reason", "Lowered to meets;\nI think exceeds is right.\u{2028}Evident-Signoff: hr"])
        let lines = try trailers(repo)
        XCTAssertTrue(lines.contains("Evident-Position: dissent"), lines.joined(separator: "\n"))
        XCTAssertTrue(
            lines.contains("Evident-Reason: Lowered to meets; I think exceeds is right. Evident-Signoff: hr"),
            lines.joined(separator: "\n"))
        XCTAssertEqual(lines.filter { $0.hasPrefix("Evident-Signoff:") }, ["Evident-Signoff: calibrator"])
        status = try repo.statusEntry()
        let valid = list(status, "valid")
        XCTAssertEqual(valid.first?["position"] as? String, "dissent")
        XCTAssertEqual(valid.first?["role"] as? String, "calibrator")
        let text = try repo.evident(["status"])
        XCTAssertTrue(text.stdout.contains("dissent       calibrator by Erin Park"), text.stdout)
        XCTAssertTrue(text.stdout.contains("withdrawn     manager by Dana Okafor"), text.stdout)

        let record = try repo.evident(["record", "alice", "--cycle", "2026-h2"])
        XCTAssertTrue(
            record.stdout.contains("dissent: signs the current content while disagreeing: Lowered to meets"),
            record.stdout)
        XCTAssertTrue(
            record.stdout.contains("withdrawn: the signer no longer approves: The scope claim is wrong."), record.stdout
        )
        let packet = try repo.evident(["calibrate", "packet", "--cycle", "2026-h2", "--group", "eng"])
        XCTAssertEqual(packet.status, 0, packet.output)
        XCTAssertTrue(packet.stdout.contains("calibrator Erin Park"), packet.stdout)
        XCTAssertTrue(packet.stdout.contains(": dissent (unverified"), packet.stdout)

        // A dissent needs a reason; control characters never reach a trailer.
        let noReason = try repo.evident(
            ["signoff", SignoffRepo.review, "--as", "calibrator", "--dissent"], as: "erin@example.com")
        XCTAssertEqual(noReason.status, 2, noReason.output)
        let control = try repo.evident([
            "signoff", SignoffRepo.review, "--as", "calibrator", "--dissent", "--reason", "a\u{1B}[31mb",
        ])
        XCTAssertEqual(control.status, 2, control.output)
    }

    /// Issue item 7: hr voids a forged sign-off; nobody else can.
    func testHRVoidsAForgedSignoff() throws {
        let repo = try SignoffRepo(self)
        try repo.forgeSignoff(role: "manager", signer: "Bob Marsh", email: "bob@example.com")
        let forged = repo.head
        XCTAssertEqual(try repo.checkFindings().status, 1)

        let byBob = try repo.evident(["signoff", "--void", forged, "--reason", "mine"], as: "bob@example.com")
        XCTAssertEqual(byBob.status, 2, byBob.output)
        XCTAssertTrue(byBob.stderr.contains("does not have the hr role"), byBob.stderr)
        let notASignoff = try repo.evident(["signoff", "--void", "HEAD~1", "--reason", "x"], as: "harriet@example.com")
        XCTAssertEqual(notASignoff.status, 2, notASignoff.output)

        let void = try repo.evident(
            ["signoff", "--void", String(forged.prefix(9)), "--reason", "Bob is not Alice's manager"],
            as: "harriet@example.com")
        XCTAssertEqual(void.status, 0, void.output)
        let lines = try trailers(repo)
        XCTAssertTrue(lines.contains("Evident-Voids: \(forged)"), lines.joined(separator: "\n"))
        XCTAssertTrue(lines.contains("Evident-Position: void"))
        let check = try repo.checkFindings()
        XCTAssertEqual(check.status, 0, "\(check.findings) \(check.messages)")
        let status = try repo.statusEntry()
        XCTAssertEqual(list(status, "voided").first?["commit"] as? String, forged)
        XCTAssertEqual(list(status, "unauthorized").count, 0)
        XCTAssertEqual(list(status, "voids").count, 1)
        let record = try repo.evident(["record", "alice", "--cycle", "2026-h2"])
        XCTAssertTrue(
            record.stdout.contains("voided: voided by Harriet Stone: Bob is not Alice's manager"), record.stdout)

        // A void typed by hand by someone without hr voids nothing and is itself reported.
        let repo2 = try SignoffRepo(self)
        try repo2.forgeSignoff(role: "manager", signer: "Bob Marsh", email: "bob@example.com")
        let forged2 = repo2.head
        let message = """
            Void

            Evident-Signoff: hr
            Evident-File: \(SignoffRepo.review)
            Evident-Blob: 0000000000000000000000000000000000000000
            Evident-Position: void
            Evident-Voids: \(forged2)
            Evident-Reason: trust me
            Signed-off-by: Bob Marsh <bob@example.com>
            """
        XCTAssertEqual(try repo2.git(["commit", "-q", "--allow-empty", "-m", message]).status, 0)
        let check2 = try repo2.checkFindings()
        XCTAssertEqual(check2.status, 1)
        XCTAssertEqual(check2.findings.filter { $0.contains("signoff-unauthorized") }.count, 2, "\(check2.findings)")
    }

    /// A sign-off's file comes from a trailer anyone can write. Paths with empty, missing or
    /// extra parts are refused or reported by every command that reads them; none traps.
    func testForgedFilePathsWithEmptyPartsAreRefusedNotACrash() throws {
        let repo = try SignoffRepo(self)
        let odd = ["cycles//alice/review.md", "cycles/2026-h2//review.md", "cycles///", "cycles/2026-h2/review.md"]
        var forged: [String] = []
        for path in odd {
            let message = """
                Approve

                Evident-Signoff: manager
                Evident-File: \(path)
                Evident-Blob: 0000000000000000000000000000000000000000
                Signed-off-by: Dana Reyes <dana@example.com>
                """
            XCTAssertEqual(try repo.git(["commit", "-q", "--allow-empty", "-m", message]).status, 0)
            forged.append(repo.head)
        }
        for command in [["check"], ["status"], ["record", "alice", "--cycle", "2026-h2"]] {
            let result = try repo.evident(command)
            XCTAssertTrue([0, 1].contains(result.status), "\(command): \(result.output)")
        }
        for commit in forged {
            let void = try repo.evident(
                ["signoff", "--void", commit, "--reason", "odd path"], as: "harriet@example.com")
            XCTAssertTrue([0, 2].contains(void.status), "void \(commit): \(void.output)")
        }
        for path in odd {
            let signoff = try repo.evident(["signoff", path, "--as", "manager"], as: "dana@example.com")
            XCTAssertEqual(signoff.status, 2, "\(path): \(signoff.output)")
            XCTAssertTrue(signoff.stderr.contains("error:"), signoff.stderr)
        }
    }

    /// Issue item 2: without required signatures every sign-off is marked unverified and the
    /// real committer is shown.
    func testUnverifiedSignoffsShowTheCommitter() throws {
        let repo = try SignoffRepo(self)
        // Mallory commits, claiming to be Dana.
        let message =
            "Sign off\n\nEvident-Signoff: manager\nEvident-File: \(SignoffRepo.review)\nEvident-Blob: "
            + (try repo.gitOutput(["rev-parse", "HEAD:" + SignoffRepo.review]))
            + "\nSigned-off-by: Dana Okafor <dana@example.com>\n"
        XCTAssertEqual(
            try repo.git([
                "-c", "user.email=mallory@evil.example", "-c", "user.name=Mallory",
                "commit", "-q", "--allow-empty", "-m", message,
            ]).status, 0)
        let status = try repo.statusEntry()
        let valid = list(status, "valid")
        XCTAssertEqual(valid.first?["identity"] as? String, "unverified")
        XCTAssertEqual(valid.first?["committer"] as? String, "Mallory <mallory@evil.example>")
        let text = try repo.evident(["status"])
        XCTAssertTrue(text.stdout.contains("a sign-off only claims who wrote it"), text.stdout)
        XCTAssertTrue(text.stdout.contains("unverified, committed by Mallory <mallory@evil.example>"), text.stdout)
        let record = try repo.evident(["record", "alice", "--cycle", "2026-h2"])
        XCTAssertTrue(record.stdout.contains("(unverified; committed by Mallory"), record.stdout)
    }

    /// Issue item 2 and "done when": init's key set-up gives sign-offs that both Evident
    /// and `git verify-commit` verify.
    func testSignedSignoffsVerifyWithGitAndEvident() throws {
        let repo = try SignoffRepo(self)
        let key = try repo.sshKey("erin")
        try repo.requireSignatures(erinKey: try repo.publicKey(key))
        XCTAssertEqual(try repo.git(["config", "gpg.format", "ssh"]).status, 0)
        XCTAssertEqual(try repo.git(["config", "user.signingkey", key + ".pub"]).status, 0)
        // No --sign: the policy requires signatures, so evident signs.
        try sign(repo, "calibrator", as: "erin@example.com")
        let allowed = repo.scratch.appendingPathComponent("allowed_signers").path
        let written = try repo.evident(["allowed-signers", "--output", allowed])
        XCTAssertEqual(written.status, 0, written.output)
        let verify = try repo.git(["-c", "gpg.ssh.allowedSignersFile=\(allowed)", "verify-commit", "HEAD"])
        XCTAssertEqual(verify.status, 0, verify.output)
        let entry = list(try repo.statusEntry(), "valid").first
        XCTAssertEqual(entry?["identity"] as? String, "verified")
        // Dana has no key: her sign-off is refused before anything is written.
        let before = repo.head
        let dana = try repo.evident(["signoff", SignoffRepo.review, "--as", "manager"], as: "dana@example.com")
        XCTAssertEqual(dana.status, 2, dana.output)
        XCTAssertTrue(dana.stderr.contains("no signing_key"), dana.stderr)
        XCTAssertEqual(repo.head, before)

        // An unsigned "withdraw" typed by hand in Erin's name replaces nothing.
        let message =
            "Withdraw\n\nEvident-Signoff: calibrator\nEvident-File: \(SignoffRepo.review)\nEvident-Blob: "
            + (try repo.gitOutput(["rev-parse", "HEAD:" + SignoffRepo.review]))
            + "\nEvident-Position: withdraw\nSigned-off-by: Erin Park <erin@example.com>\n"
        XCTAssertEqual(try repo.git(["commit", "-q", "--allow-empty", "-m", message]).status, 0)
        let status = try repo.statusEntry()
        XCTAssertEqual(list(status, "valid").first?["identity"] as? String, "verified", "\(status)")
        XCTAssertEqual(list(status, "withdrawn").count, 0)
        XCTAssertEqual(list(status, "signature").count, 1)
    }

    func testInitRequiresSignaturesAndExplainsTheKeySetUp() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("evident-init-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        let result = try SignoffRepo.run(
            SignoffRepo.binary, ["init", folder.path], in: FileManager.default.temporaryDirectory)
        XCTAssertEqual(result.status, 0, result.output)
        let policy = try String(contentsOf: folder.appendingPathComponent("evident.yaml"), encoding: .utf8)
        XCTAssertTrue(policy.contains("require_signature: true"), policy)
        for step in ["ssh-keygen -t ed25519", "signing_key:", "git config gpg.format ssh", "evident allowed-signers"] {
            XCTAssertTrue(result.stdout.contains(step), "missing \(step): \(result.stdout)")
        }
    }

    /// Issue item 3: a forged or edited cache changes no verdict.
    func testForgedOrEditedCachesChangeNoVerdict() throws {
        let repo = try SignoffRepo(self)
        let cacheHome = repo.scratch.appendingPathComponent("cache-home").path
        let env = ["XDG_CACHE_HOME": cacheHome]
        let key = try repo.sshKey("erin")
        try repo.requireSignatures(erinKey: try repo.publicKey(key))
        let review = try repo.gitOutput(["rev-parse", "HEAD:" + SignoffRepo.review])
        let head = repo.head
        let cacheFolder = repo.root.appendingPathComponent(".git/evident")
        try FileManager.default.createDirectory(at: cacheFolder, withIntermediateDirectories: true)
        let fake = String(repeating: "ab", count: 20)
        // The attack as reported: a sign-off record and a "verified" signature for a commit that does not exist.
        for name in ["signoffs-v1", "signoffs-v2"] {
            let version = name.hasSuffix("2") ? "2" : "1"
            var line = [fake, "calibrator", SignoffRepo.review, review, "meets", "Erin Park", "erin@example.com"]
            line +=
                version == "2"
                ? ["Erin Park", "erin@example.com", "approve", "", "", "2026-12-15T10:00:00Z", "1"]
                : ["2026-12-15T10:00:00Z", "1"]
            let text =
                "evident-signoffs \(version)\nhead \(head)\n" + line.joined(separator: "\t") + "\n"
                + "evident-mac " + String(repeating: "0", count: 64) + "\n"
            try Data(text.utf8).write(to: cacheFolder.appendingPathComponent(name))
        }
        try Data("\(fake)\terin@example.com\t\(try repo.publicKey(key))\t1\n".utf8)
            .write(to: cacheFolder.appendingPathComponent("signatures-v1"))
        let status = try repo.evident(["status", "--format", "json"], environment: env)
        XCTAssertFalse(status.stdout.contains(fake), status.stdout)
        let entry = try repo.statusEntry()
        XCTAssertEqual(list(entry, "valid").count, 0)

        // A genuine cache, then one line removed (hiding Dana's withdrawal): ignored whole.
        let repo2 = try SignoffRepo(self)
        try sign(repo2, "manager", as: "dana@example.com", environment: env)
        try sign(repo2, "manager", as: "dana@example.com", ["--withdraw"], environment: env)
        XCTAssertEqual(
            list(
                try repo2.evident(["status", "--format", "json"], environment: env).json(SignoffRepo.review),
                "withdrawn"
            ).count, 1)
        let cacheURL = repo2.root.appendingPathComponent(".git/evident/signoffs-v2")
        let cached = try String(contentsOf: cacheURL, encoding: .utf8)
        XCTAssertTrue(cached.contains("\twithdraw\t"), cached)
        let edited =
            cached.split(separator: "\n").filter { !$0.contains("\twithdraw\t") }.joined(separator: "\n") + "\n"
        try Data(edited.utf8).write(to: cacheURL)
        let after = try repo2.evident(["status", "--format", "json"], environment: env).json(SignoffRepo.review)
        XCTAssertEqual(list(after, "withdrawn").count, 1, "\(after)")
        XCTAssertEqual(list(after, "valid").count, 0)
        // A cache written under another user's key (another machine, a shared CI cache) is ignored too.
        try sign(repo2, "manager", as: "dana@example.com", environment: env)
        let other = ["XDG_CACHE_HOME": repo2.scratch.appendingPathComponent("other-home").path]
        let fromOther = try repo2.evident(["status", "--format", "json"], environment: other).json(SignoffRepo.review)
        XCTAssertEqual(list(fromOther, "valid").count, 1)
    }

    /// A sign-off interrupted at any moment (Ctrl-C, `kill`, a CI timeout) leaves the
    /// branch at the old tip or at one whole sign-off on top of it, no lock file, and a
    /// sound repository. (SIGKILL cannot be caught: see `InterruptShield`.)
    func testKilledSignoffLeavesNoHalfMovedBranchAndNoLock() throws {
        let repo = try SignoffRepo(self)
        XCTAssertEqual(try repo.git(["config", "user.email", "dana@example.com"]).status, 0)
        var random = SeededGenerator.forTest(self)
        let seed = random.seed
        for round in 0..<30 {
            let before = repo.head
            let process = Process()
            process.executableURL = SignoffRepo.binary
            process.arguments = ["signoff", SignoffRepo.review, "--as", "manager"]
            process.currentDirectoryURL = repo.reviewRoot
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(UInt32(random.next() % 120_000))
            kill(process.processIdentifier, [SIGINT, SIGTERM, SIGHUP][Int(random.next() % 3)])
            process.waitUntilExit()
            let after = repo.head
            if after != before {
                XCTAssertEqual(try repo.gitOutput(["rev-parse", "HEAD~1"]), before, "seed \(seed), round \(round)")
                XCTAssertEqual(
                    try repo.gitOutput(["log", "-1", "--format=%(trailers:key=Evident-Signoff,valueonly)"]),
                    "manager", "seed \(seed), round \(round)")
            }
            let locks = try repo.gitOutput(["rev-parse", "--git-dir"])
            let enumerator = FileManager.default.enumerator(atPath: repo.root.appendingPathComponent(locks).path)
            let lockFiles = (enumerator?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".lock") }
            XCTAssertEqual(lockFiles, [], "seed \(seed), round \(round)")
        }
        let fsck = try repo.git(["fsck", "--strict"])
        XCTAssertEqual(fsck.status, 0, fsck.output)
        XCTAssertEqual(
            try repo.evident(["signoff", SignoffRepo.review, "--as", "manager"]).status, 0,
            "a later sign-off is not blocked")
        // What SIGKILL can leave (a lock from a killed git or evident): said plainly, with the fix.
        let lock = repo.root.appendingPathComponent(".git/refs/heads/main.lock")
        try Data().write(to: lock)
        let blocked = try repo.evident(["signoff", SignoffRepo.review, "--as", "manager", "--withdraw"])
        XCTAssertEqual(blocked.status, 2, blocked.output)
        XCTAssertTrue(
            blocked.stderr.contains("main.lock exists") && blocked.stderr.contains("remove that file"), blocked.stderr)
    }

    /// Values that come from files (a rating in the review's YAML) can never add or break
    /// a trailer, whatever line break they hold.
    func testRatingsFromYAMLCannotInjectTrailers() throws {
        for rating in ["\"meets\\nEvident-Signoff: hr\"", "\"meets\\u2028Evident-Signoff: hr\"", "\"meets\\rx\""] {
            let repo = try SignoffRepo(self)
            let text = try repo.read(SignoffRepo.review)
            XCTAssertTrue(text.contains("rating: meets"))
            try repo.write(
                SignoffRepo.review, text.replacingOccurrences(of: "rating: meets", with: "rating: \(rating)"))
            XCTAssertEqual(try repo.git(["commit", "-qam", "Odd rating"]).status, 0)
            let before = repo.head
            let result = try repo.evident(["signoff", SignoffRepo.review, "--as", "manager"], as: "dana@example.com")
            // Either refused with nothing written, or written with git's reading of the
            // trailers exactly as intended (a rating that is not one line is left out).
            if result.status == 0 {
                let lines = try trailers(repo)
                XCTAssertEqual(lines.filter { $0.hasPrefix("Evident-Signoff:") }, ["Evident-Signoff: manager"], rating)
                XCTAssertFalse(lines.contains { $0.contains("hr") }, "\(rating): \(lines)")
                XCTAssertEqual(lines.count, 4, "\(rating): \(lines)")
            } else {
                XCTAssertEqual(result.status, 2, "\(rating): \(result.output)")
                XCTAssertEqual(repo.head, before, rating)
            }
        }
    }

    /// Issue item 4: a role holding U+001F is never read back as two roles.
    func testRoleWithUnitSeparatorIsRefusedEveryTime() throws {
        let repo = try SignoffRepo(self)
        try repo.write(
            "people.yaml",
            try repo.read("people.yaml").replacingOccurrences(
                of: "email: bob@example.com, level: eng-3, team: payments, manager: dana }",
                with: "email: bob@example.com, level: eng-3, team: payments, manager: dana, roles: [\"x\\x1Fhr\"] }"))
        XCTAssertEqual(try repo.git(["commit", "-qam", "Bob's odd role"]).status, 0)
        for attempt in 1...3 {
            let result = try repo.evident(["signoff", SignoffRepo.review, "--as", "hr"], as: "bob@example.com")
            XCTAssertEqual(result.status, 2, "attempt \(attempt): \(result.output)")
            XCTAssertTrue(result.stderr.contains("does not have the hr role"), "attempt \(attempt): \(result.stderr)")
        }
    }
}

extension SignoffRepo.Result {
    /// The status JSON's entry for `file`.
    func json(_ file: String) -> [String: Any] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any],
            let reviews = object["reviews"] as? [[String: Any]]
        else { return [:] }
        return reviews.first { $0["file"] as? String == file } ?? [:]
    }
}
