/// An item of evidence: a dated, linked, observable fact about someone's work.
public struct EvidenceItem: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case pullRequest = "pull-request", incident, designDoc = "design-doc", metric, feedback, other
    }
    /// The file that declares the item.
    public var file: String
    public var id: Located<String>
    public var date: Located<Day>?
    public var type: Kind?
    public var link: Located<String>?
    public var summary: String
    public var dimensions: [Located<String>]
    public var values: [Located<String>]
    public var metric: Located<String>?
}

/// The kinds of file Evident reads, found from their place in the repository.
public enum DocumentKind: String, Sendable, CaseIterable {
    case policy, people, values, metrics, level, team, cycle
    case evidence
    case selfReview = "self-review"
    case peerFeedback = "peer-feedback"
    case review

    /// The `kind:` a Markdown file of this kind declares in its front matter.
    public var frontMatterKind: String? {
        switch self {
        case .values: return "values"
        case .level: return "level"
        case .evidence: return "evidence"
        case .selfReview: return "self-review"
        case .peerFeedback: return "peer-feedback"
        case .review: return "review"
        case .policy, .people, .metrics, .team, .cycle: return nil
        }
    }

    /// Whether the file is plain YAML (else Markdown with front matter).
    public var isYAML: Bool { frontMatterKind == nil }

    /// Classifies a repository-relative path, or returns nil for files Evident ignores.
    public static func classify(_ path: String) -> DocumentKind? {
        // Asked for every listed file: an ASCII path is cut at slash bytes, which is where
        // the Character split cuts it; other paths take the Character split.
        let parts =
            path.isAllASCII
            ? path.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).map { Substring($0) }
            : path.split(separator: "/", omittingEmptySubsequences: false)
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
            if name.hasPrefix("peer-"), name.hasSuffix(".md"), name.count > "peer-.md".count { return .peerFeedback }
            return nil
        default:
            return nil
        }
    }
}

/// A self review, a peer's feedback or a manager's review: prose in `##` sections that
/// cites evidence, plus front matter.
public struct ReviewDocument: Sendable {
    public struct Promotion: Sendable {
        public enum Readiness: String, Sendable, CaseIterable { case ready, nextCycle = "next-cycle", notYet = "not-yet" }
        public var readiness: Located<Readiness>?
        public var target: Located<String>?
    }

    public struct Calibration: Sendable {
        public var rating: Located<String>?
        public var rationale: Located<String>?
        public var evidence: [Located<String>]
        public var location: SourceLocation
    }

    public var kind: DocumentKind
    public var file: String
    public var person: Located<String>?
    public var cycle: Located<String>?
    /// `author` of peer feedback, `reviewer` of a review.
    public var author: Located<String>?
    public var level: Located<String>?
    public var rating: Located<String>?
    public var promotion: Promotion?
    public var calibration: Calibration?
    public var items: [EvidenceItem]
    public var body: MarkdownBody
    /// Where the front matter starts, for diagnostics about the document as a whole.
    public var headerLocation: SourceLocation
}

/// Everything about one person in one cycle: the folder `cycles/<cycle>/<person>/`.
public struct PersonCycle: Sendable {
    public var cycleFolder: String
    public var personFolder: String
    public var folder: String { "cycles/\(cycleFolder)/\(personFolder)" }
    public var evidenceFile: String?
    public var selfReview: ReviewDocument?
    public var peerFeedback: [ReviewDocument] = []
    public var review: ReviewDocument?
    /// Items of every file in the folder, in file order; ids are shared across the folder.
    public var items: [EvidenceItem] = []
    /// Every file of the folder that Evident read.
    public var files: [String] = []

    public init(cycleFolder: String, personFolder: String) {
        self.cycleFolder = cycleFolder
        self.personFolder = personFolder
    }

    /// Documents whose prose counts as citing evidence.
    public var writtenDocuments: [ReviewDocument] {
        [selfReview, review].compactMap { $0 } + peerFeedback
    }

    /// Items by id, the first declaration winning (duplicates are reported separately).
    /// Built once per folder by the rules that look up many citations.
    public func evidenceItemsByID() -> [String: EvidenceItem] {
        var index: [String: EvidenceItem] = [:]
        index.reserveCapacity(items.count)
        for item in items where index[item.id.value] == nil { index[item.id.value] = item }
        return index
    }
}
