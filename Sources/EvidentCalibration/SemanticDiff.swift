import EvidentCore

/// One meaningful change between two revisions of a review repository: what a
/// calibrator needs to see in a pull request, rather than a text diff of YAML.
public struct SemanticChange: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case proposalSet = "proposal-set"
        case proposalChanged = "proposal-changed"
        case proposalRemoved = "proposal-removed"
        case calibrationSet = "calibration-set"
        case calibrationChanged = "calibration-changed"
        case calibrationRemoved = "calibration-removed"
        /// The calibrated rating stayed, but now differs from a changed proposal.
        case calibrationDiffers = "calibration-differs"
        /// The calibrated rating stayed, its rationale or cited evidence changed.
        case calibrationReasonChanged = "calibration-reason-changed"
        case evidenceAdded = "evidence-added"
        case evidenceRemoved = "evidence-removed"
        case evidenceAfterFreeze = "evidence-after-freeze"
        case promotionChanged = "promotion-changed"

        /// Whether the change decides or justifies a rating (and so must be cited).
        public var isRatingChange: Bool {
            switch self {
            case .proposalSet, .proposalChanged, .proposalRemoved, .calibrationSet, .calibrationChanged,
                .calibrationRemoved, .calibrationDiffers, .calibrationReasonChanged:
                return true
            case .evidenceAdded, .evidenceRemoved, .evidenceAfterFreeze, .promotionChanged:
                return false
            }
        }
    }

    /// Whether a rating change carries its reason.
    public struct Citation: Sendable, Encodable, Equatable {
        /// False when the change needs no citation (a calibration that confirms the proposal).
        public var required: Bool
        /// A calibration rationale, or (for a proposal) review text.
        public var hasRationale: Bool
        /// Cited item ids that exist in the person's folder.
        public var evidence: [String]
        /// Cited ids that name no item.
        public var unknownEvidence: [String]
        /// How many cited items the change needs.
        public var requiredEvidence: Int

        public var isCited: Bool { hasRationale && evidence.count >= requiredEvidence && unknownEvidence.isEmpty }

        /// What is missing, for messages.
        public var missing: [String] {
            var missing: [String] = []
            if !hasRationale { missing.append("no rationale") }
            if evidence.count < requiredEvidence {
                missing.append(
                    evidence.isEmpty
                        ? "no cited evidence"
                        : "\(evidence.count) cited \(evidence.count == 1 ? "item" : "items"), \(requiredEvidence) needed"
                )
            }
            if !unknownEvidence.isEmpty {
                missing.append("cites unknown items: \(unknownEvidence.joined(separator: ", "))")
            }
            return missing
        }
    }

    /// Who made the change: the author of the newest commit in the range that touched the file.
    public struct Author: Sendable, Encodable, Equatable {
        public var name: String
        public var email: String
        public var commit: String
        /// The author date, `YYYY-MM-DD` in UTC.
        public var date: String
    }

    public var kind: Kind
    public var person: String
    public var cycle: String
    /// The file the change is in, relative to the review repository.
    public var file: String
    /// Values before and after: ratings, readiness, an item's date.
    public var before: String?
    public var after: String?
    /// The proposal at head, for calibration changes.
    public var proposal: String?
    /// The item concerned, for evidence changes.
    public var item: String?
    /// A one-line description.
    public var summary: String
    public var citation: Citation?
    public var author: Author?

    /// A rating change whose reason is missing: the thing calibration must not merge.
    public var isUncitedRatingChange: Bool {
        kind.isRatingChange && citation.map { $0.required && !$0.isCited } == true
    }

    /// Evidence dated after the cycle's freeze.
    public var isLateEvidence: Bool { kind == .evidenceAfterFreeze }
}

public enum SemanticDiff {
    /// The changes from `base` to `head`, person folder by folder, in a stable order.
    /// - Parameter cycle: limit to one cycle (its id or folder name); nil for all.
    public static func compare(base: Organisation, head: Organisation, cycle: String? = nil) -> [SemanticChange] {
        let cycleFolder = cycle.map { head.cycle($0)?.folder ?? base.cycle($0)?.folder ?? $0 }
        var folders: [String] = []
        var seen: Set<String> = []
        for personCycle in head.personCycles + base.personCycles where seen.insert(personCycle.folder).inserted {
            if let cycleFolder, personCycle.cycleFolder != cycleFolder { continue }
            folders.append(personCycle.folder)
        }
        var changes: [SemanticChange] = []
        for folder in folders {
            changes += compareFolder(
                base: base.personCycle(folder: folder), head: head.personCycle(folder: folder), baseOrg: base,
                headOrg: head)
        }
        return changes
    }

    static func compareFolder(base: PersonCycle?, head: PersonCycle?, baseOrg: Organisation, headOrg: Organisation)
        -> [SemanticChange]
    {
        guard let any = head ?? base else { return [] }
        let person = any.personFolder
        let cycleID = (headOrg.cycle(any.cycleFolder) ?? baseOrg.cycle(any.cycleFolder))?.id.value ?? any.cycleFolder
        let policy = headOrg.policy ?? Policy()
        let reviewFile = head?.review?.file ?? base?.review?.file ?? any.folder + "/review.md"
        var changes: [SemanticChange] = []
        func change(_ kind: SemanticChange.Kind, file: String, summary: String) -> SemanticChange {
            SemanticChange(
                kind: kind, person: person, cycle: cycleID, file: file, before: nil, after: nil, proposal: nil,
                item: nil, summary: summary, citation: nil, author: nil)
        }

        let baseReview = base?.review
        let headReview = head?.review
        let headProposal = headReview?.proposedRating

        // The manager's proposal.
        let oldProposal = baseReview?.proposedRating
        if oldProposal != headProposal {
            var entry: SemanticChange
            if let newProposal = headProposal, let head {
                entry = change(
                    oldProposal == nil ? .proposalSet : .proposalChanged, file: reviewFile,
                    summary: oldProposal.map { "proposed rating changed from \($0) to \(newProposal)" }
                        ?? "proposed rating set to \(newProposal)")
                entry.citation = proposalCitation(head, rating: newProposal, policy: policy)
            } else {
                entry = change(
                    .proposalRemoved, file: reviewFile,
                    summary: "proposed rating \(oldProposal ?? "") removed")
            }
            entry.before = oldProposal
            entry.after = headProposal
            changes.append(entry)
        }

        // The calibrated rating.
        let oldCalibrated = baseReview?.calibratedRating
        let newCalibrated = headReview?.calibratedRating
        if let newCalibrated, let head, let headReview {
            let differs = newCalibrated != headProposal
            let citation = calibrationCitation(headReview, personCycle: head, required: differs)
            var kind: SemanticChange.Kind?
            var summary = ""
            let against =
                headProposal.map { differs ? ", differs from the proposal \($0)" : ", confirms the proposal" }
                ?? ", with no proposal"
            if oldCalibrated == nil {
                kind = .calibrationSet
                summary = "calibrated rating set to \(newCalibrated)\(against)"
            } else if let oldCalibrated, oldCalibrated != newCalibrated {
                kind = .calibrationChanged
                summary = "calibrated rating changed from \(oldCalibrated) to \(newCalibrated)\(against)"
            } else if differs && oldProposal != headProposal && oldCalibrated == oldProposal {
                kind = .calibrationDiffers
                summary =
                    "calibrated rating \(newCalibrated) now differs from the changed proposal \(headProposal ?? "(none)")"
            } else if reasonChanged(baseReview, headReview) {
                kind = .calibrationReasonChanged
                summary = "rationale or cited evidence of the calibrated rating \(newCalibrated) changed"
            }
            if let kind {
                var entry = change(kind, file: reviewFile, summary: summary)
                entry.before = oldCalibrated
                entry.after = newCalibrated
                entry.proposal = headProposal
                entry.citation = citation
                changes.append(entry)
            }
        } else if let oldCalibrated {
            var entry = change(
                .calibrationRemoved, file: reviewFile,
                summary: "calibrated rating \(oldCalibrated) removed"
                    + (headProposal.map { "; the proposal \($0) stands" } ?? ""))
            entry.before = oldCalibrated
            entry.proposal = headProposal
            changes.append(entry)
        }

        // Evidence.
        let baseItems = firstItems(base)
        let headItems = firstItems(head)
        let freeze = headOrg.cycle(any.cycleFolder)?.freeze?.value
        for id in headItems.order {
            guard let item = headItems.first[id] else { continue }
            let previous = baseItems.first[id]
            if previous == nil {
                var entry = change(.evidenceAdded, file: item.file, summary: "evidence \(id) added: \(item.summary)")
                entry.item = id
                entry.after = item.date?.value.description
                changes.append(entry)
            }
            if let freeze, let date = item.date?.value, date > freeze, previous?.date?.value != date {
                var entry = change(
                    .evidenceAfterFreeze, file: item.file,
                    summary: "evidence \(id) is dated \(date), after the freeze on \(freeze)")
                entry.item = id
                entry.before = previous?.date?.value.description
                entry.after = date.description
                changes.append(entry)
            }
        }
        for id in baseItems.order where headItems.first[id] == nil {
            guard let item = baseItems.first[id] else { continue }
            var entry = change(.evidenceRemoved, file: item.file, summary: "evidence \(id) removed: \(item.summary)")
            entry.item = id
            entry.before = item.date?.value.description
            changes.append(entry)
        }

        // Promotion readiness.
        let oldPromotion = promotionText(baseReview)
        let newPromotion = promotionText(headReview)
        if oldPromotion != newPromotion {
            var entry = change(
                .promotionChanged, file: reviewFile,
                summary: "promotion readiness changed from \(oldPromotion ?? "none") to \(newPromotion ?? "none")")
            entry.before = oldPromotion
            entry.after = newPromotion
            changes.append(entry)
        }
        return changes
    }

    /// The first declaration of each item id, as `PersonCycle.evidenceItemsByID()` resolves them,
    /// with the order in which they were first declared.
    static func firstItems(_ personCycle: PersonCycle?) -> (first: [String: EvidenceItem], order: [String]) {
        var first: [String: EvidenceItem] = [:]
        var order: [String] = []
        for item in personCycle?.items ?? [] where first[item.id.value] == nil {
            first[item.id.value] = item
            order.append(item.id.value)
        }
        return (first, order)
    }

    static func promotionText(_ review: ReviewDocument?) -> String? {
        guard let readiness = review?.promotion?.readiness?.value.rawValue else { return nil }
        return review?.promotion?.target.map { "\(readiness) (target \($0.value))" } ?? readiness
    }

    static func reasonChanged(_ base: ReviewDocument?, _ head: ReviewDocument) -> Bool {
        nonEmpty(base?.calibration?.rationale?.value) != nonEmpty(head.calibration?.rationale?.value)
            || (base?.calibration?.evidence.map(\.value) ?? []) != (head.calibration?.evidence.map(\.value) ?? [])
    }

    /// A proposal is cited when the review has text and cites at least as many existing
    /// items as the rating's `min_evidence` (at least one).
    static func proposalCitation(_ personCycle: PersonCycle, rating: String, policy: Policy) -> SemanticChange.Citation
    {
        let items = Set(personCycle.items.map(\.id.value))
        var cited: [String] = []
        var unknown: [String] = []
        var seen: Set<String> = []
        let body = personCycle.review?.body
        // Citations in private sections count for nothing outside calibration.
        for citation in body?.publicCitations ?? [] where seen.insert(citation.id).inserted {
            if items.contains(citation.id) { cited.append(citation.id) } else { unknown.append(citation.id) }
        }
        let hasPublicText =
            body.map { body in
                body.blocks.contains { block in
                    !body.isPrivate(line: block.firstLine) && block.lines.contains { $0.contains(where: \.isLetter) }
                }
            } ?? false
        return SemanticChange.Citation(
            required: true, hasRationale: hasPublicText, evidence: cited, unknownEvidence: unknown,
            requiredEvidence: max(1, policy.rating(rating)?.minEvidence ?? 1))
    }

    /// A calibrated rating that differs from the proposal needs `calibration.rationale`
    /// and `calibration.evidence` naming existing items (principle 3).
    static func calibrationCitation(_ review: ReviewDocument, personCycle: PersonCycle, required: Bool)
        -> SemanticChange.Citation
    {
        let items = Set(personCycle.items.map(\.id.value))
        var cited: [String] = []
        var unknown: [String] = []
        for id in review.calibration?.evidence.map(\.value) ?? [] {
            if items.contains(id) { cited.append(id) } else { unknown.append(id) }
        }
        return SemanticChange.Citation(
            required: required, hasRationale: nonEmpty(review.calibration?.rationale?.value) != nil,
            evidence: cited, unknownEvidence: unknown, requiredEvidence: 1)
    }
}
