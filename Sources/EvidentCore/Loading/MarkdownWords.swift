import Foundation

/// Word counts, trimming and GitHub heading slugs: plain text functions the parser and
/// the rules share, kept apart from the cmark wrapper because they never touch cmark.
extension MarkdownParser {
    /// `text.trimmingCharacters(in: .whitespaces)`, without Foundation when both ends are
    /// ASCII other than space and tab (the only ASCII members of the set), as in nearly
    /// every heading.
    static func trimmingWhitespace(_ text: String) -> String {
        func keeps(_ byte: UInt8?) -> Bool {
            guard let byte else { return false }
            return byte < 0x80 && byte != UInt8(ascii: " ") && byte != UInt8(ascii: "\t")
        }
        if keeps(text.utf8.first) && keeps(text.utf8.last) { return text }
        return text.trimmingCharacters(in: .whitespaces)
    }

    /// A word is a run of non-space characters containing a letter or digit.
    static func countWords(_ text: String) -> Int {
        var count = 0
        var inWord = false
        var wordHasAlphanumeric = false
        for scalar in text.unicodeScalars {
            // ASCII answers without a Unicode property lookup (most prose is ASCII):
            // White_Space there is tab to carriage return and space; letters are A-Z, a-z.
            let isWhitespace: Bool
            if scalar.isASCII {
                let value = scalar.value
                isWhitespace = value == 0x20 || (0x09...0x0D).contains(value)
                if !isWhitespace {
                    inWord = true
                    let lowercase = value | 0x20
                    if (0x61...0x7A).contains(lowercase) || (0x30...0x39).contains(value) { wordHasAlphanumeric = true }
                    continue
                }
            } else {
                isWhitespace = scalar.properties.isWhitespace
            }
            if isWhitespace {
                if inWord && wordHasAlphanumeric { count += 1 }
                inWord = false
                wordHasAlphanumeric = false
            } else {
                inWord = true
                if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) { wordHasAlphanumeric = true }
            }
        }
        if inWord && wordHasAlphanumeric { count += 1 }
        return count
    }

    /// GitHub's anchor for a heading: lowercase, punctuation dropped, spaces to hyphens.
    public static func slug(_ text: String) -> String {
        // Every heading gets a slug: ASCII headings are done on bytes (letters and digits
        // are then A-Z, a-z, 0-9, and lowercasing touches only A-Z).
        if text.isAllASCII {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(text.utf8.count)
            for byte in text.utf8 {
                let lowercase = (0x41...0x5A).contains(byte) ? byte | 0x20 : byte
                if (0x61...0x7A).contains(lowercase) || (0x30...0x39).contains(lowercase) || lowercase == 0x2D
                    || lowercase == 0x5F
                {
                    bytes.append(lowercase)
                } else if lowercase == 0x20 {
                    bytes.append(0x2D)
                }
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        var result = ""
        for character in text.lowercased() {
            if character.isLetter || character.isNumber || character == "-" || character == "_" {
                result.append(character)
            } else if character == " " {
                result.append("-")
            }
        }
        return result
    }
}
