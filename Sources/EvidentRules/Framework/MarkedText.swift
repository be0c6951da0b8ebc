import EvidentCore

/// Position markers in example text, in the style of swift-format's tests: `1️⃣`, `2️⃣`…
/// stand where a diagnostic is expected, so nobody hand-types line numbers.
public struct MarkedText: Sendable {
    public static let markers = ["1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣", "6️⃣", "7️⃣", "8️⃣", "9️⃣"]

    /// The text with every marker removed.
    public let text: String
    /// Marker positions in `text` (1-based line, 1-based scalar column), in marker order.
    public let positions: [(line: Int, column: Int)]

    public init(_ marked: String) {
        var found: [(index: Int, line: Int, column: Int)] = []
        var lines: [String] = []
        for (lineIndex, rawLine) in marked.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = String(rawLine)
            while let match = MarkedText.markers.enumerated().compactMap({ marker -> (Int, Range<String.Index>)? in
                line.range(of: marker.element).map { (marker.offset, $0) }
            }).min(by: { $0.1.lowerBound < $1.1.lowerBound }) {
                let column = line.unicodeScalars[..<match.1.lowerBound].count + 1
                found.append((match.0, lineIndex + 1, column))
                line.removeSubrange(match.1)
            }
            lines.append(line)
        }
        text = lines.joined(separator: "\n")
        positions = found.sorted { $0.index < $1.index }.map { ($0.line, $0.column) }
    }
}

extension RuleExample {
    /// The example's files with markers removed, laid over the example repository.
    public var repositoryFiles: [String: String] {
        var files = ExampleRepository.files
        for path in removedFiles { files.removeValue(forKey: path) }
        for (path, text) in self.files { files[path] = MarkedText(text).text }
        return files
    }

    /// Where the rule must report, as repository locations.
    public var expectedLocations: [SourceLocation] {
        files.flatMap { path, text in
            MarkedText(text).positions.map { SourceLocation(file: path, line: $0.line, column: $0.column) }
        }.sorted()
    }
}
