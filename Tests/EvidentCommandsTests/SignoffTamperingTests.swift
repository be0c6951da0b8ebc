import Foundation
import XCTest

/// Sign-offs written by hand with the git CLI, the way someone would forge one, must be
/// reported by both `evident check` (errors, exit 1) and `evident status`.
final class SignoffTamperingTests: XCTestCase {
    /// Writes a sign-off commit with `git commit --allow-empty`, trailers typed by hand.
    func forge(
        _ repo: SignoffRepo, role: String, signer: String, email: String, blob: String? = nil,
        gitOptions: [String] = [], commitOptions: [String] = []
    ) throws {
        try repo.forgeSignoff(
            role: role, signer: signer, email: email, blob: blob, gitOptions: gitOptions,
            commitOptions: commitOptions)
    }

    func testForgedSignoffBySomeoneWithoutTheRole() throws {
        let repo = try SignoffRepo(self)
        try forge(repo, role: "hr", signer: "Bob Marsh", email: "bob@example.com")
        let check = try repo.checkFindings()
        XCTAssertEqual(check.status, 1)
        XCTAssertEqual(check.findings, ["cycles/2026-h2/alice/review.md:7 [signoff-unauthorized] error"])
        XCTAssertTrue(
            check.messages.first?.contains("bob does not have the hr role in people.yaml") == true, "\(check.messages)")

        let status = try repo.statusEntry()
        let unauthorized = try XCTUnwrap(status["unauthorized"] as? [[String: Any]])
        XCTAssertEqual(unauthorized.count, 1)
        XCTAssertEqual(unauthorized.first?["role"] as? String, "hr")
        XCTAssertEqual((status["valid"] as? [[String: Any]])?.count, 0)
        let text = try repo.evident(["status"])
        XCTAssertEqual(text.status, 0, "status is a report")
        XCTAssertTrue(text.stdout.contains("unauthorised  hr by Bob Marsh"), text.stdout)

        // Someone who is not in people.yaml at all.
        try forge(repo, role: "calibrator", signer: "Mallory", email: "mallory@example.net")
        let again = try repo.checkFindings()
        XCTAssertEqual(again.findings.filter { $0.contains("signoff-unauthorized") }.count, 2)
        XCTAssertTrue(
            again.messages.contains { $0.contains("no one in people.yaml has the email mallory@example.net") })
    }

    func testUnsignedSignoffWhereSignaturesAreRequired() throws {
        let repo = try SignoffRepo(self)
        try repo.requireSignatures(erinKey: try repo.publicKey(try repo.sshKey("erin")))
        try forge(repo, role: "manager", signer: "Dana Okafor", email: "dana@example.com")
        let check = try repo.checkFindings()
        XCTAssertEqual(check.status, 1)
        XCTAssertEqual(check.findings, ["cycles/2026-h2/alice/review.md:7 [signoff-signature] error"])
        XCTAssertTrue(check.messages.first?.contains("it is not signed") == true, "\(check.messages)")
        let status = try repo.statusEntry()
        XCTAssertEqual((status["signature"] as? [[String: Any]])?.first?["role"] as? String, "manager")
        XCTAssertEqual((status["valid"] as? [[String: Any]])?.count, 0)
        XCTAssertTrue(try repo.evident(["status"]).stdout.contains("bad signature"))
    }

    func testSignedWithAKeyThatIsNotTheSigners() throws {
        let repo = try SignoffRepo(self)
        let erin = try repo.sshKey("erin")
        let other = try repo.sshKey("other")
        try repo.requireSignatures(erinKey: try repo.publicKey(erin))
        // Signed, by git itself, but with someone else's key.
        try forge(
            repo, role: "calibrator", signer: "Erin Park", email: "erin@example.com",
            gitOptions: ["-c", "gpg.format=ssh", "-c", "user.signingkey=\(other)"], commitOptions: ["-S"])
        XCTAssertEqual(try repo.gitOutput(["log", "-1", "--format=%G?"]).isEmpty, false)
        let check = try repo.checkFindings()
        XCTAssertEqual(check.status, 1)
        XCTAssertEqual(check.findings, ["cycles/2026-h2/alice/review.md:7 [signoff-signature] error"])
        XCTAssertTrue(
            check.messages.first?.contains("does not verify against erin's signing_key") == true, "\(check.messages)")
        let status = try repo.statusEntry()
        XCTAssertEqual((status["signature"] as? [[String: Any]])?.first?["verified"] as? Bool, false)

        // The same forgery signed with Erin's real key verifies (and the cached result
        // for the bad one is still a failure).
        try forge(
            repo, role: "calibrator", signer: "Erin Park", email: "erin@example.com",
            gitOptions: ["-c", "gpg.format=ssh", "-c", "user.signingkey=\(erin)"], commitOptions: ["-S"])
        let after = try repo.statusEntry()
        XCTAssertEqual((after["valid"] as? [[String: Any]])?.first?["verified"] as? Bool, true, "\(after)")
        XCTAssertEqual((after["signature"] as? [[String: Any]])?.count, 1)
    }

    func testFileChangedAfterSignoff() throws {
        let repo = try SignoffRepo(self)
        XCTAssertEqual(
            try repo.evident(["signoff", SignoffRepo.review, "--as", "manager"], as: "dana@example.com").status, 0)
        XCTAssertEqual(
            try repo.evident(["signoff", SignoffRepo.review, "--as", "calibrator"], as: "erin@example.com").status, 0)
        try repo.write(
            SignoffRepo.review,
            try repo.read(SignoffRepo.review).replacingOccurrences(
                of: "Take a cross-team project next half.", with: "Take a cross-team project next half, with a mentor.")
        )
        try repo.git(["commit", "-qam", "Edit the growth plan"])

        let check = try repo.checkFindings()
        XCTAssertEqual(check.status, 0, "a stale sign-off is a warning")
        XCTAssertEqual(
            check.findings,
            [
                "cycles/2026-h2/alice/review.md:7 [signoff-stale] warning",
                "cycles/2026-h2/alice/review.md:7 [signoff-stale] warning",
            ])
        var status = try repo.statusEntry()
        XCTAssertEqual(
            (status["stale"] as? [[String: Any]])?.compactMap { $0["role"] as? String }, ["manager", "calibrator"])
        XCTAssertEqual(status["missing"] as? [String], ["skip-level"])
        XCTAssertTrue(try repo.evident(["status"]).stdout.contains("stale         manager by Dana Okafor"))

        // Signing the new version again clears that role's staleness.
        XCTAssertEqual(
            try repo.evident(["signoff", SignoffRepo.review, "--as", "manager"], as: "dana@example.com").status, 0)
        XCTAssertEqual(try repo.checkFindings().findings, ["cycles/2026-h2/alice/review.md:7 [signoff-stale] warning"])
        status = try repo.statusEntry()
        XCTAssertEqual((status["valid"] as? [[String: Any]])?.compactMap { $0["role"] as? String }, ["manager"])
        XCTAssertEqual((status["stale"] as? [[String: Any]])?.compactMap { $0["role"] as? String }, ["calibrator"])

        // An uncommitted edit on disk also means the sign-offs no longer match what is there.
        try repo.write(SignoffRepo.review, try repo.read(SignoffRepo.review) + "\nDraft.\n")
        XCTAssertEqual(try repo.checkFindings().findings.count, 2)
    }

    /// Sign-offs on merged branches count; history rewritten under the cache is re-read.
    func testMergedBranchesAndRewrittenHistory() throws {
        let repo = try SignoffRepo(self)
        try repo.git(["switch", "-q", "-c", "calibration"])
        XCTAssertEqual(
            try repo.evident(["signoff", SignoffRepo.review, "--as", "calibrator"], as: "erin@example.com").status, 0)
        try repo.git(["switch", "-q", "main"])
        XCTAssertEqual(
            try repo.evident(["signoff", SignoffRepo.review, "--as", "manager"], as: "dana@example.com").status, 0)
        XCTAssertEqual((try repo.statusEntry()["valid"] as? [[String: Any]])?.count, 1)
        try repo.git(["merge", "-q", "--no-ff", "-m", "Merge calibration", "calibration"])
        XCTAssertEqual(
            (try repo.statusEntry()["valid"] as? [[String: Any]])?.compactMap { $0["role"] as? String },
            ["manager", "calibrator"])
        // Drop the merge: the cache (built at the merge) must not keep the calibrator.
        try repo.git(["reset", "-q", "--hard", "HEAD~1"])
        XCTAssertEqual(
            (try repo.statusEntry()["valid"] as? [[String: Any]])?.compactMap { $0["role"] as? String },
            ["manager"])
        XCTAssertTrue(
            FileManager.default.fileExists(atPath: repo.root.appendingPathComponent(".git/evident/signoffs-v2").path))
    }
}
