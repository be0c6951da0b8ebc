/// Who still owes what in a cycle, and by when: the cycle's calendar (`deadlines:` in
/// cycle.yaml) set against what the repository holds.
///
/// The people reviewed in a cycle are those the packet lists: everyone in people.yaml,
/// or the cycle's `participants:` when it names them, less anyone `exclude:` names, so
/// someone who has not started yet is listed too. Each of them owes
/// a self review (they write it), `min_peer_feedback` peer feedback files and a review
/// (their manager collects and writes them), and, once the review exists, a valid
/// sign-off for every role of `signoff.required` (owed by whoever holds the role). One
/// computation serves `evident status --missing` and the `deadline-missed` rule, so the
/// reminder a team sends and the warning CI prints never disagree.
public struct CycleObligations: Sendable {
    public struct Obligation: Sendable, Equatable {
        /// Which deadline applies: self, peer, review or calibration (sign-offs).
        public var kind: Cycle.Deadline
        /// The person reviewed.
        public var person: String
        /// Who has to act: people ids, nearest first.
        public var owners: [String]
        /// What is owed, in words: "self review", "peer feedback (1 of 2)", "manager sign-off".
        public var what: String
        /// The file that will hold it.
        public var file: String
        /// The day it is due, when the cycle dates it.
        public var due: Day?
    }

    public var cycle: Cycle
    public var obligations: [Obligation]

    /// What is owed in `cycle`, in person order, then in deadline order. `ledger`, when
    /// the repository is read from git, decides which sign-offs are still owed; without
    /// it none are listed.
    public static func compute(organisation: Organisation, cycle: Cycle, ledger: SignoffLedger?) -> CycleObligations {
        let policy = organisation.policy ?? Policy()
        let judged = ledger.map { SignoffAssessment.assess($0, organisation: organisation) }
        var result: [Obligation] = []
        for person in reviewedPeople(organisation: organisation, cycle: cycle) {
            let folder = "cycles/\(cycle.folder)/\(person)"
            let personCycle = organisation.personCycle(folder: folder)
            let manager = organisation.person(person)?.manager?.value
            let managerOwners = manager.map { [$0] } ?? []
            func owe(_ kind: Cycle.Deadline, _ what: String, _ file: String, _ owners: [String]) {
                result.append(
                    Obligation(
                        kind: kind, person: person, owners: owners, what: what, file: "\(folder)/\(file)",
                        due: cycle.deadlines[kind]?.value))
            }
            if personCycle?.selfReview == nil { owe(.self, "self review", "self.md", [person]) }
            let peers = personCycle?.peerFeedback.filter { $0.author?.value != person }.count ?? 0
            if peers < policy.minPeerFeedback {
                owe(.peer, "peer feedback (\(peers) of \(policy.minPeerFeedback))", "peer-<author>.md", managerOwners)
            }
            guard let review = personCycle?.review else {
                owe(.review, "review", "review.md", managerOwners)
                continue
            }
            guard let judged else { continue }
            let signoffs = judged[review.file]
            for role in signoffs?.missing(required: policy.requiredSignoffs) ?? policy.requiredSignoffs {
                owe(
                    .calibration, "\(role.rawValue) sign-off", "review.md",
                    holders(of: role, person: person, cycle: cycle, organisation: organisation))
            }
        }
        return CycleObligations(cycle: cycle, obligations: result)
    }

    /// The people reviewed in `cycle`, sorted: everyone in people.yaml the cycle reviews
    /// (`Cycle.isUnderReview`: its participants when it lists them, never anyone it
    /// excludes), the same people the packet lists, folder or not.
    public static func reviewedPeople(organisation: Organisation, cycle: Cycle) -> [String] {
        organisation.people.filter { cycle.isUnderReview($0) }.map(\.id.value).sorted()
    }

    /// Who can give a sign-off of `role` for `person`: the same rules `signoffRefusal`
    /// applies, turned around.
    static func holders(of role: SignoffRole, person: String, cycle: Cycle, organisation: Organisation) -> [String] {
        switch role {
        case .self: return [person]
        case .manager: return organisation.person(person)?.manager.map { [$0.value] } ?? []
        case .skipLevel:
            let chain = organisation.managers(of: person)
            return chain.count >= 2 ? [chain[1]] : []
        case .calibrator:
            guard let team = organisation.person(person)?.team.value,
                let group = organisation.calibrationGroup(cycle: cycle.folder, team: team)
            else { return [] }
            return group.calibrators.map(\.value)
        case .hr:
            return organisation.people.filter { $0.roles.contains("hr") }.map(\.id.value)
        }
    }

    /// The obligations whose deadline has passed on `today`.
    public func overdue(on today: Day) -> [Obligation] {
        obligations.filter { $0.due.map { $0 < today } ?? false }
    }
}
