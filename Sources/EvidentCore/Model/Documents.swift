/// An item of evidence: a dated, linked, observable fact about someone's work.
public struct EvidenceItem: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case pullRequest = "pull-request"
        case incident
        case designDoc = "design-doc"
        case metric, feedback, other
    }
    /// The fields, in one shared box: an item is held by its file's document and again by
    /// its person's folder (and by the indexes rules build), and inline it is some 270 bytes.
    private final class Storage: Sendable {
        let fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }

    struct Fields: Sendable {
        var file: String
        var id: Located<String>
        var date: Located<Day>?
        var type: Kind?
        var link: Located<String>?
        var summary: String
        var dimensions: [Located<String>]
        var values: [Located<String>]
        var metric: Located<String>?
    }

    private var storage: Storage

    init(
        file: String, id: Located<String>, date: Located<Day>?, type: Kind?, link: Located<String>?, summary: String,
        dimensions: [Located<String>], values: [Located<String>], metric: Located<String>?
    ) {
        storage = Storage(
            Fields(
                file: file, id: id, date: date, type: type, link: link, summary: summary, dimensions: dimensions,
                values: values, metric: metric))
    }

    /// Replaces the box with a changed copy of its fields.
    private mutating func change(_ edit: (inout Fields) -> Void) {
        var fields = storage.fields
        edit(&fields)
        storage = Storage(fields)
    }

    /// The file that declares the item.
    public var file: String {
        _read { yield storage.fields.file }
        set { change { $0.file = newValue } }
    }
    public var id: Located<String> {
        _read { yield storage.fields.id }
        set { change { $0.id = newValue } }
    }
    public var date: Located<Day>? {
        _read { yield storage.fields.date }
        set { change { $0.date = newValue } }
    }
    public var type: Kind? {
        _read { yield storage.fields.type }
        set { change { $0.type = newValue } }
    }
    public var link: Located<String>? {
        _read { yield storage.fields.link }
        set { change { $0.link = newValue } }
    }
    public var summary: String {
        _read { yield storage.fields.summary }
        set { change { $0.summary = newValue } }
    }
    public var dimensions: [Located<String>] {
        _read { yield storage.fields.dimensions }
        set { change { $0.dimensions = newValue } }
    }
    public var values: [Located<String>] {
        _read { yield storage.fields.values }
        set { change { $0.values = newValue } }
    }
    public var metric: Located<String>? {
        _read { yield storage.fields.metric }
        set { change { $0.metric = newValue } }
    }
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

    /// The fields, in one shared box. A document is held by its file and again by its
    /// person's folder; inline, its thirty-odd located values (some 1.1 KB) were copied
    /// into both, a third of a check's memory. Read accessors borrow from the box, and a
    /// change (only while decoding) replaces it.
    private final class Storage: Sendable {
        let fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }

    struct Fields: Sendable {
        var kind: DocumentKind
        var file: String
        var person: Located<String>?
        var cycle: Located<String>?
        var author: Located<String>?
        var level: Located<String>?
        var rating: Located<String>?
        var promotion: Box<Promotion>?
        var calibration: Box<Calibration>?
        var items: [EvidenceItem]
        var body: MarkdownBody
        var headerLocation: SourceLocation
        var summary: Located<String>?
        var position: Located<ResponsePosition>?
        var appeal: Box<Appeal>?
    }

    private var storage: Storage

    init(
        kind: DocumentKind, file: String, person: Located<String>?, cycle: Located<String>?,
        author: Located<String>?, level: Located<String>?, rating: Located<String>?, promotion: Promotion?,
        calibration: Calibration?, items: [EvidenceItem], body: MarkdownBody, headerLocation: SourceLocation,
        summary: Located<String>? = nil, position: Located<ResponsePosition>? = nil, appeal: Appeal? = nil
    ) {
        storage = Storage(
            Fields(
                kind: kind, file: file, person: person, cycle: cycle, author: author, level: level, rating: rating,
                promotion: promotion.map(Box.init), calibration: calibration.map(Box.init), items: items, body: body,
                headerLocation: headerLocation, summary: summary, position: position, appeal: appeal.map(Box.init)))
    }

    /// Replaces the box with a changed copy of its fields.
    private mutating func change(_ edit: (inout Fields) -> Void) {
        var fields = storage.fields
        edit(&fields)
        storage = Storage(fields)
    }

    public var kind: DocumentKind {
        _read { yield storage.fields.kind }
        set { change { $0.kind = newValue } }
    }
    public var file: String {
        _read { yield storage.fields.file }
        set { change { $0.file = newValue } }
    }
    public var person: Located<String>? {
        _read { yield storage.fields.person }
        set { change { $0.person = newValue } }
    }
    public var cycle: Located<String>? {
        _read { yield storage.fields.cycle }
        set { change { $0.cycle = newValue } }
    }
    /// `author` of peer feedback, `reviewer` of a review.
    public var author: Located<String>? {
        _read { yield storage.fields.author }
        set { change { $0.author = newValue } }
    }
    public var level: Located<String>? {
        _read { yield storage.fields.level }
        set { change { $0.level = newValue } }
    }
    public var rating: Located<String>? {
        _read { yield storage.fields.rating }
        set { change { $0.rating = newValue } }
    }
    public var promotion: Promotion? {
        get { storage.fields.promotion?.value }
        set { change { $0.promotion = newValue.map(Box.init) } }
    }
    public var calibration: Calibration? {
        get { storage.fields.calibration?.value }
        set { change { $0.calibration = newValue.map(Box.init) } }
    }
    public var items: [EvidenceItem] {
        _read { yield storage.fields.items }
        set { change { $0.items = newValue } }
    }
    public var body: MarkdownBody {
        _read { yield storage.fields.body }
        set { change { $0.body = newValue } }
    }
    /// Where the front matter starts, for diagnostics about the document as a whole.
    public var headerLocation: SourceLocation {
        _read { yield storage.fields.headerLocation }
        set { change { $0.headerLocation = newValue } }
    }
    /// review.md's `summary:`: the outcome explained in a few sentences with citations,
    /// which the record and the packet lead with.
    public var summary: Located<String>? {
        _read { yield storage.fields.summary }
        set { change { $0.summary = newValue } }
    }
    /// response.md's `position:`: whether the person agrees with their record.
    public var position: Located<ResponsePosition>? {
        _read { yield storage.fields.position }
        set { change { $0.position = newValue } }
    }
    /// appeal.md's front matter: where the appeal went and how it was answered.
    public var appeal: Appeal? {
        get { storage.fields.appeal?.value }
        set { change { $0.appeal = newValue.map(Box.init) } }
    }
}

/// A value kept behind a reference: for the parts of a document most documents lack, so
/// their room is not reserved in every one.
final class Box<Value: Sendable>: Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
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
        // The first file's items are adopted, not copied: most folders have one list.
        if items.isEmpty { items = review.items } else { items += review.items }
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
    /// One array, sized at once: a dozen rules ask for it for every folder, and building it
    /// with `compactMap` and `+` took three allocations.
    public var writtenDocuments: [ReviewDocument] {
        var documents: [ReviewDocument] = []
        documents.reserveCapacity(2 + peerFeedback.count)
        if let selfReview { documents.append(selfReview) }
        if let review { documents.append(review) }
        documents.append(contentsOf: peerFeedback)
        return documents
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
