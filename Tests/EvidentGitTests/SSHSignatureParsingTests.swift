import EvidentTestSupport
import Foundation
import XCTest

@testable import EvidentGit

/// Malformed signatures and keys are refused with a reason, never a crash or a read past
/// the end, whatever their length fields claim.
final class SSHSignatureParsingTests: XCTestCase {
    var tools: SSHTools!
    var dir: TempDir!
    var erin: SSHTestKey!
    let data = Data("tree 0000\n\nmessage\n".utf8)

    override func setUpWithError() throws {
        tools = try SSHTools.find()
        dir = try TempDir()
        erin = try tools.makeKey(in: dir, name: "erin", type: "ed25519")
    }

    func reason(_ armour: String, data: Data? = nil, key: String? = nil) -> SSHSignatureError.Reason? {
        do {
            try SSHSignatureVerification.checkEd25519(
                signature: armour, signedData: data ?? self.data, publicKey: key ?? erin.publicKey)
            return nil
        } catch let error as SSHSignatureError {
            XCTAssertFalse(error.message.isEmpty)
            XCTAssertFalse(
                error.message.hasSuffix("."), "messages are lowercase phrases without a final period: \(error.message)")
            return error.reason
        } catch {
            XCTFail("unexpected \(error)")
            return nil
        }
    }

    func testEveryPrefixOfTheBlobIsRefusedAsCutShort() throws {
        let armour = try tools.sign(String(decoding: data, as: UTF8.self), key: erin, in: dir)
        XCTAssertNil(reason(armour), "control: the whole signature verifies")
        let blob = try XCTUnwrap(SSHSignatureDifferentialTests.decodeArmour(armour))
        for length in 0..<blob.count {
            XCTAssertThrowsError(try SSHSignatureBlob(decoding: blob.prefix(length)), "prefix \(length)") { error in
                XCTAssertEqual((error as? SSHSignatureError)?.reason, .blobFormat, "prefix \(length): \(error)")
            }
            let expected: SSHSignatureError.Reason = length == 0 ? .armour : .blobFormat
            XCTAssertEqual(
                reason(SSHSignatureDifferentialTests.armour(blob.prefix(length))), expected, "prefix \(length)")
        }
        XCTAssertNoThrow(try SSHSignatureBlob(decoding: blob))
    }

    func testLengthFieldsLargerThanTheBlob() throws {
        let armour = try tools.sign(String(decoding: data, as: UTF8.self), key: erin, in: dir)
        let blob = try XCTUnwrap(SSHSignatureDifferentialTests.decodeArmour(armour))
        // The five string fields' length words start at 10, then after each field.
        var offset = 10
        var reader = SSHWireReader(blob)
        _ = reader.take(10)
        for field in 0..<5 {
            for huge: [UInt8] in [[0xFF, 0xFF, 0xFF, 0xFF], [0x7F, 0xFF, 0xFF, 0xFF], [0x00, 0x00, 0x10, 0x00]] {
                var damaged = blob
                damaged.replaceSubrange(offset..<offset + 4, with: huge)
                XCTAssertThrowsError(try SSHSignatureBlob(decoding: damaged), "field \(field) length \(huge)") {
                    error in
                    XCTAssertEqual((error as? SSHSignatureError)?.reason, .blobFormat)
                }
            }
            let value = try XCTUnwrap(reader.string())
            offset += 4 + value.count
        }
        XCTAssertTrue(reader.isAtEnd)
        XCTAssertEqual(offset, blob.count)
    }

    func testRandomBytesNeverCrash() {
        var random = SeededGenerator(seed: SSHSignatureDifferentialTests.seed)
        for round in 0..<3000 {
            let count = Int.random(in: 0..<300, using: &random)
            var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }
            if round % 2 == 0, bytes.count >= 10 {
                bytes.replaceSubrange(0..<10, with: Array("SSHSIG".utf8) + [0, 0, 0, 1])
            }
            XCTAssertThrowsError(
                try SSHSignatureBlob(decoding: Data(bytes)),
                "round \(round), seed \(SSHSignatureDifferentialTests.seed)")
            XCTAssertNotNil(reason(String(decoding: bytes, as: UTF8.self)))
            XCTAssertNotNil(reason(SSHSignatureDifferentialTests.armour(Data(bytes))))
        }
    }

    func testArmourShapes() throws {
        let armour = try tools.sign(String(decoding: data, as: UTF8.self), key: erin, in: dir)
        XCTAssertNil(reason(armour))
        XCTAssertNil(reason(String(armour.dropLast())), "git stores it without the final newline")
        XCTAssertEqual(reason(armour + "\n"), .textAroundArmour, "a blank line after the footer")
        XCTAssertEqual(reason(""), .armour)
        XCTAssertEqual(reason("-----BEGIN SSH SIGNATURE-----"), .armour)
        XCTAssertEqual(reason("-----BEGIN SSH SIGNATURE-----\n-----END SSH SIGNATURE-----"), .armour)
        XCTAssertEqual(reason("-----BEGIN SSH SIGNATURE-----\n\n-----END SSH SIGNATURE-----"), .armour)
        XCTAssertEqual(reason("-----BEGIN SSH SIGNATURE-----\nAAAA\n-----END SSH SIGNATURE-----"), .blobFormat)
        XCTAssertEqual(reason("-----BEGIN SSH SIGNATURE-----\nAAA\n-----END SSH SIGNATURE-----"), .base64)
        XCTAssertEqual(reason("-----BEGIN SSH SIGNATURE-----\nAA==AA==\n-----END SSH SIGNATURE-----"), .base64)
        XCTAssertEqual(reason("-----BEGIN SSH SIGNATURE-----\nAAé=\n-----END SSH SIGNATURE-----"), .armour)
        let long =
            "-----BEGIN SSH SIGNATURE-----\n" + String(repeating: "QUFB\n", count: 10_000)
            + "-----END SSH SIGNATURE-----"
        XCTAssertEqual(reason(long), .tooLong)
        // Line length is free: one long line is the same signature.
        let body = armour.split(separator: "\n").dropFirst().dropLast().joined()
        XCTAssertNil(reason("-----BEGIN SSH SIGNATURE-----\n\(body)\n-----END SSH SIGNATURE-----"))
    }

    func testBase64IsStrict() {
        func decode(_ text: String) -> [UInt8]? { Base64.decode(Array(text.utf8)).map(Array.init) }
        XCTAssertEqual(decode("TWFu"), Array("Man".utf8))
        XCTAssertEqual(decode("TWE="), Array("Ma".utf8))
        XCTAssertEqual(decode("TQ=="), Array("M".utf8))
        XCTAssertEqual(decode("+/+/"), [0xFB, 0xFF, 0xBF])
        XCTAssertNil(decode(""))
        XCTAssertNil(decode("TWE"), "padding is required")
        XCTAssertNil(decode("TWF="), "unused bits must be zero")
        XCTAssertNil(decode("TR=="), "unused bits must be zero")
        XCTAssertNil(decode("T==="))
        XCTAssertNil(decode("TQ==TWFu"), "padding only at the end")
        XCTAssertNil(decode("TW-u"), "not the URL alphabet")
        XCTAssertNil(decode("TW u"))
    }

    func testPublicKeyLines() throws {
        let words = erin.publicKey.split(separator: " ").map(String.init)
        let key = try SSHEd25519PublicKey(line: erin.publicKey)
        XCTAssertEqual(key.raw.count, 32)
        XCTAssertEqual(try SSHEd25519PublicKey(line: words[0] + " " + words[1]), key, "no comment")
        XCTAssertEqual(try SSHEd25519PublicKey(line: words[0] + "\t" + words[1] + "  comment with spaces\n"), key)
        XCTAssertTrue(SSHEd25519PublicKey.isEd25519(erin.publicKey))
        XCTAssertFalse(SSHEd25519PublicKey.isEd25519("ssh-rsa AAAAB3Nza"))
        XCTAssertFalse(SSHEd25519PublicKey.isEd25519("sk-ssh-ed25519@openssh.com AAAA"))
        XCTAssertFalse(SSHEd25519PublicKey.isEd25519("ssh-ed25519x AAAA"))

        var wire = key.wire
        func line(_ blob: Data, type: String = "ssh-ed25519") -> String { type + " " + blob.base64EncodedString() }
        var short = Data()
        short.appendSSHString(Data("ssh-ed25519".utf8))
        short.appendSSHString(key.raw.prefix(31))
        var otherType = Data()
        otherType.appendSSHString(Data("ssh-ed448".utf8))
        otherType.appendSSHString(key.raw)
        wire.append(0)
        let bad = [
            line(wire),  // trailing byte
            line(short),
            line(otherType),
            words[0],
            words[0] + " " + words[1].dropLast() + "\n",
            words[0] + " " + words[1] + "\n" + words[0] + " " + words[1],
            words[0] + " " + words[1] + "\0",
            "",
        ]
        for text in bad {
            XCTAssertThrowsError(try SSHEd25519PublicKey(line: text), text) { error in
                XCTAssertEqual((error as? GitError)?.kind, .invalidArgument, "\(error)")
            }
        }
        // An unusable expected key is a thrown error, which the ledger counts as not verified.
        let armour = try tools.sign(String(decoding: data, as: UTF8.self), key: erin, in: dir)
        XCTAssertThrowsError(
            try SSHSignatureVerification.verifyEd25519(signature: armour, signedData: data, publicKey: line(short)))
    }

    func testCanonicalScalar() {
        let order: [UInt8] = [
            0xED, 0xD3, 0xF5, 0x5C, 0x1A, 0x63, 0x12, 0x58, 0xD6, 0x9C, 0xF7, 0xA2, 0xDE, 0xF9, 0xDE, 0x14,
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
        ]
        var belowOrder = order
        belowOrder[0] -= 1
        XCTAssertTrue(SSHSignatureVerification.isCanonicalScalar(Data(belowOrder)))
        XCTAssertFalse(SSHSignatureVerification.isCanonicalScalar(Data(order)))
        XCTAssertTrue(SSHSignatureVerification.isCanonicalScalar(Data(count: 32)))
        XCTAssertFalse(SSHSignatureVerification.isCanonicalScalar(Data(repeating: 0xFF, count: 32)))
        XCTAssertFalse(SSHSignatureVerification.isCanonicalScalar(Data(count: 31)))
    }
}
