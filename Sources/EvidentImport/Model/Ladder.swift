/// A career ladder as read from a foreign format, before it becomes Evident level guides.
///
/// Every importer parses into this one model and one writer turns it into level guides,
/// so a new format needs only a parser, and the rules about aspects, balance and
/// inheritance live in one place.
public struct Ladder: Sendable, Equatable {
    public var tracks: [Track]
    /// What the parser had to guess or could not carry over, in reading order.
    public var report: ImportReport

    public init(tracks: [Track] = [], report: ImportReport = ImportReport()) {
        self.tracks = tracks
        self.report = report
    }

    /// Every topic of every track, once, in first-seen order: what `--aspect` must map.
    public var topicIDs: [String] {
        var seen: Set<String> = []
        var ordered: [String] = []
        for track in tracks {
            for topic in track.topics where seen.insert(topic.id).inserted { ordered.append(topic.id) }
        }
        return ordered
    }
}

/// One progression track (backend, mobile, engineering manager…).
public struct Track: Sendable, Equatable {
    public var id: String
    public var title: String
    /// Where it came from, for the report and the guide's body.
    public var source: String
    /// Lowest first.
    public var levels: [LadderLevel]
    public var topics: [Topic]
    /// Whether each level builds on the one below (Monzo's levels do: "level 4 includes
    /// everything of level 3"); a table ladder states every level in full.
    public var cumulative: Bool

    public init(
        id: String, title: String, source: String, levels: [LadderLevel], topics: [Topic], cumulative: Bool
    ) {
        self.id = id
        self.title = title
        self.source = source
        self.levels = levels
        self.topics = topics
        self.cumulative = cumulative
    }
}

/// One rung of a track.
public struct LadderLevel: Sendable, Equatable {
    /// The level guide's id (`backend-3`).
    public var id: String
    public var title: String
    /// Position on the ladder, 1-based; equal grades across tracks are equivalent.
    public var grade: Int?

    public init(id: String, title: String, grade: Int?) {
        self.id = id
        self.title = title
        self.grade = grade
    }
}

/// A competency of a track (Monzo calls them topics; tables call them rows).
public struct Topic: Sendable, Equatable {
    public var id: String
    public var name: String
    /// The aspect the source stated, if any (a CSV column); nil means `--aspect` must say.
    public var statedAspect: String?
    /// Required only of people with this specialism (Monzo's "Mastery (Data Science)").
    public var specialism: String?
    /// Criteria per level id.
    public var criteria: [String: LevelCriteria]

    public init(
        id: String, name: String, statedAspect: String? = nil, specialism: String? = nil,
        criteria: [String: LevelCriteria] = [:]
    ) {
        self.id = id
        self.name = name
        self.statedAspect = statedAspect
        self.specialism = specialism
        self.criteria = criteria
    }
}

/// What a topic asks at one level, the source's text untouched.
public struct LevelCriteria: Sendable, Equatable {
    /// Requirements.
    public var expectations: [String]
    /// Illustrations, not requirements (Monzo's `exampleCriteria`).
    public var examples: [String]

    public init(expectations: [String] = [], examples: [String] = []) {
        self.expectations = expectations
        self.examples = examples
    }

    public var isEmpty: Bool { expectations.isEmpty && examples.isEmpty }
}
