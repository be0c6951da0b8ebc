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
            PacketRenderer.peers(member, packet, emphasise: false),
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
