import Foundation

/// What a link destination is, as far as the link rules care: a URL with a scheme, a
/// network path (`//host/…`), or a path into the repository.
public enum LinkTarget: Equatable, Sendable {
    /// `https://…`, `mailto:…`, `javascript:…`: the lowercased scheme and the cleaned
    /// destination.
    case url(scheme: String, address: String)
    /// `//host/path`: opened by a browser with the page's scheme, so treated as https.
    case networkPath(String)
    /// A repository path (possibly empty, for `#anchor`) and a fragment, both still
    /// percent-encoded as written.
    case repository(path: String, anchor: String?)

    public init(_ destination: String) {
        let cleaned = LinkTarget.cleaned(destination)
        if let scheme = LinkTarget.scheme(of: cleaned) {
            self = .url(scheme: scheme, address: cleaned)
        } else if cleaned.utf8.prefix(2).count == 2, cleaned.utf8.prefix(2).allSatisfy(ByteText.isSlash) {
            self = .networkPath(cleaned)  // `//`, `\\`, `/\` and `\/` alike, as browsers read them
        } else {
            // UTF-8 searches: `#` and `?` are ASCII, so their indices are valid String indices.
            let bytes = cleaned.utf8
            var end = cleaned.endIndex
            var anchor: String?
            if let hash = bytes.firstIndex(of: UInt8(ascii: "#")) {
                anchor = String(cleaned[bytes.index(after: hash)...])
                end = hash
            }
            if let query = bytes[..<end].firstIndex(of: UInt8(ascii: "?")) { end = query }
            self = .repository(path: String(cleaned[..<end]), anchor: anchor)
        }
    }

    /// The destination as a browser reads it: leading spaces and control characters
    /// dropped, tabs and line breaks removed anywhere (so `java\tscript:` is still
    /// `javascript:`).
    public static func cleaned(_ destination: String) -> String {
        var text = destination
        let clean = text.withUTF8 { bytes -> Bool in
            guard let first = bytes.first, first > 0x20 else { return false }
            for byte in bytes where byte == 0x09 || byte == 0x0A || byte == 0x0D { return false }
            return true
        }
        if clean { return destination }  // the common case: nothing to drop
        var scalars = String.UnicodeScalarView()
        var leading = true
        for scalar in destination.unicodeScalars {
            if leading, scalar.value <= 0x20 { continue }
            leading = false
            if scalar == "\t" || scalar == "\n" || scalar == "\r" { continue }
            scalars.append(scalar)
        }
        return String(scalars)
    }

    /// The lowercased scheme of `destination` (`[A-Za-z][A-Za-z0-9+.-]*:`, RFC 3986),
    /// or nil when it has none. Pass a `cleaned` destination.
    public static func scheme(of destination: String) -> String? {
        guard let end = schemeEnd(of: destination) else { return nil }
        return String(decoding: destination.utf8[..<end], as: UTF8.self).lowercased()
    }

    /// Where the scheme `scheme(of:)` finds ends (the index of its `:`), without building
    /// the lowercased string: `LinkGlob` only asks whether there is one.
    static func schemeEnd(of destination: String) -> String.Index? {
        let bytes = destination.utf8
        var index = bytes.startIndex
        while index != bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: ":") {
                guard index != bytes.startIndex else { return nil }
                return index
            }
            let isLetter = (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20)
            let isOther =
                (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "+")
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
            guard isLetter || (index != bytes.startIndex && isOther) else { return nil }
            index = bytes.index(after: index)
        }
        return nil
    }

    /// Decodes `%XX` escapes (`my%20notes.md` → `my notes.md`); malformed escapes stay
    /// as written, and byte sequences that are not UTF-8 become U+FFFD.
    public static func percentDecoded(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "%")) else { return text }
        let bytes = Array(text.utf8)
        var decoded: [UInt8] = []
        decoded.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
                let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
            {
                decoded.append(high << 4 | low)
                index += 3
            } else {
                decoded.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: decoded, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// A web address as a browser would request it, for matching `allowed_links`:
    /// backslashes read as slashes and `.`/`..` segments (also `%2e`) removed from the
    /// path, so `https://github.com/acme/../evil` cannot pass as `https://github.com/acme/*`.
    /// Scheme and host case is left to `LinkGlob`.
    public static func normalisedURL(_ address: String) -> String {
        isNormalURL(address) ? address : normalisedURLGenerally(address)
    }

    /// `normalisedURL` without the byte-level shortcut (kept for the differential test).
    static func normalisedURLGenerally(_ address: String) -> String {
        let bytes = address.utf8
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else { return address }
        var start = bytes.index(after: colon)
        var slashes = 0
        while start != bytes.endIndex, ByteText.isSlash(bytes[start]) {
            start = bytes.index(after: start)
            slashes += 1
        }
        guard slashes >= 1 else { return address }
        let rest = bytes[start...]
        let authorityEnd =
            rest.firstIndex { ByteText.isSlash($0) || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }
            ?? bytes.endIndex
        let pathEnd =
            bytes[authorityEnd...].firstIndex { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") } ?? bytes.endIndex
        // The usual address (`https://host/path` with no dot, escape or backslash in the
        // path) comes out as it went in: return it rather than rebuild it from five pieces.
        if slashes == 2, bytes[bytes.index(after: colon)] == UInt8(ascii: "/"),
            bytes[bytes.index(colon, offsetBy: 2)] == UInt8(ascii: "/"),
            !bytes[authorityEnd..<pathEnd].contains(where: {
                $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "\\")
            })
        {
            return address
        }
        var path = String(address[authorityEnd..<pathEnd])
        if path.utf8.contains(UInt8(ascii: "\\")) { path = path.replacingOccurrences(of: "\\", with: "/") }
        return String(address[..<colon]) + "://" + String(address[start..<authorityEnd]) + removingDotSegments(path)
            + String(address[pathEnd...])
    }

    /// Whether `normalisedURL` returns `address` as it is: the same tests, on its bytes in
    /// place (walking `String.UTF8View` indices cost some 3,000 instructions per link).
    static func isNormalURL(_ address: String) -> Bool {
        var text = address
        return text.withUTF8 { bytes -> Bool in
            guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else { return true }
            var start = colon + 1
            while start < bytes.count, ByteText.isSlash(bytes[start]) { start += 1 }
            let slashes = start - colon - 1
            guard slashes >= 1 else { return true }
            var authorityEnd = start
            while authorityEnd < bytes.count, !ByteText.isSlash(bytes[authorityEnd]),
                bytes[authorityEnd] != UInt8(ascii: "?"), bytes[authorityEnd] != UInt8(ascii: "#")
            {
                authorityEnd += 1
            }
            guard slashes == 2, bytes[colon + 1] == UInt8(ascii: "/"), bytes[colon + 2] == UInt8(ascii: "/") else {
                return false
            }
            var index = authorityEnd
            while index < bytes.count, bytes[index] != UInt8(ascii: "?"), bytes[index] != UInt8(ascii: "#") {
                let byte = bytes[index]
                if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "%") || byte == UInt8(ascii: "\\") { return false }
                index += 1
            }
            return true
        }
    }

    /// RFC 3986 section 5.2.4 for an absolute path (`/a/./b/../c` → `/a/c`).
    static func removingDotSegments(_ path: String) -> String {
        guard path.hasPrefix("/"), path.utf8.contains(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "%") })
        else { return path }
        let segments = ByteText.segments(of: Substring(path)).dropFirst()
        var output: [Substring] = []
        for (offset, segment) in segments.enumerated() {
            let isLast = offset == segments.count - 1
            let decoded =
                segment.utf8.contains(UInt8(ascii: "%")) ? Substring(percentDecoded(String(segment))) : segment
            switch ByteText.dots(decoded) {
            case 1:
                if isLast { output.append("") }
            case 2:
                if !output.isEmpty { output.removeLast() }
                if isLast { output.append("") }
            default:
                output.append(segment)
            }
        }
        return "/" + ByteText.joined(output)
    }
}

/// Repository-relative paths of link targets.
public enum RepositoryPath {
    public enum Resolution: Equatable, Sendable {
        /// The normalised repository-relative path (`""` is the root).
        case inside(String)
        /// A `..` climbs above the repository root.
        case escapes
    }

    /// The folder of a repository-relative file (`""` for a file at the root).
    public static func folder(of file: String) -> String {
        guard let slash = file.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "" }
        return String(file[..<slash])
    }

    /// Resolves an already percent-decoded link path written in `file`: relative to the
    /// file's folder, or to the repository root when it starts with `/`, as on a git
    /// host. `.` and empty segments are dropped and `..` climbs one folder; a backslash
    /// counts as a slash, as it does in a browser.
    public static func resolve(_ path: String, relativeTo file: String) -> Resolution {
        let unified = path.utf8.contains(UInt8(ascii: "\\")) ? path.replacingOccurrences(of: "\\", with: "/") : path
        var segments: [Substring] = []
        if unified.utf8.first != UInt8(ascii: "/") {
            segments = ByteText.segments(of: Substring(folder(of: file))).filter { !$0.isEmpty }
        }
        for segment in ByteText.segments(of: Substring(unified)) {
            switch ByteText.dots(segment) {
            case 1: continue
            case 2:
                guard !segments.isEmpty else { return .escapes }
                segments.removeLast()
            default:
                if !segment.isEmpty { segments.append(segment) }
            }
        }
        return .inside(ByteText.joined(segments))
    }

    /// Whether a path names a Markdown file, whose headings are the anchors.
    public static func isMarkdown(_ path: String) -> Bool {
        let lower = path.lowercased()
        return lower.hasSuffix(".md") || lower.hasSuffix(".markdown")
    }
}

/// Byte-level helpers for paths: link checks run over every link of the organisation,
/// and Character-level splitting costs far more than the paths are worth.
enum ByteText {
    static func isSlash(_ byte: UInt8) -> Bool { byte == UInt8(ascii: "/") || byte == UInt8(ascii: "\\") }

    /// `text` split at every `/`, empty pieces kept.
    static func segments(of text: Substring) -> [Substring] {
        var result: [Substring] = []
        let bytes = text.utf8
        var start = bytes.startIndex
        var index = start
        while index != bytes.endIndex {
            if bytes[index] == UInt8(ascii: "/") {
                result.append(text[start..<index])
                start = bytes.index(after: index)
            }
            index = bytes.index(after: index)
        }
        result.append(text[start..<bytes.endIndex])
        return result
    }

    /// 1 for `.`, 2 for `..`, else 0.
    static func dots(_ segment: Substring) -> Int {
        let bytes = segment.utf8
        guard bytes.count <= 2, bytes.allSatisfy({ $0 == UInt8(ascii: ".") }) else { return 0 }
        return bytes.count
    }

    /// The pieces joined with `/`.
    static func joined(_ pieces: [Substring]) -> String {
        var result = ""
        result.reserveCapacity(pieces.reduce(pieces.count) { $0 + $1.utf8.count })
        for (index, piece) in pieces.enumerated() {
            if index > 0 { result.append("/") }
            result.append(contentsOf: piece)
        }
        return result
    }
}
