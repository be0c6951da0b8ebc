import Foundation
import XCTest

@testable import EvidentGit

final class SigningTests: XCTestCase {
    override func setUp() {
        TestEnvironment.prepare()
    }

    /// A fresh ed25519 key pair without passphrase; returns (private key path, public key line).
    private func makeKey(in dir: TempDir, name: String) throws -> (path: String, publicKey: String) {
        let path = dir.path + "/" + name
        let result = try runProcess("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", name, "-f", path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let publicKey = try String(contentsOfFile: path + ".pub", encoding: .utf8).trimmingCharacters(
            in: .whitespacesAndNewlines)
        return (path, publicKey)
    }

    private func allowedSigners(_ dir: TempDir, email: String, publicKey: String) throws -> String {
        let file = dir.path + "/allowed_signers"
        try Data("\(email) \(publicKey)\n".utf8).write(to: URL(fileURLWithPath: file))
        return file
    }

    private func verifyCommit(_ repo: TempRepo, allowedSignersFile: String) throws -> ProcessOutput {
        try repo.gitResult([
            "-c", "gpg.format=ssh", "-c", "gpg.ssh.allowedSignersFile=\(allowedSignersFile)", "verify-commit", "HEAD",
        ])
    }

    func testSignedSignoffVerifiesWithGitVerifyCommit() throws {
        let dir = try TempDir()
        let key = try makeKey(in: dir, name: "erin")
        let repo = try TempRepo()
        let parent = try repo.git("rev-parse", "HEAD")
        let git = try GitRepository.open(path: repo.path)
        let erin = GitSignature(name: "Erin Park", email: "erin@acme.example")
        // A .pub path resolves to the private key beside it, as git users configure it.
        let signer = SSHSigner(keyPath: key.path + ".pub")
        XCTAssertEqual(signer.key, .file(key.path))
        let before = try repo.indexSnapshot()

        let id = try git.createEmptyCommit(
            message: "Sign off alice's review as calibrator\n\nEvident-Signoff: calibrator\n",
            author: erin, signer: signer.sign)

        XCTAssertEqual(try repo.indexSnapshot().data, before.data)
        XCTAssertEqual(try repo.git("rev-parse", "HEAD"), id, "the branch moved to the signed commit")
        XCTAssertEqual(try repo.git("rev-parse", "HEAD~1"), parent)
        XCTAssertEqual(try repo.git("rev-parse", "HEAD^{tree}"), try repo.git("rev-parse", "HEAD~1^{tree}"))
        let allowed = try allowedSigners(dir, email: "erin@acme.example", publicKey: key.publicKey)
        let verify = try verifyCommit(repo, allowedSignersFile: allowed)
        XCTAssertEqual(verify.status, 0, "git verify-commit failed: \(verify.stdout) \(verify.stderr)")
        XCTAssertTrue(verify.stderr.contains("Good \"git\" signature for erin@acme.example"), verify.stderr)
        XCTAssertEqual(try repo.git("status", "--porcelain"), "")
        XCTAssertEqual(
            try repo.git("interpret-trailers", "--parse", stdin: try repo.git("log", "-1", "--format=%B") + "\n"),
            "Evident-Signoff: calibrator")
        try repo.fsckIsClean()

        // Our own reading of the signature agrees with git.
        let info = try git.commit(id)
        XCTAssertTrue(info.isSigned)
        let signature = try XCTUnwrap(git.commitSignature(id: id))
        XCTAssertTrue(signature.signature.hasPrefix("-----BEGIN SSH SIGNATURE-----"), signature.signature)
        XCTAssertFalse(signature.signature.hasSuffix("\n"))
        XCTAssertTrue(String(decoding: signature.signedData, as: UTF8.self).hasPrefix("tree "))
        XCTAssertFalse(String(decoding: signature.signedData, as: UTF8.self).contains("gpgsig"))
        XCTAssertTrue(
            try SSHSigner.verify(
                signature: signature.signature, signedData: signature.signedData,
                publicKey: key.publicKey, principal: "erin@acme.example"))
        XCTAssertTrue(try git.verifyCommitSignature(id: id, publicKey: key.publicKey, principal: "erin@acme.example"))
        var tampered = signature.signedData
        tampered.append(contentsOf: Array("tampered".utf8))
        XCTAssertFalse(
            try SSHSigner.verify(
                signature: signature.signature, signedData: tampered,
                publicKey: key.publicKey, principal: "erin@acme.example"))
        XCTAssertFalse(
            try git.verifyCommitSignature(id: parent, publicKey: key.publicKey, principal: "erin@acme.example"),
            "an unsigned commit does not verify")
    }

    func testCommitSignedWithAnotherKeyFailsVerification() throws {
        let dir = try TempDir()
        let erinKey = try makeKey(in: dir, name: "erin")
        let malloryKey = try makeKey(in: dir, name: "mallory")
        let repo = try TempRepo()
        let git = try GitRepository.open(path: repo.path)
        let erin = GitSignature(name: "Erin Park", email: "erin@acme.example")
        let id = try git.createEmptyCommit(
            message: "Sign off\n\nEvident-Signoff: calibrator\n", author: erin,
            signer: SSHSigner(keyPath: malloryKey.path).sign)

        let allowed = try allowedSigners(dir, email: "erin@acme.example", publicKey: erinKey.publicKey)
        let verify = try verifyCommit(repo, allowedSignersFile: allowed)
        XCTAssertNotEqual(verify.status, 0, "a signature by another key must not verify: \(verify.stderr)")
        XCTAssertFalse(
            try git.verifyCommitSignature(id: id, publicKey: erinKey.publicKey, principal: "erin@acme.example"))
        XCTAssertTrue(
            try git.verifyCommitSignature(id: id, publicKey: malloryKey.publicKey, principal: "erin@acme.example"),
            "control: it does verify against the key that made it")
        try repo.fsckIsClean()
    }

    func testSignerFailuresAreClearAndLeaveTheBranchAlone() throws {
        let dir = try TempDir()
        let repo = try TempRepo()
        let head = try repo.git("rev-parse", "HEAD")
        let git = try GitRepository.open(path: repo.path)

        let missing = SSHSigner(keyPath: dir.path + "/no-such-key")
        XCTAssertThrowsError(try git.createEmptyCommit(message: "Sign off\n", signer: missing.sign)) { error in
            guard let error = error as? GitError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.kind, .signing)
            XCTAssertTrue(error.message.contains("does not exist"), error.message)
        }

        let garbage = dir.path + "/garbage-key"
        try Data("not a key\n".utf8).write(to: URL(fileURLWithPath: garbage))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: garbage)
        XCTAssertThrowsError(try git.createEmptyCommit(message: "Sign off\n", signer: SSHSigner(keyPath: garbage).sign))
        { error in
            guard let error = error as? GitError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.kind, .signing)
            XCTAssertTrue(error.message.contains("ssh-keygen -Y sign failed"), error.message)
            XCTAssertTrue(
                error.message.count > "ssh-keygen -Y sign failed (exit 255): ".count,
                "carries ssh-keygen's own message: \(error.message)")
        }

        XCTAssertThrowsError(try git.createEmptyCommit(message: "Sign off\n", signer: { _ in "   \n" })) { error in
            XCTAssertEqual((error as? GitError)?.kind, .signing)
        }
        let noProgram = SSHSigner(keyPath: garbage, program: "definitely-not-ssh-keygen")
        XCTAssertThrowsError(try noProgram.sign(Data("x".utf8))) { error in
            XCTAssertTrue((error as? GitError)?.message.contains("cannot find") ?? false, "\(error)")
        }
        XCTAssertEqual(try repo.git("rev-parse", "HEAD"), head)
        XCTAssertEqual(try repo.git("status", "--porcelain"), "")
    }

    func testSignerComesFromGitConfigWithHomeExpansion() throws {
        let repo = try TempRepo()
        let sshDir = TestEnvironment.home + "/.ssh-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: sshDir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: sshDir) }
        let keyPath = sshDir + "/id_ed25519"
        XCTAssertEqual(
            try runProcess("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", keyPath]).status, 0)
        let relativeToHome = "~/" + String(sshDir.dropFirst(TestEnvironment.home.count + 1)) + "/id_ed25519.pub"
        try repo.git("config", "user.signingkey", relativeToHome)
        try repo.git("config", "gpg.format", "ssh")
        let git = try GitRepository.open(path: repo.path)

        let signer = try SSHSigner.fromConfig(git)
        XCTAssertEqual(signer.key, .file(keyPath), "~/ is expanded and the private half beside the .pub is used")
        XCTAssertEqual(signer.program, "ssh-keygen")
        let id = try git.createEmptyCommit(message: "Signed from config\n", signer: signer.sign)
        let publicKey = try String(contentsOfFile: keyPath + ".pub", encoding: .utf8)
        XCTAssertTrue(try git.verifyCommitSignature(id: id, publicKey: publicKey, principal: "test@example.com"))

        try repo.git("config", "user.signingkey", "key::ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample")
        XCTAssertEqual(try SSHSigner.fromConfig(git).key, .literal("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample"))

        try repo.git("config", "gpg.format", "openpgp")
        XCTAssertThrowsError(try SSHSigner.fromConfig(git)) { error in
            XCTAssertEqual((error as? GitError)?.kind, .signing)
            XCTAssertTrue((error as? GitError)?.message.contains("gpg.format") ?? false)
        }
        try repo.git("config", "--unset", "gpg.format")
        try repo.git("config", "--unset", "user.signingkey")
        XCTAssertThrowsError(try SSHSigner.fromConfig(git)) { error in
            XCTAssertTrue((error as? GitError)?.message.contains("user.signingkey") ?? false, "\(error)")
        }
    }

    func testVerifyRefusesInputsThatCouldForgeAnAllowedSignersFile() throws {
        let dir = try TempDir()
        let key = try makeKey(in: dir, name: "erin")
        XCTAssertThrowsError(
            try SSHSigner.verify(
                signature: "x", signedData: Data(), publicKey: key.publicKey + "\n* " + key.publicKey,
                principal: "erin@acme.example"))
        XCTAssertThrowsError(
            try SSHSigner.verify(signature: "x", signedData: Data(), publicKey: key.publicKey, principal: "*"))
        XCTAssertThrowsError(
            try SSHSigner.verify(signature: "x", signedData: Data(), publicKey: key.publicKey, principal: "a b"))
        XCTAssertFalse(
            try SSHSigner.verify(
                signature: "not a signature", signedData: Data("data".utf8),
                publicKey: key.publicKey, principal: "erin@acme.example"))
    }

    func testSignedCommitsAlsoUseCompareAndSwap() throws {
        let dir = try TempDir()
        let key = try makeKey(in: dir, name: "erin")
        let repo = try TempRepo()
        let git = try GitRepository.open(path: repo.path)
        let stale = try git.currentBranchTip()
        try repo.commitFile("other.md", "x\n", message: "Concurrent")
        let winner = try repo.git("rev-parse", "HEAD")
        XCTAssertThrowsError(
            try git.createEmptyCommit(message: "Signed\n", signer: SSHSigner(keyPath: key.path).sign, onto: stale)
        ) { error in
            XCTAssertEqual((error as? GitError)?.kind, .branchMoved)
        }
        XCTAssertEqual(try repo.git("rev-parse", "HEAD"), winner)

        // Signing on an unborn branch creates the root commit.
        let fresh = try TempRepo(initialCommit: false)
        let freshGit = try GitRepository.open(path: fresh.path)
        let root = try freshGit.createEmptyCommit(message: "Signed root\n", signer: SSHSigner(keyPath: key.path).sign)
        XCTAssertEqual(try fresh.git("rev-parse", "main"), root)
        let allowed = try allowedSigners(dir, email: "test@example.com", publicKey: key.publicKey)
        XCTAssertEqual(try verifyCommit(fresh, allowedSignersFile: allowed).status, 0)
        try fresh.fsckIsClean()
    }
}
