import EvidentCore

/// What one `evident check` looked at and found, for the closing line of every format.
///
/// The loader knows the counts of files, people, reviews and evidence items; the
/// reporters only print them, so they stay pure formatting.
public struct CheckSummary: Sendable, Codable, Hashable {
    public var files: Int
    public var people: Int
    public var reviews: Int
    public var evidenceItems: Int
    public var errors: Int
    public var warnings: Int

    public init(files: Int, people: Int, reviews: Int, evidenceItems: Int, errors: Int, warnings: Int) {
        self.files = files
        self.people = people
        self.reviews = reviews
        self.evidenceItems = evidenceItems
        self.errors = errors
        self.warnings = warnings
    }

    /// Counts errors and warnings from the diagnostics themselves, so the summary
    /// cannot disagree with the lines printed above it.
    public init(files: Int, people: Int, reviews: Int, evidenceItems: Int, diagnostics: [Diagnostic]) {
        self.init(
            files: files, people: people, reviews: reviews, evidenceItems: evidenceItems,
            errors: diagnostics.errorCount, warnings: diagnostics.warningCount
        )
    }

    /// Snake case, because this is the `summary` object of the versioned JSON output.
    enum CodingKeys: String, CodingKey {
        case files, people, reviews, errors, warnings
        case evidenceItems = "evidence_items"
    }
}
