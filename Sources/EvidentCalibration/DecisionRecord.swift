import EvidentCore
import Foundation

/// The employee's decision record: the criteria they were judged against, the
/// evidence, the outcome, the reason for every calibration change, what the review says
/// (its public sections), the sign-off trail, and the growth plan kept apart from the
/// rating (principles 5 and 8). It says DRAFT until every required sign-off is valid.
///
/// It is built from an allow-list, never by filtering: only the fields below are
/// copied out of the repository, and review prose enters only through `ReviewProse`,
/// which drops private sections by the parser's one definition. Private sections,
/// diagnostics, distributions and anything about other people's reviews therefore
/// cannot reach it.
public struct DecisionRecord: Sendable {
    public struct DimensionExpectations: Sendable {
        public var id: String
        public var name: String
        public var aspect: Aspect
        public var expectations: [String]
        /// Illustrations from the level guide: shown as such, never as requirements.
        public var examples: [String] = []
    }

    public struct Evidence: Sendable {
        public var id: String
        public var date: String?
        public var type: String?
        public var summary: String
        public var link: String?
        /// Names of the level's dimensions the item supports.
        public var dimensions: [String]
    }

    public struct Outcome: Sendable {
        public var rating: String?
        public var ratingLabel: String?
        public var proposed: String?
        public var calibrated: String?
        public var reviewerName: String?
        public var promotionReadiness: String?
        public var promotionTarget: String?
    }

    /// What calibration did to the proposal, and why.
    public struct CalibrationChange: Sendable {
        public var from: String?
        public var to: String
        /// False when calibration confirmed the proposal.
        public var changed: Bool
        public var rationale: String?
        public var evidence: [Evidence]
        /// Cited ids that name no item (shown so the gap is visible to the person).
        public var unknownEvidence: [String]
    }

    public struct Signoff: Sendable {
        public enum Status: String, Sendable {
            case valid, dissent, stale, superseded, withdrawn, voided, void, unauthorized
            case signature = "signature-problem"
        }
        public var role: String
        public var signerName: String
        public var date: String
        public var file: String
        public var rating: String?
        public var commit: String
        public var status: Status
        public var reason: String
        /// `Evident-Reason` of a dissent, as the signer wrote it.
        public var dissentReason: String? = nil
    }

    public enum SignoffTrail: Sendable {
        /// Sign-offs could not be read (no git repository), with why.
        case unavailable(String)
        case read(entries: [Signoff], missingRoles: [String])
    }

    /// A public `##` section of the manager's review (a dimension, `## Values`), with
    /// its prose: what the review says, in the reviewer's words.
    public struct ReviewSection: Sendable {
        /// The heading's text; "Introduction" for text before the first heading.
        public var title: String
        public var paragraphs: [String]
    }

    public struct GrowthPlan: Sendable {
        /// "Manager's review" or "Self review".
        public var source: String
        public var paragraphs: [String]
    }

    /// The person's answer to the record (response.md): their position and their
    /// words, public sections only.
    public struct Response: Sendable {
        /// "agree" or "disagree".
        public var position: String?
        public var sections: [ReviewSection]
    }

    /// The person's appeal (appeal.md) and, once heard, its answer.
    public struct AppealEntry: Sendable {
        public struct Answer: Sendable {
            public var byName: String?
            public var date: String?
            /// "upheld" or "changed".
            public var outcome: String?
            public var rationale: String?
            public var evidence: [Evidence]
            public var unknownEvidence: [String]
        }
        /// "skip-level" or "hr".
        public var to: String?
        public var opened: String?
        public var sections: [ReviewSection]
        public var answer: Answer?
        /// Days the appeal has waited, when unanswered; `overdue` past `appeal_days`.
        public var waitingDays: Int?
        public var overdue: Bool
    }

    /// A signer who signed the review while disagreeing with it, and why.
    public struct Dissent: Sendable {
        public var role: String
        public var signerName: String
        public var date: String
        public var reason: String
    }

    public var organization: String
    public var person: String
    public var name: String
    public var cycle: String
    public var period: String
    public var level: String?
    public var levelTitle: String?
    /// The level's `grade:`, which says which levels of other tracks are equivalent.
    public var levelGrade: Int? = nil
    public var balance: (what: Int, how: Int)?
    public var dimensions: [DimensionExpectations]
    public var hasReview: Bool
    public var evidence: [Evidence]
    public var outcome: Outcome
    public var calibration: CalibrationChange?
    public var signoffs: SignoffTrail
    public var growthPlans: [GrowthPlan]
    /// review.md's `summary:`, as paragraphs with citations made readable; the record
    /// leads with it (SPEC §9).
    public var summary: [String] = []
    /// The review's public sections other than the growth plan, in file order.
    public var reviewSections: [ReviewSection] = []
    public var response: Response? = nil
    public var appeal: AppealEntry? = nil
    /// Why the cycle does not review this person (`exclude:`, `participants:`), when it
    /// does not and no review was written anyway: the record then says so, not DRAFT.
    public var notUnderReview: String? = nil

    /// Valid sign-offs that dissent, read from the trail: the record shows them by the
    /// outcome, not only in the sign-off table.
    public var dissents: [Dissent] {
        guard case .read(let entries, _) = signoffs else { return [] }
        return entries.filter { $0.status == .dissent }.map {
            Dissent(role: $0.role, signerName: $0.signerName, date: $0.date, reason: $0.dissentReason ?? $0.reason)
        }
    }

    /// Why the record is not final yet; empty once every required sign-off of the
    /// review is valid (SPEC: the record says DRAFT until then).
    public var draftReasons: [String] {
        guard hasReview else { return notUnderReview == nil ? ["no review has been written"] : [] }
        switch signoffs {
        case .unavailable: return ["sign-offs could not be read"]
        case .read(_, let missing):
            return missing.isEmpty ? [] : ["still needs a valid sign-off by: " + missing.joined(separator: ", ")]
        }
    }
    public var isDraft: Bool { !draftReasons.isEmpty }
}

public enum DecisionRecordBuilder {
    /// Builds the record of `person` in `cycle`.
    /// - Parameters:
    ///   - source: where the repository's files are read (for growth plan text).
    ///   - signoffs: sign-off commits of the person's files (`SignoffHistory.ledger`),
    ///     or nil when they cannot be read; `signoffsUnavailableReason` then says why.
    public static func build(
        organisation: Organisation, person personID: String, cycle cycleID: String, source: any RepositorySource,
        signoffs: SignoffLedger?, signoffsUnavailableReason: String = "the review repository is not in git",
        today: Day = Day.today()
    ) throws -> DecisionRecord {
        let cycle = try organisation.requireCycle(cycleID)
        guard let person = organisation.person(personID) else {
            throw CalibrationError("unknown person '\(SafeText.line(personID))'; people are listed in people.yaml")
        }
        let policy = organisation.policy ?? Policy()
        let scale = RatingScale(policy: policy)
        let personCycle = organisation.personCycle(folder: "cycles/\(cycle.folder)/\(person.id.value)")
        let level = personCycle.flatMap { organisation.level(for: $0) } ?? organisation.level(person.level.value)
        let review = personCycle?.review

        let dimensionNames = Dictionary(
            (level?.dimensions ?? []).map { ($0.id.value, $0.name) }, uniquingKeysWith: { first, _ in first })
        var evidence: [DecisionRecord.Evidence] = []
        var evidenceByID: [String: DecisionRecord.Evidence] = [:]
        var seen: Set<String> = []
        for item in personCycle?.items ?? [] where seen.insert(item.id.value).inserted {
            let entry = DecisionRecord.Evidence(
                id: item.id.value, date: item.date?.value.description, type: item.type?.rawValue,
                summary: item.summary, link: item.link?.value,
                dimensions: item.dimensions.map { dimensionNames[$0.value] ?? $0.value })
            evidence.append(entry)
            evidenceByID[entry.id] = entry
        }
        evidence.sort { ($0.date ?? "9999", $0.id) < ($1.date ?? "9999", $1.id) }

        let final = review?.finalRating
        let outcome = DecisionRecord.Outcome(
            rating: final, ratingLabel: final.map { scale.label(of: $0) }, proposed: review?.proposedRating,
            calibrated: review?.calibratedRating,
            reviewerName: review?.author.map { organisation.displayName(of: $0.value) },
            promotionReadiness: review?.promotion?.readiness?.value.rawValue,
            promotionTarget: review?.promotion?.target?.value)

        var calibration: DecisionRecord.CalibrationChange?
        if let review, let calibrated = review.calibratedRating {
            let cited = review.calibration?.evidence.map(\.value) ?? []
            calibration = DecisionRecord.CalibrationChange(
                from: review.proposedRating, to: calibrated, changed: calibrated != review.proposedRating,
                rationale: nonEmpty(review.calibration?.rationale?.value),
                evidence: cited.compactMap { evidenceByID[$0] },
                unknownEvidence: cited.filter { evidenceByID[$0] == nil })
        }

        var growthPlans: [DecisionRecord.GrowthPlan] = []
        for (label, document) in [("Manager's review", review), ("Self review", personCycle?.selfReview)] {
            guard let document else { continue }
            let paragraphs = ReviewProse.growthPlan(of: document, source: source)
            if !paragraphs.isEmpty { growthPlans.append(.init(source: label, paragraphs: paragraphs)) }
        }
        let reviewSections =
            review.map { review in
                ReviewProse.sections(of: review, source: source).filter { !ReviewProse.isGrowthPlan($0.title) }.map {
                    DecisionRecord.ReviewSection(
                        title: $0.title.isEmpty ? "Introduction" : $0.title, paragraphs: $0.paragraphs)
                }
            } ?? []

        let trail: DecisionRecord.SignoffTrail
        if let signoffs {
            let folder = "cycles/\(cycle.folder)/\(person.id.value)/"
            let mine = SignoffLedger(entries: signoffs.entries.filter { $0.file.hasPrefix(folder) })
            trail = evaluate(mine, person: person, organisation: organisation, policy: policy)
        } else {
            trail = .unavailable(signoffsUnavailableReason)
        }

        var record = DecisionRecord(
            organization: policy.organization, person: person.id.value,
            name: person.name.isEmpty ? person.id.value : person.name, cycle: cycle.id.value,
            period: "\(cycle.start) to \(cycle.end)", level: level?.id.value ?? person.level.value,
            levelTitle: level?.title, balance: level.map { ($0.balanceWhat, $0.balanceHow) },
            // The dimensions this person is judged on: a specialism's own only for them.
            dimensions: (level?.dimensions(forSpecialism: person.specialism?.value) ?? []).map {
                .init(
                    id: $0.id.value, name: $0.name, aspect: $0.aspect, expectations: $0.expectations,
                    examples: $0.examples)
            },
            hasReview: review != nil, evidence: evidence, outcome: outcome, calibration: calibration,
            signoffs: trail, growthPlans: growthPlans,
            summary: review?.summary.map { Prose.paragraphs(fromLines: $0.value.components(separatedBy: "\n")) } ?? [],
            reviewSections: reviewSections)
        record.levelGrade = level?.grade?.value
        if review == nil, !cycle.isUnderReview(person) {
            record.notUnderReview =
                cycle.exclude.contains { $0.value == person.id.value }
                ? "excluded in cycle.yaml" : "not among the cycle's participants"
        }
        if let response = personCycle?.response {
            record.response = .init(
                position: response.position?.value.rawValue, sections: VoiceProse.sections(of: response, source: source)
            )
        }
        if let document = personCycle?.appeal {
            record.appeal = VoiceProse.appeal(
                document, organisation: organisation, evidenceByID: evidenceByID, source: source,
                appealDays: policy.appealDays, today: today)
        }
        return record
    }

    /// Judges each sign-off with the rules' own assessment (`SignoffAssessment`), so
    /// the record, `evident status` and `evident check` never disagree about one.
    static func evaluate(_ ledger: SignoffLedger, person: Person, organisation: Organisation, policy: Policy)
        -> DecisionRecord.SignoffTrail
    {
        let judged = SignoffAssessment.assess(ledger, organisation: organisation)
        var rows: [DecisionRecord.Signoff] = []
        var validRoles: Set<String> = []
        for file in judged.keys.sorted() {
            for item in judged[file]?.signoffs ?? [] {
                let entry = item.entry
                let status: DecisionRecord.Signoff.Status
                var reason: String
                switch item.standing {
                case .unauthorized:
                    status = .unauthorized
                    reason = item.refusal ?? ""
                case .signatureProblem:
                    status = .signature
                    reason = item.signatureProblem ?? ""
                case .stale:
                    status = .stale
                    reason =
                        entry.currentBlob == nil ? "the file no longer exists" : "the file changed after this sign-off"
                case .superseded:
                    status = .superseded
                    reason =
                        "replaced by the same signer's newer sign-off"
                        + (item.supersededBy.map { " of \($0.date.prefix(10))" } ?? "")
                case .withdrawn:
                    status = .withdrawn
                    reason = "the signer no longer approves" + (entry.reason.map { ": \($0)" } ?? "")
                case .voided:
                    status = .voided
                    reason =
                        "voided by \(item.voidedBy?.signerName ?? "hr")"
                        + (item.voidedBy?.reason.map { ": \($0)" } ?? "")
                case .void:
                    status = .void
                    reason =
                        "cancels sign-off \((entry.voids ?? "").prefix(12))" + (entry.reason.map { ": \($0)" } ?? "")
                case .valid:
                    if entry.position == .dissent {
                        status = .dissent
                        reason = "signs the current content while disagreeing: \(entry.reason ?? "")"
                    } else {
                        status = .valid
                        reason = "approves the current content"
                    }
                    if file.hasSuffix("/review.md") { validRoles.insert(entry.role) }
                }
                // Without a required signature nothing proves who wrote a sign-off: say so,
                // and name the committer when it is someone else.
                if !item.isVerified && item.standing != .signatureProblem {
                    reason += " (unverified"
                    if entry.committedBySomeoneElse {
                        reason += "; committed by \(entry.committerName) <\(entry.committerEmail)>"
                    }
                    reason += ")"
                }
                rows.append(
                    .init(
                        role: entry.role, signerName: entry.signerName, date: String(entry.date.prefix(10)), file: file,
                        rating: entry.rating, commit: entry.commitID, status: status, reason: reason,
                        dissentReason: status == .dissent ? entry.reason : nil))
            }
        }
        let missing = policy.requiredSignoffs.map(\.rawValue).filter { !validRoles.contains($0) }
        return .read(entries: rows, missingRoles: missing)
    }
}

/// The prose of a document's public sections, read from the file itself. Lines of
/// private sections are dropped by the parser's one definition
/// (`MarkdownBody.privateLineRanges`), never by matching heading lines here.
enum ReviewProse {
    struct Section {
        /// The `##` heading's text; empty for text before the first `##` heading.
        var title: String
        var paragraphs: [String]
    }

    /// Every `##` section (and the text before the first) outside private sections, in
    /// file order, with its paragraphs; sections with no public text are left out.
    static func sections(of document: ReviewDocument, source: any RepositorySource) -> [Section] {
        guard let bytes = try? source.read(document.file), case .success(let text) = SourceText.decode(bytes) else {
            return []
        }
        let lines = LineTable(text)
        let body = document.body
        var result: [Section] = []
        for section in body.sections {
            if let heading = section.heading, body.isPrivate(line: heading.line) { continue }
            // The text before the first heading starts after the front matter.
            let first = section.heading == nil ? section.firstLine : section.firstLine + 1
            guard first <= section.lastLine else { continue }
            var kept: [String] = []
            for line in first...min(section.lastLine, lines.lines.count) {
                if body.isPrivate(line: line) {
                    kept.append("")
                    continue
                }
                kept.append(stripHeadingMarker(String(lines.line(line))))
            }
            let paragraphs = Prose.paragraphs(fromLines: kept)
            if !paragraphs.isEmpty { result.append(Section(title: section.title, paragraphs: paragraphs)) }
        }
        return result
    }

    /// The paragraphs of the document's `## Growth plan` section, private parts left out.
    static func growthPlan(of document: ReviewDocument, source: any RepositorySource) -> [String] {
        sections(of: document, source: source).first(where: { isGrowthPlan($0.title) })?.paragraphs ?? []
    }

    static func isGrowthPlan(_ title: String) -> Bool {
        title.trimmingCharacters(in: .whitespaces).lowercased() == "growth plan"
    }

    static func stripHeadingMarker(_ line: String) -> String {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("#") else { return line }
        return trimmed.drop(while: { $0 == "#" }).trimmingCharacters(in: .whitespaces)
    }
}

/// The person's own files, response.md and appeal.md, as the record and the packet show
/// them: public sections only, through `ReviewProse` and the parser's one definition of
/// private.
enum VoiceProse {
    static func sections(of document: ReviewDocument, source: any RepositorySource) -> [DecisionRecord.ReviewSection] {
        ReviewProse.sections(of: document, source: source).map {
            DecisionRecord.ReviewSection(title: $0.title, paragraphs: $0.paragraphs)
        }
    }

    static func appeal(
        _ document: ReviewDocument, organisation: Organisation, evidenceByID: [String: DecisionRecord.Evidence],
        source: (any RepositorySource)?, appealDays: Int, today: Day
    ) -> DecisionRecord.AppealEntry {
        let appeal = document.appeal
        var entry = DecisionRecord.AppealEntry(
            to: appeal?.to?.value.rawValue, opened: appeal?.opened?.value.description,
            sections: source.map { sections(of: document, source: $0) } ?? [], answer: nil, waitingDays: nil,
            overdue: false)
        if let answer = appeal?.answer {
            let cited = answer.evidence.map(\.value)
            entry.answer = .init(
                byName: answer.by.map { organisation.displayName(of: $0.value) }, date: answer.date?.value.description,
                outcome: answer.outcome?.value.rawValue,
                rationale: nonEmpty(answer.rationale?.value).map {
                    Prose.paragraphs(fromLines: $0.components(separatedBy: "\n")).joined(separator: " ")
                },
                evidence: cited.compactMap { evidenceByID[$0] },
                unknownEvidence: cited.filter { evidenceByID[$0] == nil })
        } else if let opened = appeal?.opened?.value {
            let waited = max(0, today.daysSinceEpoch - opened.daysSinceEpoch)
            entry.waitingDays = waited
            entry.overdue = waited > appealDays
        }
        return entry
    }
}
