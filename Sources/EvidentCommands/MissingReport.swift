import EvidentCore
import EvidentReporters
import Foundation

/// `evident status --missing`: what is still owed in a cycle, by person and by owner.
///
/// The JSON is a contract for reminder jobs (a CI step that posts to chat or sends
/// mail): `owed` lists every obligation once; `byOwner` groups the same entries under
/// each person who has to act, with the name and email from people.yaml.
struct MissingReport: Encodable {
    struct Owed: Encodable {
        var person: String
        /// self, peer, review or calibration: the deadline that applies.
        var kind: String
        var what: String
        var file: String
        var owners: [String]
        var due: String?
        var overdue: Bool
        /// Days past the deadline (0 on the day itself); absent when not overdue.
        var daysLate: Int?
    }

    struct Owner: Encodable {
        var owner: String
        var name: String?
        var email: String?
        var owed: [Owed]
    }

    var cycle: String
    var today: String
    var deadlines: [String: String]
    /// False outside git: sign-offs owed are then not listed.
    var signoffsRead: Bool
    var owed: [Owed]
    var byOwner: [Owner]

    static func build(organisation: Organisation, cycle: Cycle, ledger: SignoffLedger?, today: Day, signoffsRead: Bool)
        -> MissingReport
    {
        let obligations = CycleObligations.compute(organisation: organisation, cycle: cycle, ledger: ledger)
        let owed = obligations.obligations.map { obligation -> Owed in
            let late = obligation.due.map { today.daysSinceEpoch - $0.daysSinceEpoch }
            return Owed(
                person: obligation.person, kind: obligation.kind.rawValue, what: obligation.what, file: obligation.file,
                owners: obligation.owners, due: obligation.due?.description, overdue: (late ?? 0) > 0,
                daysLate: late.flatMap { $0 > 0 ? $0 : nil })
        }
        var byOwner: [String: [Owed]] = [:]
        for entry in owed {
            for owner in entry.owners { byOwner[owner, default: []].append(entry) }
        }
        let owners = byOwner.keys.sorted().map { id in
            let person = organisation.person(id)
            return Owner(owner: id, name: person?.name, email: person?.email, owed: byOwner[id] ?? [])
        }
        var deadlines: [String: String] = [:]
        for (kind, day) in cycle.deadlines.days { deadlines[kind.rawValue] = day.value.description }
        return MissingReport(
            cycle: cycle.id.value, today: today.description, deadlines: deadlines, signoffsRead: signoffsRead,
            owed: owed, byOwner: owners)
    }

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }

    /// By owner first (what each person has to do), then the totals. Names come from
    /// files and are sanitised for the terminal.
    func text() -> String {
        func clean(_ text: String) -> String { TerminalSanitizer.sanitize(text) }
        func when(_ entry: Owed) -> String {
            guard let due = entry.due else { return "no deadline" }
            if let late = entry.daysLate { return "due \(due), \(late) day\(late == 1 ? "" : "s") late" }
            return "due \(due)"
        }
        var out = "Cycle \(clean(cycle)), \(today): "
        if owed.isEmpty { return out + "nothing is owed\n" }
        out += "\(owed.count) owed, \(owed.filter(\.overdue).count) overdue\n"
        for owner in byOwner {
            let who = owner.name.map { "\(clean($0)) (\(clean(owner.owner)))" } ?? clean(owner.owner)
            out += "\n\(who)\n"
            for entry in owner.owed {
                let subject = entry.person == owner.owner ? "" : " for \(clean(entry.person))"
                out += "  \(clean(entry.what))\(subject): \(when(entry))  \(clean(entry.file))\n"
            }
        }
        let orphaned = owed.filter(\.owners.isEmpty)
        if !orphaned.isEmpty {
            out += "\nNobody holds the role for\n"
            for entry in orphaned { out += "  \(clean(entry.what)) for \(clean(entry.person)): \(when(entry))\n" }
        }
        if !signoffsRead { out += "\n(not in git: sign-offs owed are not listed)\n" }
        return out
    }
}
