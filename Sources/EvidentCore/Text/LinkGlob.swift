/// A pattern of `evident.yaml`'s `evidence.allowed_links`: `*` matches any run of
/// characters, `/` included, `?` exactly one character, everything else itself.
///
/// Matching is iterative (the two-pointer algorithm with one backtrack point), so a
/// hostile pattern such as `*a*a*a*a*b` costs at most pattern × text steps and never
/// recurses or explodes the way a backtracking regex can. It runs over UTF-8 bytes;
/// `?` takes one whole Unicode scalar and `*` only ever stops between scalars. The
/// scheme and host of both the pattern and the URL are compared without case, because
/// `HTTPS://GitHub.com/` and `https://github.com/` are one address; paths stay
/// case-sensitive.
public struct LinkGlob: Sendable, Hashable {
    public let pattern: String
    private let bytes: [UInt8]

    public init(_ pattern: String) {
        self.pattern = pattern
        self.bytes = Array(LinkGlob.lowercasingSchemeAndHost(pattern).utf8)
    }

    /// Whether `text` (already normalised with `LinkTarget.normalisedURL` for web
    /// addresses) matches the whole pattern.
    public func matches(_ text: String) -> Bool {
        LinkGlob.match(bytes, Array(LinkGlob.lowercasingSchemeAndHost(text).utf8))
    }

    /// The first of `globs` that matches `text`, converting the text only once.
    public static func firstMatch(in globs: [LinkGlob], for text: String) -> LinkGlob? {
        guard !globs.isEmpty else { return nil }
        let bytes = Array(lowercasingSchemeAndHost(text).utf8)
        return globs.first { match($0.bytes, bytes) }
    }

    private static let star = UInt8(ascii: "*")
    private static let question = UInt8(ascii: "?")

    /// Whether `byte` continues a multi-byte UTF-8 sequence.
    private static func isContinuation(_ byte: UInt8) -> Bool { byte & 0xC0 == 0x80 }

    /// The index after the scalar that starts at `index`.
    private static func nextScalar(_ text: [UInt8], _ index: Int) -> Int {
        var next = index + 1
        while next < text.count, isContinuation(text[next]) { next += 1 }
        return next
    }

    /// Matches with `*` and `?`; linear in practice, pattern × text in the worst case.
    static func match(_ pattern: [UInt8], _ text: [UInt8]) -> Bool {
        var p = 0
        var t = 0
        var resume = -1  // position in `pattern` just after the last `*` seen
        var starText = 0  // position in `text` that `*` is currently extended to
        while t < text.count {
            if p < pattern.count, pattern[p] == question {
                p += 1
                t = nextScalar(text, t)
            } else if p < pattern.count, pattern[p] != star, pattern[p] == text[t] {
                p += 1
                t += 1
            } else if p < pattern.count, pattern[p] == star {
                // Collapse runs of `*`: they match the same as one.
                while p < pattern.count, pattern[p] == star { p += 1 }
                resume = p
                starText = t
            } else if resume >= 0 {
                // Let the last `*` swallow one more scalar and retry after it.
                starText = nextScalar(text, starText)
                t = starText
                p = resume
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == star { p += 1 }
        return p == pattern.count
    }

    /// False when `lowercasingSchemeAndHost` returns `text` as it is (no scheme, or no
    /// capital or non-ASCII byte up to the end of the host), found on the bytes in place.
    static func hasCaseInSchemeOrHost(_ text: String) -> Bool {
        guard LinkTarget.schemeEnd(of: text) != nil else { return false }
        var text = text
        return text.withUTF8 { bytes -> Bool in
            guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else { return false }
            var end = colon + 1
            if end + 1 < bytes.count, bytes[end] == UInt8(ascii: "/"), bytes[end + 1] == UInt8(ascii: "/") {
                end += 2
                while end < bytes.count, bytes[end] != UInt8(ascii: "/") { end += 1 }
            }
            for byte in bytes[..<end] where (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || byte >= 0x80 {
                return true
            }
            return false
        }
    }

    /// `HTTPS://GitHub.COM/Acme` → `https://github.com/Acme`: scheme and authority are
    /// case-insensitive in URLs, the path is not. `mailto:` addresses lowercase only
    /// their scheme.
    static func lowercasingSchemeAndHost(_ text: String) -> String {
        hasCaseInSchemeOrHost(text) ? lowercasingSchemeAndHostGenerally(text) : text
    }

    /// `lowercasingSchemeAndHost` without the byte-level shortcut (kept for the
    /// differential test).
    static func lowercasingSchemeAndHostGenerally(_ text: String) -> String {
        let utf8 = text.utf8
        guard let colon = LinkTarget.schemeEnd(of: text) else {
            return text
        }
        var end = utf8.index(after: colon)
        if utf8[end...].starts(with: "//".utf8) {
            end = utf8.index(end, offsetBy: 2)
            end = utf8[end...].firstIndex(of: UInt8(ascii: "/")) ?? utf8.endIndex
        }
        let head = text[..<end]
        guard head.utf8.contains(where: { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) || $0 >= 0x80 })
        else { return text }
        return head.lowercased() + text[end...]
    }
}
