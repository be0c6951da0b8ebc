import Foundation
import XCTest

@testable import EvidentSeal

/// Public key lines, tags, OpenSSH private key files and the encodings under them.
final class KeyTests: XCTestCase {
    func testTagIsFirstFourBytesOfSHA256OfTheWireKey() throws {
        let scratch = try Scratch()
        let key = try scratch.sshKey("alice")
        let parsed = try SSHPublicKey(line: key.publicLine)
        XCTAssertEqual(parsed.algorithm, .ed25519)
        XCTAssertEqual(parsed.tag.count, 6)
        // The same key with another comment, or none, has the same tag.
        let fields = key.publicLine.split(separator: " ")
        XCTAssertEqual(try SSHPublicKey(line: "\(fields[0]) \(fields[1])").tag, parsed.tag)
        XCTAssertEqual(try SSHPublicKey(line: "\(fields[0])  \(fields[1]) other comment\n").tag, parsed.tag)
        XCTAssertEqual(parsed.line, "\(fields[0]) \(fields[1])")
        // Fields are split on bytes for ASCII lines and on Characters otherwise, alike:
        // tabs and line ends separate; "\r\n" between the fields is one Character that
        // does not, nor a space that a combining mark joins.
        XCTAssertEqual(try SSHPublicKey(line: "\(fields[0])\t\(fields[1])\r").tag, parsed.tag)
        XCTAssertEqual(try SSHPublicKey(line: "\(fields[0]) \(fields[1]) café\r\n").tag, parsed.tag)
        XCTAssertThrowsError(try SSHPublicKey(line: "\(fields[0])\r\n\(fields[1])"))
        XCTAssertThrowsError(try SSHPublicKey(line: "\(fields[0]) \u{301}\(fields[1])"))
        // A stanza sealed by Evident carries that tag.
        let sealed = try Age.seal([1], to: [AgeRecipient(parsing: key.publicLine)])
        XCTAssertEqual(try Age.recipients(of: sealed), [Age.Recipient(type: "ssh-ed25519", sshTag: parsed.tag)])
    }

    func testBadPublicKeyLinesAreRefused() throws {
        let scratch = try Scratch()
        let key = try scratch.sshKey("alice")
        let base64 = String(key.publicLine.split(separator: " ")[1])
        let rsaLine = try scratch.sshKey("carol", type: "rsa").publicLine
        let rsaBase64 = String(rsaLine.split(separator: " ")[1])
        let cases: [(String, String)] = [
            ("empty", ""),
            ("type only", "ssh-ed25519"),
            ("bad base64", "ssh-ed25519 AAAA!!!!"),
            ("padding where none is due", "ssh-ed25519 " + base64 + "=="),
            ("a stray character", "ssh-ed25519 " + base64.dropLast() + "!"),
            ("type mismatch", "ssh-rsa " + base64),
            (
                "truncated blob",
                "ssh-ed25519 "
                    + Base64.encode(Base64.decode(Array(base64.utf8), padded: true)!.dropLast(1), padded: true)
            ),
            ("rsa blob called ed25519", "ssh-ed25519 " + rsaBase64),
            (
                "ecdsa",
                "ecdsa-sha2-nistp256 "
                    + Base64.encode(SSHWireWriter.string(Array("ecdsa-sha2-nistp256".utf8)), padded: true)
            ),
        ]
        for (name, line) in cases {
            assertSealError(nil, name) { try SSHPublicKey(line: line) }
        }
        assertSealError(.recipient, "not an age recipient") { try AgeRecipient(parsing: "age1qqqqqqqqqqqqqqqq") }
    }

    func testIdentityFileErrorsNameTheFileAndTheFix() throws {
        let scratch = try Scratch()
        let missing = scratch.file("nope")
        expectIdentityError(missing, contains: ["no identity at \(missing)", "EVIDENT_IDENTITY"])
        expectIdentityError(scratch.path, contains: ["is a directory"])
        // A FIFO would block a read forever, and /dev/zero never ends: both refused at once.
        XCTAssertEqual(mkfifo(scratch.file("fifo"), 0o600), 0)
        expectIdentityError(scratch.file("fifo"), contains: ["is not a regular file"])
        expectIdentityError("/dev/zero", contains: ["is not a regular file"])

        let locked = try scratch.sshKey("locked", passphrase: "correct horse")
        expectIdentityError(
            locked.path, contains: ["\(locked.path) is protected by a passphrase", "ssh-keygen -p -N ''"])

        let plain = try scratch.sshKey("plain")
        expectIdentityError(plain.path + ".pub", contains: ["is a public key", "without .pub"])

        try scratch.write("junk", Array("hello world\n".utf8))
        expectIdentityError(scratch.file("junk"), contains: ["is not an SSH private key"])

        try scratch.write("pem", Array("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n".utf8))
        expectIdentityError(scratch.file("pem"), contains: ["PEM private key"])

        let text = try String(contentsOfFile: plain.path, encoding: .utf8)
        var lines = text.split(separator: "\n").map(String.init)
        // Truncated: a base64 line dropped.
        try scratch.write("truncated", Array((lines.prefix(2) + lines.suffix(1)).joined(separator: "\n").utf8))
        expectIdentityError(scratch.file("truncated"), contains: ["is not a valid OpenSSH private key"])
        // One character changed inside the private section.
        let middle = lines.count / 2
        var characters = Array(lines[middle])
        characters[10] = characters[10] == "A" ? "B" : "A"
        lines[middle] = String(characters)
        try scratch.write("damaged", Array(lines.joined(separator: "\n").utf8))
        expectIdentityError(scratch.file("damaged"), contains: ["is not a valid OpenSSH private key"])
        // Junk after the key.
        try scratch.write("trailing", Array((text + "junk\n").utf8))
        expectIdentityError(scratch.file("trailing"), contains: ["text outside the BEGIN/END lines"])
        // The file is never quoted: its base64 must not appear in any message.
        do {
            _ = try AgeIdentity.load(contentsOf: scratch.file("damaged"))
        } catch let error as SealError {
            XCTAssertFalse(error.message.contains(lines[middle]))
        }
    }

    /// Every truncation of a real key file is refused with an error, never a trap.
    func testEveryTruncatedKeyFileIsRefused() throws {
        let scratch = try Scratch()
        let key = try scratch.sshKey("alice")
        let bytes = try scratch.read("alice")
        for cut in stride(from: 0, to: bytes.count - 40, by: 3) {
            try scratch.write("cut", Array(bytes.prefix(cut)) + Array("\n-----END OPENSSH PRIVATE KEY-----\n".utf8))
            XCTAssertThrowsError(try AgeIdentity.load(contentsOf: scratch.file("cut")), "cut at \(cut)")
        }
        XCTAssertEqual(try AgeIdentity.load(contentsOf: key.path).count, 1)
    }

    func testIdentityReportsItsRecipient() throws {
        let scratch = try Scratch()
        let key = try scratch.sshKey("alice")
        let identity = try AgeIdentity.load(contentsOf: key.path)[0]
        XCTAssertEqual(identity.recipient, try AgeRecipient(parsing: key.publicLine))
        XCTAssertTrue(identity.summary.contains(key.path))
    }

    func testBase64IsCanonical() {
        XCTAssertEqual(Base64.encode(Array("any carnal pleas".utf8), padded: true), "YW55IGNhcm5hbCBwbGVhcw==")
        XCTAssertEqual(Base64.encode(Array("any carnal pleas".utf8), padded: false), "YW55IGNhcm5hbCBwbGVhcw")
        XCTAssertEqual(
            Base64.decode(Array("YW55IGNhcm5hbCBwbGVhcw".utf8), padded: false), Array("any carnal pleas".utf8))
        XCTAssertEqual(
            Base64.decode(Array("YW55IGNhcm5hbCBwbGVhcw==".utf8), padded: true), Array("any carnal pleas".utf8))
        XCTAssertEqual(Base64.decode(Array("".utf8), padded: false), [])
        for bad in ["YW55IGNhcm5hbCBwbGVhcx", "YW55IGNhcm5hbCBwbGVhcw==", "YW5 5", "YW55I", "YW55-A", "YQ=="] {
            XCTAssertNil(Base64.decode(Array(bad.utf8), padded: false), bad)
        }
        for bad in ["YW55IGNhcm5hbCBwbGVhcw", "YW55IGNhcm5hbCBwbGVhcx==", "YQ=A", "Y===", "YWE=YWE=", "YWJj===="] {
            XCTAssertNil(Base64.decode(Array(bad.utf8), padded: true), bad)
        }
        for length in 0..<40 {
            let bytes = sampleBytes(length)
            XCTAssertEqual(Base64.decode(Array(Base64.encode(bytes, padded: true).utf8), padded: true), bytes)
            XCTAssertEqual(Base64.decode(Array(Base64.encode(bytes, padded: false).utf8), padded: false), bytes)
            XCTAssertEqual(Base64.encode(bytes, padded: true), Data(bytes).base64EncodedString())
        }
    }

    func testBech32() {
        // BIP 173's valid test strings.
        XCTAssertNotNil(Bech32.decode("A12UEL5L"))
        XCTAssertNotNil(Bech32.decode("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw"))
        XCTAssertNil(Bech32.decode("A12UEL5l"), "mixed case")
        XCTAssertNil(Bech32.decode("a12uel5m"), "bad checksum")
        let data = sampleBytes(32)
        let encoded = Bech32.encode(hrp: "age", data: data)
        XCTAssertTrue(encoded.hasPrefix("age1"))
        XCTAssertEqual(Bech32.decode(encoded)?.data, data)
        XCTAssertEqual(Bech32.decode(encoded.uppercased())?.hrp, "age")
    }

    /// The Edwards-to-Montgomery map agrees with swift-crypto's X25519 of the same secret.
    func testMontgomeryMapAgreesWithX25519() throws {
        let scratch = try Scratch()
        for index in 0..<5 {
            let key = try scratch.sshKey("k\(index)")
            let identity = try AgeIdentity.load(contentsOf: key.path)[0]
            guard case .sshEd25519(let publicKey, let montgomery) = identity.kind else { return XCTFail("not ssh") }
            XCTAssertEqual(Montgomery.u(fromEdwards: publicKey.ed25519Point!), montgomery)
        }
        XCTAssertNil(Montgomery.u(fromEdwards: [1] + [UInt8](repeating: 0, count: 31)), "y = 1 has no u")
        XCTAssertNil(Montgomery.u(fromEdwards: [1]))
    }

    private func expectIdentityError(_ path: String, contains parts: [String], line: UInt = #line) {
        do {
            _ = try AgeIdentity.load(contentsOf: path)
            XCTFail("\(path) loaded", line: line)
        } catch let error as SealError {
            for part in parts {
                XCTAssertTrue(error.message.contains(part), "'\(error.message)' lacks '\(part)'", line: line)
            }
        } catch {
            XCTFail("not a SealError: \(error)", line: line)
        }
    }
}
