/// The ASCII armour of age files: strict PEM (RFC 7468 §3) with the label
/// `AGE ENCRYPTED FILE`, 64-column padded base64 lines.
///
/// Parsing is strict, as the age spec recommends, so that an armoured file has one
/// encoding: only whitespace may surround the block, every line but the last is exactly
/// 64 columns, and the base64 is canonical. CRLF line ends are accepted (a Windows
/// checkout may produce them); nothing else is.
public enum AgeArmor {
    public static let beginLine = "-----BEGIN AGE ENCRYPTED FILE-----"
    public static let endLine = "-----END AGE ENCRYPTED FILE-----"

    public static func encode(_ binary: [UInt8]) -> [UInt8] {
        let text = Array(Base64.encode(binary, padded: true).utf8)
        var out = Array(beginLine.utf8)
        out.append(0x0A)
        var index = 0
        while index < text.count {
            let end = min(index + 64, text.count)
            out += text[index..<end]
            out.append(0x0A)
            index = end
        }
        out += Array(endLine.utf8)
        out.append(0x0A)
        return out
    }

    /// Whether `bytes`, after leading whitespace, begins with the armour's first line.
    public static func looksArmored(_ bytes: [UInt8]) -> Bool {
        let start = bytes.firstIndex { !isWhitespace($0) } ?? bytes.count
        return bytes[start...].starts(with: Array(beginLine.utf8))
    }

    public static func decode(_ bytes: [UInt8]) throws -> [UInt8] {
        guard let first = bytes.firstIndex(where: { !isWhitespace($0) }),
              let last = bytes.lastIndex(where: { !isWhitespace($0) }) else {
            throw SealError(.armor, "the armoured age file is empty")
        }
        var lines = bytes[first...last].split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
            line.last == 0x0D ? line.dropLast() : line
        }
        guard lines.count >= 3, lines.first!.elementsEqual(beginLine.utf8) else {
            throw SealError(.armor, "malformed age armour: expected '\(beginLine)', base64 lines and '\(endLine)'")
        }
        guard lines.last!.elementsEqual(endLine.utf8) else {
            throw SealError(.armor, "malformed age armour: the last line is not '\(endLine)' (junk after the armour, or the file is truncated)")
        }
        lines.removeFirst()
        lines.removeLast()
        var text = [UInt8]()
        text.reserveCapacity(lines.count * 64)
        for (index, line) in lines.enumerated() {
            let isLast = index == lines.count - 1
            guard isLast ? (1...64).contains(line.count) : line.count == 64 else {
                throw SealError(.armor, "malformed age armour: base64 line \(index + 2) has \(line.count) columns (every line but the last has 64)")
            }
            text += line
        }
        guard let binary = Base64.decode(text, padded: true) else {
            throw SealError(.armor, "malformed age armour: the base64 is not canonical")
        }
        return binary
    }

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
