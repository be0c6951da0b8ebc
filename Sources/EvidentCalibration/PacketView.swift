/// The packet's people table as words and states, built once and formatted by both
/// renderers: what a cell says and whether it is a problem is decided here, so the
/// Markdown and HTML packets cannot drift apart; only emphasis and escaping differ.
struct PacketPeopleRow {
    /// How a cell reads at a glance: the HTML packet colours it, Markdown bolds `missing`
    /// in the input columns.
    enum Tone: String {
        case plain, ok, missing, warning, error
    }

    /// A rating as written, and whether the policy's scale knows it.
    struct Rating {
        var id: String?
        var onScale: Bool
    }

    var id: String
    var name: String
    var team: String
    var level: String
    var reviewer: String
    var proposed: Rating
    var calibrated: Rating
    var promotion: String
    var selfReview: (text: String, tone: Tone)
    var peers: (text: String, tone: Tone)
    var evidence: String
    var voice: (text: String, tone: Tone)
    var findings: (text: String, tone: Tone)

    init(_ member: CalibrationPacket.Member, _ packet: CalibrationPacket) {
        id = member.id
        name = member.name
        team = member.teamName
        level = member.level ?? "–"
        reviewer = member.reviewerName ?? "–"
        proposed = Rating(id: member.proposed, onScale: member.proposed.map(packet.scale.contains) ?? true)
        calibrated = Rating(id: member.calibrated, onScale: member.calibrated.map(packet.scale.contains) ?? true)
        promotion = PacketRenderer.promotion(member)
        selfReview = member.hasSelfReview ? ("present", .plain) : ("missing", .missing)
        peers = (
            PacketRenderer.peers(member, packet),
            member.peerFeedbackCount < packet.minPeerFeedback ? .missing : .plain
        )
        evidence = "\(member.whatCount) / \(member.howCount)"
        let voiceTone: Tone =
            member.appeal.map { $0.answer == nil ? ($0.overdue ? .error : .warning) : .plain }
            ?? (member.responsePosition == "disagree" ? .warning : .plain)
        voice = (PacketRenderer.voice(member), voiceTone)
        let findingTone: Tone =
            !member.hasFolder ? .missing : member.errorCount > 0 ? .error : member.warningCount > 0 ? .warning : .ok
        findings = (PacketRenderer.findingCount(member), findingTone)
    }
}

/// One person's card in the packet's details, as words and states built once for both
/// renderers, like `PacketPeopleRow`: the Markdown list and the HTML card show the same
/// facts, with bold text where the HTML card has a class.
struct PacketPersonView {
    typealias Tone = PacketPeopleRow.Tone

    /// An evidence item on one line.
    struct Item {
        var date: String?
        /// The summary, or the id when there is none; it links to the item's link.
        var title: String
        var link: String?
        var id: String
        var type: String?
        var uncited: Bool
        var metric: CalibrationPacket.MetricNote?

        init(_ item: CalibrationPacket.EvidenceEntry) {
            date = item.date
            title = item.summary.isEmpty ? item.id : item.summary
            link = item.link
            id = item.id
            type = item.type
            uncited = !item.cited
            metric = item.metric
        }
    }

    struct Dimension {
        var name: String
        /// "1 item", "3 items".
        var count: String
        var items: [Item]
    }

    /// "What" or "How", with its share of the level's balance.
    struct Aspect {
        var title: String
        var share: Int?
        var dimensions: [Dimension]
    }

    /// The ratings and their reason, for a person whose review exists.
    struct Review {
        var proposed: PacketPeopleRow.Rating
        var calibrated: PacketPeopleRow.Rating
        var rationale: String?
        var rationaleEvidence: [String]
        var promotion: String
    }

    struct Finding {
        /// `file:line:column`.
        var place: String
        var severity: String
        var tone: Tone
        var message: String
        var ruleID: String
    }

    var id: String
    var name: String
    /// The level with its title and grade: "L4 Senior engineer (grade 7)".
    var level: String
    var team: String
    var reviewer: String?
    var summary: String?
    var response: String?
    var appeal: (text: String, tone: Tone)?
    /// False when the person has no folder this cycle; nothing below `appeal` applies then.
    var hasFolder: Bool
    /// Nil when there is no review.md yet.
    var review: Review?
    var selfReview: (text: String, tone: Tone)
    var peers: (text: String, tone: Tone)
    var aspects: [Aspect]
    var untagged: [Item]
    var signoffs: [(text: String, tone: Tone)]
    var findings: [Finding]

    init(_ member: CalibrationPacket.Member, _ packet: CalibrationPacket) {
        let row = PacketPeopleRow(member, packet)
        id = member.id
        name = member.name
        level = member.level ?? "no level"
        if let title = member.levelTitle { level += " \(title)" }
        if let grade = member.levelGrade { level += " (grade \(grade))" }
        team = member.teamName
        reviewer = member.reviewerName
        summary = member.summary
        response = PacketRenderer.responseLine(member)
        appeal = member.appeal.map {
            (PacketRenderer.appealLine($0), $0.answer == nil ? ($0.overdue ? .error : .warning) : .plain)
        }
        hasFolder = member.hasFolder
        review =
            member.hasReview
            ? Review(
                proposed: row.proposed, calibrated: row.calibrated, rationale: member.calibrationRationale,
                rationaleEvidence: member.calibrationEvidence, promotion: row.promotion) : nil
        selfReview = row.selfReview
        peers = row.peers
        aspects = [("What", member.what), ("How", member.how)].map { title, dimensions in
            Aspect(
                title: title, share: member.balance.map { title == "What" ? $0.what : $0.how },
                dimensions: dimensions.map {
                    Dimension(
                        name: $0.name, count: "\($0.items.count) \($0.items.count == 1 ? "item" : "items")",
                        items: $0.items.map(Item.init))
                })
        }
        untagged = member.untagged.map(Item.init)
        signoffs = member.signoffs.map { line in
            let tone: Tone
            switch line.standing {
            case .valid: tone = line.position == .dissent ? .warning : .ok
            case .unauthorized, .signatureProblem: tone = .error
            default: tone = .warning
            }
            return (PacketRenderer.signoffText(line), tone)
        }
        findings = member.findings.map {
            Finding(
                place: "\($0.file):\($0.line):\($0.column)", severity: $0.severity.rawValue,
                tone: $0.severity == .error ? .error : .warning, message: $0.message, ruleID: $0.ruleID)
        }
    }
}
