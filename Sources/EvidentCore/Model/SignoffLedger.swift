/// Sign-off commits relevant to the check, gathered by the git layer and handed to the
/// `signoff-*` rules. A plain value, so rules stay free of git handles.
public struct SignoffLedger: Sendable {
    public struct Entry: Sendable {
        public var commitID: String
        public var role: String
        public var file: String
        public var blob: String
        public var rating: String?
        public var signerName: String
        public var signerEmail: String
        public var date: String
        /// Whether the commit carries a signature, and whether it verified against the
        /// signer's key from people.yaml (nil when not checked).
        public var isSigned: Bool
        public var signatureVerified: Bool?
        /// The blob currently committed for `file`, nil when the file is gone.
        public var currentBlob: String?

        public init(
            commitID: String, role: String, file: String, blob: String, rating: String?, signerName: String,
            signerEmail: String, date: String, isSigned: Bool, signatureVerified: Bool?, currentBlob: String?
        ) {
            self.commitID = commitID
            self.role = role
            self.file = file
            self.blob = blob
            self.rating = rating
            self.signerName = signerName
            self.signerEmail = signerEmail
            self.date = date
            self.isSigned = isSigned
            self.signatureVerified = signatureVerified
            self.currentBlob = currentBlob
        }
    }

    public var entries: [Entry]

    public init(entries: [Entry]) { self.entries = entries }
}
