/// A semantic diff as the words it shows, built once and read by the text and Markdown
/// renderers: each change's severity, summary, citation and author are decided here, so
/// the terminal and the pull-request comment cannot disagree; only layout and escaping
/// differ. (The JSON view carries the raw report instead, for tools.)
struct DiffView {
    typealias Tone = PacketPeopleRow.Tone

    struct Change {
        var file: String
        var person: String
        var summary: String
        var kind: String
        /// "error" for an uncited rating change, "warning" for late evidence, else "note".
        var severity: String
        var tone: Tone
        /// "cites rationale and 2 items (a, b)", "uncited: …", or nil when not applicable.
        var citation: String?
        var author: (name: String, date: String, commit: String)?
        /// "by Dana <dana@example.com> on 2026-12-01 in 1a2b3c4", or "author unknown".
        var authorText: String
    }

    struct Restored {
        var file: String
        var person: String
        var text: String
    }

    var baseRevision: String
    var headRevision: String
    /// The two commits, abbreviated to seven characters.
    var base: String
    var head: String
    var uncitedRatingChanges: Int
    /// "3 changes, 1 uncited rating change".
    var totals: String
    var restored: [Restored]
    var changes: [Change]

    init(_ report: SemanticDiffReport) {
        baseRevision = report.baseRevision
        headRevision = report.headRevision
        base = String(report.base.prefix(7))
        head = String(report.head.prefix(7))
        uncitedRatingChanges = report.uncitedRatingChanges.count
        totals = DiffRenderer.totals(report)
        restored = report.restoredApprovals.map {
            Restored(file: $0.file, person: $0.person, text: DiffRenderer.restoredText($0))
        }
        changes = report.changes.map { change in
            let severity = DiffRenderer.severity(change)
            return Change(
                file: change.file, person: change.person, summary: change.summary, kind: change.kind.rawValue,
                severity: severity, tone: severity == "error" ? .error : severity == "warning" ? .warning : .plain,
                citation: DiffRenderer.citationText(change),
                author: change.author.map { ($0.name, $0.date, String($0.commit.prefix(7))) },
                authorText: DiffRenderer.authorText(change.author))
        }
    }
}
