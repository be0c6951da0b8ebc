import EvidentCore
import EvidentGit
import Foundation

/// The reviews one signer approved whose content has changed since: what `evident
/// signoff --renew` offers to sign again, each with the semantic changes between the
/// version they approved and the committed one, so nobody re-signs blind.
public struct SignoffRenewal: Sendable {
    public struct Candidate: Sendable {
        /// Review-repository-relative path.
        public var file: String
        public var role: SignoffRole
        /// The blob the signer approved and the one committed now.
        public var signedBlob: String
        public var currentBlob: String
        public var signedCommit: String
        /// What changed between the two, as `calibrate diff` describes it.
        public var changes: [SemanticChange]
    }

    /// The signer, from git's `user.email`.
    public var signer: Person
    public var candidates: [Candidate]

    /// Finds the stale sign-offs of the person whose email is `email`, as committed at HEAD.
    public static func find(
        email: String, location: GitReviewLocation, cycleFolder: String? = nil, role: SignoffRole? = nil
    ) throws -> SignoffRenewal? {
        let repository = location.repository
        let headSource = try GitSnapshotSource.load(
            repository: repository, origin: .revision("HEAD"), reviewRoot: location.prefix,
            displayRoot: location.reviewRoot, include: { DocumentKind.classify($0) != nil })
        let organisation = try RepositoryLoader.load(from: headSource)
        guard let signer = organisation.person(email: email) else { return nil }
        let ledger = try SignoffHistory.ledger(location: location, organisation: organisation, content: .head)
        var candidates: [Candidate] = []
        for (file, review) in SignoffAssessment.assess(ledger, organisation: organisation).sorted(by: {
            $0.key < $1.key
        }) {
            if let cycleFolder, review.cycle != cycleFolder { continue }
            for item in review.stale where item.signer == signer.id.value {
                guard let itemRole = SignoffRole(rawValue: item.entry.role), role == nil || role == itemRole,
                    let current = item.entry.currentBlob
                else { continue }
                candidates.append(
                    Candidate(
                        file: file, role: itemRole, signedBlob: item.entry.blob, currentBlob: current,
                        signedCommit: item.entry.commitID, changes: []))
            }
        }
        // One comparison for all of them: the organisation as committed, against the same
        // organisation with each candidate's file at the version that was approved.
        if !candidates.isEmpty {
            var signedFiles: [String: [UInt8]] = [:]
            for candidate in candidates {
                signedFiles[candidate.file] = Array(try repository.readBlob(id: candidate.signedBlob))
            }
            var base: [String: [UInt8]] = [:]
            for path in try headSource.listFiles() where signedFiles[path] == nil {
                if let bytes = try? headSource.read(path) { base[path] = bytes }
            }
            base.merge(signedFiles) { $1 }
            let baseOrganisation = try RepositoryLoader.load(from: MemorySource(root: location.reviewRoot, files: base))
            let changes = SemanticDiff.compare(base: baseOrganisation, head: organisation)
            for index in candidates.indices {
                candidates[index].changes = changes.filter { $0.file == candidates[index].file }
            }
        }
        return SignoffRenewal(signer: signer, candidates: candidates)
    }
}
