import Foundation

/// `evident.yaml`: the organisation's policy. Every field has the spec's default so a
/// repository with a short policy file still checks. These are the only copies of the
/// defaults: the decoder starts from `Policy()` and keeps a value where a key is absent.
public struct Policy: Sendable {
    public struct Rating: Sendable {
        public var id: Located<String>
        public var label: String
        public var minEvidence: Int
        /// `min_evidence` when a rating leaves it out.
        public static let defaultMinEvidence = 0
    }

    public struct RuleSetting: Sendable {
        public var ruleID: Located<String>
        /// nil means `off`.
        public var severity: Severity?
    }

    public var file: String = "evident.yaml"
    public var organization: String = ""
    public var ratings: [Rating] = []
    public var allowedLinks: [String] = []
    public var minPerDimension: Int = 1
    public var recencyLastWeeks: Int = 6
    public var recencyMaxShare: Double = 0.6
    public var minPeerFeedback: Int = 2
    public var maxWordsSelf: Int = 600
    public var maxWordsReview: Int = 1200
    public var maxWordsPeer: Int = 300
    /// Word limit of review.md's `summary:` (SPEC §9).
    public var maxWordsSummary: Int = 300
    /// Days an appeal may wait for its answer (`reviews.appeal_days`, SPEC §9).
    public var appealDays: Int = 14
    public var requiredSignoffs: [SignoffRole] = [.manager, .skipLevel, .calibrator]
    public var requireSignature: Bool = false
    public var minGroupSize: Int = 4
    public var maxSpan: Int = 8
    public var maxReviewsPerReviewer: Int = 10
    public var vaguePhrases: [String] = []
    public var allowedPhrases: [String] = []
    public var ruleSettings: [RuleSetting] = []
    public var sealing = SealingPolicy()

    public init() {}

    public func rating(_ id: String) -> Rating? { ratings.first { $0.id.value == id } }
    /// Position of a rating in the scale, lowest first.
    public func rank(of id: String) -> Int? { ratings.firstIndex { $0.id.value == id } }
}

/// `sealing:` in evident.yaml: whether review files are encrypted, and who reads each
/// kind (SPEC §8). The defaults are the spec's, so `enabled: true` alone is a policy.
public struct SealingPolicy: Sendable {
    /// The kinds of sealed text: the four files of a person folder, and `## Private`
    /// sections (sealed again inside their file).
    public enum FileKind: String, Sendable, CaseIterable {
        case evidence
        case selfReview = "self"
        case peer, review
        case privateSection = "private"

        /// The kind's place in `allCases`, for tables with one slot per kind (found without
        /// searching, as tables of readers look it up once per file).
        public var position: Int {
            switch self {
            case .evidence: return 0
            case .selfReview: return 1
            case .peer: return 2
            case .review: return 3
            case .privateSection: return 4
            }
        }
    }

    /// One entry of a readers list.
    public enum Term: Sendable, Equatable {
        /// The person whose folder the file is in.
        case person
        /// The author of peer feedback (`peer-<author>.md`).
        case author
        case manager
        case skipLevel
        /// Every manager up to the top.
        case managerChain
        /// The calibrators of the cycle's calibration groups covering the person's team.
        case calibrators
        /// A person id, or else a role (people whose `roles` hold it).
        case named(String)

        public init(_ text: String) {
            switch text {
            case "person": self = .person
            case "author": self = .author
            case "manager": self = .manager
            case "skip-level": self = .skipLevel
            case "manager-chain": self = .managerChain
            case "calibrators": self = .calibrators
            default: self = .named(text)
            }
        }
    }

    /// Roles that read every sealed file, `## Private` included.
    public static let readAllRoles: Set<String> = ["hr", "ci"]

    public var enabled = false
    public var readers: [FileKind: [Located<Term>]] = [:]

    public init() {}

    /// The readers of `kind`: as configured, or the spec's default.
    public func terms(for kind: FileKind) -> [Term] {
        if let configured = readers[kind] { return configured.map(\.value) }
        switch kind {
        case .evidence, .selfReview: return [.person, .managerChain, .calibrators]
        case .peer: return [.author, .managerChain]
        case .review: return [.managerChain, .calibrators]
        case .privateSection: return [.managerChain]
        }
    }
}

/// An entry of `people.yaml`.
public struct Person: Sendable {
    public var id: Located<String>
    public var name: String
    public var email: String
    public var level: Located<String>
    public var team: Located<String>
    public var manager: Located<String>?
    public var roles: [String]
    public var signingKey: String?
    /// `specialism:`: which specialism-only dimensions of the level guide apply.
    public var specialism: Located<String>? = nil

    public init(
        id: Located<String>, name: String, email: String, level: Located<String>, team: Located<String>,
        manager: Located<String>?, roles: [String], signingKey: String?, specialism: Located<String>? = nil
    ) {
        self.id = id
        self.name = name
        self.email = email
        self.level = level
        self.team = team
        self.manager = manager
        self.roles = roles
        self.signingKey = signingKey
        self.specialism = specialism
    }
}

/// A value from `values.md`.
public struct CompanyValue: Sendable {
    public var id: Located<String>
    public var name: String
    public var behaviors: [String]
}

/// A metric from `metrics.yaml` (metrics governance: what it measures, how it is gamed).
public struct Metric: Sendable {
    public enum Indicator: String, Sendable, CaseIterable { case leading, lagging }
    public var id: Located<String>
    public var name: String
    public var definition: String
    public var indicator: Indicator
    public var source: String?
    public var gamingRisks: [String]
}

/// Whether a dimension measures outcomes ("what") or behaviour ("how").
public enum Aspect: String, Sendable, CaseIterable { case what, how }

/// A dimension of a level guide: one row of the rubric.
public struct Dimension: Sendable {
    public var id: Located<String>
    public var name: String
    public var aspect: Aspect
    public var expectations: [String]
    /// Illustrations of the expectations (`examples:`): shown to writers, never required.
    public var examples: [String] = []
    /// When set, the dimension is required only of people whose `specialism:` matches.
    public var specialism: Located<String>?
    /// The level this dimension came from through `includes:`, when it is inherited.
    public var inheritedFrom: String?

    public init(
        id: Located<String>, name: String, aspect: Aspect, expectations: [String], examples: [String] = [],
        specialism: Located<String>? = nil
    ) {
        self.id = id
        self.name = name
        self.aspect = aspect
        self.expectations = expectations
        self.examples = examples
        self.specialism = specialism
    }

    /// Whether a review of someone with `specialism` must cover this dimension.
    public func applies(toSpecialism specialism: String?) -> Bool {
        guard let required = self.specialism?.value else { return true }
        return required == specialism
    }

    /// True when a `##` heading names this dimension, by id or name, ignoring case.
    public func isNamed(by title: String) -> Bool {
        // Rules ask this for every section and dimension of every review: compare ASCII
        // bytes when all three texts are ASCII (then trimming concerns only space and
        // tab, and lowercasing only A-Z), and fall back to Unicode otherwise.
        if let answer = ASCIIScan.namesMatch(title: title, id: id.value, name: name) { return answer }
        let normalised = title.trimmingCharacters(in: .whitespaces).lowercased()
        if normalised == id.value.lowercased() || normalised == name.lowercased() { return true }
        // "💬 Communication and Teamwork" is named by "## Communication and Teamwork", and
        // the other way round: decoration around the words is not part of the name.
        let bare = Dimension.undecorated(normalised)
        return !bare.isEmpty && (bare == Dimension.undecorated(name.lowercased()) || bare == id.value.lowercased())
    }

    /// `text` without the emoji, symbols and punctuation that lead or trail its words.
    public static func undecorated(_ text: String) -> String {
        let scalars = text.unicodeScalars
        func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
            scalar.properties.isAlphabetic || scalar.properties.numericType != nil
        }
        guard let first = scalars.firstIndex(where: isWordScalar),
            let last = scalars.lastIndex(where: isWordScalar)
        else { return "" }
        return String(scalars[first...last])
    }
}

/// `levels/<id>.md`.
public struct Level: Sendable {
    public var file: String
    public var id: Located<String>
    public var track: String?
    public var title: String
    public var next: Located<String>?
    /// `grade:`: levels of equal grade across tracks are equivalent (D4 = TL4 = TPM4).
    public var grade: Located<Int>?
    /// `includes:`: the level whose dimensions and expectations this one inherits.
    public var includes: Located<String>?
    /// Set by resolution when `includes:` leads back to this level: the chain, in order.
    public var includeCycle: [String]?
    public var balanceWhat: Int
    public var balanceHow: Int
    public var balanceLocation: SourceLocation
    /// Every dimension the level judges: inherited ones first (`includes:`), then its
    /// own, a dimension written again here adding its expectations to the inherited one.
    public var dimensions: [Dimension]
    public var body: MarkdownBody?

    /// The dimensions a review of someone with `specialism` must cover.
    public func dimensions(forSpecialism specialism: String?) -> [Dimension] {
        dimensions.filter { $0.applies(toSpecialism: specialism) }
    }

    public func dimension(_ id: String) -> Dimension? { dimensions.first { $0.id.value == id } }
    public func dimension(namedBy title: String) -> Dimension? { dimensions.first { $0.isNamed(by: title) } }
}

/// `teams/<id>.yaml`.
public struct Team: Sendable {
    public enum Risk: String, Sendable, CaseIterable { case low, medium, high }
    public struct Engagement: Sendable {
        public var date: Day
        public var score: Double
    }
    public var file: String
    public var id: Located<String>
    public var name: String
    public var attritionRisk: Risk?
    public var engagement: [Engagement]
    public var onCallPeople: Int?
    public var pagesPerWeek: Double?
}

/// `cycles/<id>/cycle.yaml`.
public struct Cycle: Sendable {
    public enum Phase: String, Sendable, CaseIterable { case evidence, calibration, closed }
    public struct CalibrationGroup: Sendable {
        public var id: Located<String>
        public var calibrators: [Located<String>]
        public var teams: [Located<String>]
    }
    public var file: String
    /// The folder name under `cycles/`.
    public var folder: String
    public var id: Located<String>
    public var start: Day
    public var end: Day
    public var periodLocation: SourceLocation
    public var phase: Phase
    public var freeze: Located<Day>?
    public var groups: [CalibrationGroup]
    /// Who is reviewed in this cycle: `participants:` (teams and people), nil for
    /// everyone in people.yaml; `exclude:` takes people out either way.
    public var participants: Participants? = nil {
        didSet {
            participantTeams = Set(participants?.teams.map(\.value) ?? [])
            participantPeople = Set(participants?.people.map(\.value) ?? [])
        }
    }
    public var exclude: [Located<String>] = [] { didSet { excluded = Set(exclude.map(\.value)) } }
    // Sets of the lists above, kept by their `didSet`, so that asking about each of
    // 10,000 people stays linear (set them through `participants` and `exclude`).
    var participantTeams: Set<String> = []
    var participantPeople: Set<String> = []
    var excluded: Set<String> = []

    /// `participants:` in cycle.yaml: whole teams, and people named one by one.
    public struct Participants: Sendable {
        public var teams: [Located<String>]
        public var people: [Located<String>]
    }

    /// Whether `person` is reviewed in this cycle: not excluded, and a participant when
    /// the cycle lists participants. People who are not (a new joiner, someone on leave,
    /// the head of the organisation) are shown apart and owe no review.
    public func isUnderReview(_ person: Person) -> Bool {
        let id = person.id.value
        if excluded.contains(id) { return false }
        guard participants != nil else { return true }
        return participantPeople.contains(id) || participantTeams.contains(person.team.value)
    }

    /// When each kind of writing is due (`deadlines:`), for `status --missing` and
    /// `deadline-missed`.
    public var deadlines = Deadlines()

    /// The four things a cycle's calendar dates, in the order they fall due.
    public enum Deadline: String, Sendable, CaseIterable {
        case `self`, peer, review, calibration
    }

    public struct Deadlines: Sendable {
        public var days: [Deadline: Located<Day>] = [:]
        public init() {}
        public subscript(_ deadline: Deadline) -> Located<Day>? { days[deadline] }
    }
}
