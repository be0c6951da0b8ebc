/// An item of evidence: a dated, linked, observable fact about someone's work.
public struct EvidenceItem: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case pullRequest = "pull-request"
        case incident
        case designDoc = "design-doc"
        case metric, feedback, other
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
    /// The person's answer to their decision record (`response.md`, SPEC §9).
    case response
    /// The person's appeal of the outcome and its answer (`appeal.md`, SPEC §9).
    case appeal

    /// The `kind:` a Markdown file of this kind declares in its front matter.
    public var frontMatterKind: String? {
        switch self {
        case .values: return "values"
        case .level: return "level"
        case .evidence: return "evidence"
        case .selfReview: return "self-review"
        case .peerFeedback: return "peer-feedback"
        case .review: return "review"
        case .response: return "response"
        case .appeal: return "appeal"
        case .policy, .people, .metrics, .team, .cycle: return nil
        }
    }

    /// Whether the file is plain YAML (else Markdown with front matter).
    public var isYAML: Bool { frontMatterKind == nil }
}

/// A self review, a peer's feedback or a manager's review: prose in `##` sections that
/// cites evidence, plus front matter.
public struct ReviewDocument: Sendable {
    public struct Promotion: Sendable {
        public enum Readiness: String, Sendable, CaseIterable {
            case ready
            case nextCycle = "next-cycle"
            case notYet = "not-yet"
        }
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
    /// review.md's `summary:`: the outcome explained in a few sentences with citations,
    /// which the record and the packet lead with.
    public var summary: Located<String>? = nil
    /// response.md's `position:`: whether the person agrees with their record.
    public var position: Located<ResponsePosition>? = nil
    /// appeal.md's front matter: where the appeal went and how it was answered.
    public var appeal: Appeal? = nil
}

/// What a person says of their decision record in response.md.
public enum ResponsePosition: String, Sendable, CaseIterable { case agree, disagree }

/// An appeal of a review's outcome (appeal.md): to whom it went, when, and the answer.
/// Kept as data rather than prose so that an unanswered or unfounded answer is a finding.
public struct Appeal: Sendable {
    /// Who hears the appeal: the person's skip-level manager or anyone with role hr.
    public enum Route: String, Sendable, CaseIterable {
        case skipLevel = "skip-level"
        case hr
    }

    public enum Outcome: String, Sendable, CaseIterable { case upheld, changed }

    public struct Answer: Sendable {
        public var by: Located<String>?
        public var date: Located<Day>?
        public var outcome: Located<Outcome>?
        public var rationale: Located<String>?
        public var evidence: [Located<String>]
        /// The `answer` key, for findings about the answer as a whole.
        public var location: SourceLocation
    }

    public var to: Located<Route>?
    public var opened: Located<Day>?
    public var answer: Answer?
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
    /// The person's response to their record and their appeal (SPEC §9).
    public var response: ReviewDocument?
    public var appeal: ReviewDocument?
    /// Items of every file in the folder, in file order; ids are shared across the folder.
    public var items: [EvidenceItem] = []
    /// Every file of the folder that Evident read.
    public var files: [String] = []

    public init(cycleFolder: String, personFolder: String) {
        self.cycleFolder = cycleFolder
        self.personFolder = personFolder
    }

    /// Places a review document of this folder: its items after those of earlier files,
    /// and the document in the slot of its kind.
    mutating func add(_ review: ReviewDocument, path: String) {
        items += review.items
        switch review.kind {
        case .evidence: evidenceFile = path
        case .selfReview: selfReview = review
        case .peerFeedback: peerFeedback.append(review)
        case .review: self.review = review
        case .response: response = review
        case .appeal: appeal = review
        default: break
        }
    }

    /// Documents whose prose counts as citing evidence.
    public var writtenDocuments: [ReviewDocument] {
        [selfReview, review].compactMap { $0 } + peerFeedback
    }

    /// The person's own answers to the outcome: their prose cites evidence like a
    /// review's, but it is not review text (no rubric, no language policing).
    public var voiceDocuments: [ReviewDocument] {
        [response, appeal].compactMap { $0 }
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
