import Crypto
import Foundation
import XCTest

@testable import EvidentSeal

/// Every damaged file is a thrown, descriptive error: never a crash, never plaintext.
final class TamperTests: XCTestCase {
    private var scratch: Scratch!
    private var identity: [AgeIdentity] = []
    private var recipient: AgeRecipient!

    override func setUpWithError() throws {
        scratch = try Scratch()
        let key = try scratch.sshKey("reader")
        identity = try AgeIdentity.load(contentsOf: key.path)
        recipient = try AgeRecipient(parsing: key.publicLine)
    }

    func testRoundTripAtChunkBoundaries() throws {
        for size in [0, 1, 65_535, 65_536, 65_537, 3 * 65_536, 3 * 65_536 + 5] {
            let plaintext = sampleBytes(size, seed: UInt32(size + 3))
            for armored in [true, false] {
                let sealed = try Age.seal(plaintext, to: [recipient], armored: armored)
                XCTAssertEqual(try Age.open(sealed, with: identity), plaintext, "size \(size)")
            }
        }
    }

    /// Two seals of the same text differ (fresh file key, nonce and ephemeral key).
    func testSealingIsRandomised() throws {
        let a = try Age.seal(Array("same".utf8), to: [recipient])
        let b = try Age.seal(Array("same".utf8), to: [recipient])
        XCTAssertNotEqual(a, b)
    }

    /// Every single-byte change anywhere in a small file, binary or armoured, is refused.
    func testEveryFlippedByteIsRefused() throws {
        for armored in [false, true] {
            let sealed = try Age.seal(Array("a short review".utf8), to: [recipient], armored: armored)
            for index in sealed.indices {
                for mask: UInt8 in [0x01, 0x80] {
                    var damaged = sealed
                    damaged[index] ^= mask
                    assertSealError(nil, "byte \(index) ^ \(mask), armoured \(armored)") {
                        try Age.open(damaged, with: identity)
                    }
                }
            }
        }
    }

    /// Every truncation of a two-chunk file is refused, including cuts at chunk boundaries.
    func testEveryTruncationIsRefused() throws {
        let plaintext = sampleBytes(65_536 + 10)
        let sealed = try Age.seal(plaintext, to: [recipient], armored: false)
        let header = try AgeHeader.parse(sealed)
        var cuts = Array(0..<header.payloadOffset + 40)
        cuts += Array(sealed.count - 40..<sealed.count)
        cuts += [header.payloadOffset + 16 + 65_536 + 16, header.payloadOffset + 16 + 65_536 + 15]
        for cut in cuts {
            assertSealError(nil, "cut at \(cut) of \(sealed.count)") {
                try Age.open(Array(sealed.prefix(cut)), with: identity)
            }
        }
    }

    func testFlippedBytesInEachChunkOfALargeFileAreRefused() throws {
        let plaintext = sampleBytes(3 * 65_536 + 100)
        let sealed = try Age.seal(plaintext, to: [recipient], armored: false)
        let start = try AgeHeader.parse(sealed).payloadOffset
        let chunk = 65_536 + 16
        for position in [
            start, start + 15, start + 16, start + 16 + chunk - 1, start + 16 + chunk + 500, sealed.count - 1,
        ] {
            var damaged = sealed
            damaged[position] ^= 0x40
            assertSealError(.payload, "payload byte \(position)") { try Age.open(damaged, with: identity) }
        }
    }

    func testReorderedDroppedAndDuplicatedChunksAreRefused() throws {
        let plaintext = sampleBytes(3 * 65_536 + 100)
        let sealed = try Age.seal(plaintext, to: [recipient], armored: false)
        let start = try AgeHeader.parse(sealed).payloadOffset + 16
        let chunk = 65_536 + 16
        let head = Array(sealed[..<start])
        let chunks = stride(from: start, to: sealed.count, by: chunk).map {
            Array(sealed[$0..<min($0 + chunk, sealed.count)])
        }
        XCTAssertEqual(chunks.count, 4)
        let variants: [(String, [[UInt8]])] = [
            ("swap 0 and 1", [chunks[1], chunks[0], chunks[2], chunks[3]]),
            ("swap 1 and 2", [chunks[0], chunks[2], chunks[1], chunks[3]]),
            ("drop the last", [chunks[0], chunks[1], chunks[2]]),
            ("drop the first", [chunks[1], chunks[2], chunks[3]]),
            ("duplicate one", [chunks[0], chunks[0], chunks[1], chunks[2], chunks[3]]),
            ("extra bytes after the end", chunks + [[0x00]]),
            ("a second final chunk", chunks + [chunks[3]]),
        ]
        for (name, parts) in variants {
            assertSealError(.payload, name) { try Age.open(head + parts.flatMap { $0 }, with: identity) }
        }
        // The untouched parts open, so the failures above are the damage.
        XCTAssertEqual(try Age.open(head + chunks.flatMap { $0 }, with: identity), plaintext)
    }

    /// A payload from another file (same key, other nonce) does not pass under this header.
    func testSplicedPayloadIsRefused() throws {
        let a = try Age.seal(Array("first file".utf8), to: [recipient], armored: false)
        let b = try Age.seal(Array("second file".utf8), to: [recipient], armored: false)
        let aStart = try AgeHeader.parse(a).payloadOffset
        let bStart = try AgeHeader.parse(b).payloadOffset
        let spliced = Array(a[..<aStart]) + Array(b[bStart...])
        assertSealError(.payload, "b's payload under a's header") { try Age.open(spliced, with: identity) }
        let otherHeader = Array(b[..<bStart]) + Array(a[aStart...])
        assertSealError(.payload, "a's payload under b's header") { try Age.open(otherHeader, with: identity) }
    }

    func testArmourMustBeStrict() throws {
        let sealed = try Age.seal(sampleBytes(300), to: [recipient])
        let text = String(decoding: sealed, as: UTF8.self)
        // Whitespace around the block is allowed, and CRLF line ends.
        XCTAssertEqual(try Age.open(Array(("\n  " + text + "\n\n").utf8), with: identity), sampleBytes(300))
        XCTAssertEqual(
            try Age.open(Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8), with: identity),
            sampleBytes(300))

        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let variants: [(String, String)] = [
            ("junk before", "x" + text),
            ("junk after", text + "trailing junk\n"),
            ("a second block after", text + text),
            ("no end line", lines.dropLast(2).joined(separator: "\n") + "\n"),
            (
                "a space inside",
                text.replacingOccurrences(of: "\n", with: " \n", options: [], range: text.range(of: "\n"))
            ),
            ("lower-case label", text.replacingOccurrences(of: "BEGIN AGE", with: "begin age")),
            (
                "a blank line inside",
                text.replacingOccurrences(
                    of: "-----\n", with: "-----\n\n", options: [],
                    range: text.range(of: "-----\n"))
            ),
            (
                "a short line in the middle",
                {
                    var l = lines
                    l[1] = String(l[1].dropLast())
                    return l.joined(separator: "\n")
                }()
            ),
            (
                "a long line",
                {
                    var l = lines
                    l[1] += "A"
                    return l.joined(separator: "\n")
                }()
            ),
            (
                "unpadded",
                { () -> String in
                    // Replace the padded last line by its unpadded form.
                    let index = lines.count - 3
                    lines[index] = lines[index].replacingOccurrences(of: "=", with: "")
                    return lines.joined(separator: "\n")
                }()
            ),
        ]
        for (name, variant) in variants {
            assertSealError(nil, name) { try Age.open(Array(variant.utf8), with: identity) }
        }
    }

    func testMalformedHeadersAreRefused() throws {
        let valid = try Age.seal(Array("x".utf8), to: [recipient], armored: false)
        let header = try AgeHeader.parse(valid)
        let headerText = String(decoding: valid[..<header.payloadOffset], as: UTF8.self)
        let payload = Array(valid[header.payloadOffset...])
        func with(_ text: String) -> [UInt8] { Array(text.utf8) + payload }
        let stanzaLine = headerText.split(separator: "\n")[1]
        let variants: [(String, [UInt8])] = [
            ("other version", with(headerText.replacingOccurrences(of: "/v1\n", with: "/v2\n"))),
            ("no stanza", with("age-encryption.org/v1\n" + String(headerText.split(separator: "\n").last!) + "\n")),
            (
                "double space in a stanza",
                with(headerText.replacingOccurrences(of: "-> ssh-ed25519 ", with: "-> ssh-ed25519  "))
            ),
            (
                "an extra stanza argument",
                with(headerText.replacingOccurrences(of: String(stanzaLine), with: stanzaLine + " extra"))
            ),
            (
                "a missing stanza argument",
                with(
                    headerText.replacingOccurrences(
                        of: String(stanzaLine),
                        with: String(stanzaLine.split(separator: " ").dropLast().joined(separator: " "))))
            ),
            ("unknown line", with(headerText.replacingOccurrences(of: "---", with: "+++"))),
            ("MAC without space", with(headerText.replacingOccurrences(of: "--- ", with: "---"))),
            ("short MAC", with(headerText.replacingOccurrences(of: "--- ", with: "--- A"))),
            ("not age at all", Array("hello\n".utf8)),
            ("empty", []),
        ]
        for (name, bytes) in variants {
            assertSealError(nil, name) { try Age.open(bytes, with: identity) }
        }
        assertSealError(.notAgeFile, "plain text") { try Age.recipients(of: Array("# review\n".utf8)) }
    }

    /// A header far past any real one is refused before work grows with it.
    func testOversizedHeaderIsRefused() throws {
        var text = "age-encryption.org/v1\n"
        let body = String(repeating: "A", count: 64)
        while text.utf8.count < AgeHeader.maxBytes + 100 {
            text += "-> grease\n" + body + "\n\n"
        }
        text += "\n--- " + String(repeating: "A", count: 43) + "\n"
        do {
            _ = try Age.open(Array(text.utf8), with: identity)
            XCTFail("an oversized header opened")
        } catch let error as SealError {
            XCTAssertEqual(error.kind, .header)
            XCTAssertTrue(error.message.contains("larger than"), error.message)
        }
        // A header line with no end at all, past the limit.
        assertSealError(.header, "endless line") {
            try Age.open(
                Array(("age-encryption.org/v1\n-> " + String(repeating: "a", count: AgeHeader.maxBytes)).utf8),
                with: identity)
        }
    }

    /// A file re-headed to claim a stanza for another key opens for nobody, and the MAC
    /// catches a header that was extended with an extra stanza.
    func testHeaderMACCatchesAddedStanza() throws {
        let sealed = try Age.seal(Array("x".utf8), to: [recipient], armored: false)
        let header = try AgeHeader.parse(sealed)
        var stanzas = header.stanzas
        stanzas.append(
            AgeStanza(
                type: "X25519", arguments: [Base64.encode([UInt8](repeating: 9, count: 32), padded: false)],
                body: [UInt8](repeating: 1, count: 32)))
        let forged =
            AgeHeader.encodeWithoutMAC(stanzas) + Array(" \(Base64.encode(header.mac, padded: false))\n".utf8)
            + Array(sealed[header.payloadOffset...])
        assertSealError(.headerMAC, "an added stanza") { try Age.open(forged, with: identity) }
    }

    func testEmptyFinalChunkAfterDataIsRefused() throws {
        // Build, by hand, a payload of one full non-final chunk and an empty final chunk.
        let fileKey = [UInt8](repeating: 7, count: 16)
        let nonce = [UInt8](repeating: 3, count: 16)
        var binary = AgeHeader.encodeWithoutMAC([try recipient.wrap(fileKey)])
        let mac = HMACProbe.mac(binary, fileKey: fileKey)
        binary += Array(" \(Base64.encode(mac, padded: false))\n".utf8) + nonce
        let key = Age.payloadKey(fileKey, nonce: nonce)
        binary += try HMACProbe.chunk(sampleBytes(65_536), key: key, counter: 0, last: false)
        binary += try HMACProbe.chunk([], key: key, counter: 1, last: true)
        assertSealError(.payload, "empty final chunk") { try Age.open(binary, with: identity) }
        // The same construction with a non-empty final chunk is a valid file: the check above is the only fault.
        var valid = Array(binary.dropLast(16))
        valid += try HMACProbe.chunk([1], key: key, counter: 1, last: true)
        XCTAssertEqual(try Age.open(valid, with: identity), sampleBytes(65_536) + [1])
    }

    func testScryptFilesAreRefusedClearly() throws {
        let forged = Array(
            "age-encryption.org/v1\n-> scrypt AAAAAAAAAAAAAAAAAAAAAA 18\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n--- AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n"
                .utf8)
        assertSealError(.unsupported, "scrypt") { try Age.open(forged, with: identity) }
    }
}

/// Builds payload pieces by hand for the tests that need files no sealer would write.
enum HMACProbe {
    static func mac(_ header: [UInt8], fileKey: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: header, using: Age.headerKey(fileKey)))
    }

    static func chunk(_ plaintext: [UInt8], key: SymmetricKey, counter: UInt64, last: Bool) throws -> [UInt8] {
        let box = try ChaChaPoly.seal(plaintext, using: key, nonce: Age.chunkNonce(counter, last: last))
        return Array(box.ciphertext) + Array(box.tag)
    }
}
