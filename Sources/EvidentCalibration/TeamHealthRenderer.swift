import Foundation

/// Text, JSON, Markdown and HTML views of a team health report.
public enum TeamHealthRenderer {
    public static func text(_ report: TeamHealthReport) -> String {
        var out = "Team health for cycle \(SafeText.line(report.cycle))\n"
        out += "\n"
        if report.warnings.isEmpty {
            out += "No thresholds crossed.\n"
        } else {
            out += "\(report.warnings.count) \(report.warnings.count == 1 ? "warning" : "warnings"):\n"
            for warning in report.warnings {
                out += "  warning: \(SafeText.line(warning.message)) [\(warning.kind)]\n"
            }
        }

        out += "\nSpan of control (team_health.max_span: \(report.maxSpan))\n"
        if report.spans.isEmpty { out += "  no managers\n" }
        let spanWidth = report.spans.map { SafeText.line($0.name).count }.max() ?? 0
        for span in report.spans {
            out +=
                "  \(pad(SafeText.line(span.name), spanWidth))  \(span.directReports) direct reports\(span.overLimit ? "  over the limit" : "")\n"
        }

        out +=
            "\nReviews and peer feedback written (team_health.max_reviews_per_reviewer: \(report.maxReviewsPerReviewer))\n"
        if report.reviewLoad.isEmpty { out += "  none written yet\n" }
        let loadWidth = report.reviewLoad.map { SafeText.line($0.name).count }.max() ?? 0
        for load in report.reviewLoad {
            out +=
                "  \(pad(SafeText.line(load.name), loadWidth))  \(load.total) total: \(load.reviews) reviews, \(load.peerFeedback) peer feedback\(load.overLimit ? "  over the limit" : "")\n"
        }

        out += "\nIncident burden (incident evidence items this cycle)\n"
        for team in report.incidents {
            out +=
                "  \(SafeText.line(team.name)): \(team.incidents) across \(team.members) \(team.members == 1 ? "person" : "people")"
            if !team.byPerson.isEmpty {
                out +=
                    " (" + team.byPerson.map { "\(SafeText.line($0.name)) \($0.incidents)" }.joined(separator: ", ")
                    + ")"
            }
            out += "\n"
        }

        out += "\nTeam signals (teams/<id>.yaml)\n"
        for team in report.teams {
            out += "  \(SafeText.line(team.name)): " + signalSummary(team) + "\n"
        }
        return out
    }

    static func signalSummary(_ team: TeamHealthReport.TeamSignals) -> String {
        guard team.hasTeamFile else { return "no team file" }
        if let suppressed = team.suppressed { return suppressed }
        var parts: [String] = []
        parts.append("attrition risk \(team.attritionRisk.map(SafeText.line) ?? "not given")")
        if let last = team.engagement.last {
            var engagement = "engagement \(TeamHealth.score(last.score)) on \(last.date)"
            if let change = team.engagementChange, let first = team.engagement.first {
                let sign = change > 0 ? "+" : change == 0 ? "±" : ""
                engagement += " (\(sign)\(TeamHealth.score(change)) since \(first.date))"
            }
            parts.append(engagement)
        } else {
            parts.append("no engagement scores")
        }
        if let people = team.onCallPeople, let pages = team.pagesPerWeek {
            parts.append("on call: \(people) people, \(TeamHealth.score(pages)) pages a week")
        }
        return parts.joined(separator: "; ")
    }

    public static func json(_ report: TeamHealthReport) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(report) else { return "{}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// The short version inside a Markdown packet: warnings and the biggest loads.
    static func markdownSummary(_ report: TeamHealthReport) -> String {
        let view = TeamHealthView(report)
        var out = ""
        if view.warnings.isEmpty {
            out += "No team health thresholds crossed.\n"
        } else {
            for warning in view.warnings {
                out += "- ⚠ \(MarkdownText.inline(warning.message)) \(MarkdownText.code(warning.kind))\n"
            }
        }
        out += "\n| Team | People | Incidents | Attrition risk | Engagement |\n|---|---|---|---|---|\n"
        for team in view.teams {
            out +=
                "| \(MarkdownText.inline(team.name)) | \(team.members) | \(team.incidents) | \(MarkdownText.inline(team.risk)) | \(team.engagement) |\n"
        }
        return out
    }

    /// A section for the HTML packet.
    static func htmlSection(_ report: TeamHealthReport) -> String {
        let view = TeamHealthView(report)
        var out = ""
        if view.warnings.isEmpty {
            out += "<p class=\"ok\">No team health thresholds crossed.</p>\n"
        } else {
            out +=
                "<ul>"
                + view.warnings.map {
                    "<li><span class=\"warning\">warning</span>: \(HTMLText.escape($0.message)) <code>\(HTMLText.escape($0.kind))</code></li>"
                }.joined() + "</ul>\n"
        }
        out += "<div class=\"columns\"><div>\n<h4>Span of control · limit \(view.maxSpan)</h4>\n"
        out += "<table><thead><tr><th>Manager</th><th class=\"num\">Direct reports</th></tr></thead><tbody>"
        for span in view.spans {
            out +=
                "<tr><td>\(HTMLText.escape(span.name))</td><td class=\"num\(span.overLimit ? " warning" : "")\">\(span.directReports)</td></tr>"
        }
        out += "</tbody></table>\n</div><div>\n<h4>Reviews written · limit \(view.maxReviewsPerReviewer)</h4>\n"
        out +=
            "<table><thead><tr><th>Person</th><th class=\"num\">Reviews</th><th class=\"num\">Peer feedback</th><th class=\"num\">Total</th></tr></thead><tbody>"
        for load in view.reviewLoad {
            out +=
                "<tr><td>\(HTMLText.escape(load.name))</td><td class=\"num\">\(load.reviews)</td><td class=\"num\">\(load.peerFeedback)</td><td class=\"num\(load.overLimit ? " warning" : "")\">\(load.total)</td></tr>"
        }
        out += "</tbody></table>\n</div></div>\n"
        out +=
            "<h4>Teams</h4>\n<table><thead><tr><th>Team</th><th class=\"num\">People</th><th class=\"num\">Incidents</th><th>Who handled them</th><th>Signals</th></tr></thead><tbody>"
        for team in view.teams {
            out +=
                "<tr><td>\(HTMLText.escape(team.name))</td><td class=\"num\">\(team.members)</td><td class=\"num\">\(team.incidents)</td>"
            out +=
                "<td>\(HTMLText.escape(team.handledBy))</td><td\(team.suppressed ? " class=\"suppressed\"" : "")>\(HTMLText.escape(team.signals))</td></tr>"
        }
        out += "</tbody></table>\n"
        return out
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
