import Foundation

/// One encoder setup for every JSON format: sorted keys and unescaped slashes make the
/// output stable and diffable; pretty printing keeps it readable in a terminal or a
/// CI log. Strings (control characters included) are escaped by `JSONEncoder`.
enum StableJSON {
    static func encode<Value: Encodable>(_ value: Value) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
        } catch {
            // The documents hold only strings, integers, arrays and objects, which
            // always encode; a failure here is a programming error, not bad input.
            preconditionFailure("JSON encoding of a report failed: \(error)")
        }
    }
}
