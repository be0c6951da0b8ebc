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
            return person(signer)?.roles.contains("hr") == true ? nil : "\(signer) does not have the hr role in people.yaml"
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
            return "\(signer) is not a calibrator of group \(group.id.value), which covers team \(team) in \(cycleName) (calibrators: \(list))"
        }
    }

    /// The rating a sign-off approves: the calibrated rating when calibration set one,
    /// else the manager's proposal.
    public func signoffRating(of review: ReviewDocument) -> String? {
        review.calibration?.rating?.value ?? review.rating?.value
    }
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
        /// The sign-off approves the file's current content.
        public var isCurrent: Bool { entry.currentBlob == entry.blob }
        public var isAuthorized: Bool { refusal == nil }
        /// Counts: current, by someone holding the role, signed as the policy requires.
        public var isValid: Bool { isCurrent && isAuthorized && signatureProblem == nil }
    }

    /// Review-repository-relative path of the signed file.
    public var file: String
    /// The person folder's person and cycle folder names.
    public var person: String
    public var cycle: String
    /// Every sign-off of the file, newest first.
    public var signoffs: [Judged]

    /// The newest valid sign-off per role, in role order.
    public var valid: [Judged] {
        SignoffAssessment.roleOrder(signoffs.filter(\.isValid))
    }

    /// For roles with no valid sign-off: the newest authorised sign-off of an earlier
    /// version. Older stale sign-offs, and any superseded by a valid one, are history.
    public var stale: [Judged] {
        let validRoles = Set(valid.map(\.entry.role))
        return SignoffAssessment.roleOrder(
            signoffs.filter { !$0.isCurrent && $0.isAuthorized && !validRoles.contains($0.entry.role) })
    }

    /// Sign-offs of the current content by someone who does not hold the role. One of an
    /// earlier version no longer approves anything, so it is not reported again.
    public var unauthorized: [Judged] { signoffs.filter { $0.isCurrent && !$0.isAuthorized } }

    /// Sign-offs of the current content whose signature does not meet the policy.
    public var signatureProblems: [Judged] { signoffs.filter { $0.isCurrent && $0.signatureProblem != nil } }

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
    public static func assess(_ ledger: SignoffLedger, organisation: Organisation) -> [String: ReviewSignoffs] {
        let policy = organisation.policy ?? Policy()
        let byEmail = organisation.peopleByEmail()
        var result: [String: ReviewSignoffs] = [:]
        for entry in ledger.entries {
            let folder = PersonFolder.of(entry.file)
            let signer = byEmail[entry.signerEmail.lowercased()]
            var refusal: String?
            if let folder {
                if entry.file.split(separator: "/").last != "review.md" {
                    refusal = "only a review.md can be signed off, not \(entry.file)"
                } else if let signer {
                    refusal = organisation.signoffRefusal(role: entry.role, signer: signer.id.value, folder: folder)
                } else {
                    refusal = "no one in people.yaml has the email \(entry.signerEmail)"
                }
            } else {
                refusal = "\(entry.file) is not a review in a person's cycle folder"
            }
            let judged = ReviewSignoffs.Judged(
                entry: entry, signer: signer?.id.value, refusal: refusal,
                signatureProblem: signatureProblem(entry, signer: signer, requireSignature: policy.requireSignature))
            let parts = (folder ?? "").split(separator: "/").map(String.init)
            result[entry.file, default: ReviewSignoffs(
                file: entry.file, person: parts.count == 3 ? parts[2] : "", cycle: parts.count == 3 ? parts[1] : "",
                signoffs: [])].signoffs.append(judged)
        }
        return result
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
        return requireSignature ? "it is not signed, and evident.yaml requires signed sign-offs (signoff.require_signature)" : nil
    }

    /// Keeps the first (newest) sign-off per role and orders them as `SignoffRole` does.
    static func roleOrder(_ judged: [ReviewSignoffs.Judged]) -> [ReviewSignoffs.Judged] {
        var seen: Set<String> = []
        let newestPerRole = judged.filter { seen.insert($0.entry.role).inserted }
        let order = Dictionary(uniqueKeysWithValues: SignoffRole.allCases.enumerated().map { ($1.rawValue, $0) })
        return newestPerRole.enumerated().sorted {
            (order[$0.element.entry.role] ?? Int.max, $0.offset) < (order[$1.element.entry.role] ?? Int.max, $1.offset)
        }.map(\.element)
    }
}
