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
    /// The trailers of `message`, in order; empty when the message has none.
    public static func parse(message: String) throws -> [GitTrailer] {
        try ensureLibgit2()
        try requireNoNUL(message, "commit message")
        var array = git_message_trailer_array()
        try check(git_message_trailers(&array, message), "parse commit message trailers")
        defer { git_message_trailer_array_free(&array) }
        guard let trailers = array.trailers else { return [] }
        var result: [GitTrailer] = []
        result.reserveCapacity(array.count)
        for i in 0..<array.count {
            let t = trailers[i]
            result.append(GitTrailer(key: optionalString(t.key) ?? "", value: optionalString(t.value) ?? ""))
        }
        return result
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
            throw GitError(kind: .invalidArgument, message: "the subject must be one non-empty line", operation: "compose commit message")
        }
        var message = subject + "\n"
        if let body = body?.trimmingCharacters(in: .whitespacesAndNewlines), !body.isEmpty {
            message += "\n" + body + "\n"
        }
        if !trailers.isEmpty {
            message += "\n"
            for trailer in trailers {
                guard !trailer.key.isEmpty,
                      trailer.key.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-") })
                else {
                    throw GitError(kind: .invalidArgument, message: "trailer key '\(trailer.key)' must be letters, digits and '-'", operation: "compose commit message")
                }
                let value = trailer.value.trimmingCharacters(in: .whitespaces)
                guard !value.contains(where: \.isNewline), !value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) else {
                    throw GitError(kind: .invalidArgument, message: "trailer '\(trailer.key)' has a line break or control character in its value", operation: "compose commit message")
                }
                message += "\(trailer.key): \(value)\n"
            }
        }
        try requireNoNUL(message, "commit message")
        return message
    }
}
