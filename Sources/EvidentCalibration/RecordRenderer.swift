import EvidentCore

/// Markdown and HTML views of a decision record, written for the person it concerns:
/// plain sentences, their criteria first, the outcome with its reasons, no jargon.
public enum RecordRenderer {
    static func title(_ record: DecisionRecord) -> String {
        (record.isDraft ? "DRAFT " : "") + "Decision record: \(record.name), \(record.cycle)"
    }

    static func levelText(_ record: DecisionRecord) -> String {
        var text = record.level ?? "no level"
        if let title = record.levelTitle { text += " (\(title))" }
        if let grade = record.levelGrade { text += ", grade \(grade)" }
        return text
    }

    static func promotionText(_ outcome: DecisionRecord.Outcome) -> String {
        switch outcome.promotionReadiness {
        case nil: return "not assessed"
        case "ready": return "ready" + (outcome.promotionTarget.map { " for \($0)" } ?? "")
        case "next-cycle": return "expected next cycle" + (outcome.promotionTarget.map { " (target \($0))" } ?? "")
        case "not-yet": return "not yet" + (outcome.promotionTarget.map { " (target \($0))" } ?? "")
        case let other?: return other
        }
    }

    static func outcomeSentence(_ record: DecisionRecord) -> String {
        if let reason = record.notUnderReview {
            return "You are not reviewed in this cycle (\(reason)): there is no rating."
        }
        guard record.hasReview else { return "No review has been written for this cycle yet." }
        guard let rating = record.outcome.rating else { return "No rating has been decided yet." }
        let label = record.outcome.ratingLabel ?? rating
        return label == rating ? "Final rating: \(rating)." : "Final rating: \(label) (\(rating))."
    }

    static func calibrationSentence(_ change: DecisionRecord.CalibrationChange) -> String {
        if change.changed {
            return "Calibration changed the rating from \(change.from ?? "no proposal") to \(change.to)."
        }
        return "Calibration confirmed the proposed rating \(change.to)."
    }

    /// What calibration did, or plainly that there is nothing to calibrate yet.
    static func noCalibrationSentence(_ record: DecisionRecord) -> String {
        if record.notUnderReview != nil { return "There is nothing to calibrate: you are not reviewed in this cycle." }
        guard record.hasReview else { return "There is no proposal yet: no review has been written for this cycle." }
        guard let proposed = record.outcome.proposed else {
            return "There is no proposal yet: the review proposes no rating."
        }
        return "Calibration has not changed the proposal (\(proposed))."
    }

    static func draftSentence(_ record: DecisionRecord) -> String {
        "DRAFT: this record is not final; " + record.draftReasons.joined(separator: "; ") + "."
    }

    static func dissentSentence(_ dissent: DecisionRecord.Dissent) -> String {
        "\(dissent.signerName) signed off as \(dissent.role) on \(dissent.date) while disagreeing: \(dissent.reason)"
    }

    static func responseSentence(_ response: DecisionRecord.Response) -> String {
        switch response.position {
        case "agree": return "You agree with this record."
        case "disagree": return "You disagree with this record."
        default: return "You responded to this record."
        }
    }

    static func appealSentence(_ appeal: DecisionRecord.AppealEntry) -> String {
        let to = appeal.to == "hr" ? "hr" : appeal.to == "skip-level" ? "your skip-level manager" : "someone"
        return "You appealed to \(to)" + (appeal.opened.map { " on \($0)" } ?? "") + "."
    }

    static func answerSentence(_ appeal: DecisionRecord.AppealEntry) -> String {
        guard let answer = appeal.answer else {
            let waited = appeal.waitingDays.map { ", \($0) \($0 == 1 ? "day" : "days") after it was opened" } ?? ""
            return "Not answered yet\(waited)" + (appeal.overdue ? ", later than the policy allows." : ".")
        }
        let outcome: String
        switch answer.outcome {
        case "upheld": outcome = "the outcome stands (upheld)"
        case "changed": outcome = "the appeal changed the outcome"
        default: outcome = "answered"
        }
        return "Answered by \(answer.byName ?? "someone")" + (answer.date.map { " on \($0)" } ?? "") + ": \(outcome)."
    }

    static let responseNote =
        "Your answer to this record, in your words. Anything under a Private heading is not shown."

    static let reviewNote = "What your reviewer wrote, section by section. Notes kept for calibrators are not shown."

    static let growthNote =
        "The growth plan is developmental feedback. It is kept apart from the rating and did not decide it."

    // MARK: - Markdown

    public static func markdown(_ record: DecisionRecord) -> String {
        let view = RecordView(record)
        var out = "# \(MarkdownText.inline(view.title))\n\n"
        out += MarkdownText.inline(view.meta) + "\n\n"
        if let draft = view.draft { out += "> **\(MarkdownText.inline(draft))**\n\n" }
        if !view.summary.isEmpty {
            out += "## Summary\n\n"
            for paragraph in view.summary { out += MarkdownText.inline(paragraph) + "\n\n" }
        }

        out += "## Outcome\n\n"
        out += "- " + MarkdownText.inline(view.outcome) + "\n"
        if let proposed = view.proposedBy {
            out +=
                "- Proposed by \(MarkdownText.inline(proposed.reviewer)): \(MarkdownText.inline(proposed.rating))\n"
        }
        if let calibrated = view.calibrated {
            out += "- Calibrated: \(MarkdownText.inline(calibrated))\n"
        }
        out += "- Promotion readiness: \(MarkdownText.inline(view.promotion))\n\n"

        out += "## Reasons for calibration changes\n\n"
        out += MarkdownText.inline(view.calibration.sentence) + "\n\n"
        if let reasoned = view.calibration.reasoned { out += reasonedMarkdown(reasoned) }

        if !view.dissents.isEmpty {
            out += "## Disagreement at sign-off\n\n"
            for dissent in view.dissents { out += "- " + MarkdownText.inline(dissent) + "\n" }
            out += "\n"
        }
        if let response = view.response {
            out += "## Your response\n\n**\(MarkdownText.inline(response.sentence))** \(responseNote)\n\n"
            out += sectionsMarkdown(response.sections)
        }
        if let appeal = view.appeal {
            out += "## Appeal\n\n" + MarkdownText.inline(appeal.sentence) + "\n\n"
            out += sectionsMarkdown(appeal.sections)
            out += "**" + MarkdownText.inline(appeal.answer) + "**\n\n"
            if let answered = appeal.answered { out += reasonedMarkdown(answered) }
        }

        if !view.reviewSections.isEmpty {
            out += "## What the review says\n\n\(reviewNote)\n\n"
            for section in view.reviewSections {
                out += "### \(MarkdownText.inline(section.title))\n\n"
                for paragraph in section.paragraphs { out += MarkdownText.inline(paragraph) + "\n\n" }
            }
        }

        out += "## Expectations of your level\n\n"
        if !view.hasLevelGuide { out += "No level guide was found.\n\n" }
        for aspect in view.aspects where !aspect.dimensions.isEmpty {
            out += "### \(aspect.title)\(aspect.share.map { ", \($0)% of the balance" } ?? "")\n\n"
            for dimension in aspect.dimensions {
                out += "- **\(MarkdownText.inline(dimension.name))**\n"
                for expectation in dimension.expectations { out += "  - \(MarkdownText.inline(expectation))\n" }
                if !dimension.examples.isEmpty {
                    out +=
                        "  - *For example (an illustration, not a requirement):* "
                        + dimension.examples.map { MarkdownText.inline($0) }.joined(separator: "; ") + "\n"
                }
            }
            out += "\n"
        }

        out += "## Evidence\n\n"
        if view.evidence.isEmpty {
            out += "No evidence was recorded for this cycle.\n\n"
        } else {
            for item in view.evidence { out += "- " + evidenceMarkdown(item) + "\n" }
            out += "\n"
        }

        out += "## Sign-offs\n\n"
        switch view.signoffs {
        case .unavailable(let reason):
            out += "Sign-offs could not be read: \(MarkdownText.inline(reason)).\n\n"
        case .read(let rows, let missing):
            if rows.isEmpty {
                out += "No sign-offs yet.\n\n"
            } else {
                out += "| Role | Signed by | Date | Rating | Status |\n|---|---|---|---|---|\n"
                for row in rows {
                    out +=
                        "| \(MarkdownText.inline(row.role)) | \(MarkdownText.inline(row.signer)) | \(MarkdownText.inline(row.date)) | \(MarkdownText.inline(row.rating)) | \(row.status): \(MarkdownText.inline(row.reason)) |\n"
                }
                out += "\n"
            }
            if !missing.isEmpty {
                out += "Still needed: \(missing.map(MarkdownText.inline).joined(separator: ", ")).\n\n"
            }
        }

        out += "## Growth plan\n\n\(growthNote)\n\n"
        if view.growthPlans.isEmpty {
            out += "No growth plan was written.\n"
        } else {
            for plan in view.growthPlans {
                out += "### \(MarkdownText.inline(plan.source))\n\n"
                for paragraph in plan.paragraphs { out += MarkdownText.inline(paragraph) + "\n\n" }
            }
        }
        return out
    }

    /// A decision's reason, the evidence it cites and the cited ids not found.
    static func reasonedMarkdown(_ reasoned: RecordView.Reasoned) -> String {
        var out = "Reason: " + MarkdownText.inline(reasoned.reason) + "\n\n"
        if !reasoned.evidence.isEmpty {
            out += "Evidence cited:\n\n"
            for item in reasoned.evidence { out += "- " + evidenceMarkdown(item) + "\n" }
            out += "\n"
        }
        if !reasoned.unknownEvidence.isEmpty {
            out +=
                "Also cited, but not found in your evidence: \(reasoned.unknownEvidence.map(MarkdownText.code).joined(separator: ", "))\n\n"
        }
        return out
    }

    /// A response's or appeal's sections: untitled text as paragraphs, titled ones under
    /// a bold title (they sit inside a `##` section of the record).
    static func sectionsMarkdown(_ sections: [DecisionRecord.ReviewSection]) -> String {
        var out = ""
        for section in sections {
            if !section.title.isEmpty { out += "**\(MarkdownText.inline(section.title))**\n\n" }
            for paragraph in section.paragraphs { out += "> " + MarkdownText.inline(paragraph) + "\n>\n" }
            if !section.paragraphs.isEmpty {
                out.removeLast(2)
                out += "\n"
            }
        }
        return out
    }

    static func sectionsHTML(_ sections: [DecisionRecord.ReviewSection]) -> String {
        guard !sections.isEmpty else { return "" }
        var out = "<blockquote>"
        for section in sections {
            if !section.title.isEmpty { out += "<p><strong>\(HTMLText.escape(section.title))</strong></p>" }
            out += section.paragraphs.map { "<p>\(HTMLText.escape($0))</p>" }.joined()
        }
        return out + "</blockquote>\n"
    }

    static func evidenceMarkdown(_ item: RecordView.EvidenceLine) -> String {
        var text = item.date.map { $0 + " " } ?? ""
        text += MarkdownText.link(item.title, to: item.link)
        text += " " + MarkdownText.code(item.id)
        if !item.dimensions.isEmpty { text += " · " + MarkdownText.inline(item.dimensions.joined(separator: ", ")) }
        return text
    }

    // MARK: - HTML

    public static func html(_ record: DecisionRecord) -> String {
        let view = RecordView(record)
        var body = "<header><h1>\(HTMLText.escape(view.title))</h1>\n"
        body += "<p class=\"meta\">\(HTMLText.escape(view.meta))</p>"
        if let draft = view.draft {
            body += "<p class=\"notice draft\"><strong>\(HTMLText.escape(draft))</strong></p>"
        }
        body += "</header>\n"
        if !view.summary.isEmpty {
            body +=
                "<section><h2>Summary</h2>\n"
                + view.summary.map { "<p class=\"summary\">\(HTMLText.escape($0))</p>\n" }.joined()
            body += "</section>\n"
        }

        body += "<section><h2>Outcome</h2>\n<p class=\"rating\">\(HTMLText.escape(view.outcome))</p>\n<ul>"
        if let proposed = view.proposedBy {
            body +=
                "<li>Proposed by \(HTMLText.escape(proposed.reviewer)): \(HTMLText.escape(proposed.rating))</li>"
        }
        if let calibrated = view.calibrated {
            body += "<li>Calibrated: \(HTMLText.escape(calibrated))</li>"
        }
        body += "<li>Promotion readiness: \(HTMLText.escape(view.promotion))</li></ul></section>\n"

        body += "<section><h2>Reasons for calibration changes</h2>\n"
        body += "<p>\(HTMLText.escape(view.calibration.sentence))</p>\n"
        if let reasoned = view.calibration.reasoned { body += reasonedHTML(reasoned) }
        body += "</section>\n"

        if !view.dissents.isEmpty {
            body += "<section><h2>Disagreement at sign-off</h2>\n<ul>"
            body += view.dissents.map { "<li class=\"dissent\">\(HTMLText.escape($0))</li>" }.joined()
            body += "</ul></section>\n"
        }
        if let response = view.response {
            body +=
                "<section><h2>Your response</h2>\n<p><span class=\"\(response.tone.rawValue)\">\(HTMLText.escape(response.sentence))</span> <span class=\"meta\">\(HTMLText.escape(responseNote))</span></p>\n"
            body += sectionsHTML(response.sections) + "</section>\n"
        }
        if let appeal = view.appeal {
            body +=
                "<section><h2>Appeal</h2>\n<p>\(HTMLText.escape(appeal.sentence))</p>\n"
                + sectionsHTML(appeal.sections)
            body +=
                "<p><strong class=\"\(appeal.answerTone.rawValue)\">\(HTMLText.escape(appeal.answer))</strong></p>\n"
            if let answered = appeal.answered { body += reasonedHTML(answered) }
            body += "</section>\n"
        }

        if !view.reviewSections.isEmpty {
            body += "<section><h2>What the review says</h2>\n<p class=\"notice\">\(HTMLText.escape(reviewNote))</p>\n"
            for section in view.reviewSections {
                body += "<h3>\(HTMLText.escape(section.title))</h3>\n"
                body += section.paragraphs.map { "<p>\(HTMLText.escape($0))</p>\n" }.joined()
            }
            body += "</section>\n"
        }

        body += "<section><h2>Expectations of your level</h2>\n"
        if !view.hasLevelGuide { body += "<p>No level guide was found.</p>\n" }
        body += "<div class=\"columns\">"
        for aspect in view.aspects {
            body += "<div><h3>\(aspect.title)\(aspect.share.map { " · \($0)%" } ?? "")</h3>"
            for dimension in aspect.dimensions {
                body += "<p><strong>\(HTMLText.escape(dimension.name))</strong></p><ul>"
                body += dimension.expectations.map { "<li>\(HTMLText.escape($0))</li>" }.joined()
                if !dimension.examples.isEmpty {
                    body +=
                        "<li class=\"meta\"><em>For example (an illustration, not a requirement):</em> "
                        + dimension.examples.map { HTMLText.escape($0) }.joined(separator: "; ") + "</li>"
                }
                body += "</ul>"
            }
            body += "</div>"
        }
        body += "</div></section>\n"

        body += "<section><h2>Evidence</h2>\n"
        if view.evidence.isEmpty {
            body += "<p>No evidence was recorded for this cycle.</p>\n"
        } else {
            body += "<ul>" + view.evidence.map { "<li>\(evidenceHTML($0))</li>" }.joined() + "</ul>\n"
        }
        body += "</section>\n"

        body += "<section><h2>Sign-offs</h2>\n"
        switch view.signoffs {
        case .unavailable(let reason):
            body += "<p>Sign-offs could not be read: \(HTMLText.escape(reason)).</p>\n"
        case .read(let rows, let missing):
            if rows.isEmpty {
                body += "<p>No sign-offs yet.</p>\n"
            } else {
                body +=
                    "<table><thead><tr><th>Role</th><th>Signed by</th><th>Date</th><th>Rating</th><th>Status</th></tr></thead><tbody>"
                for row in rows {
                    body +=
                        "<tr><td>\(HTMLText.escape(row.role))</td><td>\(HTMLText.escape(row.signer))</td><td>\(HTMLText.escape(row.date))</td><td>\(HTMLText.escape(row.rating))</td><td><span class=\"\(row.statusTone.rawValue)\">\(row.status)</span>: \(HTMLText.escape(row.reason))</td></tr>"
                }
                body += "</tbody></table>\n"
            }
            if !missing.isEmpty {
                body += "<p>Still needed: \(HTMLText.escape(missing.joined(separator: ", "))).</p>\n"
            }
        }
        body += "</section>\n"

        body += "<section><h2>Growth plan</h2>\n<p class=\"notice\">\(HTMLText.escape(growthNote))</p>\n"
        if view.growthPlans.isEmpty {
            body += "<p>No growth plan was written.</p>\n"
        } else {
            for plan in view.growthPlans {
                body += "<h3>\(HTMLText.escape(plan.source))</h3>\n"
                body += plan.paragraphs.map { "<p>\(HTMLText.escape($0))</p>\n" }.joined()
            }
        }
        body +=
            "</section>\n<footer>Generated by evident record. Calibration-private notes are never included.</footer>\n"
        return HTMLPage.document(title: view.title, body: body)
    }

    /// A decision's reason, the evidence it cites and the cited ids not found.
    static func reasonedHTML(_ reasoned: RecordView.Reasoned) -> String {
        var out = "<p>Reason: \(HTMLText.escape(reasoned.reason))</p>\n"
        if !reasoned.evidence.isEmpty {
            out +=
                "<p>Evidence cited:</p><ul>" + reasoned.evidence.map { "<li>\(evidenceHTML($0))</li>" }.joined()
                + "</ul>\n"
        }
        if !reasoned.unknownEvidence.isEmpty {
            out +=
                "<p>Also cited, but not found in your evidence: "
                + reasoned.unknownEvidence.map { "<code>\(HTMLText.escape($0))</code>" }.joined(separator: ", ")
                + "</p>\n"
        }
        return out
    }

    static func evidenceHTML(_ item: RecordView.EvidenceLine) -> String {
        var text = item.date.map { HTMLText.escape($0) + " " } ?? ""
        text += HTMLText.link(item.title, to: item.link)
        text += " <code>\(HTMLText.escape(item.id))</code>"
        if !item.dimensions.isEmpty {
            text +=
                " " + item.dimensions.map { "<span class=\"tag\">\(HTMLText.escape($0))</span>" }.joined(separator: " ")
        }
        return text
    }
}
