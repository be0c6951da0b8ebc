extension StringProtocol {
    /// Whether every byte of the text is ASCII.
    ///
    /// The loader's fast paths hinge on this: for ASCII text, bytes, Unicode scalars and
    /// Characters coincide (once "\r\n" is ruled out), and the Unicode properties asked
    /// about (letter, digit, white space, lowercase) reduce to byte ranges. Checked on the
    /// contiguous UTF-8 storage, a tight loop, rather than through the UTF-8 view's index.
    var isAllASCII: Bool {
        utf8.withContiguousStorageIfAvailable { bytes in bytes.allSatisfy { $0 < 0x80 } }
            ?? utf8.allSatisfy { $0 < 0x80 }
    }
}
