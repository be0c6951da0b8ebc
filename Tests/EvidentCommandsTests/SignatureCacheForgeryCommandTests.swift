import Foundation
import XCTest

/// `evident check` must not take a signature verdict from `.git/evident/`: a shared CI
/// cache is writable by anyone who can run a job, so a forged `signatures-v1` claiming
/// success for a wrongly signed sign-off must leave the error in place.
final class SignatureCacheForgeryCommandTests: XCTestCase {
    func testForgedSignaturesCacheDoesNotVerifyAWronglySignedSignoff() throws {
        let repo = try SignoffRepo(self)
        let erin = try repo.sshKey("erin")
        let other = try repo.sshKey("other")
        let erinKey = try repo.publicKey(erin)
        try repo.requireSignatures(erinKey: erinKey)
        let blob = try repo.gitOutput(["rev-parse", "HEAD:" + repo.gitPath(SignoffRepo.review)])
        let trailers = """
            Evident-Signoff: calibrator
            Evident-File: \(repo.gitPath(SignoffRepo.review))
            Evident-Blob: \(blob)
            Evident-Rating: meets
            Signed-off-by: Erin Park <erin@example.com>
            """
        // Signed by git, with a key that is not Erin's.
        let commit = try repo.git(["-c", "user.name=Erin Park", "-c", "user.email=erin@example.com", "-c", "gpg.format=ssh",
                                   "-c", "user.signingkey=\(other)", "commit", "-q", "--allow-empty", "-S",
                                   "-m", "Sign off alice's 2026-h2 review as calibrator", "-m", trailers])
        XCTAssertEqual(commit.status, 0, commit.output)
        let id = try repo.gitOutput(["rev-parse", "HEAD"])

        let first = try repo.checkFindings()
        XCTAssertEqual(first.status, 1)
        XCTAssertEqual(first.findings, ["cycles/2026-h2/alice/review.md:7 [signoff-signature] error"])

        // The line the cached verifier would have read as "verified" (commit, principal,
        // key, 1), written over whatever the caches hold after a warm run.
        let cache = repo.root.appendingPathComponent(".git/evident/signatures-v1")
        try FileManager.default.createDirectory(at: cache.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("\(id)\terin@example.com\t\(erinKey)\t1\n".utf8).write(to: cache)
        let forged = try repo.checkFindings()
        XCTAssertEqual(forged.status, 1, "a forged cache must not turn the bad signature into a good one")
        XCTAssertEqual(forged.findings, ["cycles/2026-h2/alice/review.md:7 [signoff-signature] error"])
        let status = try repo.statusEntry()
        XCTAssertEqual((status["signature"] as? [[String: Any]])?.first?["verified"] as? Bool, false, "\(status)")
        XCTAssertEqual((status["valid"] as? [[String: Any]])?.count, 0, "\(status)")

        // Control: Erin's own signature verifies, and a cache claiming it failed changes nothing.
        let good = try repo.git(["-c", "user.name=Erin Park", "-c", "user.email=erin@example.com", "-c", "gpg.format=ssh",
                                 "-c", "user.signingkey=\(erin)", "commit", "-q", "--allow-empty", "-S",
                                 "-m", "Sign off alice's 2026-h2 review as calibrator", "-m", trailers])
        XCTAssertEqual(good.status, 0, good.output)
        let goodID = try repo.gitOutput(["rev-parse", "HEAD"])
        try Data("\(id)\terin@example.com\t\(erinKey)\t1\n\(goodID)\terin@example.com\t\(erinKey)\t0\n".utf8).write(to: cache)
        let after = try repo.statusEntry()
        XCTAssertEqual((after["valid"] as? [[String: Any]])?.first?["verified"] as? Bool, true, "\(after)")
        XCTAssertEqual((after["signature"] as? [[String: Any]])?.count, 1, "\(after)")
    }
}
