/// The typed content of one file.
public enum DecodedDocument: Sendable {
    // The large payloads are boxed: every loaded file holds one of these, and inline the
    // enum is as large as a policy.
    indirect case policy(Policy)
    case people([Person])
    /// `values.md`: the values, and where its `values:` key is (for problems with the list as a whole).
    case values([CompanyValue], key: SourceLocation?)
    case metrics([Metric])
    indirect case level(Level)
    indirect case team(Team)
    indirect case cycle(Cycle)
    case review(ReviewDocument)
}

/// Decodes a parsed file into its typed model, following the field contract that
/// `schema/*.schema.json` states for editors and other tools.
struct DocumentDecoder {
    var reader: SchemaReader
    let path: String
    let kind: DocumentKind

    init(path: String, kind: DocumentKind, interner: Interner? = nil) {
        self.path = path
        self.kind = kind
        self.reader = SchemaReader(file: path)
        reader.interner = interner
    }

    /// Decodes `root` (front matter or YAML file) and, for Markdown kinds, `body`.
    mutating func decode(root: YAMLNode?, body: MarkdownBody?, headerLine: Int) -> DecodedDocument? {
        let empty = YAMLNode(.mapping([]), line: headerLine, column: 1)
        let node = root ?? empty
        switch kind {
        case .policy: return decodePolicy(node).map(DecodedDocument.policy)
        case .people: return .people(decodePeople(node))
        case .values:
            let (values, key) = decodeValues(node)
            return .values(values, key: key)
        case .metrics: return .metrics(decodeMetrics(node))
        case .level: return decodeLevel(node, body: body).map(DecodedDocument.level)
        case .team: return decodeTeam(node).map(DecodedDocument.team)
        case .cycle: return decodeCycle(node).map(DecodedDocument.cycle)
        case .evidence, .selfReview, .peerFeedback, .review, .response, .appeal:
            return decodeReview(node, body: body ?? MarkdownBody(), headerLine: headerLine).map(DecodedDocument.review)
        }
    }

    private mutating func checkKind(_ fields: Fields) {
        guard let expected = kind.frontMatterKind, let node = fields["kind"] else { return }
        guard let declared = reader.string(node, "kind") else { return }
        if declared.value != expected {
            reader.report(
                "this file's place in the repository makes it '\(public: expected)', but it declares kind '\(declared.value)'",
                at: node)
        }
    }

    // MARK: evident.yaml

    private mutating func decodePolicy(_ node: YAMLNode) -> Policy? {
        guard
            let fields = reader.fields(
                node, "evident.yaml", required: ["evident", "organization", "ratings"],
                optional: ["evidence", "reviews", "signoff", "privacy", "team_health", "language", "rules", "sealing"])
        else { return nil }
        var policy = Policy()
        policy.file = path
        if let version = fields["evident"], let number = reader.int(version, "evident"), number != 1 {
            reader.report("unsupported format version \(number); this evident reads version 1", at: version)
        }
        policy.organization = reader.string(fields["organization"], "organization")?.value ?? ""
        for item in reader.list(fields["ratings"], "ratings") {
            guard let rating = reader.fields(item, "a rating", required: ["id", "label"], optional: ["min_evidence"]),
                let id = reader.id(rating["id"], "id")
            else { continue }
            let label = reader.string(rating["label"], "label")?.value ?? id.value
            let minimum =
                reader.int(rating["min_evidence"], "min_evidence", range: 0...1000) ?? Policy.Rating.defaultMinEvidence
            policy.ratings.append(Policy.Rating(id: id, label: label, minEvidence: minimum))
        }
        if let evidence = reader.fields(
            fields["evidence"], "the evidence policy", required: [],
            optional: ["allowed_links", "min_per_dimension", "recency"])
        {
            policy.allowedLinks = reader.strings(evidence["allowed_links"], "allowed_links").map(\.value)
            policy.minPerDimension =
                reader.int(evidence["min_per_dimension"], "min_per_dimension", range: 0...100) ?? policy.minPerDimension
            if let recency = reader.fields(
                evidence["recency"], "the recency policy", required: [], optional: ["last_weeks", "max_share"])
            {
                policy.recencyLastWeeks =
                    reader.int(recency["last_weeks"], "last_weeks", range: 1...520) ?? policy.recencyLastWeeks
                policy.recencyMaxShare =
                    reader.double(recency["max_share"], "max_share", range: 0...1) ?? policy.recencyMaxShare
            }
        }
        if let reviews = reader.fields(
            fields["reviews"], "the reviews policy", required: [],
            optional: ["min_peer_feedback", "max_words", "appeal_days"])
        {
            policy.appealDays = reader.int(reviews["appeal_days"], "appeal_days", range: 1...3650) ?? policy.appealDays
            policy.minPeerFeedback =
                reader.int(reviews["min_peer_feedback"], "min_peer_feedback", range: 0...100) ?? policy.minPeerFeedback
            if let words = reader.fields(
                reviews["max_words"], "max_words", required: [], optional: ["self", "review", "peer", "summary"])
            {
                policy.maxWordsSelf = reader.int(words["self"], "self", range: 1...1_000_000) ?? policy.maxWordsSelf
                policy.maxWordsReview =
                    reader.int(words["review"], "review", range: 1...1_000_000) ?? policy.maxWordsReview
                policy.maxWordsPeer = reader.int(words["peer"], "peer", range: 1...1_000_000) ?? policy.maxWordsPeer
                policy.maxWordsSummary =
                    reader.int(words["summary"], "summary", range: 1...1_000_000) ?? policy.maxWordsSummary
            }
        }
        if let signoff = reader.fields(
            fields["signoff"], "the sign-off policy", required: [], optional: ["required", "require_signature"])
        {
            if signoff["required"] != nil {
                policy.requiredSignoffs = reader.list(signoff["required"], "required").compactMap {
                    reader.choice($0, "required", as: SignoffRole.self)?.value
                }
            }
            policy.requireSignature =
                reader.bool(signoff["require_signature"], "require_signature") ?? policy.requireSignature
        }
        if let privacy = reader.fields(
            fields["privacy"], "the privacy policy", required: [], optional: ["min_group_size"])
        {
            policy.minGroupSize =
                reader.int(privacy["min_group_size"], "min_group_size", range: 1...10_000) ?? policy.minGroupSize
        }
        if let health = reader.fields(
            fields["team_health"], "team_health", required: [], optional: ["max_span", "max_reviews_per_reviewer"])
        {
            policy.maxSpan = reader.int(health["max_span"], "max_span", range: 1...10_000) ?? policy.maxSpan
            policy.maxReviewsPerReviewer =
                reader.int(health["max_reviews_per_reviewer"], "max_reviews_per_reviewer", range: 1...10_000)
                ?? policy.maxReviewsPerReviewer
        }
        if let language = reader.fields(
            fields["language"], "the language policy", required: [], optional: ["vague", "allow"])
        {
            policy.vaguePhrases = reader.strings(language["vague"], "vague").map(\.value)
            policy.allowedPhrases = reader.strings(language["allow"], "allow").map(\.value)
        }
        if let sealing = reader.fields(
            fields["sealing"], "the sealing policy", required: [], optional: ["enabled", "readers"])
        {
            policy.sealing = decodeSealing(sealing)
        }
        if let rules = fields["rules"] {
            if case .mapping(let pairs) = rules.value {
                for pair in pairs {
                    guard let ruleID = reader.string(pair.key, "rules") else { continue }
                    switch pair.value.scalar {
                    case "error": policy.ruleSettings.append(.init(ruleID: ruleID, severity: .error))
                    case "warning": policy.ruleSettings.append(.init(ruleID: ruleID, severity: .warning))
                    case "off": policy.ruleSettings.append(.init(ruleID: ruleID, severity: nil))
                    default:
                        reader.report("a rule's setting must be error, warning or off", at: pair.value)
                    }
                }
            } else if !rules.isNull {
                reader.report("'rules' must be a mapping of rule ids to error, warning or off", at: rules)
            }
        }
        return policy
    }

    /// `sealing:`; reader terms are keywords, person ids or roles (ids either way).
    private mutating func decodeSealing(_ fields: Fields) -> SealingPolicy {
        var sealing = SealingPolicy()
        sealing.enabled = reader.bool(fields["enabled"], "enabled") ?? sealing.enabled
        let kinds = SealingPolicy.FileKind.allCases.map(\.rawValue)
        if let readers = reader.fields(fields["readers"], "the readers of sealed files", required: [], optional: kinds)
        {
            for kind in SealingPolicy.FileKind.allCases {
                guard let node = readers[kind.rawValue] else { continue }
                sealing.readers[kind] = reader.ids(node, kind.rawValue).map {
                    Located(SealingPolicy.Term($0.value), at: $0.location)
                }
            }
        }
        return sealing
    }

    // MARK: people.yaml, values.md, metrics.yaml

    private mutating func decodePeople(_ node: YAMLNode) -> [Person] {
        guard let fields = reader.fields(node, "people.yaml", required: ["people"], optional: []) else { return [] }
        return reader.list(fields["people"], "people").compactMap { entry in
            guard
                let person = reader.fields(
                    entry, "a person", required: ["id", "name", "email", "level", "team"],
                    optional: ["manager", "roles", "signing_key", "specialism"]),
                let id = reader.id(person["id"], "id"),
                let level = reader.id(person["level"], "level"),
                let team = reader.id(person["team"], "team")
            else { return nil }
            return Person(
                id: id, name: reader.string(person["name"], "name")?.value ?? id.value,
                email: reader.string(person["email"], "email")?.value ?? "", level: level, team: team,
                manager: person["manager"].flatMap { $0.isNull ? nil : reader.id($0, "manager") },
                roles: reader.strings(person["roles"], "roles").map(\.value),
                signingKey: person["signing_key"].flatMap { reader.string($0, "signing_key")?.value },
                specialism: person["specialism"].flatMap { $0.isNull ? nil : reader.id($0, "specialism") })
        }
    }

    private mutating func decodeValues(_ node: YAMLNode) -> ([CompanyValue], key: SourceLocation?) {
        guard let fields = reader.fields(node, "values.md", required: ["kind", "values"], optional: []) else {
            return ([], nil)
        }
        checkKind(fields)
        let key = fields.keys["values"].map { reader.location($0) }
        let values = reader.list(fields["values"], "values").compactMap { entry -> CompanyValue? in
            guard let value = reader.fields(entry, "a value", required: ["id", "name", "behaviors"], optional: []),
                let id = reader.id(value["id"], "id")
            else { return nil }
            let behaviors = reader.strings(value["behaviors"], "behaviors").map(\.value)
            if behaviors.isEmpty, let node = value["behaviors"] {
                reader.report("a value needs at least one observable behaviour", at: node)
            }
            return CompanyValue(
                id: id, name: reader.string(value["name"], "name")?.value ?? id.value, behaviors: behaviors)
        }
        return (values, key)
    }

    private mutating func decodeMetrics(_ node: YAMLNode) -> [Metric] {
        guard let fields = reader.fields(node, "metrics.yaml", required: ["metrics"], optional: []) else { return [] }
        return reader.list(fields["metrics"], "metrics").compactMap { entry in
            guard
                let metric = reader.fields(
                    entry, "a metric", required: ["id", "name", "definition", "indicator", "gaming_risks"],
                    optional: ["source"]),
                let id = reader.id(metric["id"], "id"),
                let indicator = reader.choice(metric["indicator"], "indicator", as: Metric.Indicator.self)
            else { return nil }
            let gamingRisks = reader.strings(metric["gaming_risks"], "gaming_risks").map(\.value)
            if gamingRisks.isEmpty, let written = metric["gaming_risks"], written.isEmptyList {
                // A metric is evidence, not truth: whoever adds one says how it can be gamed.
                reader.report(
                    "metric '\(id.value)' lists no gaming_risks: name at least one way it can move without the outcome improving",
                    at: written)
            }
            return Metric(
                id: id, name: reader.string(metric["name"], "name")?.value ?? id.value,
                definition: reader.string(metric["definition"], "definition")?.value ?? "",
                indicator: indicator.value, source: metric["source"].flatMap { reader.string($0, "source")?.value },
                gamingRisks: gamingRisks)
        }
    }

    // MARK: levels, teams, cycles

    private mutating func decodeLevel(_ node: YAMLNode, body: MarkdownBody?) -> Level? {
        guard
            let fields = reader.fields(
                node, "a level guide", required: ["kind", "id", "title", "balance"],
                optional: ["track", "next", "dimensions", "grade", "includes"])
        else { return nil }
        checkKind(fields)
        guard let id = reader.id(fields["id"], "id") else { return nil }
        var what = 0
        var how = 0
        var balanceLocation = reader.location(fields.keys["balance"] ?? node)
        if let balance = reader.fields(fields["balance"], "balance", required: ["what", "how"], optional: []) {
            what = reader.int(balance["what"], "what", range: 0...100) ?? 0
            how = reader.int(balance["how"], "how", range: 0...100) ?? 0
            balanceLocation = reader.location(fields.keys["balance"] ?? balance.node)
        }
        let includes = fields["includes"].flatMap { reader.id($0, "includes") }
        let dimensionNodes = reader.list(fields["dimensions"], "dimensions")
        let dimensions: [Dimension] = dimensionNodes.compactMap { entry in
            guard
                let dimension = reader.fields(
                    entry, "a dimension", required: ["id", "name", "aspect", "expectations"],
                    optional: ["examples", "specialism"]),
                let dimensionID = reader.id(dimension["id"], "id"),
                let aspect = reader.choice(dimension["aspect"], "aspect", as: Aspect.self)
            else { return nil }
            let expectations = reader.strings(dimension["expectations"], "expectations").map(\.value)
            if expectations.isEmpty, let written = dimension["expectations"], written.isEmptyList {
                // The criteria are what a section is judged against: a dimension without
                // any would pass every review.
                reader.report(
                    "dimension '\(dimensionID.value)' lists no expectations: write at least one observable behaviour it is judged against",
                    at: written)
            }
            return Dimension(
                id: dimensionID, name: reader.string(dimension["name"], "name")?.value ?? dimensionID.value,
                aspect: aspect.value, expectations: expectations,
                examples: reader.strings(dimension["examples"], "examples").map(\.value),
                specialism: dimension["specialism"].flatMap { $0.isNull ? nil : reader.id($0, "specialism") })
        }
        if dimensionNodes.isEmpty, includes == nil {
            // A level that includes another inherits its dimensions; any other needs its own.
            reader.report(
                "a level guide needs at least one dimension (or includes: a level whose dimensions it inherits)",
                at: fields["dimensions"] ?? node)
        }
        var grade: Located<Int>?
        if let written = fields["grade"] {
            grade = reader.int(written, "grade", range: 0...1000).map { Located($0, at: reader.location(written)) }
        }
        return Level(
            file: path, id: id, track: fields["track"].flatMap { reader.string($0, "track")?.value },
            title: reader.string(fields["title"], "title")?.value ?? id.value,
            next: fields["next"].flatMap { reader.id($0, "next") }, grade: grade, includes: includes,
            includeCycle: nil, balanceWhat: what, balanceHow: how,
            balanceLocation: balanceLocation, dimensions: dimensions, body: body)
    }

    private mutating func decodeTeam(_ node: YAMLNode) -> Team? {
        guard
            let fields = reader.fields(
                node, "a team", required: ["id", "name"], optional: ["attrition_risk", "engagement", "on_call"]),
            let id = reader.id(fields["id"], "id")
        else { return nil }
        let engagement: [Team.Engagement] = reader.list(fields["engagement"], "engagement").compactMap { entry in
            guard let point = reader.fields(entry, "an engagement score", required: ["date", "score"], optional: []),
                let date = reader.day(point["date"], "date"),
                let score = reader.double(point["score"], "score", range: 0...100)
            else { return nil }
            return Team.Engagement(date: date.value, score: score)
        }
        var onCallPeople: Int?
        var pages: Double?
        if let onCall = reader.fields(
            fields["on_call"], "on_call", required: [], optional: ["people", "pages_per_week"])
        {
            onCallPeople = reader.int(onCall["people"], "people", range: 0...1_000_000)
            pages = reader.double(onCall["pages_per_week"], "pages_per_week", range: 0...1_000_000)
        }
        return Team(
            file: path, id: id, name: reader.string(fields["name"], "name")?.value ?? id.value,
            attritionRisk: reader.choice(fields["attrition_risk"], "attrition_risk", as: Team.Risk.self)?.value,
            engagement: engagement, onCallPeople: onCallPeople, pagesPerWeek: pages)
    }

    private mutating func decodeCycle(_ node: YAMLNode) -> Cycle? {
        guard
            let fields = reader.fields(
                node, "a cycle", required: ["id", "period", "phase"],
                optional: ["freeze", "calibration_groups", "deadlines", "participants", "exclude"]),
            let id = reader.id(fields["id"], "id")
        else { return nil }
        guard let period = reader.fields(fields["period"], "period", required: ["start", "end"], optional: []),
            let start = reader.day(period["start"], "start"), let end = reader.day(period["end"], "end"),
            let phase = reader.choice(fields["phase"], "phase", as: Cycle.Phase.self)
        else { return nil }
        if end.value < start.value {
            reader.report("the period ends (\(end.value)) before it starts (\(start.value))", at: period["end"] ?? node)
        }
        let groups: [Cycle.CalibrationGroup] = reader.list(fields["calibration_groups"], "calibration_groups")
            .compactMap {
                guard
                    let group = reader.fields(
                        $0, "a calibration group", required: ["id", "calibrators", "teams"], optional: []),
                    let groupID = reader.id(group["id"], "id")
                else { return nil }
                return Cycle.CalibrationGroup(
                    id: groupID, calibrators: reader.ids(group["calibrators"], "calibrators"),
                    teams: reader.ids(group["teams"], "teams"))
            }
        let freeze = reader.day(fields["freeze"], "freeze")
        if let freeze, freeze.value > end.value || freeze.value < start.value {
            reader.report(
                "the freeze (\(freeze.value)) is outside the period (\(start.value) to \(end.value)): evidence after it would never be flagged",
                at: fields["freeze"] ?? node)
        }
        var deadlines = Cycle.Deadlines()
        if let written = reader.fields(
            fields["deadlines"], "deadlines", required: [], optional: Cycle.Deadline.allCases.map(\.rawValue))
        {
            for deadline in Cycle.Deadline.allCases {
                guard let day = reader.day(written[deadline.rawValue], deadline.rawValue) else { continue }
                if day.value < start.value {
                    reader.report(
                        "the \(deadline.rawValue) deadline (\(day.value)) is before the cycle starts (\(start.value))",
                        at: written[deadline.rawValue] ?? node)
                }
                deadlines.days[deadline] = day
            }
        }
        let folder = path.split(separator: "/").dropFirst().first.map(String.init) ?? id.value
        var cycle = Cycle(
            file: path, folder: folder, id: id, start: start.value, end: end.value,
            periodLocation: reader.location(fields.keys["period"] ?? node), phase: phase.value,
            freeze: freeze, groups: groups, deadlines: deadlines)
        if let participants = reader.fields(
            fields["participants"], "participants", required: [], optional: ["teams", "people"])
        {
            cycle.participants = Cycle.Participants(
                teams: reader.ids(participants["teams"], "teams"), people: reader.ids(participants["people"], "people"))
        }
        cycle.exclude = reader.ids(fields["exclude"], "exclude")
        return cycle
    }

    // MARK: evidence, self reviews, peer feedback, reviews

    private mutating func decodeReview(_ node: YAMLNode, body: MarkdownBody, headerLine: Int) -> ReviewDocument? {
        var required = ["kind", "person", "cycle"]
        var optional = ["items"]
        let what: String
        switch kind {
        case .evidence:
            required.append("items")
            optional = []
            what = "an evidence log"
        case .selfReview:
            what = "a self review"
        case .peerFeedback:
            required.append("author")
            what = "peer feedback"
        case .response:
            required.append("position")
            optional = []
            what = "a response"
        case .appeal:
            required += ["to", "opened"]
            optional = ["answer"]
            what = "an appeal"
        default:
            required += ["reviewer", "level", "rating"]
            optional += ["promotion", "calibration", "summary"]
            what = "a review"
        }
        guard let fields = reader.fields(node, what, required: required, optional: optional) else { return nil }
        checkKind(fields)
        // Read in this order (the order of the problems), then built once: a document's
        // fields live in a box that every change replaces.
        let person = reader.id(fields["person"], "person")
        let cycle = reader.id(fields["cycle"], "cycle")
        let author = reader.id(
            fields[kind == .review ? "reviewer" : "author"], kind == .review ? "reviewer" : "author")
        let level = reader.id(fields["level"], "level")
        let rating = reader.id(fields["rating"], "rating")
        let items = reader.list(fields["items"], "items").compactMap { decodeItem($0) }
        var summary: Located<String>?
        if kind == .review {
            summary = fields["summary"].flatMap { $0.isNull ? nil : reader.string($0, "summary") }
        }
        var position: Located<ResponsePosition>?
        if kind == .response {
            position = reader.choice(fields["position"], "position", as: ResponsePosition.self)
        }
        var appeal: Appeal?
        if kind == .appeal {
            appeal = decodeAppeal(fields)
        }
        var promotion: ReviewDocument.Promotion?
        if let promotionFields = reader.fields(
            fields["promotion"], "promotion", required: ["readiness"], optional: ["target"])
        {
            promotion = ReviewDocument.Promotion(
                readiness: reader.choice(
                    promotionFields["readiness"], "readiness", as: ReviewDocument.Promotion.Readiness.self),
                target: promotionFields["target"].flatMap { reader.id($0, "target") })
        }
        var calibration: ReviewDocument.Calibration?
        if let calibrationFields = reader.fields(
            fields["calibration"], "calibration", required: ["rating"], optional: ["rationale", "evidence"])
        {
            let rationale = calibrationFields["rationale"].flatMap {
                $0.isNull ? nil : reader.string($0, "rationale")
            }
            calibration = ReviewDocument.Calibration(
                rating: reader.id(calibrationFields["rating"], "rating"), rationale: rationale,
                evidence: reader.ids(calibrationFields["evidence"], "evidence"),
                location: reader.location(fields.keys["calibration"] ?? calibrationFields.node))
        }
        let document = ReviewDocument(
            kind: kind, file: path, person: person, cycle: cycle, author: author, level: level, rating: rating,
            promotion: promotion, calibration: calibration, items: items, body: body,
            headerLocation: SourceLocation(file: path, line: headerLine, column: 1), summary: summary,
            position: position, appeal: appeal)
        return document
    }

    /// appeal.md's `to`, `opened` and `answer` (left out until the appeal is heard).
    private mutating func decodeAppeal(_ fields: Fields) -> Appeal {
        var appeal = Appeal(
            to: reader.choice(fields["to"], "to", as: Appeal.Route.self),
            opened: reader.day(fields["opened"], "opened"),
            answer: nil)
        if let node = fields["answer"],
            let answer = reader.fields(
                node, "an appeal's answer", required: ["by", "date", "outcome", "rationale"], optional: ["evidence"])
        {
            appeal.answer = Appeal.Answer(
                by: reader.id(answer["by"], "by"), date: reader.day(answer["date"], "date"),
                outcome: reader.choice(answer["outcome"], "outcome", as: Appeal.Outcome.self),
                rationale: answer["rationale"].flatMap { $0.isNull ? nil : reader.string($0, "rationale") },
                evidence: reader.ids(answer["evidence"], "evidence"),
                location: reader.location(fields.keys["answer"] ?? node))
        }
        return appeal
    }

    private mutating func decodeItem(_ node: YAMLNode) -> EvidenceItem? {
        guard
            let fields = reader.fields(
                node, "an evidence item", required: ["id", "date", "type", "summary", "dimensions"],
                optional: ["link", "values", "metric"]),
            let id = reader.id(fields["id"], "id")
        else { return nil }
        return EvidenceItem(
            file: path, id: id, date: reader.day(fields["date"], "date"),
            type: reader.choice(fields["type"], "type", as: EvidenceItem.Kind.self)?.value,
            link: fields["link"].flatMap { $0.isNull ? nil : reader.string($0, "link") },
            summary: reader.string(fields["summary"], "summary")?.value ?? "",
            dimensions: reader.ids(fields["dimensions"], "dimensions"), values: reader.ids(fields["values"], "values"),
            metric: fields["metric"].flatMap { $0.isNull ? nil : reader.id($0, "metric") })
    }
}
