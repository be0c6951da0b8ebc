import Foundation
import XCTest

@testable import EvidentGit

/// `.git/evident/` is writable by whoever shares the checkout's caches (CI): a file there
/// claiming "verified" must change no verdict, for ed25519 keys (checked in process) and
/// for other key types (checked by ssh-keygen every time).
final class SignatureCacheForgeryTests: XCTestCase {
    func testAForgedSignaturesCacheChangesNothing() throws {
        let tools = try SSHTools.find()
        let dir = try TempDir()
        let repo = try TempRepo()
        let git = try GitRepository.open(path: repo.path)
        let erin = try tools.makeKey(in: dir, name: "erin", type: "ed25519")
        let mallory = try tools.makeKey(in: dir, name: "mallory", type: "ed25519")
        let erinRSA = try tools.makeKey(in: dir, name: "erin-rsa", type: "rsa")
        let malloryRSA = try tools.makeKey(in: dir, name: "mallory-rsa", type: "rsa")
        let author = GitSignature(name: "Erin Park", email: "erin@acme.example")
        func signed(_ key: SSHTestKey?, _ message: String) throws -> String {
            if let key {
                return try git.createEmptyCommit(
                    message: message + "\n", author: author, signer: SSHSigner(keyPath: key.path).sign)
            }
            return try git.createEmptyCommit(message: message + "\n", author: author)
        }
        // (commit, key people.yaml lists, the truth)
        let cases: [(name: String, commit: String, key: String, truth: Bool)] = [
            ("unsigned", try signed(nil, "Unsigned"), erin.publicKey, false),
            ("ed25519 by another key", try signed(mallory, "By Mallory"), erin.publicKey, false),
            ("rsa by another key", try signed(malloryRSA, "By Mallory, RSA"), erinRSA.publicKey, false),
            ("ed25519 by the right key", try signed(erin, "By Erin"), erin.publicKey, true),
            ("rsa by the right key", try signed(erinRSA, "By Erin, RSA"), erinRSA.publicKey, true),
        ]
        let principal = "erin@acme.example"

        // Without any cache file: the truth, and no file is written.
        let url = git.evidentCacheURL("signatures-v1")
        var clean = SignatureVerifier(repository: git)
        for c in cases {
            XCTAssertEqual(clean.verify(commit: c.commit, principal: principal, key: c.key), c.truth, c.name)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: url.path), "no signature verdict is written to disk")

        // A cache in the format the cached verifier used, every verdict inverted, and
        // authenticated with this user's cache key: even a cache Evident would trust as
        // its own (written by an older version, or by someone holding the key) decides nothing.
        var forged = ""
        for c in cases {
            forged +=
                [c.commit, principal, c.key].map(CacheText.escape).joined(separator: "\t") + "\t"
                + (c.truth ? "0" : "1") + "\n"
        }
        CacheText.write(forged, to: url)
        XCTAssertEqual(CacheText.lines(of: url)?.count, cases.count, "the forged cache reads back as authentic")
        let forgedBytes = try Data(contentsOf: url)
        var verifier = SignatureVerifier(repository: git)
        for c in cases {
            XCTAssertEqual(
                verifier.verify(commit: c.commit, principal: principal, key: c.key), c.truth,
                "\(c.name): a forged signatures-v1 must not change the verdict")
            XCTAssertEqual(
                try git.verifyCommitSignature(id: c.commit, publicKey: c.key, principal: principal), c.truth, c.name)
        }
        XCTAssertEqual(try Data(contentsOf: url), forgedBytes, "the file is not rewritten")

        // Control: the real clients agree with the truth.
        let allowed = dir.path + "/allowed"
        for c in cases {
            try Data("\(principal) \(c.key)\n".utf8).write(to: URL(fileURLWithPath: allowed))
            let result = try runProcess(
                tools.git,
                [
                    "-c", "gpg.format=ssh", "-c", "gpg.ssh.allowedSignersFile=\(allowed)",
                    "verify-commit", c.commit,
                ], in: repo.path)
            XCTAssertEqual(result.status == 0, c.truth, "git verify-commit on \(c.name): \(result.stderr)")
        }
    }
}
