/// A pattern of `evident.yaml`'s `evidence.allowed_links`: `*` matches any run of
/// characters, `/` included, `?` exactly one character, everything else itself.
///
/// Matching is iterative (the two-pointer algorithm with one backtrack point), so a
/// hostile pattern such as `*a*a*a*a*b` costs at most pattern × text steps and never
/// recurses or explodes the way a backtracking regex can. Characters are Unicode
/// scalars. The scheme and host of both the pattern and the URL are compared without
/// case, because `HTTPS://GitHub.com/` and `https://github.com/` are one address; paths
/// stay case-sensitive.
public struct LinkGlob: Sendable, Hashable {
    public let pattern: String
    private let scalars: [Unicode.Scalar]

    public init(_ pattern: String) {
        self.pattern = pattern
        self.scalars = Array(LinkGlob.lowercasingSchemeAndHost(pattern).unicodeScalars)
    }

    /// Whether `text` (already normalised with `LinkTarget.normalisedURL` for web
    /// addresses) matches the whole pattern.
    public func matches(_ text: String) -> Bool {
        LinkGlob.match(scalars, Array(LinkGlob.lowercasingSchemeAndHost(text).unicodeScalars))
    }

    /// The first of `globs` that matches `text`, converting the text only once.
    public static func firstMatch(in globs: [LinkGlob], for text: String) -> LinkGlob? {
        guard !globs.isEmpty else { return nil }
        let scalars = Array(lowercasingSchemeAndHost(text).unicodeScalars)
        return globs.first { match($0.scalars, scalars) }
    }

    /// Matches with `*` and `?`; linear in practice, pattern × text in the worst case.
    static func match(_ pattern: [Unicode.Scalar], _ text: [Unicode.Scalar]) -> Bool {
        var p = 0
        var t = 0
        var star = -1  // position in `pattern` just after the last `*` seen
        var starText = 0  // position in `text` that `*` is currently extended to
        while t < text.count {
            if p < pattern.count, pattern[p] == "?" || (pattern[p] != "*" && pattern[p] == text[t]) {
                p += 1
                t += 1
            } else if p < pattern.count, pattern[p] == "*" {
                // Collapse runs of `*`: they match the same as one.
                while p < pattern.count, pattern[p] == "*" { p += 1 }
                star = p
                starText = t
            } else if star >= 0 {
                // Let the last `*` swallow one more character and retry after it.
                starText += 1
                t = starText
                p = star
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }

    /// `HTTPS://GitHub.COM/Acme` → `https://github.com/Acme`: scheme and authority are
    /// case-insensitive in URLs, the path is not.
    static func lowercasingSchemeAndHost(_ text: String) -> String {
        guard let separator = text.range(of: "://") else {
            // `mailto:Alice@Acme.example`: only the scheme is case-insensitive.
            if let colon = text.firstIndex(of: ":"), LinkTarget.scheme(of: text) != nil {
                return text[..<colon].lowercased() + text[colon...]
            }
            return text
        }
        let authorityEnd = text[separator.upperBound...].firstIndex(of: "/") ?? text.endIndex
        return text[..<authorityEnd].lowercased() + text[authorityEnd...]
    }
}
