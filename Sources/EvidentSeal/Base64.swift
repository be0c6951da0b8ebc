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
                        let b0 = UInt32(source[i])
                        let b1 = remainder == 2 ? UInt32(source[i + 1]) : 0
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
        let symbols = text.withContiguousStorageIfAvailable { Array($0) } ?? Array(text)
        var count = symbols.count
        if padded {
            guard count % 4 == 0 else { return nil }
            var padding = 0
            while padding < 2, count > 0, symbols[count - 1] == UInt8(ascii: "=") {
                count -= 1
                padding += 1
            }
            // Padding must be exactly what the length calls for.
            if count % 4 == 0 && padding != 0 { return nil }
        }
        guard count % 4 != 1 else { return nil }
        let full = count / 4 * 4
        let tail = count - full
        var out = [UInt8](repeating: 0, count: full / 4 * 3 + (tail == 0 ? 0 : tail - 1))
        let valid = symbols.withUnsafeBufferPointer { source -> Bool in
            values.withUnsafeBufferPointer { table -> Bool in
                out.withUnsafeMutableBufferPointer { target -> Bool in
                    var bad: UInt8 = 0
                    var i = 0
                    var o = 0
                    while i < full {
                        let a = table[Int(source[i])]
                        let b = table[Int(source[i + 1])]
                        let c = table[Int(source[i + 2])]
                        let d = table[Int(source[i + 3])]
                        bad |= a | b | c | d
                        let value =
                            UInt32(a & 0x3F) << 18 | UInt32(b & 0x3F) << 12 | UInt32(c & 0x3F) << 6 | UInt32(d & 0x3F)
                        target[o] = UInt8(truncatingIfNeeded: value >> 16)
                        target[o + 1] = UInt8(truncatingIfNeeded: value >> 8)
                        target[o + 2] = UInt8(truncatingIfNeeded: value)
                        i += 4
                        o += 3
                    }
                    // 0xFF marks a byte outside the alphabet; every valid value is below 64.
                    guard bad & 0xC0 == 0 else { return false }
                    if tail > 0 {
                        var value: UInt32 = 0
                        for index in 0..<tail {
                            let symbol = table[Int(source[full + index])]
                            guard symbol != 0xFF else { return false }
                            value = value << 6 | UInt32(symbol)
                        }
                        // Canonical: the bits after the last whole byte must be zero.
                        let spare = tail == 2 ? 4 : 2
                        guard value & ((1 << UInt32(spare)) - 1) == 0 else { return false }
                        value >>= UInt32(spare)
                        if tail == 2 {
                            target[o] = UInt8(truncatingIfNeeded: value)
                        } else {
                            target[o] = UInt8(truncatingIfNeeded: value >> 8)
                            target[o + 1] = UInt8(truncatingIfNeeded: value)
                        }
                    }
                    return true
                }
            }
        }
        return valid ? out : nil
    }
}
