/// What a sign-off commit says about the content it names (`Evident-Position`).
///
/// A signer's newest sign-off of a file in a role is their current word on it; the
/// position says what that word is.
public enum SignoffPosition: String, Sendable, CaseIterable, Codable {
    /// The signer approves the content (no `Evident-Position` trailer, or `approve`).
    case approve
    /// The signer approves the content while disagreeing with it, for a written reason:
    /// the approval counts, and the disagreement is shown wherever the sign-off is.
    case dissent
    /// The signer no longer approves the file; nothing of theirs counts for the role.
    case withdraw
    /// An `hr` sign-off that cancels another sign-off commit (`Evident-Voids`), for a
    /// written reason: the way out of a forged or mistaken commit without rewriting history.
    case void
}

/// Sign-off commits relevant to the check, gathered by the git layer and handed to the
/// `signoff-*` rules. A plain value, so rules stay free of git handles.
public struct SignoffLedger: Sendable {
    /// One sign-off commit. The git layer reads it from history with the verdicts
    /// (`signatureVerified`, `currentBlob`, `resealed`) unset and `file` the git path
    /// (`SignoffHistory.Record`, which is this type), then judges it into the ledger.
    public struct Entry: Sendable, Equatable {
        public var commitID: String
        public var role: String
        public var file: String
        public var blob: String
        public var rating: String?
        /// The identity the sign-off claims (its last `Signed-off-by`, else the committer).
        public var signerName: String
        public var signerEmail: String
        /// Who committed it, shown beside the claimed signer when the two differ and no
        /// signature proves the claim.
        public var committerName: String
        public var committerEmail: String
        public var date: String
        public var position: SignoffPosition
        /// `Evident-Reason`: why the signer dissents, or why a sign-off is voided.
        public var reason: String?
        /// For a void: the full id of the sign-off commit it cancels.
        public var voids: String?
        /// Whether the commit carries a signature, and whether it verified against the
        /// signer's key from people.yaml (nil when not checked).
        public var isSigned: Bool
        public var signatureVerified: Bool?
        /// The blob currently committed for `file`, nil when the file is gone.
        public var currentBlob: String?
        /// The current blob is another sealing of the signed text (a reseal): the
        /// sign-off still approves the current content.
        public var resealed: Bool

        public init(
            commitID: String, role: String, file: String, blob: String, rating: String?, signerName: String,
            signerEmail: String, committerName: String? = nil, committerEmail: String? = nil, date: String,
            position: SignoffPosition = .approve, reason: String? = nil, voids: String? = nil, isSigned: Bool,
            signatureVerified: Bool?, currentBlob: String?, resealed: Bool = false
        ) {
            self.commitID = commitID
            self.role = role
            self.file = file
            self.blob = blob
            self.rating = rating
            self.signerName = signerName
            self.signerEmail = signerEmail
            self.committerName = committerName ?? signerName
            self.committerEmail = committerEmail ?? signerEmail
            self.date = date
            self.position = position
            self.reason = reason
            self.voids = voids
            self.isSigned = isSigned
            self.signatureVerified = signatureVerified
            self.currentBlob = currentBlob
            self.resealed = resealed
        }

        /// The committer differs from the identity the sign-off claims (compared by email,
        /// without case).
        public var committedBySomeoneElse: Bool {
            committerEmail.lowercased() != signerEmail.lowercased()
        }
    }

    /// Every sign-off, newest first (children before parents).
    public var entries: [Entry]

    public init(entries: [Entry]) { self.entries = entries }
}
