import Foundation

/// `##` titles compared the way the rubric rules compare them: trimmed of blanks and
/// lowercased, then equal to a dimension's id or name, or to a standard section.
///
/// Rules ask this for every section of every review. Most titles and dimensions are
/// ASCII, and for ASCII text trimming concerns only space and tab and lowercasing only
/// A-Z, so those take byte-level work on short strings; anything else takes the Unicode
/// path it always took (Foundation's trimming, `Dimension.isNamed(by:)`), so the answers
/// are the same.
public enum SectionTitle {
    /// `title.trimmingCharacters(in: .whitespaces).lowercased()`.
    public static func normalised(_ title: String) -> String {
        asciiNormalised(title) ?? title.trimmingCharacters(in: .whitespaces).lowercased()
    }

    /// The normalised title when `title` is ASCII, else nil.
    public static func asciiNormalised(_ title: String) -> String? {
        var title = title
        return title.withUTF8 { bytes -> String? in
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            var start = 0
            var end = bytes.count
            while start < end, isBlank(bytes[start]) { start += 1 }
            while end > start, isBlank(bytes[end - 1]) { end -= 1 }
            return lowercased(UnsafeBufferPointer(rebasing: bytes[start..<end]))
        }
    }

    /// `text.lowercased()` when `text` is ASCII, else nil.
    public static func asciiLowercased(_ text: String) -> String? {
        var text = text
        return text.withUTF8 { bytes in bytes.allSatisfy { $0 < 0x80 } ? lowercased(bytes) : nil }
    }

    /// ASCII bytes with A-Z lowercased. Texts up to 15 bytes become small strings, which
    /// allocate nothing.
    private static func lowercased(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        guard bytes.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) else { return String(decoding: bytes, as: UTF8.self) }
        return String(unsafeUninitializedCapacity: bytes.count) { buffer in
            for (offset, byte) in bytes.enumerated() {
                buffer[offset] = byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte
            }
            return bytes.count
        }
    }

    private static func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
}

/// The dimensions of one level, ready to be matched against many section titles.
public struct DimensionNames {
    public let dimensions: [EvidentCore.Dimension]
    /// Each dimension's id and name lowercased, when both are ASCII.
    private let asciiNames: [(id: String, name: String)?]

    public init(_ level: Level) {
        dimensions = level.dimensions
        asciiNames = level.dimensions.map { dimension in
            // Compared whole with the trimmed title, as `Dimension.isNamed(by:)` does.
            guard let id = SectionTitle.asciiLowercased(dimension.id.value),
                let name = SectionTitle.asciiLowercased(dimension.name)
            else { return nil }
            return (id, name)
        }
    }

    /// Whether dimension `index` is named by `title`, as `Dimension.isNamed(by:)` answers.
    /// `normalised` is `SectionTitle.asciiNormalised(title)`, computed once per title.
    public func dimension(_ index: Int, isNamedBy title: String, normalised: String?) -> Bool {
        if let normalised, let names = asciiNames[index] {
            return normalised == names.id || normalised == names.name
        }
        return dimensions[index].isNamed(by: title)
    }

    /// Whether any dimension is named by `title` (`Level.dimension(namedBy:) != nil`).
    public func anyDimension(isNamedBy title: String, normalised: String?) -> Bool {
        dimensions.indices.contains { dimension($0, isNamedBy: title, normalised: normalised) }
    }
}

/// `DimensionNames` prepared once per level guide and reused for every person at that
/// level: a rule walking 10,000 people meets the same six levels again and again.
public struct DimensionNamesByLevel {
    private var prepared: [String: DimensionNames] = [:]

    public init() {}

    public mutating func names(for level: Level) -> DimensionNames {
        if let known = prepared[level.id.value] { return known }
        let names = DimensionNames(level)
        prepared[level.id.value] = names
        return names
    }
}
