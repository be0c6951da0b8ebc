/// Renders a calibration packet as Markdown (for a pull request) or one self-contained
/// HTML file. Both show the same facts; every piece of user text is escaped for its format.
public enum PacketRenderer {
    static let noCurveNotice =
        "No distribution is enforced. Distributions are shown for information only: there is no quota or curve, and every rating stands on its cited evidence."

    static func privacyNotice(_ packet: CalibrationPacket) -> String {
        "Private sections of reviews are left out of this packet. Aggregates over fewer than \(packet.minGroupSize) people are suppressed."
    }

    // MARK: - Markdown

    public static func markdown(_ packet: CalibrationPacket) -> String {
        var out = "# Calibration packet: \(MarkdownText.inline(packet.group)), \(MarkdownText.inline(packet.cycle))\n\n"
        out += MarkdownText.inline(headerLine(packet)) + "\n\n"
        out += "> \(noCurveNotice)\n>\n> \(privacyNotice(packet))\n\n"

        out += "## People\n\n"
        if packet.members.isEmpty {
            out += "No one in this group's teams.\n\n"
        } else {
            out +=
                "| Person | Team | Level | Reviewer | Proposed | Calibrated | Promotion | Self review | Peer feedback | Evidence what / how | Response | Findings |\n"
            out += "|---|---|---|---|---|---|---|---|---|---|---|---|\n"
            for member in packet.members {
                let row = PacketPeopleRow(member, packet)
                func emphasised(_ cell: (text: String, tone: PacketPeopleRow.Tone)) -> String {
                    cell.tone == .missing ? "**\(cell.text)**" : cell.text
                }
                let cells = [
                    MarkdownText.inline(row.name),
                    MarkdownText.inline(row.team),
                    MarkdownText.inline(row.level),
                    MarkdownText.inline(row.reviewer),
                    ratingMarkdown(row.proposed),
                    ratingMarkdown(row.calibrated),
                    MarkdownText.inline(row.promotion),
                    emphasised(row.selfReview),
                    emphasised(row.peers),
                    row.evidence,
                    MarkdownText.inline(row.voice.text),
                    MarkdownText.inline(row.findings.text),
                ]
                out += "| " + cells.joined(separator: " | ") + " |\n"
            }
            out += "\n"
        }
        if !packet.notUnderReview.isEmpty {
            out += "### Not under review in this cycle\n\n\(notUnderReviewNote)\n\n"
            for person in packet.notUnderReview {
                out +=
                    "- \(MarkdownText.inline(person.name)) (\(MarkdownText.code(person.id))), \(MarkdownText.inline(person.teamName)): \(MarkdownText.inline(person.reason))\n"
            }
            out += "\n"
        }

        out += "## Distributions\n\n\(noCurveNotice)\n\n"
        out += "### Whole group\n\n"
        let proposed = packet.byReviewer
        let current = packet.byTeam
        if let suppression = proposed.groupSuppression ?? current.groupSuppression {
            out += "_\(suppression.message)_\n\n"
        } else {
            out += "| Rating | Proposed | Current |\n|---|---|---|\n"
            for entry in packet.scale.entries {
                out +=
                    "| \(MarkdownText.inline(entry.label)) | \(countAndShare(proposed.group, entry.id)) | \(countAndShare(current.group, entry.id)) |\n"
            }
            out += "| Total | \(proposed.group.total) | \(current.group.total) |\n\n"
        }
        out += comparisonMarkdown(title: "By reviewer", column: "Reviewer", table: proposed, packet: packet)
        out += comparisonMarkdown(title: "By team", column: "Team", table: current, packet: packet)

        out += "## Team health\n\n" + TeamHealthRenderer.markdownSummary(packet.health) + "\n"

        out += "## Details\n"
        for member in packet.members { out += "\n" + memberMarkdown(member, packet) }
        return out
    }

    static func headerLine(_ packet: CalibrationPacket) -> String {
        var parts: [String] = []
        if !packet.organization.isEmpty { parts.append(packet.organization) }
        parts.append("phase \(packet.phase)")
        if let freeze = packet.freeze { parts.append("evidence freeze \(freeze)") }
        if !packet.calibrators.isEmpty { parts.append("calibrators \(packet.calibrators.joined(separator: ", "))") }
        if !packet.teams.isEmpty { parts.append("teams \(packet.teams.joined(separator: ", "))") }
        parts.append("\(packet.members.count) \(packet.members.count == 1 ? "person" : "people")")
        return parts.joined(separator: " · ")
    }

    static let notUnderReviewNote =
        "People of these teams whom cycle.yaml's participants or exclude leave out: they owe no review and are not in the distributions."

    /// The person's own voice in a few words: "disagrees · appeal upheld".
    static func voice(_ member: CalibrationPacket.Member) -> String {
        var parts: [String] = []
        switch member.responsePosition {
        case "agree"?: parts.append("agrees")
        case "disagree"?: parts.append("disagrees")
        case let other?: parts.append(other)
        case nil: break
        }
        if let appeal = member.appeal {
            switch appeal.answer?.outcome {
            case "upheld"?: parts.append("appeal upheld")
            case "changed"?: parts.append("appeal changed the outcome")
            case .some: parts.append("appeal answered")
            case nil: parts.append(appeal.overdue ? "appeal overdue" : "appeal open")
            }
        }
        return parts.isEmpty ? "–" : parts.joined(separator: " · ")
    }

    /// "Appeal to skip-level, opened 2026-11-20: answered by Vera on 2026-11-27, upheld."
    static func appealLine(_ appeal: DecisionRecord.AppealEntry) -> String {
        var text = "Appeal to \(appeal.to ?? "?")" + (appeal.opened.map { ", opened \($0)" } ?? "") + ": "
        if let answer = appeal.answer {
            text += "answered by \(answer.byName ?? "?")" + (answer.date.map { " on \($0)" } ?? "")
            text += ", \(answer.outcome ?? "no outcome")"
            if let rationale = answer.rationale { text += ". \(rationale)" }
            if !answer.evidence.isEmpty || !answer.unknownEvidence.isEmpty {
                text +=
                    " (evidence: " + (answer.evidence.map(\.id) + answer.unknownEvidence).joined(separator: ", ") + ")"
            }
        } else {
            text += "not answered" + (appeal.waitingDays.map { " after \($0) \($0 == 1 ? "day" : "days")" } ?? "")
            if appeal.overdue { text += ", past reviews.appeal_days" }
        }
        return text
    }

    static func responseLine(_ member: CalibrationPacket.Member) -> String? {
        guard let position = member.responsePosition else { return nil }
        return "Response (\(position == "agree" ? "agrees" : position == "disagree" ? "disagrees" : position))"
            + (member.responseText.map { ": \($0)" } ?? "")
    }

    static func ratingMarkdown(_ rating: PacketPeopleRow.Rating) -> String {
        guard let id = rating.id else { return "–" }
        return rating.onScale ? MarkdownText.inline(id) : MarkdownText.inline(id) + " (not on the scale)"
    }

    static func promotion(_ member: CalibrationPacket.Member) -> String {
        guard let readiness = member.promotionReadiness else { return "–" }
        return member.promotionTarget.map { "\(readiness) → \($0)" } ?? readiness
    }

    static func peers(_ member: CalibrationPacket.Member, _ packet: CalibrationPacket) -> String {
        "\(member.peerFeedbackCount) of \(packet.minPeerFeedback)"
    }

    static func findingCount(_ member: CalibrationPacket.Member) -> String {
        if !member.hasFolder { return "no review folder" }
        let errors = member.errorCount
        let warnings = member.warningCount
        if errors == 0 && warnings == 0 { return "none" }
        return "\(errors) \(errors == 1 ? "error" : "errors"), \(warnings) \(warnings == 1 ? "warning" : "warnings")"
    }

    static func countAndShare(_ distribution: RatingDistribution, _ rating: String) -> String {
        "\(distribution.count(rating)) (\(percent(distribution.count(rating), of: distribution.total)))"
    }

    static func comparisonCell(_ row: DistributionComparison, _ rating: String) -> String {
        guard let distribution = row.distribution else { return "" }
        var text = percent(distribution.count(rating), of: distribution.total)
        if let difference = row.differences?[rating] { text += " (\(points(difference)))" }
        return text
    }

    static func shift(_ row: DistributionComparison) -> String {
        guard let shift = row.meanShift else { return row.distribution == nil ? "" : "whole group" }
        let rounded = (shift * 10).rounded() / 10
        let sign = rounded > 0 ? "+" : rounded == 0 ? "±" : ""
        return "\(sign)\(rounded == 0 ? 0 : rounded) steps"
    }

    static func comparisonMarkdown(
        title: String, column: String, table: DistributionTable, packet: CalibrationPacket
    ) -> String {
        var out = "### \(title): \(table.basis)\n\n"
        guard !table.rows.isEmpty else { return out + "No ratings yet.\n\n" }
        out +=
            "Each cell: share of the rating, and in brackets the difference from the rest of the group in percentage points.\n\n"
        out +=
            "| \(column) | People | "
            + packet.scale.entries.map { MarkdownText.inline($0.label) }.joined(separator: " | ")
        out += " | Mean vs rest |\n|---|---|" + String(repeating: "---|", count: packet.scale.entries.count) + "---|\n"
        for row in table.rows {
            if let suppression = row.suppression {
                out += "| \(MarkdownText.inline(row.label)) | _\(suppression.message)_ |"
                out += String(repeating: " |", count: packet.scale.entries.count + 1) + "\n"
            } else {
                out += "| \(MarkdownText.inline(row.label)) | \(row.people) | "
                out += packet.scale.entries.map { comparisonCell(row, $0.id) }.joined(separator: " | ")
                out += " | \(shift(row)) |\n"
            }
        }
        return out + "\n"
    }

    static func memberMarkdown(_ member: CalibrationPacket.Member, _ packet: CalibrationPacket) -> String {
        let view = PacketPersonView(member, packet)
        func emphasised(_ cell: (text: String, tone: PacketPeopleRow.Tone)) -> String {
            cell.tone == .missing ? "**\(cell.text)**" : cell.text
        }
        var out = "### \(MarkdownText.inline(view.name)) (\(MarkdownText.code(view.id)))\n\n"
        out += "- Level: \(MarkdownText.inline(view.level)) · team \(MarkdownText.inline(view.team))"
        if let reviewer = view.reviewer { out += " · reviewer \(MarkdownText.inline(reviewer))" }
        out += "\n"
        if let summary = view.summary { out += "- Summary: \(MarkdownText.inline(summary))\n" }
        if let response = view.response { out += "- \(MarkdownText.inline(response))\n" }
        if let appeal = view.appeal { out += "- \(MarkdownText.inline(appeal.text))\n" }
        guard view.hasFolder else {
            return out + "- No folder for this cycle: no review, evidence or feedback yet.\n"
        }
        if let review = view.review {
            out +=
                "- Rating: proposed **\(ratingMarkdown(review.proposed))**, calibrated **\(ratingMarkdown(review.calibrated))**\n"
            if let rationale = review.rationale {
                out += "- Calibration rationale: \(MarkdownText.inline(rationale))"
                if !review.rationaleEvidence.isEmpty {
                    out += " (evidence: \(review.rationaleEvidence.map(MarkdownText.code).joined(separator: ", ")))"
                }
                out += "\n"
            }
            out += "- Promotion readiness: \(MarkdownText.inline(review.promotion))\n"
        } else {
            out += "- **No review.md yet**\n"
        }
        out += "- Input: self review \(emphasised(view.selfReview)) · peer feedback \(emphasised(view.peers))\n\n"

        for aspect in view.aspects {
            out += "#### \(aspect.title)\(aspect.share.map { " (\($0)% of the balance)" } ?? "")\n\n"
            if aspect.dimensions.isEmpty {
                out += "No dimensions.\n\n"
                continue
            }
            for dimension in aspect.dimensions {
                out +=
                    "- **\(MarkdownText.inline(dimension.name))**: \(dimension.count)\(dimension.items.isEmpty ? " ⚠" : "")\n"
                for item in dimension.items { out += "  - " + itemMarkdown(item) + "\n" }
            }
            out += "\n"
        }
        if !view.untagged.isEmpty {
            out += "#### Not tagged to a dimension of the level\n\n"
            for item in view.untagged { out += "- " + itemMarkdown(item) + "\n" }
            out += "\n"
        }
        if !view.signoffs.isEmpty {
            out += "#### Sign-offs\n\n"
            for line in view.signoffs { out += "- " + MarkdownText.inline(line.text) + "\n" }
            out += "\n"
        }
        out += "#### Findings\n\n"
        if view.findings.isEmpty {
            out += "None.\n"
        } else {
            for finding in view.findings {
                out +=
                    "- \(MarkdownText.code(finding.place)) \(finding.severity): \(MarkdownText.inline(finding.message)) \(MarkdownText.code(finding.ruleID))\n"
            }
        }
        return out
    }

    /// "manager Dana Okafor, 2026-12-15: dissent (signature verified): <reason>", the same
    /// words in Markdown and HTML.
    static func signoffText(_ line: CalibrationPacket.SignoffLine) -> String {
        var standing = line.standing == .valid && line.position == .dissent ? "dissent" : line.standing.rawValue
        standing +=
            line.verified
            ? " (signature verified)"
            : " (unverified"
                + (line.committer.map { "; committed by \($0)" } ?? "") + ")"
        return "\(line.role) \(line.signer), \(line.date): \(standing)" + (line.note.map { ": \($0)" } ?? "")
    }

    static func itemMarkdown(_ item: PacketPersonView.Item) -> String {
        var text = ""
        if let date = item.date { text += date + " " }
        text += MarkdownText.link(item.title, to: item.link)
        text += " " + MarkdownText.code(item.id)
        if let type = item.type { text += " · " + MarkdownText.inline(type) }
        if item.uncited { text += " · uncited" }
        if let metric = item.metric {
            text +=
                " · metric " + MarkdownText.code(metric.id) + " (" + MarkdownText.inline(metric.indicator)
                + " indicator; gaming risks: " + MarkdownText.inline(metric.gamingRisks.joined(separator: "; ")) + ")"
        }
        return text
    }

    // MARK: - HTML

    public static func html(_ packet: CalibrationPacket) -> String {
        let title = "Calibration packet: \(packet.group), \(packet.cycle)"
        var body = "<header><h1>\(HTMLText.escape(title))</h1>\n"
        body += "<p class=\"meta\">\(HTMLText.escape(headerLine(packet)))</p>\n"
        body +=
            "<p class=\"notice\">\(HTMLText.escape(noCurveNotice))<br>\(HTMLText.escape(privacyNotice(packet)))</p></header>\n"

        body += "<section><h2>People</h2>\n"
        if packet.members.isEmpty {
            body += "<p>No one in this group&#39;s teams.</p>"
        } else {
            body +=
                "<table><thead><tr><th>Person</th><th>Team</th><th>Level</th><th>Reviewer</th><th>Proposed</th><th>Calibrated</th><th>Promotion</th><th>Self review</th><th>Peer feedback</th><th class=\"num\">Evidence what / how</th><th>Response</th><th>Findings</th></tr></thead><tbody>\n"
            for member in packet.members {
                let row = PacketPeopleRow(member, packet)
                func cell(_ text: String, _ tone: PacketPeopleRow.Tone, _ base: String? = nil) -> String {
                    let classes = [base, tone == .plain ? nil : tone.rawValue].compactMap { $0 }
                    let attribute = classes.isEmpty ? "" : " class=\"\(classes.joined(separator: " "))\""
                    return "<td\(attribute)>\(HTMLText.escape(text))</td>"
                }
                body +=
                    "<tr><td><a href=\"#person-\(HTMLText.escape(row.id))\">\(HTMLText.escape(row.name))</a></td>"
                body += cell(row.team, .plain) + cell(row.level, .plain) + cell(row.reviewer, .plain)
                body +=
                    "<td class=\"rating\">\(ratingHTML(row.proposed))</td><td class=\"rating\">\(ratingHTML(row.calibrated))</td>"
                body += cell(row.promotion, .plain) + cell(row.selfReview.text, row.selfReview.tone)
                body += cell(row.peers.text, row.peers.tone) + cell(row.evidence, .plain, "num")
                body += cell(row.voice.text, row.voice.tone) + cell(row.findings.text, row.findings.tone) + "</tr>\n"
            }
            body += "</tbody></table>\n"
        }
        if !packet.notUnderReview.isEmpty {
            body +=
                "<h3>Not under review in this cycle</h3>\n<p class=\"meta\">\(HTMLText.escape(notUnderReviewNote))</p>\n<ul class=\"apart\">"
            for person in packet.notUnderReview {
                body +=
                    "<li>\(HTMLText.escape(person.name)) <code>\(HTMLText.escape(person.id))</code> · \(HTMLText.escape(person.teamName)) · <span class=\"meta\">\(HTMLText.escape(person.reason))</span></li>"
            }
            body += "</ul>\n"
        }
        body += "</section>\n"

        body += "<section><h2>Distributions</h2>\n<p class=\"notice\">\(HTMLText.escape(noCurveNotice))</p>\n"
        body += "<h3>Whole group</h3>\n"
        let proposed = packet.byReviewer
        let current = packet.byTeam
        if let suppression = proposed.groupSuppression ?? current.groupSuppression {
            body += "<p class=\"suppressed\">\(HTMLText.escape(suppression.message))</p>\n"
        } else {
            body += SVGChart.groupedBars(
                title: "Rating distribution of the group: proposed and current",
                categories: packet.scale.entries.map(\.label),
                series: [
                    ("proposed", packet.scale.ids.map { proposed.group.count($0) }),
                    ("current", packet.scale.ids.map { current.group.count($0) }),
                ])
            body +=
                "<p class=\"legend\"><span>pale bar: proposed (\(proposed.group.total) people)</span><span>solid bar: current (\(current.group.total) people)</span></p>\n"
        }
        body += comparisonHTML(title: "By reviewer", column: "Reviewer", table: proposed, packet: packet)
        body += comparisonHTML(title: "By team", column: "Team", table: current, packet: packet)
        body += "</section>\n"

        body += "<section><h2>Team health</h2>\n" + TeamHealthRenderer.htmlSection(packet.health) + "</section>\n"

        body += "<section><h2>Details</h2>\n"
        for member in packet.members { body += memberHTML(member, packet) }
        body += "</section>\n"
        body += "<footer>Generated by evident calibrate packet. Private review sections are never included.</footer>\n"
        return HTMLPage.document(title: title, body: body)
    }

    static func ratingHTML(_ rating: PacketPeopleRow.Rating) -> String {
        guard let id = rating.id else { return "–" }
        return rating.onScale
            ? HTMLText.escape(id) : HTMLText.escape(id) + " <span class=\"error\">(not on the scale)</span>"
    }

    static func comparisonHTML(title: String, column: String, table: DistributionTable, packet: CalibrationPacket)
        -> String
    {
        var out = "<h3>\(HTMLText.escape(title)) <small class=\"meta\">\(HTMLText.escape(table.basis))</small></h3>\n"
        guard !table.rows.isEmpty else { return out + "<p>No ratings yet.</p>\n" }
        out += SVGChart.legend(packet.scale)
        out += "<table><thead><tr><th>\(HTMLText.escape(column))</th><th class=\"num\">People</th><th>Distribution</th>"
        for entry in packet.scale.entries { out += "<th class=\"num\">\(HTMLText.escape(entry.label))</th>" }
        out += "<th class=\"num\">Mean vs rest</th></tr></thead><tbody>\n"
        for row in table.rows {
            out += "<tr><td>\(HTMLText.escape(row.label))</td>"
            if let suppression = row.suppression, row.distribution == nil {
                out +=
                    "<td class=\"suppressed\" colspan=\"\(packet.scale.entries.count + 3)\">\(HTMLText.escape(suppression.message))</td></tr>\n"
                continue
            }
            guard let distribution = row.distribution else { continue }
            out +=
                "<td class=\"num\">\(row.people)</td><td>\(SVGChart.stackedBar(distribution, scale: packet.scale, label: "\(row.label): \(table.basis)"))</td>"
            for entry in packet.scale.entries {
                out += "<td class=\"num\">\(HTMLText.escape(comparisonCell(row, entry.id)))</td>"
            }
            out += "<td class=\"num\">\(HTMLText.escape(shift(row)))</td></tr>\n"
        }
        out +=
            "</tbody></table>\n<p class=\"meta\">Each cell: share of the rating, and in brackets the difference from the rest of the group in percentage points.</p>\n"
        return out
    }

    static func memberHTML(_ member: CalibrationPacket.Member, _ packet: CalibrationPacket) -> String {
        let view = PacketPersonView(member, packet)
        func marked(_ cell: (text: String, tone: PacketPeopleRow.Tone)) -> String {
            cell.tone == .missing
                ? "<span class=\"missing\">\(HTMLText.escape(cell.text))</span>" : HTMLText.escape(cell.text)
        }
        var out = "<article class=\"card\" id=\"person-\(HTMLText.escape(view.id))\">\n"
        out += "<h3>\(HTMLText.escape(view.name)) <code>\(HTMLText.escape(view.id))</code></h3>\n"
        var meta = "\(view.level) · \(view.team)"
        if let reviewer = view.reviewer { meta += " · reviewer \(reviewer)" }
        out += "<p class=\"meta\">\(HTMLText.escape(meta))</p>\n"
        if let summary = view.summary { out += "<p class=\"summary\">\(HTMLText.escape(summary))</p>\n" }
        if let response = view.response {
            out += "<p class=\"voice\">\(HTMLText.escape(response))</p>\n"
        }
        if let appeal = view.appeal {
            let css = appeal.tone == .plain ? "voice" : "voice \(appeal.tone.rawValue)"
            out += "<p class=\"\(css)\">\(HTMLText.escape(appeal.text))</p>\n"
        }
        guard view.hasFolder else {
            return out
                + "<p class=\"missing\">No folder for this cycle: no review, evidence or feedback yet.</p></article>\n"
        }
        if let review = view.review {
            out +=
                "<p>Proposed <span class=\"rating\">\(ratingHTML(review.proposed))</span> · calibrated <span class=\"rating\">\(ratingHTML(review.calibrated))</span> · promotion readiness \(HTMLText.escape(review.promotion))</p>\n"
            if let rationale = review.rationale {
                out += "<p>Calibration rationale: \(HTMLText.escape(rationale))"
                if !review.rationaleEvidence.isEmpty {
                    out +=
                        " (evidence: "
                        + review.rationaleEvidence.map { "<code>\(HTMLText.escape($0))</code>" }.joined(
                            separator: ", ") + ")"
                }
                out += "</p>\n"
            }
        } else {
            out += "<p class=\"missing\">No review.md yet.</p>\n"
        }
        out += "<p>Self review: " + marked(view.selfReview)
        out += " · peer feedback: " + marked(view.peers) + "</p>\n"
        out += "<div class=\"columns\">\n"
        for aspect in view.aspects {
            out += "<div><h4>\(aspect.title)\(aspect.share.map { " · \($0)%" } ?? "")</h4>\n"
            if aspect.dimensions.isEmpty { out += "<p>No dimensions.</p>" }
            for dimension in aspect.dimensions {
                out +=
                    "<p><strong>\(HTMLText.escape(dimension.name))</strong> <span class=\"tag\">\(dimension.count)</span>\(dimension.items.isEmpty ? " <span class=\"warning\">no evidence</span>" : "")</p>\n"
                if !dimension.items.isEmpty {
                    out += "<ul>" + dimension.items.map { "<li>\(itemHTML($0))</li>" }.joined() + "</ul>\n"
                }
            }
            out += "</div>\n"
        }
        out += "</div>\n"
        if !view.untagged.isEmpty {
            out += "<h4>Not tagged to a dimension of the level</h4><ul>"
            out += view.untagged.map { "<li>\(itemHTML($0))</li>" }.joined() + "</ul>\n"
        }
        if !view.signoffs.isEmpty {
            out += "<h4>Sign-offs</h4><ul>"
            for line in view.signoffs {
                out += "<li><span class=\"\(line.tone.rawValue)\">\(HTMLText.escape(line.text))</span></li>"
            }
            out += "</ul>\n"
        }
        out += "<h4>Findings</h4>\n"
        if view.findings.isEmpty {
            out += "<p class=\"ok\">None.</p>\n"
        } else {
            out += "<ul>"
            for finding in view.findings {
                out +=
                    "<li><code>\(HTMLText.escape(finding.place))</code> <span class=\"\(finding.tone.rawValue)\">\(HTMLText.escape(finding.severity))</span>: \(HTMLText.escape(finding.message)) <code>\(HTMLText.escape(finding.ruleID))</code></li>"
            }
            out += "</ul>\n"
        }
        return out + "</article>\n"
    }

    static func itemHTML(_ item: PacketPersonView.Item) -> String {
        var text = ""
        if let date = item.date { text += HTMLText.escape(date) + " " }
        text += HTMLText.link(item.title, to: item.link)
        text += " <code>\(HTMLText.escape(item.id))</code>"
        if let type = item.type { text += " <span class=\"tag\">\(HTMLText.escape(type))</span>" }
        if item.uncited { text += " <span class=\"warning\">uncited</span>" }
        if let metric = item.metric {
            text +=
                " <span class=\"metric\">metric <code>\(HTMLText.escape(metric.id))</code>, \(HTMLText.escape(metric.indicator)) indicator; gaming risks: \(HTMLText.escape(metric.gamingRisks.joined(separator: "; ")))</span>"
        }
        return text
    }
}
