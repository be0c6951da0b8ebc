import CGit2
import Foundation

/// One `Key: value` trailer from the last paragraph of a commit message.
public struct GitTrailer: Sendable, Equatable, Hashable {
    public let key: String
    public let value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

/// Commit-message trailers, parsed and written with git's own rules.
///
/// Sign-offs are recognised by their trailers, so reading them with libgit2's port of
/// git's trailer grammar (rather than a regex) guarantees we see exactly what
/// `git interpret-trailers --parse` sees.
public enum GitTrailers {
    /// The trailers of `message`, in order; empty when the message has none. Values are
    /// unfolded and trimmed exactly as `git interpret-trailers --parse` prints them.
    ///
    /// libgit2 finds the trailer block with git's rules, but its line parser differs
    /// from git's in two places, both corrected here so a crafted message cannot read
    /// one way to Evident and another way to git:
    /// - a trailer with an empty value ("Key:") swallows the next line as its value,
    ///   so "Evident-Blob:\nEvident-Signoff: hr" came back as one trailer, not two;
    /// - a continuation line must start with a space: git also accepts a tab.
    public static func parse(message: String) throws -> [GitTrailer] {
        try ensureLibgit2()
        try requireNoNUL(message, "commit message")
        // Leading tabs become spaces: git's block detection treats both as whitespace,
        // so the block is unchanged, and libgit2 then sees tab continuations as such.
        let prepared =
            message.contains("\n\t") || message.hasPrefix("\t")
            ? message.split(separator: "\n", omittingEmptySubsequences: false)
                .map { $0.hasPrefix("\t") ? " " + $0.dropFirst() : $0 }
                .joined(separator: "\n")
            : message
        var array = git_message_trailer_array()
        try check(git_message_trailers(&array, prepared), "parse commit message trailers")
        defer { git_message_trailer_array_free(&array) }
        guard let trailers = array.trailers else { return [] }
        var result: [GitTrailer] = []
        result.reserveCapacity(array.count)
        for i in 0..<array.count {
            let t = trailers[i]
            let key = unfold(optionalString(t.key) ?? "")
            let raw = optionalString(t.value) ?? ""
            if raw.hasPrefix("\n") {
                // libgit2's empty-value bug: the value is empty and what follows is the
                // next line of the block (plus its continuation lines).
                result.append(GitTrailer(key: key, value: ""))
                if let next = parseTrailerLine(String(raw.dropFirst())) { result.append(next) }
            } else {
                result.append(GitTrailer(key: key, value: unfold(raw)))
            }
        }
        return result
    }

    /// Parses one trailer line (with continuation lines after it) using git's grammar:
    /// a key of letters, digits and '-', optional blanks, ':', then the value.
    static func parseTrailerLine(_ text: String) -> GitTrailer? {
        let bytes = Array(text.utf8)
        func isKeyByte(_ c: UInt8) -> Bool {
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c == 0x2d
        }
        var i = 0
        while i < bytes.count && isKeyByte(bytes[i]) { i += 1 }
        guard i > 0 else { return nil }
        let keyEnd = i
        while i < bytes.count && (bytes[i] == 0x20 || bytes[i] == 0x09) { i += 1 }
        guard i < bytes.count && bytes[i] == 0x3a else { return nil }
        let key = String(decoding: bytes[0..<keyEnd], as: UTF8.self)
        let rawValue = String(decoding: bytes[(i + 1)...], as: UTF8.self)
        // Continuation lines ("A:\n B" gives A = "B") are folded like any other value.
        return GitTrailer(key: key, value: unfold(rawValue))
    }

    /// Canonicalises a value the way `git interpret-trailers --parse` (`--unfold`) does.
    ///
    /// libgit2 hands back continuation lines verbatim ("a\n  b") and keeps trailing
    /// blanks; git folds each line break and the whitespace after it into one space and
    /// trims the ends. Matching git here keeps our reading of a sign-off identical to
    /// what anyone inspecting it with git sees.
    static func unfold(_ text: String) -> String {
        func isSpace(_ c: UInt8) -> Bool { c == 0x20 || (c >= 0x09 && c <= 0x0d) }
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let c = bytes[i]
            i += 1
            if c == 0x0a {
                while i < bytes.count && isSpace(bytes[i]) { i += 1 }
                out.append(0x20)
            } else {
                out.append(c)
            }
        }
        var start = 0
        var end = out.count
        while start < end && isSpace(out[start]) { start += 1 }
        while end > start && isSpace(out[end - 1]) { end -= 1 }
        return String(decoding: out[start..<end], as: UTF8.self)
    }

    /// The values of every trailer named `key` (compared case-insensitively, as git does).
    public static func values(_ key: String, in trailers: [GitTrailer]) -> [String] {
        trailers.filter { $0.key.caseInsensitiveCompare(key) == .orderedSame }.map(\.value)
    }

    /// Builds a commit message: a one-line subject, an optional body, then a blank line
    /// and one `Key: value` line per trailer.
    ///
    /// Refuses input that would change the message's meaning when git parses it back:
    /// a multi-line subject, keys outside git's `[A-Za-z0-9-]` alphabet, or values with
    /// line breaks (which would smuggle in extra trailers).
    public static func composeMessage(subject: String, body: String? = nil, trailers: [GitTrailer]) throws -> String {
        let subject = subject.trimmingCharacters(in: .whitespaces)
        guard !subject.isEmpty, !subject.contains(where: \.isNewline) else {
            throw GitError(
                kind: .invalidArgument, message: "the subject must be one non-empty line",
                operation: "compose commit message")
        }
        var message = subject + "\n"
        if let body = body?.trimmingCharacters(in: .whitespacesAndNewlines), !body.isEmpty {
            message += "\n" + body + "\n"
        }
        if !trailers.isEmpty {
            message += "\n"
            for trailer in trailers {
                guard !trailer.key.isEmpty,
                    trailer.key.unicodeScalars.allSatisfy({
                        $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-")
                    })
                else {
                    throw GitError(
                        kind: .invalidArgument, message: "trailer key '\(trailer.key)' must be letters, digits and '-'",
                        operation: "compose commit message")
                }
                let value = trailer.value.trimmingCharacters(in: .whitespaces)
                guard !value.contains(where: \.isNewline),
                    !value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f })
                else {
                    throw GitError(
                        kind: .invalidArgument,
                        message: "trailer '\(trailer.key)' has a line break or control character in its value",
                        operation: "compose commit message")
                }
                message += "\(trailer.key): \(value)\n"
            }
        }
        try requireNoNUL(message, "commit message")
        return message
    }
}
