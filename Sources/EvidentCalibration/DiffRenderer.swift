import Foundation

/// Text (compiler style), Markdown (a pull request comment) and JSON views of a
/// semantic diff. Uncited rating changes are errors; late evidence is a warning.
public enum DiffRenderer {
    public enum Format: String, Sendable, CaseIterable {
        case text, markdown, json
    }

    public static func render(_ report: SemanticDiffReport, format: Format) -> String {
        switch format {
        case .text: return text(report)
        case .markdown: return markdown(report)
        case .json: return json(report)
        }
    }

    static func severity(_ change: SemanticChange) -> String {
        if change.isUncitedRatingChange { return "error" }
        if change.isLateEvidence { return "warning" }
        return "note"
    }

    /// "uncited: no rationale" / "cites rationale and 2 items (a, b)" / nil when not applicable.
    static func citationText(_ change: SemanticChange) -> String? {
        guard let citation = change.citation else { return nil }
        if change.isUncitedRatingChange { return "uncited: " + citation.missing.joined(separator: ", ") }
        if !citation.required && citation.evidence.isEmpty && !citation.hasRationale {
            return "no citation needed: matches the proposal"
        }
        var parts: [String] = []
        if citation.hasRationale { parts.append("rationale") }
        if !citation.evidence.isEmpty {
            parts.append(
                "\(citation.evidence.count) \(citation.evidence.count == 1 ? "item" : "items") (\(citation.evidence.joined(separator: ", ")))"
            )
        }
        return parts.isEmpty ? nil : "cites " + parts.joined(separator: " and ")
    }

    /// "restores content Dana Okafor approved as manager in 1a2b3c4, an approval her
    /// sign-off 5d6e7f8 of another version replaced; it does not count again".
    static func restoredText(_ restored: RestoredApproval) -> String {
        "restores content \(restored.signer) approved as \(restored.role) in \(restored.approvedIn.prefix(7)), "
            + "an approval their sign-off \(restored.replacedIn.prefix(7)) of another version replaced; it does not count again"
    }

    static func authorText(_ author: SemanticChange.Author?) -> String {
        guard let author else { return "author unknown" }
        return "by \(author.name) <\(author.email)> on \(author.date) in \(author.commit.prefix(7))"
    }

    static func totals(_ report: SemanticDiffReport) -> String {
        let count = report.changes.count
        guard count > 0 else { return "no semantic changes" }
        var text = "\(count) \(count == 1 ? "change" : "changes")"
        let uncited = report.uncitedRatingChanges.count
        let late = report.lateEvidence.count
        text += ", \(uncited) uncited rating \(uncited == 1 ? "change" : "changes")"
        if late > 0 { text += ", \(late) evidence \(late == 1 ? "item" : "items") after the freeze" }
        let restored = report.restoredApprovals.count
        if restored > 0 { text += ", \(restored) superseded \(restored == 1 ? "approval" : "approvals") restored" }
        return text
    }

    public static func text(_ report: SemanticDiffReport) -> String {
        let view = DiffView(report)
        var out =
            "calibrate diff \(SafeText.line(view.baseRevision)) (\(view.base))..\(SafeText.line(view.headRevision)) (\(view.head)): \(view.totals)\n"
        for change in view.changes {
            var line =
                "\(SafeText.line(change.file)): \(change.severity): \(SafeText.line(change.person)): \(SafeText.line(change.summary))"
            if let citation = change.citation { line += "; \(SafeText.line(citation))" }
            line += " [\(change.kind)]"
            out += line + "\n    " + SafeText.line(change.authorText) + "\n"
        }
        for restored in view.restored {
            out +=
                "\(SafeText.line(restored.file)): error: \(SafeText.line(restored.person)): \(SafeText.line(restored.text)) [superseded-approval]\n"
        }
        return out
    }

    public static func markdown(_ report: SemanticDiffReport) -> String {
        let view = DiffView(report)
        var out = "## Calibration diff \(MarkdownText.code(view.base))..\(MarkdownText.code(view.head))\n\n"
        let uncited = view.uncitedRatingChanges
        if uncited > 0 {
            out +=
                "**\(uncited) uncited rating \(uncited == 1 ? "change" : "changes")**: a rating moves only with a written reason and cited evidence.\n\n"
        }
        out += MarkdownText.inline(view.totals.prefix(1).uppercased() + view.totals.dropFirst()) + ".\n\n"
        for restored in view.restored {
            out += "❌ \(MarkdownText.inline(restored.person)): \(MarkdownText.inline(restored.text)).\n\n"
        }
        guard !view.changes.isEmpty else { return out }
        out += "| | Person | Change | Reason and evidence | By |\n|---|---|---|---|---|\n"
        for change in view.changes {
            let mark = change.tone == .error ? "❌" : change.tone == .warning ? "⚠️" : ""
            let by =
                change.author.map {
                    "\(MarkdownText.inline($0.name)), \($0.date), \(MarkdownText.code($0.commit))"
                } ?? "unknown"
            out +=
                "| \(mark) | \(MarkdownText.inline(change.person)) | \(MarkdownText.inline(change.summary)) \(MarkdownText.code(change.kind)) | \(MarkdownText.inline(change.citation ?? "–")) | \(by) |\n"
        }
        return out
    }

    public static func json(_ report: SemanticDiffReport) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(JSONReport(report)) else { return "{}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// The JSON shape: the report, each change with its flags, and totals.
    struct JSONReport: Encodable {
        struct Change: Encodable {
            var kind: String
            var person: String
            var cycle: String
            var file: String
            var before: String?
            var after: String?
            var proposal: String?
            var item: String?
            var summary: String
            var ratingChange: Bool
            var citation: SemanticChange.Citation?
            var cited: Bool?
            var uncited: Bool
            var afterFreeze: Bool
            var author: SemanticChange.Author?
        }
        var baseRevision: String
        var headRevision: String
        var base: String
        var head: String
        var changes: [Change]
        var uncitedRatingChanges: Int
        var lateEvidence: Int
        var restoredApprovals: [RestoredApproval]

        init(_ report: SemanticDiffReport) {
            baseRevision = report.baseRevision
            headRevision = report.headRevision
            base = report.base
            head = report.head
            changes = report.changes.map {
                Change(
                    kind: $0.kind.rawValue, person: $0.person, cycle: $0.cycle, file: $0.file, before: $0.before,
                    after: $0.after, proposal: $0.proposal, item: $0.item, summary: $0.summary,
                    ratingChange: $0.kind.isRatingChange, citation: $0.citation, cited: $0.citation?.isCited,
                    uncited: $0.isUncitedRatingChange, afterFreeze: $0.isLateEvidence, author: $0.author)
            }
            uncitedRatingChanges = report.uncitedRatingChanges.count
            lateEvidence = report.lateEvidence.count
            restoredApprovals = report.restoredApprovals
        }
    }
}
