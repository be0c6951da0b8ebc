import EvidentCore

/// One open document seen against the organisation loaded around it: whose folder it is
/// in, which level that person is judged against, and which evidence they have.
public struct DocumentScope: Sendable {
    public let organisation: Organisation
    /// Repository-relative path.
    public let path: String
    public let kind: DocumentKind?
    public let personCycle: PersonCycle?
    public let personID: String?
    public let level: Level?

    public init(organisation: Organisation, path: String) {
        self.organisation = organisation
        self.path = path
        self.kind = DocumentKind.classify(path)
        let folder = PersonFolder.of(path)
        let personCycle = folder.flatMap { organisation.personCycle(folder: $0) }
        self.personCycle = personCycle
        let personID = folder.map { String($0.split(separator: "/").last ?? "") }
        self.personID = personID
        // The review's `level:` when it names a guide, else the person's level; a folder
        // whose files are all broken still gets the person's level from people.yaml.
        if let personCycle, let level = organisation.level(for: personCycle) {
            self.level = level
        } else {
            self.level = personID.flatMap { organisation.person($0) }.flatMap { organisation.level($0.level.value) }
        }
    }

    /// Evidence items of the person's cycle folder, first declaration of an id only.
    public var items: [EvidenceItem] {
        var seen = Set<String>()
        return (personCycle?.items ?? []).filter { seen.insert($0.id.value).inserted }
    }

    public var isWrittenReview: Bool {
        kind == .review || kind == .selfReview || kind == .peerFeedback
    }
}

/// What a front matter field refers to, by its key. The same table drives completion
/// (which ids to offer) and hover (what to say about the id under the cursor).
public enum FieldTarget: Equatable, Sendable {
    case person, level, cycle, value, metric, dimension, rating, item, team
    /// A specialism some level guide's dimensions name (`specialism:` in people.yaml).
    case specialism
    /// A closed set of words (an enum of the schema).
    case choices([String])

    public static func forKey(_ key: String, in kind: DocumentKind?) -> FieldTarget? {
        switch key {
        case "person", "reviewer", "author", "manager", "calibrators", "by", "exclude": return .person
        // `participants: { people: [...] }` in cycle.yaml.
        case "people": return kind == .cycle ? .person : nil
        case "position": return .choices(ResponsePosition.allCases.map(\.rawValue))
        case "to": return kind == .appeal ? .choices(Appeal.Route.allCases.map(\.rawValue)) : nil
        case "outcome": return .choices(Appeal.Outcome.allCases.map(\.rawValue))
        case "level", "target", "next", "includes": return .level
        case "cycle": return .cycle
        case "values": return kind == .values ? nil : .value
        case "metric": return .metric
        case "specialism": return kind == .people ? .specialism : nil
        case "dimensions": return kind == .level ? nil : .dimension
        case "rating": return .rating
        // `calibration: evidence: [...]` in a review names evidence items.
        case "evidence": return kind == .policy ? nil : .item
        case "team", "teams": return .team
        case "type": return .choices(EvidenceItem.Kind.allCases.map(\.rawValue))
        case "readiness": return .choices(ReviewDocument.Promotion.Readiness.allCases.map(\.rawValue))
        case "aspect": return .choices(Aspect.allCases.map(\.rawValue))
        case "phase": return .choices(Cycle.Phase.allCases.map(\.rawValue))
        case "attrition_risk": return .choices(Team.Risk.allCases.map(\.rawValue))
        case "indicator": return .choices(Metric.Indicator.allCases.map(\.rawValue))
        case "kind": return kind?.frontMatterKind.map { .choices([$0]) }
        default: return nil
        }
    }
}
