/// Who may sign off what, and what the sign-offs in a ledger mean for each review.
///
/// One implementation shared by `evident signoff` (which refuses before writing), the
/// `signoff-*` rules (which report after the fact) and `evident status`, so the three can
/// never disagree about whether a sign-off counts.
extension Organisation {
    /// The person whose `email:` in people.yaml is `email`, compared without case
    /// (mail systems treat the local part case-insensitively in practice, and git config
    /// spellings vary).
    public func person(email: String) -> Person? {
        let wanted = email.lowercased()
        return people.first { $0.email.lowercased() == wanted }
    }

    /// People by lower-cased email, the first declaration winning, for callers that look
    /// up many signers (a linear search per sign-off would be quadratic).
    public func peopleByEmail() -> [String: Person] {
        var index: [String: Person] = [:]
        index.reserveCapacity(people.count)
        for person in people {
            let key = person.email.lowercased()
            if index[key] == nil { index[key] = person }
        }
        return index
    }

    /// Why `signer` (a person id) does not hold `role` for the review in the person folder
    /// `folder` (`cycles/<cycle>/<person>`); nil when they do.
    ///
    /// Roles, from the spec: `manager` is the reviewed person's manager, `skip-level` the
    /// manager's manager, `calibrator` a calibrator of the cycle's calibration group that
    /// covers the person's team, `hr` anyone with the `hr` role, `self` the person.
    public func signoffRefusal(role: String, signer: String, folder: String) -> String? {
        guard let role = SignoffRole(rawValue: role) else {
            let roles = SignoffRole.allCases.map(\.rawValue).joined(separator: ", ")
            return "'\(role)' is not a sign-off role (use one of \(roles))"
        }
        let parts = folder.split(separator: "/").map(String.init)
        guard parts.count == 3, parts[0] == "cycles" else {
            return "'\(folder)' is not a person's cycle folder (cycles/<cycle>/<person>)"
        }
        let cycleFolder = parts[1]
        let personID = parts[2]
        guard person(signer) != nil else { return "\(signer) is not in people.yaml" }
        guard let reviewed = person(personID) else { return "\(personID) is not in people.yaml" }
        switch role {
        case .self:
            return signer == personID ? nil : "\(signer) is not \(personID); only \(personID) can sign off as self"
        case .hr:
            return person(signer)?.roles.contains("hr") == true
                ? nil : "\(signer) does not have the hr role in people.yaml"
        case .manager:
            guard let manager = reviewed.manager?.value else { return "\(personID) has no manager in people.yaml" }
            return signer == manager ? nil : "\(signer) is not \(personID)'s manager (\(manager) is)"
        case .skipLevel:
            let chain = managers(of: personID)
            guard chain.count >= 2 else { return "\(personID) has no skip-level manager in people.yaml" }
            return signer == chain[1] ? nil : "\(signer) is not \(personID)'s skip-level manager (\(chain[1]) is)"
        case .calibrator:
            let team = reviewed.team.value
            let cycleName = cycle(cycleFolder)?.id.value ?? cycleFolder
            guard cycle(cycleFolder) != nil else { return "cycle \(cycleFolder) has no cycle.yaml" }
            guard let group = calibrationGroup(cycle: cycleFolder, team: team) else {
                return "no calibration group of \(cycleName) covers team \(team)"
            }
            let calibrators = group.calibrators.map(\.value)
            if calibrators.contains(signer) { return nil }
            let list = calibrators.isEmpty ? "none" : calibrators.joined(separator: ", ")
            return
                "\(signer) is not a calibrator of group \(group.id.value), which covers team \(team) in \(cycleName) (calibrators: \(list))"
        }
    }

    /// The rating a sign-off approves: the calibrated rating when calibration set one,
    /// else the manager's proposal.
    public func signoffRating(of review: ReviewDocument) -> String? {
        review.calibration?.rating?.value ?? review.rating?.value
    }
}

/// What one sign-off commit amounts to, once every other sign-off is known.
///
/// Exactly one standing per commit, decided in this order: a void is an act of its own;
/// a voided commit counts for nothing; then who signed (unauthorised), how (signature),
/// whether the signer has since said something newer (superseded), what they said
/// (withdrawn), and finally whether it approves the content as it is now (stale or valid).
public enum SignoffStanding: String, Sendable, CaseIterable, Codable {
    case valid
    /// The signer's newest word, on an earlier version of the file (or a deleted file).
    case stale
    /// A newer sign-off by the same signer, of the same file in the same role, replaced it.
    case superseded
    /// The signer's newest word is that they no longer approve.
    case withdrawn
    /// An `hr` void cancelled it.
    case voided
    case unauthorized
    case signatureProblem = "signature-problem"
    /// An effective void (by someone holding `hr`, signed as the policy requires).
    case void
}

/// What the sign-offs of one review amount to. Built by `SignoffAssessment.assess`.
public struct ReviewSignoffs: Sendable {
    /// One sign-off commit, judged.
    public struct Judged: Sendable {
        public var entry: SignoffLedger.Entry
        /// The signer's person id, nil when no one in people.yaml has the signer's email.
        public var signer: String?
        /// Why the signer does not hold the role; nil when they do.
        public var refusal: String?
        /// Why the signature does not meet the policy; nil when it does.
        public var signatureProblem: String?
        /// The newer sign-off by the same signer that replaced this one.
        public var supersededBy: SignoffLedger.Entry?
        /// The void that cancelled this one.
        public var voidedBy: SignoffLedger.Entry?
        /// Whether a signature proves who signed (false for every sign-off of a repository
        /// that does not require signatures and for unsigned ones).
        public var isVerified: Bool { entry.isSigned && entry.signatureVerified == true && signatureProblem == nil }
        /// The sign-off approves the file's current content.
        public var isCurrent: Bool { entry.currentBlob == entry.blob || entry.resealed }
        public var isAuthorized: Bool { refusal == nil }

        public var standing: SignoffStanding {
            if entry.position == .void {
                if refusal != nil { return .unauthorized }
                return signatureProblem == nil ? .void : .signatureProblem
            }
            if voidedBy != nil { return .voided }
            if refusal != nil { return .unauthorized }
            if signatureProblem != nil { return .signatureProblem }
            if supersededBy != nil { return .superseded }
            if entry.position == .withdraw { return .withdrawn }
            return isCurrent ? .valid : .stale
        }

        /// Counts: the signer's newest word, an approval (or dissent) of the current content,
        /// by someone holding the role, signed as the policy requires, not voided.
        public var isValid: Bool { standing == .valid }
    }

    /// Review-repository-relative path of the signed file.
    public var file: String
    /// The person folder's person and cycle folder names.
    public var person: String
    public var cycle: String
    /// Every sign-off of the file, newest first.
    public var signoffs: [Judged]

    private func with(_ standing: SignoffStanding) -> [Judged] { signoffs.filter { $0.standing == standing } }

    /// Every valid sign-off (one per signer and role, since newer ones supersede), in role order.
    public var valid: [Judged] { SignoffAssessment.roleOrder(with(.valid), onePerRole: false) }

    /// Valid sign-offs whose signer disagrees with the content they sign.
    public var dissents: [Judged] { valid.filter { $0.entry.position == .dissent } }

    /// For roles with no valid sign-off: the newest word of each signer that approved an
    /// earlier version.
    public var stale: [Judged] {
        let validRoles = Set(valid.map(\.entry.role))
        return SignoffAssessment.roleOrder(
            with(.stale).filter { !validRoles.contains($0.entry.role) }, onePerRole: false)
    }

    /// Approvals of the current content that the signer's newer sign-off of another
    /// version replaced: what a revert to an earlier version would otherwise bring back.
    /// (One replaced by a newer approval of the same content, or by a withdrawal, which
    /// is shown as such, tells nothing new.)
    public var superseded: [Judged] {
        with(.superseded).filter { item in
            guard item.isCurrent, item.entry.position != .withdraw, let newer = item.supersededBy else { return false }
            return newer.position != .withdraw && newer.blob != item.entry.currentBlob
        }
    }

    /// Signers whose newest word is a withdrawal.
    public var withdrawn: [Judged] { with(.withdrawn) }

    /// Sign-offs cancelled by an `hr` void, and the voids that cancelled them.
    public var voided: [Judged] { with(.voided) }
    public var voids: [Judged] { with(.void) }

    /// Sign-offs of the current content by someone who does not hold the role. One of an
    /// earlier version no longer approves anything, so it is not reported again.
    public var unauthorized: [Judged] { with(.unauthorized).filter { $0.isCurrent || $0.entry.position == .void } }

    /// Sign-offs of the current content whose signature does not meet the policy.
    public var signatureProblems: [Judged] {
        with(.signatureProblem).filter { $0.isCurrent || $0.entry.position == .void }
    }

    /// Required roles (`signoff.required`) with neither a valid nor a stale sign-off.
    public func missing(required: [SignoffRole]) -> [SignoffRole] {
        let present = Set((valid + stale).map(\.entry.role))
        return required.filter { !present.contains($0.rawValue) }
    }
}

/// Judges every entry of a ledger against the organisation and groups them by review.
public enum SignoffAssessment {
    /// Reviews that have at least one sign-off, keyed by review-repository-relative path.
    /// Entries for files outside any person folder are judged too (they are always
    /// unauthorised: only reviews can be signed off).
    ///
    /// Three passes: judge each commit on its own (role, signature); find the voids that
    /// take effect; then, per file, role and signer, let the newest commit whose identity
    /// holds (no signature problem, not voided) supersede every older one.
    public static func assess(_ ledger: SignoffLedger, organisation: Organisation) -> [String: ReviewSignoffs] {
        let policy = organisation.policy ?? Policy()
        let byEmail = organisation.peopleByEmail()
        var judged: [ReviewSignoffs.Judged] = []
        judged.reserveCapacity(ledger.entries.count)
        for entry in ledger.entries {
            let signer = byEmail[entry.signerEmail.lowercased()]
            judged.append(
                ReviewSignoffs.Judged(
                    entry: entry, signer: signer?.id.value,
                    refusal: refusal(entry, signer: signer, organisation: organisation),
                    signatureProblem: signatureProblem(entry, signer: signer, requireSignature: policy.requireSignature)
                ))
        }

        // Voids: an hr act, signed as the policy requires, naming a commit that is not itself a void.
        var voids: [String: SignoffLedger.Entry] = [:]
        for item in judged where item.standing == .void {
            if let target = item.entry.voids, voids[target] == nil { voids[target] = item.entry }
        }
        for index in judged.indices where judged[index].entry.position != .void {
            judged[index].voidedBy = voids[judged[index].entry.commitID]
        }

        // Supersession, newest first: the first commit of a (file, role, signer) that stands
        // on its own replaces every older one. A commit with a bad or missing signature (where
        // signatures are required) proves nothing, so it replaces nothing.
        var newest: [String: SignoffLedger.Entry] = [:]
        for index in judged.indices where judged[index].entry.position != .void {
            let item = judged[index]
            let key = [item.entry.file, item.entry.role, item.signer ?? "<" + item.entry.signerEmail.lowercased()]
                .joined(separator: "\u{0}")
            if let newer = newest[key] {
                judged[index].supersededBy = newer
            } else if item.voidedBy == nil && item.signatureProblem == nil {
                newest[key] = item.entry
            }
        }

        var result: [String: ReviewSignoffs] = [:]
        for item in judged {
            let parts = (PersonFolder.of(item.entry.file) ?? "").split(separator: "/").map(String.init)
            result[
                item.entry.file,
                default: ReviewSignoffs(
                    file: item.entry.file, person: parts.count == 3 ? parts[2] : "",
                    cycle: parts.count == 3 ? parts[1] : "",
                    signoffs: [])
            ].signoffs.append(item)
        }
        return result
    }

    /// Why the signer may not write this sign-off; nil when they may. A void needs only
    /// the `hr` role (it may cancel a sign-off of any file, forged ones included).
    static func refusal(_ entry: SignoffLedger.Entry, signer: Person?, organisation: Organisation) -> String? {
        guard let signer else { return "no one in people.yaml has the email \(entry.signerEmail)" }
        if entry.position == .void {
            guard entry.role == SignoffRole.hr.rawValue else { return "only an hr sign-off can void another" }
            guard entry.voids != nil else { return "the void names no sign-off commit (Evident-Voids)" }
            return signer.roles.contains("hr") ? nil : "\(signer.id.value) does not have the hr role in people.yaml"
        }
        guard let folder = PersonFolder.of(entry.file) else {
            return "\(entry.file) is not a review in a person's cycle folder"
        }
        if entry.file.split(separator: "/").last != "review.md" {
            return "only a review.md can be signed off, not \(entry.file)"
        }
        if entry.position == .dissent && (entry.reason ?? "").isEmpty {
            return "a dissent must give its reason (Evident-Reason)"
        }
        return organisation.signoffRefusal(role: entry.role, signer: signer.id.value, folder: folder)
    }

    /// The policy's view of a signature. A signature that is present but does not verify
    /// against the signer's key is always a problem (it claims an identity it cannot
    /// prove); a missing one only when `signoff.require_signature` is true.
    static func signatureProblem(_ entry: SignoffLedger.Entry, signer: Person?, requireSignature: Bool) -> String? {
        if entry.isSigned {
            if entry.signatureVerified == false {
                let whose = signer.map { "\($0.id.value)'s signing_key" } ?? "the signer's signing_key"
                return "its signature does not verify against \(whose) in people.yaml"
            }
            if entry.signatureVerified == nil && requireSignature {
                if let signer, signer.signingKey == nil {
                    return "it is signed, but \(signer.id.value) has no signing_key in people.yaml to verify it with"
                }
                return "its signature could not be verified (is ssh-keygen installed?)"
            }
            return nil
        }
        return requireSignature
            ? "it is not signed, and evident.yaml requires signed sign-offs (signoff.require_signature)" : nil
    }

    /// Orders sign-offs as `SignoffRole` does, newest first within a role; with
    /// `onePerRole`, keeps only the newest of each role.
    static func roleOrder(_ judged: [ReviewSignoffs.Judged], onePerRole: Bool = true) -> [ReviewSignoffs.Judged] {
        var seen: Set<String> = []
        let kept = onePerRole ? judged.filter { seen.insert($0.entry.role).inserted } : judged
        let order = Dictionary(uniqueKeysWithValues: SignoffRole.allCases.enumerated().map { ($1.rawValue, $0) })
        return kept.enumerated().sorted {
            (order[$0.element.entry.role] ?? Int.max, $0.offset) < (order[$1.element.entry.role] ?? Int.max, $1.offset)
        }.map(\.element)
    }
}
