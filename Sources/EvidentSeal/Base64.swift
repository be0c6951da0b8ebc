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
        // Whole files go through here (the armour): three bytes at a time over contiguous
        // storage, into a buffer sized once.
        let input = bytes.withContiguousStorageIfAvailable { Array($0) } ?? Array(bytes)
        let full = input.count / 3 * 3
        let remainder = input.count - full
        let length = full / 3 * 4 + (remainder == 0 ? 0 : (padded ? 4 : remainder + 1))
        return String(unsafeUninitializedCapacity: length) { out in
            input.withUnsafeBufferPointer { source in
                alphabet.withUnsafeBufferPointer { table in
                    var o = 0
                    var i = 0
                    while i < full {
                        let value = UInt32(source[i]) << 16 | UInt32(source[i + 1]) << 8 | UInt32(source[i + 2])
                        out[o] = table[Int(value >> 18)]
                        out[o + 1] = table[Int(value >> 12 & 0x3F)]
                        out[o + 2] = table[Int(value >> 6 & 0x3F)]
                        out[o + 3] = table[Int(value & 0x3F)]
                        i += 3
                        o += 4
                    }
                    if remainder > 0 {
                        let b0 = UInt32(source[i]), b1 = remainder == 2 ? UInt32(source[i + 1]) : 0
                        let value = b0 << 16 | b1 << 8
                        out[o] = table[Int(value >> 18)]
                        out[o + 1] = table[Int(value >> 12 & 0x3F)]
                        o += 2
                        if remainder == 2 {
                            out[o] = table[Int(value >> 6 & 0x3F)]
                            o += 1
                        }
                        if padded {
                            while o < length {
                                out[o] = UInt8(ascii: "=")
                                o += 1
                            }
                        }
                    }
                    return o
                }
            }
        }
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
