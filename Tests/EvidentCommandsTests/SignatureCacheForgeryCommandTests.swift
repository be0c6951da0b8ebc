import Foundation
import XCTest

/// `evident check` must not take a signature verdict from `.git/evident/`: a shared CI
/// cache is writable by anyone who can run a job, so a forged `signatures-v1` claiming
/// success for a wrongly signed sign-off must leave the error in place, even one carrying
/// a valid MAC under this user's cache key (signature verdicts are never cached at all).
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
        let commit = try repo.git([
            "-c", "user.name=Erin Park", "-c", "user.email=erin@example.com", "-c", "gpg.format=ssh",
            "-c", "user.signingkey=\(other)", "commit", "-q", "--allow-empty", "-S",
            "-m", "Sign off alice's 2026-h2 review as calibrator", "-m", trailers,
        ])
        XCTAssertEqual(commit.status, 0, commit.output)
        let id = try repo.gitOutput(["rev-parse", "HEAD"])

        let cacheHome = repo.scratch.appendingPathComponent("cache-home")
        let env = ["XDG_CACHE_HOME": cacheHome.path]
        let first = try repo.checkFindings(environment: env)
        XCTAssertEqual(first.status, 1)
        XCTAssertEqual(first.findings, ["cycles/2026-h2/alice/review.md:7 [signoff-signature] error"])

        // The line the cached verifier would have read as "verified" (commit, principal,
        // key, 1), authenticated with the key the warm run created.
        let cache = repo.root.appendingPathComponent(".git/evident/signatures-v1")
        try writeAuthenticated(
            "\(id)\terin@example.com\t\(erinKey)\t1\n", to: cache,
            key: cacheHome.appendingPathComponent("evident/cache-key"))
        let forged = try repo.checkFindings(environment: env)
        XCTAssertEqual(forged.status, 1, "a forged cache must not turn the bad signature into a good one")
        XCTAssertEqual(forged.findings, ["cycles/2026-h2/alice/review.md:7 [signoff-signature] error"])
        let status = try statusEntry(repo, env)
        XCTAssertEqual((status["signature"] as? [[String: Any]])?.first?["verified"] as? Bool, false, "\(status)")
        XCTAssertEqual((status["valid"] as? [[String: Any]])?.count, 0, "\(status)")

        // Control: Erin's own signature verifies, and a cache claiming it failed changes nothing.
        let good = try repo.git([
            "-c", "user.name=Erin Park", "-c", "user.email=erin@example.com", "-c", "gpg.format=ssh",
            "-c", "user.signingkey=\(erin)", "commit", "-q", "--allow-empty", "-S",
            "-m", "Sign off alice's 2026-h2 review as calibrator", "-m", trailers,
        ])
        XCTAssertEqual(good.status, 0, good.output)
        let goodID = try repo.gitOutput(["rev-parse", "HEAD"])
        try writeAuthenticated(
            "\(id)\terin@example.com\t\(erinKey)\t1\n\(goodID)\terin@example.com\t\(erinKey)\t0\n",
            to: cache, key: cacheHome.appendingPathComponent("evident/cache-key"))
        let after = try statusEntry(repo, env)
        XCTAssertEqual((after["valid"] as? [[String: Any]])?.first?["verified"] as? Bool, true, "\(after)")
        XCTAssertEqual((after["signature"] as? [[String: Any]])?.count, 1, "\(after)")
    }

    func statusEntry(_ repo: SignoffRepo, _ env: [String: String]) throws -> [String: Any] {
        let result = try repo.evident(["status", "--format", "json"], environment: env)
        XCTAssertEqual(result.status, 0, result.output)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let reviews = try XCTUnwrap(json["reviews"] as? [[String: Any]])
        return try XCTUnwrap(reviews.first { $0["file"] as? String == SignoffRepo.review }, result.stdout)
    }

    /// Writes `content` as Evident's cache writer would: then a line "evident-mac " and
    /// the HMAC-SHA-256, under the key file, of the file name, a NUL and the content
    /// (computed by the project's Python, a second implementation).
    func writeAuthenticated(_ content: String, to url: URL, key: URL) throws {
        XCTAssertTrue(FileManager.default.fileExists(atPath: key.path), "the warm run created the cache key")
        let project = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let python = project.appendingPathComponent(".venv/bin/python")
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: python.path), "run scripts/setup.sh to create .venv")
        let script = """
            import hmac, hashlib, sys
            key = open(sys.argv[1], 'rb').read()
            name, content = sys.argv[2].encode(), sys.argv[3].encode()
            sys.stdout.write(hmac.new(key, name + b'\\0' + content, hashlib.sha256).hexdigest())
            """
        let mac = try SignoffRepo.run(python, ["-c", script, key.path, url.lastPathComponent, content], in: project)
        XCTAssertEqual(mac.status, 0, mac.output)
        XCTAssertEqual(mac.stdout.count, 64, mac.output)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data((content + "evident-mac " + mac.stdout + "\n").utf8).write(to: url)
    }
}
