import Foundation
import XCTest

@testable import EvidentSeal

/// `Age.reseal` (new header, same file key and payload), payload comparison, and the
/// private blocks `SealedDocument` swaps in and out, checked against the real `age`.
final class ResealTests: XCTestCase {
    private func keys(_ scratch: Scratch, _ names: [String]) throws -> [String: (
        path: String, recipient: AgeRecipient, identity: AgeIdentity
    )] {
        var result: [String: (String, AgeRecipient, AgeIdentity)] = [:]
        for name in names {
            let key = try scratch.sshKey(name)
            result[name] = (
                key.path, try AgeRecipient(parsing: key.publicLine), try AgeIdentity.load(contentsOf: key.path)[0]
            )
        }
        return result
    }

    func testResealKeepsThePayloadAndChangesWhoOpensIt() throws {
        let scratch = try Scratch()
        let k = try keys(scratch, ["dana", "vera", "hana"])
        let text = sampleBytes(150_000, seed: 7)  // three chunks
        let sealed = try Age.seal(text, to: [k["dana"]!.recipient, k["vera"]!.recipient])
        let resealed = try Age.reseal(
            sealed, with: [k["dana"]!.identity], to: [k["dana"]!.recipient, k["hana"]!.recipient])
        XCTAssertNotEqual(resealed, sealed)
        XCTAssertEqual(try Age.payload(of: resealed), try Age.payload(of: sealed), "the payload stays byte for byte")
        XCTAssertTrue(AgeArmor.looksArmored(resealed))
        XCTAssertEqual(try Age.open(resealed, with: [k["hana"]!.identity]), text)
        assertSealError(.noIdentity, "vera was removed") { try Age.open(resealed, with: [k["vera"]!.identity]) }
        // The real age CLI agrees, for the new reader and the removed one.
        try scratch.write("resealed.age", resealed)
        let age = try Tools.age()
        let opened = try runTool(age, ["-d", "-i", k["hana"]!.path, scratch.file("resealed.age")])
        XCTAssertEqual(opened.status, 0, opened.stderr)
        XCTAssertEqual(Array(opened.stdout), text)
        XCTAssertNotEqual(try runTool(age, ["-d", "-i", k["vera"]!.path, scratch.file("resealed.age")]).status, 0)
        // Only a reader can reseal.
        assertSealError(.noIdentity, "vera cannot reseal any more") {
            try Age.reseal(resealed, with: [k["vera"]!.identity], to: [k["vera"]!.recipient])
        }
    }

    /// Someone without the file key can put a header of their own over a payload, but
    /// the result never opens, for anyone, and never to other text.
    func testAForgedHeaderOverAnOldPayloadNeverOpens() throws {
        let scratch = try Scratch()
        let k = try keys(scratch, ["dana", "mallory"])
        let text = Array("Alice's review: the real text.\n".utf8)
        let sealed = try Age.seal(text, to: [k["dana"]!.recipient])
        let payload = try Age.payload(of: sealed)
        // Mallory's own header (a valid MAC under her own file key), then dana's payload.
        let hers = try AgeArmor.decode(
            try Age.seal(Array("other text".utf8), to: [k["mallory"]!.recipient, k["dana"]!.recipient]))
        let herPayload = try Age.payload(of: hers)
        let forged = AgeArmor.encode(Array(hers.prefix(hers.count - herPayload.count)) + payload)
        XCTAssertEqual(try Age.payload(of: forged), payload)
        assertSealError(.payload, "mallory's file key does not open dana's payload") {
            try Age.open(forged, with: [k["mallory"]!.identity])
        }
        assertSealError(.payload, "dana's stanza in mallory's header carries mallory's key") {
            try Age.open(forged, with: [k["dana"]!.identity])
        }
        // Dana's own stanza copied into a header with a changed MAC: refused.
        let original = try AgeArmor.decode(sealed)
        var altered = original
        let macLine = Array("--- ".utf8)
        let at = (0..<original.count - 4).first { Array(original[$0..<$0 + 4]) == macLine }!
        altered[at + 5] = altered[at + 5] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        assertSealError(nil, "a header whose MAC was changed") { try Age.open(altered, with: [k["dana"]!.identity]) }
        assertSealError(nil, "and reseal gives it no new header") {
            try Age.reseal(altered, with: [k["dana"]!.identity], to: [k["dana"]!.recipient])
        }
        // The age CLI refuses the forged file too.
        try scratch.write("forged.age", forged)
        for name in ["dana", "mallory"] {
            let result = try runTool(try Tools.age(), ["-d", "-i", k[name]!.path, scratch.file("forged.age")])
            XCTAssertNotEqual(result.status, 0, name)
            XCTAssertTrue(result.stdout.isEmpty, "\(name): no text")
        }
    }

    func testPrivateBlocksRoundTripByteForByte() throws {
        let scratch = try Scratch()
        let k = try keys(scratch, ["dana", "alice"])
        let text = Array("# Review\n\nPublic.\n\n## Private\n\nSecret line.\n\n## Next\nMore.".utf8)
        let start = text.firstIndex(of: UInt8(ascii: "S"))! - 1  // the blank line after the heading
        let end = text.count - Array("## Next\nMore.".utf8).count
        let sealed = try SealedDocument.sealBodies(text, bodies: [start..<end], to: [k["dana"]!.recipient])
        XCTAssertFalse(String(decoding: sealed, as: UTF8.self).contains("Secret"))
        XCTAssertTrue(
            String(decoding: sealed, as: UTF8.self).hasSuffix("-----END AGE ENCRYPTED FILE-----\n\n## Next\nMore."))
        let blockEnd = sealed.count - Array("## Next\nMore.".utf8).count
        let body = start..<blockEnd
        XCTAssertEqual(SealedDocument.blocks(sealed, bodies: [body]).count, 1)
        let opened = SealedDocument.openBodies(sealed, bodies: [body], with: [k["dana"]!.identity])
        XCTAssertEqual(opened.text, text)
        XCTAssertTrue(opened.failures.isEmpty)
        let notOpened = SealedDocument.openBodies(sealed, bodies: [body], with: [k["alice"]!.identity])
        XCTAssertEqual(notOpened.text, sealed)
        XCTAssertEqual(notOpened.sealedToOthers, 1)
        // Text written after a block makes the body no block: all of it is sealed again.
        XCTAssertTrue(SealedDocument.isBlock(sealed[body]))
        XCTAssertFalse(SealedDocument.isBlock((sealed[body] + Array("Appended in the clear.\n".utf8))[...]))
        // A block already sealed stays as it is when sealed again.
        XCTAssertEqual(try SealedDocument.sealBodies(sealed, bodies: [body], to: [k["alice"]!.recipient]), sealed)
        // A damaged block stays sealed, with a reason; never part of the text.
        var damaged = sealed
        damaged[start + 80] = damaged[start + 80] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        let broken = SealedDocument.openBodies(damaged, bodies: [body], with: [k["dana"]!.identity])
        XCTAssertEqual(broken.text, damaged)
        XCTAssertEqual(broken.failures.count, 1)
    }

    func testSameContentComparesPayloadsAndInnerPayloads() throws {
        let scratch = try Scratch()
        let k = try keys(scratch, ["dana", "vera", "hana"])
        let block = try Age.seal(Array("secret\n".utf8), to: [k["dana"]!.recipient, k["vera"]!.recipient])
        let text = Array("## Private\n".utf8) + block + Array("## After\n".utf8)
        let bodies: ([UInt8]) -> [Range<Int>] = { bytes in
            let head = Array("## Private\n".utf8).count
            let tail = bytes.count - Array("## After\n".utf8).count
            return tail > head ? [head..<tail] : []
        }
        let outer = try Age.seal(text, to: [k["dana"]!.recipient, k["vera"]!.recipient])
        let resealed = try Age.reseal(
            outer, with: [k["dana"]!.identity], to: [k["dana"]!.recipient, k["hana"]!.recipient])
        XCTAssertTrue(
            SealedDocument.sameContent(outer, resealed, identities: { [] }, bodies: bodies),
            "equal payloads need no key")
        // Inner block re-wrapped: the outer payload changes, the inner one does not.
        let rewrapped = try Age.reseal(
            block, with: [k["dana"]!.identity], to: [k["dana"]!.recipient, k["hana"]!.recipient])
        let outer2 = try Age.seal(
            Array("## Private\n".utf8) + rewrapped + Array("## After\n".utf8), to: [k["dana"]!.recipient])
        XCTAssertTrue(SealedDocument.sameContent(outer, outer2, identities: { [k["dana"]!.identity] }, bodies: bodies))
        XCTAssertFalse(
            SealedDocument.sameContent(outer, outer2, identities: { [] }, bodies: bodies),
            "no key: stale, conservatively")
        XCTAssertFalse(
            SealedDocument.sameContent(outer, outer2, identities: { [k["hana"]!.identity] }, bodies: bodies),
            "hana cannot open the old file")
        // The same secret sealed again is different content as far as anyone can prove.
        let again = try Age.seal(
            Array("## Private\n".utf8) + (try Age.seal(Array("secret\n".utf8), to: [k["dana"]!.recipient]))
                + Array("## After\n".utf8), to: [k["dana"]!.recipient])
        XCTAssertFalse(SealedDocument.sameContent(outer, again, identities: { [k["dana"]!.identity] }, bodies: bodies))
        let edited = try Age.seal(
            Array("## Private\n".utf8) + rewrapped + Array("## After, edited\n".utf8), to: [k["dana"]!.recipient])
        XCTAssertFalse(SealedDocument.sameContent(outer, edited, identities: { [k["dana"]!.identity] }, bodies: bodies))
        XCTAssertFalse(
            SealedDocument.sameContent(Array("plain".utf8), Array("plain".utf8), identities: { [] }, bodies: bodies),
            "plaintext blobs are compared by id, not here")
    }
}
