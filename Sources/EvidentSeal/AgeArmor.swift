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
            let last = bytes.lastIndex(where: { !isWhitespace($0) })
        else {
            throw SealError(.armor, "the armoured age file is empty")
        }
        let begin = Array(beginLine.utf8)
        let end = Array(endLine.utf8)
        func malformed() -> SealError {
            SealError(.armor, "malformed age armour: expected '\(beginLine)', base64 lines and '\(endLine)'")
        }
        guard bytes[first...last].starts(with: begin) else { throw malformed() }
        guard last + 1 - first >= begin.count + end.count + 2, bytes[(last + 1 - end.count)...last].elementsEqual(end)
        else {
            throw SealError(
                .armor,
                "malformed age armour: the last line is not '\(endLine)' (junk after the armour, or the file is truncated)"
            )
        }
        // One pass over the lines between the two labels: each ends in LF (or CRLF); every
        // line but the last has exactly 64 columns, the last 1 to 64.
        var text = [UInt8]()
        text.reserveCapacity(bytes.count)
        var index = first + begin.count
        let bodyEnd = last + 1 - end.count
        func lineEnd(at position: Int) -> Int? {
            if position < bodyEnd, bytes[position] == 0x0A { return position + 1 }
            if position + 1 < bodyEnd, bytes[position] == 0x0D, bytes[position + 1] == 0x0A { return position + 2 }
            return nil
        }
        guard let bodyStart = lineEnd(at: index) else { throw malformed() }
        index = bodyStart
        var lineNumber = 1
        var previousWasShort = false
        while index < bodyEnd {
            lineNumber += 1
            var cursor = index
            while cursor < bodyEnd, bytes[cursor] != 0x0A, bytes[cursor] != 0x0D { cursor += 1 }
            let length = cursor - index
            guard let next = lineEnd(at: cursor) else { throw malformed() }
            guard !previousWasShort, (1...64).contains(length) else {
                throw SealError(
                    .armor,
                    "malformed age armour: base64 line \(lineNumber) has \(previousWasShort ? "a short line before it" : "\(length) columns") (every line but the last has 64)"
                )
            }
            previousWasShort = length < 64
            text += bytes[index..<cursor]
            index = next
        }
        guard !text.isEmpty else { throw malformed() }
        guard let binary = Base64.decode(text, padded: true) else {
            throw SealError(.armor, "malformed age armour: the base64 is not canonical")
        }
        return binary
    }

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
