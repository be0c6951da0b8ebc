import EvidentCore

/// What calibrators read before and during the meeting: every person of one calibration
/// group with their level, proposal, evidence per dimension and findings, then the
/// group's distributions (for information; no distribution is enforced).
///
/// A plain value built in one linear pass, so Markdown and HTML render the same facts.
/// Nothing from a `## Private` section is copied into it: the spec keeps private notes
/// out of every report, and a packet is a report that gets pasted into pull requests.
public struct CalibrationPacket: Sendable {
    public struct EvidenceEntry: Sendable {
        public var id: String
        public var date: String?
        public var type: String?
        public var summary: String
        public var link: String?
        /// Whether any review text or the calibration cites the item.
        public var cited: Bool
        /// The metric the item measures, from metrics.yaml: shown beside it so calibrators
        /// weigh a number as evidence, knowing how it can lie.
        public var metric: MetricNote? = nil
    }

    /// A metric as the packet shows it next to the evidence that uses it.
    public struct MetricNote: Sendable, Equatable {
        public var id: String
        public var name: String
        /// leading or lagging.
        public var indicator: String
        public var gamingRisks: [String]
    }

    public struct DimensionEvidence: Sendable {
        public var id: String
        public var name: String
        public var aspect: Aspect
        public var items: [EvidenceEntry]
    }

    public struct Finding: Sendable {
        public var file: String
        public var line: Int
        public var column: Int
        public var severity: Severity
        public var ruleID: String
        public var message: String
    }

    /// One sign-off as calibrators need to see it: who, in which role, what it counts
    /// for, and whether a signature proves who wrote it.
    public struct SignoffLine: Sendable {
        public var role: String
        public var signer: String
        public var date: String
        public var standing: SignoffStanding
        public var position: SignoffPosition
        /// The dissent's or withdrawal's reason, or why it does not count.
        public var note: String?
        public var verified: Bool
        /// The committer, when no signature proves the claim and it is someone else.
        public var committer: String?
    }

    /// Someone of the group's teams whom this cycle does not review, and why.
    public struct NotUnderReview: Sendable {
        public var id: String
        public var name: String
        public var teamName: String
        /// "excluded in cycle.yaml" or "not among the cycle's participants".
        public var reason: String
    }

    public struct Member: Sendable {
        public var id: String
        public var name: String
        public var team: String
        public var teamName: String
        public var level: String?
        public var levelTitle: String?
        /// The level's `grade:` (equal grades across tracks are equivalent).
        public var levelGrade: Int? = nil
        public var reviewer: String?
        public var reviewerName: String?
        /// Whether `cycles/<cycle>/<person>/` exists, and whether it holds review.md.
        public var hasFolder: Bool
        public var hasReview: Bool
        public var proposed: String?
        public var calibrated: String?
        /// review.md's `summary:`, which the member's entry leads with.
        public var summary: String?
        public var calibrationRationale: String?
        public var calibrationEvidence: [String]
        public var promotionReadiness: String?
        public var promotionTarget: String?
        public var hasSelfReview: Bool
        public var peerFeedbackCount: Int
        public var balance: (what: Int, how: Int)?
        public var what: [DimensionEvidence]
        public var how: [DimensionEvidence]
        /// Items tagged with no dimension of the person's level.
        public var untagged: [EvidenceEntry]
        public var findings: [Finding]
        /// response.md: "agree" or "disagree", and its public text in one paragraph.
        public var responsePosition: String? = nil
        public var responseText: String? = nil
        /// appeal.md and its answer, in the record's words.
        public var appeal: DecisionRecord.AppealEntry? = nil
        /// The review's sign-offs that still mean something (valid, dissenting, stale,
        /// superseded, withdrawn, voided, refused); empty when sign-offs were not read.
        public var signoffs: [SignoffLine] = []

        /// The outcome so far: calibrated when present, else proposed.
        public var current: String? { calibrated ?? proposed }
        /// Distinct items supporting the "what" and the "how" dimensions.
        public var whatCount: Int { Set(what.flatMap { $0.items.map(\.id) }).count }
        public var howCount: Int { Set(how.flatMap { $0.items.map(\.id) }).count }
        public var errorCount: Int { findings.filter { $0.severity == .error }.count }
        public var warningCount: Int { findings.filter { $0.severity == .warning }.count }
    }

    public var organization: String
    public var cycle: String
    public var phase: String
    public var freeze: String?
    public var group: String
    public var calibrators: [String]
    public var teams: [String]
    public var minGroupSize: Int
    public var minPeerFeedback: Int
    public var scale: RatingScale
    public var members: [Member]
    /// People of the group's teams whom the cycle does not review (`participants:`,
    /// `exclude:`): listed apart, never as missing reviews.
    public var notUnderReview: [NotUnderReview] = []
    /// Proposed ratings, by reviewer: how each manager's proposals compare.
    public var byReviewer: DistributionTable
    /// Current ratings, by team.
    public var byTeam: DistributionTable
    /// Team health of the group's teams, shown beside performance.
    public var health: TeamHealthReport
}

public enum PacketBuilder {
    /// The message that replaces a finding located inside a `## Private` section: the
    /// calibrator learns a finding exists and where, without the packet quoting it.
    public static let privateFindingMessage = "a finding inside a private section; open the file to read it"

    /// Builds the packet of `group` in `cycle`. `diagnostics` are the rule engine's
    /// findings for the whole organisation (run it once; they are indexed here).
    public static func build(
        organisation: Organisation, cycle cycleID: String, group groupID: String, diagnostics: [Diagnostic],
        signoffs: SignoffLedger? = nil, source: (any RepositorySource)? = nil, today: Day = Day.today()
    ) throws -> CalibrationPacket {
        let cycle = try organisation.requireCycle(cycleID)
        guard let group = cycle.groups.first(where: { $0.id.value == groupID }) else {
            let known = cycle.groups.map(\.id.value)
            throw CalibrationError(
                "unknown calibration group '\(SafeText.line(groupID))' in cycle \(cycle.id.value)"
                    + (known.isEmpty
                        ? "; the cycle defines no calibration_groups"
                        : "; known groups: \(known.joined(separator: ", "))"))
        }
        let policy = organisation.policy ?? Policy()
        let scale = RatingScale(policy: policy)
        let teamIDs = group.teams.map(\.value)
        let everyone = organisation.members(ofTeams: Set(teamIDs))
        let people = everyone.filter { cycle.isUnderReview($0) }
        let notUnderReview = everyone.filter { !cycle.isUnderReview($0) }.map { person in
            CalibrationPacket.NotUnderReview(
                id: person.id.value, name: person.name.isEmpty ? person.id.value : person.name,
                teamName: organisation.team(person.team.value)?.name ?? person.team.value,
                reason: cycle.exclude.contains { $0.value == person.id.value }
                    ? "excluded in cycle.yaml" : "not among the cycle's participants")
        }

        var findingsByFolder: [String: [Diagnostic]] = [:]
        for diagnostic in diagnostics {
            guard let folder = PersonFolder.of(diagnostic.location.file) else { continue }
            findingsByFolder[folder, default: []].append(diagnostic)
        }

        let judged = signoffs.map { SignoffAssessment.assess($0, organisation: organisation) } ?? [:]
        var members: [CalibrationPacket.Member] = []
        members.reserveCapacity(people.count)
        for person in people {
            let personCycle = organisation.personCycle(folder: "cycles/\(cycle.folder)/\(person.id.value)")
            var entry = member(
                person, personCycle: personCycle, organisation: organisation,
                findings: personCycle.map { findingsByFolder[$0.folder] ?? [] } ?? [])
            if let personCycle {
                addVoice(to: &entry, personCycle: personCycle, organisation: organisation, source: source, today: today)
            }
            if let file = personCycle?.review?.file, let review = judged[file] {
                entry.signoffs = signoffLines(review)
            }
            members.append(entry)
        }

        var byReviewerRows: [String: [String]] = [:]
        var reviewerOrder: [String] = []
        var byTeamRows: [String: [String]] = [:]
        for member in members {
            if let proposed = member.proposed {
                let key = member.reviewer ?? ""
                if byReviewerRows[key] == nil { reviewerOrder.append(key) }
                byReviewerRows[key, default: []].append(proposed)
            }
            if let current = member.current { byTeamRows[member.team, default: []].append(current) }
        }
        let byReviewer = DistributionTable.build(
            basis: "proposed ratings",
            rows: reviewerOrder.sorted().map { key in
                (key, key.isEmpty ? "(no reviewer)" : organisation.displayName(of: key), byReviewerRows[key] ?? [])
            },
            scale: scale, minimum: policy.minGroupSize)
        let byTeam = DistributionTable.build(
            basis: "current ratings, calibrated where present, else proposed",
            rows: teamIDs.filter { byTeamRows[$0] != nil }.map { team in
                (team, organisation.team(team)?.name ?? team, byTeamRows[team] ?? [])
            },
            scale: scale, minimum: policy.minGroupSize)

        return CalibrationPacket(
            organization: policy.organization, cycle: cycle.id.value, phase: cycle.phase.rawValue,
            freeze: cycle.freeze?.value.description, group: group.id.value,
            calibrators: group.calibrators.map { organisation.displayName(of: $0.value) },
            teams: teamIDs.map { organisation.team($0)?.name ?? $0 },
            minGroupSize: policy.minGroupSize, minPeerFeedback: policy.minPeerFeedback, scale: scale,
            members: members, notUnderReview: notUnderReview, byReviewer: byReviewer, byTeam: byTeam,
            health: TeamHealth.build(organisation: organisation, cycle: cycle, teams: Set(teamIDs)))
    }

    /// The person's response and appeal, public text only (read from `source`; without
    /// one, positions and answers are shown without the person's prose).
    static func addVoice(
        to member: inout CalibrationPacket.Member, personCycle: PersonCycle, organisation: Organisation,
        source: (any RepositorySource)?, today: Day
    ) {
        if let response = personCycle.response {
            member.responsePosition = response.position?.value.rawValue ?? "no position"
            if let source {
                member.responseText = nonEmpty(
                    VoiceProse.sections(of: response, source: source).flatMap(\.paragraphs).joined(separator: " "))
            }
        }
        if let appeal = personCycle.appeal {
            var evidence: [String: DecisionRecord.Evidence] = [:]
            for item in personCycle.items where evidence[item.id.value] == nil {
                evidence[item.id.value] = DecisionRecord.Evidence(
                    id: item.id.value, date: item.date?.value.description, type: item.type?.rawValue,
                    summary: item.summary, link: item.link?.value, dimensions: [])
            }
            member.appeal = VoiceProse.appeal(
                appeal, organisation: organisation, evidenceByID: evidence, source: source,
                appealDays: (organisation.policy ?? Policy()).appealDays, today: today)
        }
    }

    static func member(
        _ person: Person, personCycle: PersonCycle?, organisation: Organisation, findings: [Diagnostic]
    ) -> CalibrationPacket.Member {
        let review = personCycle?.review
        let level = personCycle.flatMap { organisation.level(for: $0) } ?? organisation.level(person.level.value)
        let reviewer = review?.author?.value
        var member = CalibrationPacket.Member(
            id: person.id.value, name: person.name.isEmpty ? person.id.value : person.name, team: person.team.value,
            teamName: organisation.team(person.team.value)?.name ?? person.team.value,
            level: level?.id.value ?? person.level.value, levelTitle: level?.title, reviewer: reviewer,
            reviewerName: reviewer.map { organisation.displayName(of: $0) }, hasFolder: personCycle != nil,
            hasReview: review != nil, proposed: review?.proposedRating, calibrated: review?.calibratedRating,
            summary: nonEmpty(review?.summary?.value).map {
                Prose.paragraphs(fromLines: $0.components(separatedBy: "\n")).joined(separator: " ")
            },
            calibrationRationale: nonEmpty(review?.calibration?.rationale?.value),
            calibrationEvidence: review?.calibration?.evidence.map(\.value) ?? [],
            promotionReadiness: review?.promotion?.readiness?.value.rawValue,
            promotionTarget: review?.promotion?.target?.value, hasSelfReview: personCycle?.selfReview != nil,
            peerFeedbackCount: personCycle?.peerFeedback.count ?? 0,
            balance: level.map { ($0.balanceWhat, $0.balanceHow) }, what: [], how: [], untagged: [], findings: [])

        if let personCycle {
            let evidence = EvidenceIndex(personCycle, organisation: organisation)
            var tagged: Set<String> = []
            for dimension in level?.dimensions ?? [] {
                let items = evidence.items(for: dimension.id.value)
                tagged.formUnion(items.map(\.id))
                let entry = CalibrationPacket.DimensionEvidence(
                    id: dimension.id.value, name: dimension.name, aspect: dimension.aspect, items: items)
                if dimension.aspect == .what { member.what.append(entry) } else { member.how.append(entry) }
            }
            member.untagged = evidence.entries.filter { !tagged.contains($0.id) }
            member.findings = packetFindings(findings, personCycle: personCycle)
        }
        member.levelGrade = level?.grade?.value
        return member
    }

    /// The sign-offs worth a calibrator's attention, in role order: every one that counts
    /// or claims to, and the superseded approvals of the current content; history that
    /// approves nothing any more is left out.
    static func signoffLines(_ review: ReviewSignoffs) -> [CalibrationPacket.SignoffLine] {
        let shown =
            review.valid + review.stale + review.superseded + review.withdrawn + review.voided
            + review.unauthorized + review.signatureProblems
        return shown.map { item in
            let entry = item.entry
            let note: String?
            switch item.standing {
            case .valid, .withdrawn: note = entry.reason
            case .unauthorized: note = item.refusal
            case .signatureProblem: note = item.signatureProblem
            case .voided: note = item.voidedBy?.reason.map { "voided: \($0)" } ?? "voided"
            case .superseded: note = "replaced by the signer's newer sign-off"
            case .stale: note = "approved an earlier version"
            case .void: note = entry.reason
            }
            return CalibrationPacket.SignoffLine(
                role: entry.role, signer: entry.signerName, date: String(entry.date.prefix(10)),
                standing: item.standing,
                position: entry.position, note: note, verified: item.isVerified,
                committer: !item.isVerified && entry.committedBySomeoneElse
                    ? "\(entry.committerName) <\(entry.committerEmail)>" : nil)
        }
    }

    /// Findings of a person's files, with messages of findings inside private sections
    /// replaced (a message may quote the text it is about).
    static func packetFindings(_ diagnostics: [Diagnostic], personCycle: PersonCycle) -> [CalibrationPacket.Finding] {
        var privateLines: [String: [ClosedRange<Int>]] = [:]
        for document in personCycle.writtenDocuments + personCycle.voiceDocuments {
            let ranges = document.privateLineRanges
            if !ranges.isEmpty { privateLines[document.file] = ranges }
        }
        return diagnostics.map { diagnostic in
            let isPrivate =
                privateLines[diagnostic.location.file]?.contains { $0.contains(diagnostic.location.line) } ?? false
            return CalibrationPacket.Finding(
                file: diagnostic.location.file, line: diagnostic.location.line, column: diagnostic.location.column,
                severity: diagnostic.severity, ruleID: diagnostic.ruleID,
                message: isPrivate ? privateFindingMessage : diagnostic.message)
        }
    }
}

/// A person's evidence items, deduplicated by id and indexed by dimension.
struct EvidenceIndex {
    /// Every distinct item of the folder, in file order.
    let entries: [CalibrationPacket.EvidenceEntry]
    private let byDimension: [String: [Int]]

    init(_ personCycle: PersonCycle, organisation: Organisation) {
        var cited: Set<String> = []
        for document in personCycle.writtenDocuments {
            // A citation in a private section does not make an item cited.
            cited.formUnion(document.body.publicCitations.map(\.id))
            cited.formUnion(document.calibration?.evidence.map(\.value) ?? [])
        }
        var seen: Set<String> = []
        var entries: [CalibrationPacket.EvidenceEntry] = []
        var byDimension: [String: [Int]] = [:]
        for item in personCycle.items where seen.insert(item.id.value).inserted {
            for dimension in Set(item.dimensions.map(\.value)) {
                byDimension[dimension, default: []].append(entries.count)
            }
            entries.append(
                CalibrationPacket.EvidenceEntry(
                    id: item.id.value, date: item.date?.value.description, type: item.type?.rawValue,
                    summary: item.summary, link: item.link?.value, cited: cited.contains(item.id.value),
                    metric: item.metric.flatMap { organisation.metric($0.value) }.map {
                        CalibrationPacket.MetricNote(
                            id: $0.id.value, name: $0.name, indicator: $0.indicator.rawValue,
                            gamingRisks: $0.gamingRisks)
                    }))
        }
        self.entries = entries
        self.byDimension = byDimension
    }

    func items(for dimension: String) -> [CalibrationPacket.EvidenceEntry] {
        (byDimension[dimension] ?? []).map { entries[$0] }
    }
}
