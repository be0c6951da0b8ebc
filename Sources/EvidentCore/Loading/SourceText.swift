#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Turns the raw bytes of a file into text the parsers can trust.
///
/// Review repositories are edited with every editor on every OS, so this pass accepts a
/// UTF-8 byte-order mark and CRLF line endings (normalised to LF, which keeps every line
/// and column where the editor shows it) and refuses what no parser should see: invalid
/// UTF-8, NUL bytes (binary files) and files too large to be a hand-written document.
public enum SourceText {
    /// Files above this size are reported, not parsed: no review is 8 MiB of prose.
    public static let maximumBytes = 8 * 1024 * 1024

    /// The register of everyone grows with the company, about 150 bytes a person, and
    /// passes 8 MiB near 54,000 people; it is written by HR rather than typed into a
    /// review, so it may be larger: 64 MiB holds some 400,000 people.
    public static let maximumPeopleBytes = 64 * 1024 * 1024

    /// The size limit of the file at the repository-relative `path`.
    public static func maximumBytes(forPath path: String) -> Int {
        path == "people.yaml" ? maximumPeopleBytes : maximumBytes
    }

    public enum Problem: Error, Equatable, Sendable {
        case tooLarge(bytes: Int, limit: Int = SourceText.maximumBytes)
        case binary(line: Int, column: Int)
        case invalidUTF8(line: Int, column: Int)

        public var message: String {
            switch self {
            case .tooLarge(let bytes, let limit):
                return "file is \(bytes) bytes, more than the \(limit)-byte limit for a document"
            case .binary:
                return "file contains a NUL byte and looks binary; documents must be UTF-8 text"
            case .invalidUTF8:
                return "file is not valid UTF-8; save it as UTF-8"
            }
        }

        public var position: (line: Int, column: Int) {
            switch self {
            case .tooLarge: return (1, 1)
            case .binary(let line, let column), .invalidUTF8(let line, let column): return (line, column)
            }
        }
    }

    /// Decodes `bytes`, stripping a BOM and normalising CRLF and lone CR to LF.
    public static func decode<Bytes: Collection>(_ bytes: Bytes, limit: Int = maximumBytes) -> Result<String, Problem>
    where Bytes.Element == UInt8 {
        if bytes.count > limit { return .failure(.tooLarge(bytes: bytes.count, limit: limit)) }
        var slice = Array(bytes)[...]
        if slice.starts(with: [0xEF, 0xBB, 0xBF]) { slice = slice.dropFirst(3) }
        // The usual file is ASCII with no NUL and no carriage return: one tight pass over
        // the bytes decides that, and then they are the text as they are.
        let plain = slice.withContiguousStorageIfAvailable { buffer -> String? in
            guard isPlainASCII(buffer) else { return nil }
            return String(decoding: buffer, as: UTF8.self)
        }
        if let plain, let plain { return .success(plain) }
        if let problem = firstProblem(in: slice) { return .failure(problem) }
        // Most files have no carriage return: decode them without another copy.
        if !slice.contains(0x0D) { return .success(String(decoding: slice, as: UTF8.self)) }
        var normalised: [UInt8] = []
        normalised.reserveCapacity(slice.count)
        var index = slice.startIndex
        while index < slice.endIndex {
            let byte = slice[index]
            if byte == 0x0D {
                normalised.append(0x0A)
                let next = slice.index(after: index)
                if next < slice.endIndex, slice[next] == 0x0A { index = next }
            } else {
                normalised.append(byte)
            }
            index = slice.index(after: index)
        }
        return .success(String(decoding: normalised, as: UTF8.self))
    }

    /// Whether `buffer` is ASCII without NUL or carriage return: eight bytes at a time,
    /// as every byte of every file of a check is tested (118 MB at 10,000 people).
    static func isPlainASCII(_ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = buffer.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highBits: UInt64 = 0x8080_8080_8080_8080
        /// Exactly when some byte of `word` is zero (no false positives).
        func hasZeroByte(_ word: UInt64) -> Bool { (word &- ones) & ~word & highBits != 0 }
        var offset = 0
        while offset + 8 <= buffer.count {
            let word = raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            if word & highBits != 0 || hasZeroByte(word) || hasZeroByte(word ^ (ones &* 0x0D)) { return false }
            offset += 8
        }
        while offset < buffer.count {
            let byte = buffer[offset]
            if byte >= 0x80 || byte == 0 || byte == 0x0D { return false }
            offset += 1
        }
        return true
    }

    /// Finds a NUL byte or the first malformed UTF-8 sequence, with its 1-based position.
    private static func firstProblem(in bytes: ArraySlice<UInt8>) -> Problem? {
        var line = 1
        var column = 1
        var index = bytes.startIndex
        let end = bytes.endIndex
        while index < end {
            let byte = bytes[index]
            if byte < 0x80 {
                if byte == 0 { return .binary(line: line, column: column) }
                if byte == 0x0A {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
                index += 1
                continue
            }
            let length: Int
            var minimum: UInt32
            var scalar: UInt32
            switch byte {
            case 0xC2...0xDF:
                length = 2
                scalar = UInt32(byte & 0x1F)
                minimum = 0x80
            case 0xE0...0xEF:
                length = 3
                scalar = UInt32(byte & 0x0F)
                minimum = 0x800
            case 0xF0...0xF4:
                length = 4
                scalar = UInt32(byte & 0x07)
                minimum = 0x10000
            default: return .invalidUTF8(line: line, column: column)
            }
            guard end - index >= length else { return .invalidUTF8(line: line, column: column) }
            for offset in 1..<length {
                let continuation = bytes[index + offset]
                guard continuation & 0xC0 == 0x80 else { return .invalidUTF8(line: line, column: column) }
                scalar = scalar << 6 | UInt32(continuation & 0x3F)
            }
            minimum = max(minimum, 0)
            if scalar < minimum || scalar > 0x10FFFF || (0xD800...0xDFFF).contains(scalar) {
                return .invalidUTF8(line: line, column: column)
            }
            index += length
            column += 1
        }
        return nil
    }
}

/// Splits text into lines once, so positions can be converted without rescanning.
public struct LineTable: Sendable {
    /// The lines without their terminating newline.
    public let lines: [Substring]

    public init(_ text: String) {
        // Cutting at newline bytes gives the same lines as splitting on the Character
        // "\n", and skips grapheme breaking, unless a "\r\n" (one Character) is present.
        let utf8 = text.utf8
        let lines = utf8.withContiguousStorageIfAvailable { bytes -> [Substring]? in
            guard !bytes.contains(UInt8(ascii: "\r")) else { return nil }
            var lines: [Substring] = []
            var start = utf8.startIndex
            var offset = 0
            while let base = bytes.baseAddress, offset < bytes.count,
                let newline = memchr(base + offset, 0x0A, bytes.count - offset)
            {
                offset = base.distance(to: UnsafePointer(newline.assumingMemoryBound(to: UInt8.self)))
                // Offsetting a native string's UTF-8 index is constant time.
                let end = utf8.index(utf8.startIndex, offsetBy: offset)
                lines.append(text[start..<end])
                start = utf8.index(after: end)
                offset += 1
            }
            lines.append(text[start..<utf8.endIndex])
            return lines
        }
        self.lines = (lines ?? nil) ?? text.split(separator: "\n", omittingEmptySubsequences: false)
    }

    /// The text of 1-based line `number`, or an empty string past the end.
    public func line(_ number: Int) -> Substring {
        guard number >= 1, number <= lines.count else { return "" }
        return lines[number - 1]
    }

    /// Converts a 1-based UTF-8 byte column (what cmark reports) to a 1-based Unicode
    /// scalar column (what editors and Yams count).
    public func scalarColumn(line number: Int, byteColumn: Int) -> Int {
        let text = line(number).utf8
        guard byteColumn > 1 else { return 1 }
        var bytesSeen = 0
        var scalars = 0
        for byte in text {
            if bytesSeen >= byteColumn - 1 { break }
            if byte & 0xC0 != 0x80 { scalars += 1 }
            bytesSeen += 1
        }
        return scalars + 1 + max(0, byteColumn - 1 - bytesSeen)
    }
}
