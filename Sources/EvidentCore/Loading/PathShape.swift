/// Where a file sits in the review repository, read from its path once: its kind and, for
/// files under `cycles/`, its cycle folder, person folder and file name.
///
/// Paths are asked about for every listed file, several times, by the loader, the staged
/// check, `--changed-since` and the rules; one parse answers all of them, so the shape of a
/// path is decided in one place. The reference reading splits the path into Characters (a
/// "/" carrying a combining mark is no separator there); an ASCII path is read on its bytes
/// instead, which gives the same answer because its only multi-byte Character, "\r\n",
/// holds no slash and changes no comparison with the names below.
public struct PathShape: Sendable {
    public let path: String
    /// The kind of file, or nil for files Evident ignores.
    public let kind: DocumentKind?
    /// The number of "/"-separated parts, up to 5 (which stands for five or more).
    let partCount: Int
    /// The UTF-8 offsets of the first three separators; 0 where there is none.
    let separators: (Int, Int, Int)
    /// Whether the first part is `cycles`.
    let isUnderCycles: Bool

    public init(_ path: String) {
        self = Self.readingBytes(path) ?? Self.readingCharacters(path)
    }

    private init(path: String, kind: DocumentKind?, partCount: Int, separators: (Int, Int, Int), isUnderCycles: Bool) {
        self.path = path
        self.kind = kind
        self.partCount = partCount
        self.separators = separators
        self.isUnderCycles = isUnderCycles
    }

    /// `cycles/<cycle>/<person>` for a file directly inside a person's cycle folder.
    public var personFolder: String? {
        guard isPersonFile else { return nil }
        return String(text(0, separators.2))
    }

    /// `<cycle>` for `cycles/<cycle>/cycle.yaml`-shaped paths and files in a person's cycle folder.
    public var cycleFolder: Substring? {
        guard isUnderCycles, partCount == 3 || partCount == 4 else { return nil }
        return text(separators.0 + 1, separators.1)
    }

    /// `<person>` for a file directly inside a person's cycle folder.
    public var person: Substring? {
        guard isPersonFile else { return nil }
        return text(separators.1 + 1, separators.2)
    }

    /// The file name of a file directly inside a person's cycle folder.
    public var fileName: Substring? {
        guard isPersonFile else { return nil }
        return text(separators.2 + 1, path.utf8.count)
    }

    /// `cycles/<cycle>/<person>/<file>`: exactly four parts, the first `cycles`.
    private var isPersonFile: Bool { isUnderCycles && partCount == 4 }

    /// The text between two UTF-8 offsets that fall on separators (or the ends).
    private func text(_ start: Int, _ end: Int) -> Substring {
        let utf8 = path.utf8
        let lower = utf8.index(utf8.startIndex, offsetBy: start)
        return path[lower..<utf8.index(lower, offsetBy: end - start)]
    }

    // MARK: Reading a path

    /// The reading of an ASCII path on its bytes; nil for any other path.
    static func readingBytes(_ path: String) -> PathShape? {
        let shape = path.utf8.withContiguousStorageIfAvailable { bytes -> PathShape? in
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            var separators = (0, 0, 0)
            var count = 0
            for index in bytes.indices where bytes[index] == UInt8(ascii: "/") {
                switch count {
                case 0: separators.0 = index
                case 1: separators.1 = index
                case 2: separators.2 = index
                default: break
                }
                count += 1
                if count == 4 { break }  // five parts or more
            }
            let parts = count + 1
            let isUnderCycles = parts >= 3 && equals(part(bytes, 0, separators.0), "cycles")
            return PathShape(
                path: path, kind: kind(bytes, parts: parts, separators, isUnderCycles: isUnderCycles),
                partCount: parts, separators: separators, isUnderCycles: isUnderCycles)
        }
        return shape ?? nil
    }

    /// The reference reading: the path split into Characters.
    static func readingCharacters(_ path: String) -> PathShape {
        let parts = path.split(separator: "/", maxSplits: 4, omittingEmptySubsequences: false)
        let offsets = parts.dropLast().prefix(3).map { path.utf8.distance(from: path.startIndex, to: $0.endIndex) }
        let separators = (
            offsets.count > 0 ? offsets[0] : 0, offsets.count > 1 ? offsets[1] : 0, offsets.count > 2 ? offsets[2] : 0
        )
        return PathShape(
            path: path, kind: kind(parts), partCount: parts.count, separators: separators,
            isUnderCycles: parts.count >= 3 && parts[0] == "cycles")
    }

    /// `kind` from Characters.
    private static func kind(_ parts: [Substring]) -> DocumentKind? {
        switch parts.count {
        case 1:
            switch parts[0] {
            case "evident.yaml": return .policy
            case "people.yaml": return .people
            case "values.md": return .values
            case "metrics.yaml": return .metrics
            default: return nil
            }
        case 2:
            if parts[0] == "levels", parts[1].hasSuffix(".md") { return .level }
            if parts[0] == "teams", parts[1].hasSuffix(".yaml") || parts[1].hasSuffix(".yml") { return .team }
            return nil
        case 3:
            return parts[0] == "cycles" && parts[2] == "cycle.yaml" ? .cycle : nil
        case 4:
            guard parts[0] == "cycles" else { return nil }
            let name = parts[3]
            if name == "evidence.md" { return .evidence }
            if name == "self.md" { return .selfReview }
            if name == "review.md" { return .review }
            if name == "response.md" { return .response }
            if name == "appeal.md" { return .appeal }
            if name.hasPrefix("peer-"), name.hasSuffix(".md"), name.count > "peer-.md".count { return .peerFeedback }
            return nil
        default:
            return nil
        }
    }

    /// `kind` from an ASCII path's bytes.
    private static func kind(
        _ path: UnsafeBufferPointer<UInt8>, parts: Int, _ separators: (Int, Int, Int), isUnderCycles: Bool
    ) -> DocumentKind? {
        switch parts {
        case 1:
            let whole = part(path, 0, path.count)
            if equals(whole, "evident.yaml") { return .policy }
            if equals(whole, "people.yaml") { return .people }
            if equals(whole, "values.md") { return .values }
            if equals(whole, "metrics.yaml") { return .metrics }
            return nil
        case 2:
            let (folder, name) = (part(path, 0, separators.0), part(path, separators.0 + 1, path.count))
            if equals(folder, "levels"), hasSuffix(name, ".md") { return .level }
            if equals(folder, "teams"), hasSuffix(name, ".yaml") || hasSuffix(name, ".yml") { return .team }
            return nil
        case 3:
            return isUnderCycles && equals(part(path, separators.1 + 1, path.count), "cycle.yaml") ? .cycle : nil
        case 4:
            guard isUnderCycles else { return nil }
            let name = part(path, separators.2 + 1, path.count)
            if equals(name, "evidence.md") { return .evidence }
            if equals(name, "self.md") { return .selfReview }
            if equals(name, "review.md") { return .review }
            if equals(name, "response.md") { return .response }
            if equals(name, "appeal.md") { return .appeal }
            // More bytes than "peer-.md" is more Characters: "\r\n" cannot straddle the
            // prefix or the suffix.
            if name.starts(with: "peer-".utf8), hasSuffix(name, ".md"), name.count > "peer-.md".utf8.count {
                return .peerFeedback
            }
            return nil
        default:
            return nil
        }
    }

    private static func part(_ path: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> UnsafeBufferPointer<UInt8>
    {
        UnsafeBufferPointer(rebasing: path[start..<end])
    }

    private static func equals(_ bytes: UnsafeBufferPointer<UInt8>, _ text: StaticString) -> Bool {
        bytes.count == text.utf8CodeUnitCount
            && bytes.elementsEqual(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    private static func hasSuffix(_ bytes: UnsafeBufferPointer<UInt8>, _ text: StaticString) -> Bool {
        bytes.count >= text.utf8CodeUnitCount
            && equals(UnsafeBufferPointer(rebasing: bytes[(bytes.count - text.utf8CodeUnitCount)...]), text)
    }
}

extension DocumentKind {
    /// Classifies a repository-relative path, or returns nil for files Evident ignores.
    public static func classify(_ path: String) -> DocumentKind? {
        PathShape(path).kind
    }
}

/// Helpers for `cycles/<cycle>/<person>/<file>` paths.
public enum PersonFolder {
    /// `cycles/<cycle>/<person>` for a file in a person's cycle folder.
    public static func of(_ path: String) -> String? {
        PathShape(path).personFolder
    }
}
