/// Byte-level readings that the model and the rules ask for on every file, kept here with
/// the loader's other fast paths so that `Model/` and the rules hold no byte scans.
///
/// Each answers exactly as the general Unicode code it stands in for, or returns nil to
/// send the caller down that general path; FastPathTests compare the two.
public enum ASCIIScan {
    /// `YYYY-MM-DD` in ASCII digits, read from the bytes; nil for any other text, which
    /// `Day` then parses the general way (and may still reject).
    static func isoDate(_ text: String) -> (year: Int, month: Int, day: Int)? {
        let digits = text.utf8.withContiguousStorageIfAvailable { bytes -> (Int, Int, Int)? in
            guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
            func number(_ range: Range<Int>) -> Int? {
                var value = 0
                for index in range {
                    guard (0x30...0x39).contains(bytes[index]) else { return nil }
                    value = value * 10 + Int(bytes[index] - 0x30)
                }
                return value
            }
            guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return nil }
            return (year, month, day)
        }
        return digits ?? nil
    }

    /// `Dimension.isNamed` for ASCII texts: whether `title`, trimmed of spaces and tabs,
    /// equals `id` or `name` ignoring A-Z case; nil when one of the three is not ASCII.
    static func namesMatch(title: String, id: String, name: String) -> Bool? {
        func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        func lowercase(_ byte: UInt8) -> UInt8 { (0x41...0x5A).contains(byte) ? byte | 0x20 : byte }
        let answer = title.utf8.withContiguousStorageIfAvailable { title -> Bool? in
            guard title.allSatisfy({ $0 < 0x80 }) else { return nil }
            var start = 0
            var end = title.count
            while start < end, isBlank(title[start]) { start += 1 }
            while end > start, isBlank(title[end - 1]) { end -= 1 }
            // Constants for the closure below: capturing the variables would box them
            // and check exclusive access on every byte compared.
            let (first, trimmedEnd) = (start, end)
            /// Whether `candidate` equals the trimmed title ignoring case; nil if it is not ASCII.
            func matches(_ candidate: String) -> Bool? {
                candidate.utf8.withContiguousStorageIfAvailable { candidate -> Bool? in
                    guard candidate.allSatisfy({ $0 < 0x80 }) else { return nil }
                    guard candidate.count == trimmedEnd - first else { return false }
                    for offset in 0..<candidate.count
                    where lowercase(candidate[offset]) != lowercase(title[first + offset]) {
                        return false
                    }
                    return true
                } ?? nil
            }
            guard let byID = matches(id), let byName = matches(name) else { return nil }
            return byID || byName
        }
        return answer ?? nil
    }

    /// A paragraph line that is only "Private" dressed as a heading: `**Private**`,
    /// `Private:`, `#Private`.
    ///
    /// Runs on the first line of every paragraph of every file, so it walks the bytes and
    /// stops at the first one that cannot belong to such a line (usually the first letter
    /// of ordinary prose), instead of building strings.
    public static func isPseudoPrivateHeading(_ line: String) -> Bool {
        let word = privateWord
        var matched = 0
        for byte in line.utf8 {
            switch byte {
            case UInt8(ascii: "#"), UInt8(ascii: "*"), UInt8(ascii: "_"), UInt8(ascii: ":"), UInt8(ascii: ">"),
                UInt8(ascii: "-"), UInt8(ascii: " "), UInt8(ascii: "\t"):
                continue
            default:
                let lowered = byte >= 65 && byte <= 90 ? byte + 32 : byte
                guard matched < word.count, lowered == word[matched] else { return false }
                matched += 1
            }
        }
        return matched == word.count
    }

    private static let privateWord: [UInt8] = Array("private".utf8)

    /// The 1-based line of the byte at `offset`: one more than the line feeds before it.
    public static func lineNumber(at offset: Int, in bytes: [UInt8]) -> Int {
        1 + lineFeeds(in: bytes[..<offset])
    }

    /// The number of line feeds in `bytes`, for counting lines forward from a known one.
    public static func lineFeeds(in bytes: ArraySlice<UInt8>) -> Int {
        bytes.reduce(0) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
    }
}

/// The FNV-1a hash of a byte string, fed one byte at a time: the key of the phrase
/// matcher's ASCII lookup table and of the loader's interner. Fed as bytes are copied or
/// checked, it costs no second pass over them.
struct FNV1a {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ byte: UInt8) {
        value = (value ^ UInt64(byte)) &* 0x100_0000_01b3
    }
}
