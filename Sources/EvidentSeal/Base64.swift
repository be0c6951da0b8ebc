import Foundation

/// Standard-alphabet base64 with the strictness age asks for: the header uses it without
/// padding, the armour with padding, and both must be canonical (no stray bits, no
/// whitespace), so that a file has exactly one encoding and cannot be altered silently.
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// The value of each byte in the alphabet, or 0xFF.
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(index) }
        return table
    }()

    static func isAlphabet(_ byte: UInt8) -> Bool { values[Int(byte)] != 0xFF }

    static func encode<Bytes: Collection>(_ bytes: Bytes, padded: Bool) -> String where Bytes.Element == UInt8 {
        var out = [UInt8]()
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var iterator = bytes.makeIterator()
        while let b0 = iterator.next() {
            let b1 = iterator.next()
            let b2 = b1 == nil ? nil : iterator.next()
            out.append(alphabet[Int(b0 >> 2)])
            out.append(alphabet[Int((b0 & 0x03) << 4 | (b1 ?? 0) >> 4)])
            if let b1 {
                out.append(alphabet[Int((b1 & 0x0F) << 2 | (b2 ?? 0) >> 6)])
            } else if padded {
                out.append(UInt8(ascii: "="))
            }
            if let b2 {
                out.append(alphabet[Int(b2 & 0x3F)])
            } else if padded {
                out.append(UInt8(ascii: "="))
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes canonical base64, or returns nil. With `padded`, the length must be a
    /// multiple of 4 with `=` only at the end; without it, no `=` at all.
    static func decode<Bytes: Collection>(_ text: Bytes, padded: Bool) -> [UInt8]? where Bytes.Element == UInt8 {
        var symbols = Array(text)
        if padded {
            guard symbols.count % 4 == 0 else { return nil }
            var padding = 0
            while padding < 2, symbols.last == UInt8(ascii: "=") {
                symbols.removeLast()
                padding += 1
            }
            // Padding must be exactly what the length calls for.
            if symbols.count % 4 == 0 && padding != 0 { return nil }
        }
        guard symbols.count % 4 != 1 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(symbols.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for symbol in symbols {
            let value = values[Int(symbol)]
            guard value != 0xFF else { return nil }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
                accumulator &= (1 << UInt32(bits)) - 1
            }
        }
        // Canonical: the bits left over after the last whole byte must be zero.
        guard accumulator == 0 else { return nil }
        return out
    }
}
