/// A sealed review file's text with its `## Private` bodies sealed again inside it (SPEC
/// §8): each body is replaced by one armoured age block sealed to the private readers.
///
/// The caller finds the bodies (`PrivateSections.bodyByteRanges` in EvidentCore, the one
/// definition of a private section); this type only swaps them for age blocks and back,
/// byte for byte, so opening what was sealed gives the exact text again.
public enum SealedDocument {
    /// Whether a private section's body is an armoured age block and nothing else (blank
    /// lines around it aside). Text written after a block is not a block: it is sealed
    /// with it, never stored in the clear inside a private section.
    public static func isBlock(_ body: ArraySlice<UInt8>) -> Bool {
        let end = Array(AgeArmor.endLine.utf8)
        guard AgeArmor.looksArmored(Array(body)),
            let last = body.lastIndex(where: { !AgeArmor.isWhitespace($0) })
        else { return false }
        return body[body.startIndex...last].reversed().starts(with: end.reversed())
    }

    /// Seals every body that is not already an age block to `recipients`. A body that is
    /// (a reader who may not read the private sections edited the rest) is kept as it is.
    /// `reuse` may give back an existing block for a body whose plaintext it already
    /// stores, so an edit elsewhere in the file leaves the private blocks unchanged.
    public static func sealBodies(
        _ text: [UInt8], bodies: [Range<Int>], to recipients: [AgeRecipient],
        reuse: (ArraySlice<UInt8>) -> [UInt8]? = { _ in nil }
    ) throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.count * 2)
        var cursor = 0
        for body in bodies.sorted(by: { $0.lowerBound < $1.lowerBound }) where body.lowerBound >= cursor {
            out += text[cursor..<body.lowerBound]
            let plaintext = text[body]
            if isBlock(plaintext) {
                out += plaintext
            } else if let block = reuse(plaintext) {
                out += block
            } else {
                // A blank line after the block: the line after it must not continue the
                // armour's last paragraph (a setext underline there would make the whole
                // block a heading). Opening replaces block and blank line with the text.
                out += try Age.seal(Array(plaintext), to: recipients) + [0x0A]
            }
            cursor = body.upperBound
        }
        out += text[cursor...]
        return out
    }

    /// The outcome of opening the blocks of a text.
    public struct Opened {
        /// The text with every block this identity opens replaced by its plaintext.
        public var text: [UInt8]
        /// Blocks left sealed because they are addressed to others.
        public var sealedToOthers: Int
        /// Blocks that are damaged (or forged): left as they are, with the reason.
        public var failures: [String]

        public init(text: [UInt8], sealedToOthers: Int, failures: [String]) {
            self.text = text
            self.sealedToOthers = sealedToOthers
            self.failures = failures
        }
    }

    /// Opens every body of `text` that is an age block with `identities`; blocks sealed
    /// to others and damaged blocks stay as they are (never part of a plaintext).
    public static func openBodies(_ text: [UInt8], bodies: [Range<Int>], with identities: [AgeIdentity]) -> Opened {
        var out: [UInt8] = []
        var others = 0
        var failures: [String] = []
        var cursor = 0
        for body in bodies.sorted(by: { $0.lowerBound < $1.lowerBound }) where body.lowerBound >= cursor {
            out += text[cursor..<body.lowerBound]
            let block = text[body]
            if isBlock(block) {
                do {
                    out += try Age.open(Array(block), with: identities)
                } catch let error as SealError where error.kind == .noIdentity {
                    others += 1
                    out += block
                } catch {
                    failures.append("\(error)")
                    out += block
                }
            } else {
                out += block
            }
            cursor = body.upperBound
        }
        out += text[cursor...]
        return Opened(text: out, sealedToOthers: others, failures: failures)
    }

    /// The blocks of `text` (the age files sealed inside it), in order.
    public static func blocks(_ text: [UInt8], bodies: [Range<Int>]) -> [ArraySlice<UInt8>] {
        bodies.sorted { $0.lowerBound < $1.lowerBound }.map { text[$0] }.filter(isBlock)
    }

    /// Whether two sealed files hold the same text, whatever readers they are sealed to.
    /// Equal payloads settle it without any key. Otherwise, when `identities` open both
    /// files, their texts must be equal outside the private blocks and each pair of
    /// blocks must have equal payloads (a reseal re-wraps inner blocks, which changes the
    /// outer payload but not theirs). Anything else, including a file this identity cannot
    /// open, counts as different: the conservative answer for a sign-off.
    public static func sameContent(
        _ first: [UInt8], _ second: [UInt8], identities: () -> [AgeIdentity], bodies: ([UInt8]) -> [Range<Int>]
    ) -> Bool {
        guard Age.isAgeFile(first), Age.isAgeFile(second),
            let firstPayload = try? Age.payload(of: first), let secondPayload = try? Age.payload(of: second)
        else {
            return false
        }
        if firstPayload == secondPayload { return true }
        let keys = identities()
        guard !keys.isEmpty, let a = try? Age.open(first, with: keys), let b = try? Age.open(second, with: keys) else {
            return false
        }
        let aBodies = bodies(a).sorted { $0.lowerBound < $1.lowerBound }
        let bBodies = bodies(b).sorted { $0.lowerBound < $1.lowerBound }
        guard aBodies.count == bBodies.count else { return false }
        var aCursor = 0
        var bCursor = 0
        for (aBody, bBody) in zip(aBodies, bBodies) {
            guard a[aCursor..<aBody.lowerBound] == b[bCursor..<bBody.lowerBound] else { return false }
            let aBlock = a[aBody]
            let bBlock = b[bBody]
            if isBlock(aBlock) && isBlock(bBlock) {
                guard let x = try? Age.payload(of: Array(aBlock)), let y = try? Age.payload(of: Array(bBlock)), x == y
                else {
                    return false
                }
            } else if aBlock != bBlock {
                return false
            }
            aCursor = aBody.upperBound
            bCursor = bBody.upperBound
        }
        return a[aCursor...] == b[bCursor...]
    }
}
