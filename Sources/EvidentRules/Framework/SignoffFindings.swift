import EvidentCore

/// What the three `signoff-*` rules share: the judged ledger and where to point.
extension RuleContext {
    /// Reviews with sign-offs, judged against the organisation, in path order; empty when
    /// the check runs outside git (no ledger), so the rules then report nothing.
    var judgedSignoffs: [ReviewSignoffs] {
        guard let signoffs, !signoffs.entries.isEmpty else { return [] }
        return SignoffAssessment.assess(signoffs, organisation: organisation).values.sorted { $0.file < $1.file }
    }

    /// Where a finding about a sign-off of `file` goes: the review's `rating:` (the
    /// decision the sign-off approves), else the top of the file; nil when the file is
    /// not part of this check, as a deleted file or one outside a partial check.
    func signoffLocation(_ file: String) -> SourceLocation? {
        guard organisation.file(file) != nil else { return nil }
        if let folder = PersonFolder.of(file), let rating = organisation.personCycle(folder: folder)?.review?.rating,
            rating.location.file == file
        {
            return rating.location
        }
        return SourceLocation(file: file, line: 1, column: 1)
    }

    /// A note naming the sign-off commit, so a reader can `git show` it.
    func signoffCommitNote(_ judged: ReviewSignoffs.Judged) -> DiagnosticNote {
        let entry = judged.entry
        let signed = entry.isSigned ? "signed" : "unsigned"
        return DiagnosticNote(
            "\(public: signed) sign-off commit \(public: entry.commitID.prefix(12)) by \(public: entry.signerName) <\(public: entry.signerEmail)> on \(public: entry.date)"
        )
    }
}

/// Sign-off entries for the rule examples, against `ExampleRepository` (Alice is managed
/// by Dana, whose manager is Vera; Erin calibrates the payments team).
enum SignoffExamples {
    static let reviewBlob = "3b18e512dba79e4c8300dd08aeb37f8e728b8dad"
    static let earlierBlob = "9fceb02d0ae598e95dc970b74767f19372d61af8"

    static func entry(
        _ role: String, by name: String, _ email: String, blob: String = reviewBlob, current: String? = reviewBlob,
        commit: String = "4a1f0c9e2b7d3c5a6f8e9d0c1b2a3f4e5d6c7b8a", signed: Bool = false, verified: Bool? = nil,
        position: SignoffPosition = .approve, reason: String? = nil, voids: String? = nil
    ) -> SignoffLedger.Entry {
        SignoffLedger.Entry(
            commitID: commit, role: role, file: RuleExample.defaultFile, blob: blob, rating: "meets", signerName: name,
            signerEmail: email, date: "2026-12-15T10:00:00Z", position: position, reason: reason, voids: voids,
            isSigned: signed, signatureVerified: verified, currentBlob: current)
    }

    /// Commit ids for examples with several sign-offs (the ledger lists newest first).
    static let newerCommit = "b7e1a3d5c9f2e4a6b8d0c2e4f6a8b0d2c4e6f8a0"
    static let newestCommit = "c3d5e7f9a1b3c5d7e9f1a3b5c7d9e1f3a5b7c9d1"

    /// The example review with a marker at its `rating:` value, where sign-off findings go.
    static var markedReview: String {
        (ExampleRepository.files[RuleExample.defaultFile] ?? "").replacingOccurrences(
            of: "rating: meets", with: "rating: 1️⃣meets")
    }

    static var review: String { ExampleRepository.files[RuleExample.defaultFile] ?? "" }

    static var policyRequiringSignatures: String {
        (ExampleRepository.files["evident.yaml"] ?? "").replacingOccurrences(
            of: "require_signature: false", with: "require_signature: true")
    }
}
