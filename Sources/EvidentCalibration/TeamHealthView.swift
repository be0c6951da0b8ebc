/// The packet's team health section as words built once, read by the Markdown summary
/// and the HTML section: a team's incidents, attrition risk, engagement and signals are
/// worded here, so the two packets cannot disagree. The Markdown packet is the short
/// version: it leaves out the span and review-load tables and who handled incidents.
struct TeamHealthView {
    struct Team {
        var name: String
        var members: Int
        var incidents: Int
        /// "Ana 2, Ben 1", or "–" when nobody handled one.
        var handledBy: String
        /// The attrition risk, "–", "no team file", or why the team's signals are hidden.
        var risk: String
        /// The latest engagement score and its change: "4.1 (-0.3)", or "–".
        var engagement: String
        /// Every signal in one line, as the text report words it.
        var signals: String
        /// Whether the team is too small for its signals to be shown.
        var suppressed: Bool
    }

    var warnings: [TeamHealthReport.Warning]
    var maxSpan: Int
    var maxReviewsPerReviewer: Int
    var spans: [TeamHealthReport.Span]
    var reviewLoad: [TeamHealthReport.ReviewLoad]
    var teams: [Team]

    init(_ report: TeamHealthReport) {
        warnings = report.warnings
        maxSpan = report.maxSpan
        maxReviewsPerReviewer = report.maxReviewsPerReviewer
        spans = report.spans
        reviewLoad = report.reviewLoad
        teams = report.teams.enumerated().map { index, team in
            let incidents = index < report.incidents.count ? report.incidents[index] : nil
            let who = incidents?.byPerson.map { "\($0.name) \($0.incidents)" }.joined(separator: ", ") ?? ""
            var engagement = "–"
            if team.suppressed == nil, let last = team.engagement.last {
                engagement = TeamHealth.score(last.score)
                if let change = team.engagementChange {
                    engagement += " (\(change > 0 ? "+" : "")\(TeamHealth.score(change)))"
                }
            }
            return Team(
                name: team.name, members: team.members, incidents: incidents?.incidents ?? 0,
                handledBy: who.isEmpty ? "–" : who,
                risk: team.suppressed ?? (team.hasTeamFile ? team.attritionRisk ?? "–" : "no team file"),
                engagement: engagement, signals: TeamHealthRenderer.signalSummary(team),
                suppressed: team.suppressed != nil)
        }
    }
}
