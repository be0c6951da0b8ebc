#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

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

    /// Whether the UTF-8 bytes hold `byte`: `memchr` on the contiguous storage, for the
    /// cheap "is there anything to look at?" tests that run on every line of every body.
    func containsByte(_ byte: UInt8) -> Bool {
        utf8.withContiguousStorageIfAvailable { bytes in
            guard let base = bytes.baseAddress else { return false }
            return memchr(base, Int32(byte), bytes.count) != nil
        } ?? utf8.contains(byte)
    }

    /// Whether the UTF-8 bytes hold `needle` (ASCII) anywhere.
    func containsBytes(_ needle: StaticString) -> Bool {
        let count = needle.utf8CodeUnitCount
        let found = utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            guard count > 0 else { return true }
            guard let base = bytes.baseAddress, bytes.count >= count else { return false }
            let first = Int32(needle.utf8Start[0])
            var position = 0
            while position <= bytes.count - count,
                let hit = memchr(base + position, first, bytes.count - count + 1 - position)
            {
                let start = base.distance(to: UnsafePointer(hit.assumingMemoryBound(to: UInt8.self)))
                if memcmp(base + start, needle.utf8Start, count) == 0 { return true }
                position = start + 1
            }
            return false
        }
        // A native copy always has contiguous storage.
        return found ?? String(self).containsBytes(needle)
    }
}
