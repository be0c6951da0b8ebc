import Foundation

/// Line splitting and trimming of front matter texts (a review's summary, a rationale),
/// read as UTF-8 bytes where the answer is plain ASCII, with the general code for the rest.
///
/// The language and summary rules split and trim such a text for every review. Splitting
/// by `Character` and trimming with Foundation's character sets cost some 70,000
/// instructions per review, more than the rules' own work; these give the same results.
public enum TextLines {
    /// `text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)`.
    ///
    /// Splitting by the `Character` "\n" never cuts "\r\n", which is one grapheme cluster;
    /// a line feed after anything else is a cluster of its own (grapheme breaks surround
    /// control characters), so the cuts are the line-feed bytes not preceded by a
    /// carriage return.
    public static func split(_ text: String) -> [String] {
        var text = text
        return text.withUTF8 { bytes -> [String] in
            var lines: [String] = []
            var start = 0
            for index in bytes.indices where bytes[index] == 0x0A {
                if index > 0, bytes[index - 1] == 0x0D { continue }
                lines.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
                start = index + 1
            }
            lines.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start...]), as: UTF8.self))
            return lines
        }
    }

    /// `text.trimmingCharacters(in: .whitespacesAndNewlines)`.
    ///
    /// ASCII white space (tab, line feed, vertical tab, form feed, carriage return, space)
    /// is trimmed from both ends byte by byte; when that stops at an ASCII character, which
    /// is never in the set, the result is exact. Otherwise (an end that is not ASCII, such
    /// as a no-break space) Foundation trims the whole text.
    public static func trimmed(_ text: String) -> String {
        var text = text
        let result: String?? = text.withUTF8 { bytes -> String?? in
            var start = 0
            var end = bytes.count
            while start < end, isASCIIWhitespaceOrNewline(bytes[start]) { start += 1 }
            while end > start, isASCIIWhitespaceOrNewline(bytes[end - 1]) { end -= 1 }
            if start == end { return .some("") }
            guard bytes[start] < 0x80, bytes[end - 1] < 0x80 else { return .none }
            if start == 0, end == bytes.count { return .some(nil) }
            return .some(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self))
        }
        switch result {
        case .some(.some(let trimmed)): return trimmed
        case .some(.none): return text
        case .none: return text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    /// `line.trimmingCharacters(in: .whitespaces).isEmpty`: only spaces and tabs (or other
    /// Unicode spaces, which Foundation judges).
    public static func isBlank(_ line: String) -> Bool {
        var line = line
        let answer: Bool? = line.withUTF8 { bytes -> Bool? in
            var allASCII = true
            for byte in bytes {
                if byte >= 0x80 {
                    allASCII = false
                } else if byte != 0x20, byte != 0x09 {
                    return false  // an ASCII character that is not a space or a tab
                }
            }
            return allASCII ? true : nil
        }
        return answer ?? line.trimmingCharacters(in: .whitespaces).isEmpty
    }

    /// Tab, line feed, vertical tab, form feed, carriage return and space: the ASCII members
    /// of `CharacterSet.whitespacesAndNewlines`.
    static func isASCIIWhitespaceOrNewline(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }
}
