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

    /// Classifies a repository-relative path, or returns nil for files Evident ignores.
    public static func classify(_ path: String) -> DocumentKind? {
        // Asked for every listed file, more than once: an ASCII path is classified on its
        // bytes (where its only multi-byte Character, "\r\n", changes no answer), as
        // splitting it into Substrings and comparing them to literals cost more than
        // reading and parsing many a file.
        if let decided = path.utf8.withContiguousStorageIfAvailable(classifyASCII), let decided { return decided }
        return classifyCharacters(path)
    }

    /// `classify` on an ASCII path's bytes; nil (undecided) for any other path.
    static func classifyASCII(_ path: UnsafeBufferPointer<UInt8>) -> DocumentKind?? {
        var slashes = (0, 0, 0)
        var count = 0
        for (index, byte) in path.enumerated() {
            if byte >= 0x80 { return nil }
            guard byte == UInt8(ascii: "/") else { continue }
            switch count {
            case 0: slashes.0 = index
            case 1: slashes.1 = index
            case 2: slashes.2 = index
            default: return .some(nil)  // five parts or more
            }
            count += 1
        }
        func part(_ start: Int, _ end: Int) -> UnsafeBufferPointer<UInt8> {
            UnsafeBufferPointer(rebasing: path[start..<end])
        }
        func equals(_ bytes: UnsafeBufferPointer<UInt8>, _ text: StaticString) -> Bool {
            bytes.count == text.utf8CodeUnitCount
                && bytes.elementsEqual(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
        }
        func hasSuffix(_ bytes: UnsafeBufferPointer<UInt8>, _ text: StaticString) -> Bool {
            bytes.count >= text.utf8CodeUnitCount
                && equals(UnsafeBufferPointer(rebasing: bytes[(bytes.count - text.utf8CodeUnitCount)...]), text)
        }
        switch count {
        case 0:
            let whole = part(0, path.count)
            if equals(whole, "evident.yaml") { return .policy }
            if equals(whole, "people.yaml") { return .people }
            if equals(whole, "values.md") { return .values }
            if equals(whole, "metrics.yaml") { return .metrics }
            return .some(nil)
        case 1:
            let (folder, name) = (part(0, slashes.0), part(slashes.0 + 1, path.count))
            if equals(folder, "levels"), hasSuffix(name, ".md") { return .level }
            if equals(folder, "teams"), hasSuffix(name, ".yaml") || hasSuffix(name, ".yml") { return .team }
            return .some(nil)
        case 2:
            let isCycle = equals(part(0, slashes.0), "cycles") && equals(part(slashes.1 + 1, path.count), "cycle.yaml")
            return isCycle ? .cycle : .some(nil)
        default:
            guard equals(part(0, slashes.0), "cycles") else { return .some(nil) }
            let name = part(slashes.2 + 1, path.count)
            if equals(name, "evidence.md") { return .evidence }
            if equals(name, "self.md") { return .selfReview }
            if equals(name, "review.md") { return .review }
            if equals(name, "response.md") { return .response }
            if equals(name, "appeal.md") { return .appeal }
            let prefix = "peer-".utf8
            // More bytes than "peer-.md" is more Characters: "\r\n" cannot straddle the
            // prefix or the suffix.
            if name.starts(with: prefix), hasSuffix(name, ".md"), name.count > "peer-.md".utf8.count {
                return .peerFeedback
            }
            return .some(nil)
        }
    }

    /// `classify` by Characters: the reference, and the path for non-ASCII paths.
    static func classifyCharacters(_ path: String) -> DocumentKind? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
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
