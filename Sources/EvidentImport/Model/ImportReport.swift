/// Every guess an importer made and everything it could not carry over, so that the
/// person importing can check them instead of finding out in a review.
public struct ImportReport: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        /// Something the source did not say and the importer chose.
        case guess
        /// Source content that is not in the written guides.
        case loss
    }

    public struct Entry: Sendable, Equatable {
        public var kind: Kind
        /// The source file (or level id) the entry is about.
        public var subject: String
        public var message: String
    }

    public private(set) var entries: [Entry] = []

    public init() {}

    public mutating func guess(_ subject: String, _ message: String) {
        entries.append(Entry(kind: .guess, subject: subject, message: message))
    }

    public mutating func loss(_ subject: String, _ message: String) {
        entries.append(Entry(kind: .loss, subject: subject, message: message))
    }

    public mutating func append(contentsOf other: ImportReport) { entries += other.entries }

    public var guesses: [Entry] { entries.filter { $0.kind == .guess } }
    public var losses: [Entry] { entries.filter { $0.kind == .loss } }

    /// One line per entry, `guess: subject: message`.
    public func render() -> String {
        entries.map { "\($0.kind.rawValue): \($0.subject): \($0.message)\n" }.joined()
    }
}
