import EvidentCore

/// Texts outside review bodies that reach the decision record or the packet word for
/// word, so the language rules hold them to the review's standard: the review's
/// `summary:`, the calibration rationale, an appeal answer's rationale, and the reasons
/// of sign-offs that dissent or withdraw.
struct JudgementText {
    /// What the text is, for the message ("the summary", "the appeal answer's rationale").
    var what: String
    var lines: [String]
    var location: SourceLocation
    /// Whether a `[@id]` in the same paragraph excuses a vague phrase, as in review prose;
    /// rationales and reasons cite through their own evidence lists, if at all.
    var citationsExcuse: Bool
}

extension RuleContext {
    /// The front matter texts of a person's folder that the language rules check.
    func judgementTexts(of personCycle: PersonCycle) -> [JudgementText] {
        var texts: [JudgementText] = []
        func add(_ what: String, _ value: Located<String>?, citationsExcuse: Bool = false) {
            guard let value else { return }
            texts.append(
                JudgementText(
                    what: what,
                    lines: TextLines.split(value.value),
                    location: value.location, citationsExcuse: citationsExcuse))
        }
        add("the summary", personCycle.review?.summary, citationsExcuse: true)
        add("the appeal answer's rationale", personCycle.appeal?.appeal?.answer?.rationale)
        return texts
    }

    /// The reasons of sign-offs that are their signer's newest word on a file in a role
    /// and dissent or withdraw: what the record and the packet show beside the
    /// sign-off. Reported at the review's rating, since a commit message has no line.
    /// An older reason its signer has since replaced is not held against the file.
    func currentSignoffReasons() -> [JudgementText] {
        guard let signoffs else { return [] }
        var seen: Set<String> = []
        var texts: [JudgementText] = []
        for entry in signoffs.entries {
            // Entries are newest first: the first of each (file, role, signer) is current.
            guard seen.insert("\(entry.file)\u{1F}\(entry.role)\u{1F}\(entry.signerEmail.lowercased())").inserted,
                entry.position == .dissent || entry.position == .withdraw,
                let reason = entry.reason, !reason.isEmpty,
                let location = signoffLocation(entry.file)
            else { continue }
            let kind = entry.position == .dissent ? "dissent" : "withdrawal"
            texts.append(
                JudgementText(
                    what:
                        "the \(kind) reason of \(entry.signerName)'s \(entry.role) sign-off \(entry.commitID.prefix(12))",
                    lines: [reason], location: location, citationsExcuse: false))
        }
        return texts
    }
}
