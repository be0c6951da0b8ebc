/// A diagnostic message as a rule writes it: Evident's own words, and the values put
/// into them, each marked with where it comes from.
///
/// A message about a sealed review file must not carry that file's text to a CI log
/// (SPEC §8, "outputs don't leak"), so the message keeps every value a rule interpolates
/// apart from the words around it, and `check` withholds the values that may be quoted
/// from a file (`DiagnosticMessage.withheld`) for diagnostics in sealed files. Quoting is
/// the default: a string interpolated as `\(value)` is treated as text from the file.
/// Only values marked `\(public: value)` (rule ids, settings of the organisation files,
/// commit metadata) and whole numbers (counts, limits) are always shown. A message
/// made from a `String` built elsewhere (`DiagnosticMessage(quoting:)`) is withheld whole.
public struct DiagnosticMessage: Hashable, Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    /// One piece of a message.
    public enum Segment: Hashable, Sendable {
        /// Words of the message itself, from Evident's code.
        case literal(String)
        /// A value that may be text of the file the diagnostic is in: withheld when it is sealed.
        case quoted(String)
        /// A value known to be public (a count, a rule id, a setting of evident.yaml).
        case shown(String)
    }

    public private(set) var segments: [Segment]

    /// What stands for a withheld value.
    public static let placeholder = "[text withheld]"

    public init(segments: [Segment]) { self.segments = segments }

    public init(stringLiteral value: String) { segments = [.literal(value)] }

    public init(stringInterpolation: Interpolation) { segments = stringInterpolation.segments }

    /// A message built elsewhere, of unknown origin: shown whole, or withheld whole.
    public init(quoting text: String) { segments = [.quoted(text)] }

    /// Public text built elsewhere (a note written from the organisation files only).
    public init(public text: String) { segments = [.shown(text)] }

    public struct Interpolation: StringInterpolationProtocol {
        var segments: [Segment] = []

        public init(literalCapacity: Int, interpolationCount: Int) {
            segments.reserveCapacity(interpolationCount * 2 + 1)
        }

        public mutating func appendLiteral(_ literal: String) {
            guard !literal.isEmpty else { return }
            segments.append(.literal(literal))
        }

        /// Any value: it may be text from the file, so it is quoted.
        public mutating func appendInterpolation<T>(_ value: T) {
            segments.append(.quoted(String(describing: value)))
        }

        /// Whole numbers (counts, limits, line numbers) say nothing a file's size does not.
        public mutating func appendInterpolation<T: BinaryInteger>(_ value: T) {
            segments.append(.shown(String(value)))
        }

        /// A value known not to come from a sealed file's text.
        public mutating func appendInterpolation<T>(public value: T) {
            segments.append(.shown(String(describing: value)))
        }

        /// Another message, its segments kept as they are marked.
        public mutating func appendInterpolation(_ message: DiagnosticMessage) {
            segments += message.segments
        }
    }

    /// The whole message, every value shown.
    public var text: String {
        var result = ""
        for segment in segments {
            switch segment {
            case .literal(let text), .quoted(let text), .shown(let text): result += text
            }
        }
        return result
    }

    public var description: String { text }

    /// Whether any value would be withheld.
    public var quotesText: Bool {
        segments.contains { if case .quoted = $0 { return true } else { return false } }
    }

    /// The message with every quoted value replaced by `placeholder`. Quote marks the
    /// message put around a value (`'…'`) go with it, so "unknown person 'x': …" reads
    /// "unknown person [text withheld]: …".
    public var withheld: String {
        var result = ""
        var dropLeadingQuote = false
        for (index, segment) in segments.enumerated() {
            switch segment {
            case .literal(var text):
                if dropLeadingQuote, text.first == "'" { text.removeFirst() }
                dropLeadingQuote = false
                result += text
            case .shown(let text):
                dropLeadingQuote = false
                result += text
            case .quoted:
                // Adjacent quoted values are one withheld piece.
                if index > 0, case .quoted = segments[index - 1] { continue }
                var next: String?
                var probe = index + 1
                while probe < segments.count, case .quoted = segments[probe] { probe += 1 }
                if probe < segments.count, case .literal(let text) = segments[probe] { next = text }
                if result.last == "'", next?.first == "'" {
                    result.removeLast()
                    dropLeadingQuote = true
                }
                result += Self.placeholder
            }
        }
        return result
    }
}
