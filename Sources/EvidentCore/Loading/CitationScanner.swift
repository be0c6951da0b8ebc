/// Finds pandoc-style citations: `[@a]`, `[@a; @b]`, `[see @a, p. 4]`, `[-@a]`.
public enum CitationScanner {
    public static func scan(_ line: String, line number: Int) -> [Citation] {
        guard line.containsByte(UInt8(ascii: "@")) else { return [] }
        // Every paragraph line of every review is scanned: an ASCII line is scanned as
        // its bytes (one per scalar, and the scalar properties asked about reduce to
        // ASCII ranges); any other line as its Unicode scalars.
        let ascii = line.utf8.withContiguousStorageIfAvailable { bytes -> [Citation]? in
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            return scanASCII(bytes, line: number)
        }
        if let ascii, let ascii { return ascii }
        let scalars = line.unicodeScalars.map(\.value)
        return scan(scalars, line: number) { range in
            String(String.UnicodeScalarView(scalars[range].compactMap(Unicode.Scalar.init)))
        }
    }

    /// The scan below, written out for ASCII bytes: one pass, no closures, no copies but
    /// the keys.
    private static func scanASCII(_ bytes: UnsafeBufferPointer<UInt8>, line number: Int) -> [Citation] {
        var citations: [Citation] = []
        var index = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "[") else {
                index += 1
                continue
            }
            var close = index + 1
            while close < bytes.count, bytes[close] != UInt8(ascii: "]") { close += 1 }
            guard close < bytes.count else { break }
            let firstFound = citations.count
            var inner = index + 1
            while inner < close {
                let previous = bytes[inner - 1]
                let atBoundary =
                    inner == index + 1 || previous == UInt8(ascii: " ") || previous == UInt8(ascii: ";")
                    || previous == UInt8(ascii: "-") || previous == UInt8(ascii: "\t")
                if bytes[inner] == UInt8(ascii: "@"), atBoundary, inner + 1 < close, isKeyStart(bytes[inner + 1]) {
                    var end = inner + 1
                    while end < close, isKeyCharacter(bytes[end]) { end += 1 }
                    // A key does not end in `.` or `:` (sentence punctuation); its first
                    // character is neither, so something is always left.
                    var keyEnd = end
                    while bytes[keyEnd - 1] == UInt8(ascii: ".") || bytes[keyEnd - 1] == UInt8(ascii: ":") {
                        keyEnd -= 1
                    }
                    let key = String(
                        decoding: UnsafeBufferPointer(rebasing: bytes[(inner + 1)..<keyEnd]), as: UTF8.self)
                    citations.append(Citation(id: key, line: number, column: inner + 1))
                    inner = end
                } else {
                    inner += 1
                }
            }
            // `[text](url)` with an @ inside is a link, not a citation.
            if close + 1 < bytes.count, bytes[close + 1] == UInt8(ascii: "(") || bytes[close + 1] == UInt8(ascii: "[") {
                citations.removeSubrange(firstFound...)
            }
            index = close + 1
        }
        return citations
    }

    /// The scan over a line's scalar values; `key` makes the text of a range of them.
    private static func scan<Units: RandomAccessCollection>(
        _ scalars: Units, line number: Int, key makeKey: (Range<Int>) -> String
    ) -> [Citation] where Units.Element: FixedWidthInteger, Units.Index == Int {
        func isUnit(_ unit: Units.Element, _ ascii: Unicode.Scalar) -> Bool { unit == Units.Element(ascii.value) }
        var citations: [Citation] = []
        var index = 0
        while index < scalars.count {
            guard isUnit(scalars[index], "[") else {
                index += 1
                continue
            }
            guard let close = scalars[index...].firstIndex(where: { isUnit($0, "]") }) else { break }
            var inner = index + 1
            var found: [Citation] = []
            while inner < close {
                let previous = scalars[inner - 1]
                let atBoundary =
                    inner == index + 1 || isUnit(previous, " ") || isUnit(previous, ";") || isUnit(previous, "-")
                    || isUnit(previous, "\t")
                if isUnit(scalars[inner], "@"), atBoundary, inner + 1 < close, isKeyStart(scalars[inner + 1]) {
                    var end = inner + 1
                    while end < close, isKeyCharacter(scalars[end]) { end += 1 }
                    var key = makeKey((inner + 1)..<end)
                    while let last = key.last, ".:".contains(last) { key.removeLast() }
                    found.append(Citation(id: key, line: number, column: inner + 1))
                    inner = end
                } else {
                    inner += 1
                }
            }
            // `[text](url)` with an @ inside is a link, not a citation.
            let isLink =
                close + 1 < scalars.count && (isUnit(scalars[close + 1], "(") || isUnit(scalars[close + 1], "["))
            if !isLink { citations += found }
            index = close + 1
        }
        return citations
    }

    /// Letters (Unicode Alphabetic), ASCII digits and `_`.
    private static func isKeyStart(_ unit: some FixedWidthInteger) -> Bool {
        let value = UInt32(unit)
        if value < 0x80 {
            let lowercase = value | 0x20
            return (0x61...0x7A).contains(lowercase) || (0x30...0x39).contains(value) || value == 0x5F
        }
        return Unicode.Scalar(value)?.properties.isAlphabetic ?? false
    }

    private static func isKeyCharacter(_ unit: some FixedWidthInteger) -> Bool {
        isKeyStart(unit) || unit == 0x2D || unit == 0x2E || unit == 0x3A  // - . :
    }
}
