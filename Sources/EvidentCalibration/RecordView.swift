import EvidentCore

/// A decision record as the words it shows, built once and read by both renderers: what
/// each part says, and whether it is good news or a problem, is decided here, so the
/// Markdown and HTML records cannot say different things; only markup and escaping differ.
struct RecordView {
    /// How a sentence reads at a glance: the HTML record colours it, Markdown shows it plain.
    typealias Tone = PacketPeopleRow.Tone

    /// An evidence item on one line: its title links to the item when it has a link.
    struct EvidenceLine {
        var date: String?
        var title: String
        var link: String?
        var id: String
        var dimensions: [String]

        init(_ item: DecisionRecord.Evidence) {
            date = item.date
            title = item.summary.isEmpty ? item.id : item.summary
            link = item.link
            id = item.id
            dimensions = item.dimensions
        }
    }

    /// A decision with its reason: calibration's change, or an appeal's answer.
    struct Reasoned {
        var reason: String
        var evidence: [EvidenceLine]
        /// Cited ids that are not in the person's evidence.
        var unknownEvidence: [String]

        init(rationale: String?, evidence: [DecisionRecord.Evidence], unknown: [String]) {
            reason = rationale ?? "no reason was written"
            self.evidence = evidence.map(EvidenceLine.init)
            unknownEvidence = unknown
        }
    }

    struct Response {
        var sentence: String
        var tone: Tone
        var sections: [DecisionRecord.ReviewSection]
    }

    struct Appeal {
        var sentence: String
        var sections: [DecisionRecord.ReviewSection]
        var answer: String
        var answerTone: Tone
        var answered: Reasoned?
    }

    /// One aspect's expectations; `title` is "What (outcomes)" or "How (behaviour)".
    struct Aspect {
        var title: String
        /// The aspect's percentage of the level's balance.
        var share: Int?
        var dimensions: [DecisionRecord.DimensionExpectations]
    }

    struct SignoffRow {
        var role: String
        var signer: String
        var date: String
        var rating: String
        var status: String
        var statusTone: Tone
        var reason: String
    }

    enum Signoffs {
        case unavailable(reason: String)
        case read(rows: [SignoffRow], missing: [String])
    }

    var title: String
    var meta: String
    var draft: String?
    var summary: [String]
    var outcome: String
    /// "Proposed by Dana: meets", when the review names its reviewer.
    var proposedBy: (reviewer: String, rating: String)?
    var calibrated: String?
    var promotion: String
    /// Calibration's change and its reason, or the sentence saying there is none.
    var calibration: (sentence: String, reasoned: Reasoned?)
    var dissents: [String]
    var response: Response?
    var appeal: Appeal?
    var reviewSections: [DecisionRecord.ReviewSection]
    var hasLevelGuide: Bool
    var aspects: [Aspect]
    var evidence: [EvidenceLine]
    var signoffs: Signoffs
    var growthPlans: [DecisionRecord.GrowthPlan]

    init(_ record: DecisionRecord) {
        title = RecordRenderer.title(record)
        meta = "Level \(RecordRenderer.levelText(record)) · cycle \(record.cycle), \(record.period)"
        if !record.organization.isEmpty { meta = "\(record.organization) · " + meta }
        draft = record.isDraft ? RecordRenderer.draftSentence(record) : nil
        summary = record.summary
        outcome = RecordRenderer.outcomeSentence(record)
        proposedBy = record.outcome.reviewerName.map { ($0, record.outcome.proposed ?? "no rating") }
        calibrated = record.outcome.calibrated
        promotion = RecordRenderer.promotionText(record.outcome)
        if let change = record.calibration {
            calibration = (
                RecordRenderer.calibrationSentence(change),
                Reasoned(rationale: change.rationale, evidence: change.evidence, unknown: change.unknownEvidence)
            )
        } else {
            calibration = (RecordRenderer.noCalibrationSentence(record), nil)
        }
        dissents = record.dissents.map(RecordRenderer.dissentSentence)
        response = record.response.map {
            Response(
                sentence: RecordRenderer.responseSentence($0), tone: $0.position == "disagree" ? .warning : .ok,
                sections: $0.sections)
        }
        appeal = record.appeal.map { appeal in
            Appeal(
                sentence: RecordRenderer.appealSentence(appeal), sections: appeal.sections,
                answer: RecordRenderer.answerSentence(appeal),
                answerTone: appeal.answer == nil ? (appeal.overdue ? .error : .warning) : .ok,
                answered: appeal.answer.map {
                    Reasoned(rationale: $0.rationale, evidence: $0.evidence, unknown: $0.unknownEvidence)
                })
        }
        reviewSections = record.reviewSections
        hasLevelGuide = !record.dimensions.isEmpty
        aspects = [EvidentCore.Aspect.what, .how].map { aspect in
            Aspect(
                title: aspect == .what ? "What (outcomes)" : "How (behaviour)",
                share: record.balance.map { aspect == .what ? $0.what : $0.how },
                dimensions: record.dimensions.filter { $0.aspect == aspect })
        }
        evidence = record.evidence.map(EvidenceLine.init)
        switch record.signoffs {
        case .unavailable(let reason):
            signoffs = .unavailable(reason: reason)
        case .read(let entries, let missing):
            signoffs = .read(
                rows: entries.map { entry in
                    let tone: Tone
                    switch entry.status {
                    case .valid, .dissent: tone = .ok
                    case .stale, .superseded, .withdrawn, .voided, .void: tone = .warning
                    case .unauthorized, .signature: tone = .error
                    }
                    return SignoffRow(
                        role: entry.role, signer: entry.signerName, date: entry.date, rating: entry.rating ?? "–",
                        status: entry.status.rawValue, statusTone: tone, reason: entry.reason)
                }, missing: missing)
        }
        growthPlans = record.growthPlans
    }
}
