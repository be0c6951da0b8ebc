import Foundation
import XCTest

@testable import EvidentSeal

/// Evident against the real `age` CLI (Debian's age 1.1.1), in both directions, with keys
/// made by the real `ssh-keygen` and `age-keygen`.
final class InteropTests: XCTestCase {
    /// Sizes around the 64 KiB chunk boundary, and the empty file.
    static let sizes = [0, 1, 100, 65_535, 65_536, 65_537, 131_072, 200_000]

    func testAgeSealsToSSHKeysAndEvidentOpens() throws {
        let scratch = try Scratch()
        let age = try Tools.age()
        let alice = try scratch.sshKey("alice")
        let bob = try scratch.sshKey("bob")
        try scratch.write("recipients.txt", Array("\(alice.publicLine)\n\(bob.publicLine)\n".utf8))
        let aliceIdentity = try AgeIdentity.load(contentsOf: alice.path)
        let bobIdentity = try AgeIdentity.load(contentsOf: bob.path)
        for size in Self.sizes {
            let plaintext = sampleBytes(size, seed: UInt32(size + 7))
            try scratch.write("plain", plaintext)
            for armored in [true, false] {
                let result = try runTool(
                    age,
                    ["-R", scratch.file("recipients.txt")] + (armored ? ["-a"] : [])
                        + ["-o", scratch.file("sealed"), scratch.file("plain")])
                XCTAssertEqual(result.status, 0, result.stderr)
                let sealed = try scratch.read("sealed")
                XCTAssertEqual(AgeArmor.looksArmored(sealed), armored)
                XCTAssertEqual(
                    try Age.open(sealed, with: aliceIdentity), plaintext, "size \(size), armoured \(armored)")
                XCTAssertEqual(try Age.open(sealed, with: bobIdentity), plaintext, "size \(size), armoured \(armored)")
            }
        }
    }

    func testEvidentSealsToSSHKeysAndAgeOpens() throws {
        let scratch = try Scratch()
        let age = try Tools.age()
        let alice = try scratch.sshKey("alice")
        let bob = try scratch.sshKey("bob")
        let recipients = try [alice.publicLine, bob.publicLine].map { try AgeRecipient(parsing: $0) }
        for size in Self.sizes {
            let plaintext = sampleBytes(size, seed: UInt32(size + 11))
            for armored in [true, false] {
                try scratch.write("sealed", try Age.seal(plaintext, to: recipients, armored: armored))
                for key in [alice.path, bob.path] {
                    let result = try runTool(age, ["-d", "-i", key, scratch.file("sealed")])
                    XCTAssertEqual(result.status, 0, "size \(size), armoured \(armored): \(result.stderr)")
                    XCTAssertEqual(Array(result.stdout), plaintext, "size \(size), armoured \(armored)")
                }
            }
        }
    }

    /// A key outside the recipients cannot open the file, with either implementation.
    func testNonReaderOpensNothingEitherWay() throws {
        let scratch = try Scratch()
        let age = try Tools.age()
        let alice = try scratch.sshKey("alice")
        let eve = try scratch.sshKey("eve")
        let sealed = try Age.seal(Array("private".utf8), to: [AgeRecipient(parsing: alice.publicLine)])
        try scratch.write("sealed", sealed)
        let result = try runTool(age, ["-d", "-i", eve.path, scratch.file("sealed")])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stdout.isEmpty)
        assertSealError(.noIdentity, "eve is no recipient") {
            try Age.open(sealed, with: AgeIdentity.load(contentsOf: eve.path))
        }
    }

    func testNativeX25519BothWays() throws {
        let scratch = try Scratch()
        let age = try Tools.age()
        let keygen = try Tools.ageKeygen()
        let made = try runTool(keygen, ["-o", scratch.file("key.txt")])
        XCTAssertEqual(made.status, 0, made.stderr)
        let recipientLine = try runTool(keygen, ["-y", scratch.file("key.txt")]).text.trimmingCharacters(
            in: .whitespacesAndNewlines)
        XCTAssertTrue(recipientLine.hasPrefix("age1"))
        let identities = try AgeIdentity.load(contentsOf: scratch.file("key.txt"))
        XCTAssertEqual(identities.count, 1)
        XCTAssertEqual(
            identities[0].recipient.text, recipientLine, "the identity's recipient is the one age-keygen prints")

        let plaintext = sampleBytes(70_000)
        try scratch.write("sealed", try Age.seal(plaintext, to: [AgeRecipient(parsing: recipientLine)]))
        let opened = try runTool(age, ["-d", "-i", scratch.file("key.txt"), scratch.file("sealed")])
        XCTAssertEqual(opened.status, 0, opened.stderr)
        XCTAssertEqual(Array(opened.stdout), plaintext)

        let sealedByAge = try runTool(age, ["-r", recipientLine, "-a"], stdin: Data(plaintext))
        XCTAssertEqual(sealedByAge.status, 0, sealedByAge.stderr)
        XCTAssertEqual(try Age.open(Array(sealedByAge.stdout), with: identities), plaintext)
    }

    /// One file sealed by Evident to an SSH key and an age key opens with both in the CLI.
    func testMixedRecipients() throws {
        let scratch = try Scratch()
        let age = try Tools.age()
        let keygen = try Tools.ageKeygen()
        let alice = try scratch.sshKey("alice")
        XCTAssertEqual(try runTool(keygen, ["-o", scratch.file("key.txt")]).status, 0)
        let native = try runTool(keygen, ["-y", scratch.file("key.txt")]).text.trimmingCharacters(
            in: .whitespacesAndNewlines)
        let plaintext = Array("mixed".utf8)
        try scratch.write(
            "sealed",
            try Age.seal(plaintext, to: [AgeRecipient(parsing: alice.publicLine), AgeRecipient(parsing: native)]))
        for key in [alice.path, scratch.file("key.txt")] {
            let result = try runTool(age, ["-d", "-i", key, scratch.file("sealed")])
            XCTAssertEqual(result.status, 0, result.stderr)
            XCTAssertEqual(Array(result.stdout), plaintext)
        }
        let listed = try Age.recipients(of: scratch.read("sealed"))
        XCTAssertEqual(listed.map(\.type), ["ssh-ed25519", "X25519"])
    }

    /// The tags in stanzas age wrote are the tags Evident computes from the key lines,
    /// for ssh-ed25519 and ssh-rsa alike, without any private key.
    func testRecipientTagsMatchKeyLinesForFilesAgeSealed() throws {
        let scratch = try Scratch()
        let age = try Tools.age()
        let alice = try scratch.sshKey("alice")
        let carol = try scratch.sshKey("carol", type: "rsa")
        try scratch.write("recipients.txt", Array("\(alice.publicLine)\n\(carol.publicLine)\n".utf8))
        let result = try runTool(age, ["-R", scratch.file("recipients.txt"), "-a"], stdin: Data("x".utf8))
        XCTAssertEqual(result.status, 0, result.stderr)
        let listed = try Age.recipients(of: Array(result.stdout))
        let ssh = listed.filter { $0.sshTag != nil }
        XCTAssertEqual(Set(ssh.map(\.type)), ["ssh-ed25519", "ssh-rsa"])
        XCTAssertEqual(ssh.first { $0.type == "ssh-ed25519" }?.sshTag, try SSHPublicKey(line: alice.publicLine).tag)
        XCTAssertEqual(ssh.first { $0.type == "ssh-rsa" }?.sshTag, try SSHPublicKey(line: carol.publicLine).tag)
        XCTAssertNotEqual(try SSHPublicKey(line: alice.publicLine).tag, try SSHPublicKey(line: carol.publicLine).tag)
        // The ed25519 reader opens it; the RSA stanza is simply not theirs.
        XCTAssertEqual(
            try Age.open(Array(result.stdout), with: AgeIdentity.load(contentsOf: alice.path)), Array("x".utf8))
    }

    /// ssh-rsa is refused clearly in both roles (swift-crypto has no OAEP label).
    func testRSAKeysAreRefusedClearly() throws {
        let scratch = try Scratch()
        let carol = try scratch.sshKey("carol", type: "rsa")
        let recipient = try AgeRecipient(parsing: carol.publicLine)
        assertSealError(.unsupported, "sealing to ssh-rsa") { try Age.seal([1, 2, 3], to: [recipient]) }
        assertSealError(.unsupported, "an RSA identity") { try AgeIdentity.load(contentsOf: carol.path) }
    }
}
