import EvidentCore
import EvidentGit
import Foundation

/// The result of `evident calibrate diff`: the semantic changes between two revisions,
/// each with the commit author who made it.
public struct SemanticDiffReport: Sendable {
    /// The revisions as given, and the commits they resolved to.
    public var baseRevision: String
    public var headRevision: String
    public var base: String
    public var head: String
    public var changes: [SemanticChange]

    /// Approvals that the head's content matches but that their signers have since
    /// replaced with sign-offs of another version: what a revert would otherwise bring back.
    public var restoredApprovals: [RestoredApproval] = []
    public var uncitedRatingChanges: [SemanticChange] { changes.filter(\.isUncitedRatingChange) }
    public var lateEvidence: [SemanticChange] { changes.filter(\.isLateEvidence) }
}

/// A changed review whose head content was approved once, by a signer whose newer
/// sign-off approved another version: the head brings back content, not the approval.
public struct RestoredApproval: Sendable, Encodable, Equatable {
    public var file: String
    public var person: String
    public var role: String
    public var signer: String
    /// The superseded approval, and the newer sign-off that replaced it.
    public var approvedIn: String
    public var replacedIn: String
}

public enum CalibrationDiff {
    /// Loads the organisation at `base` and at `head` from git (never the work tree),
    /// compares them and attributes each change.
    /// - Parameters:
    ///   - reviewRoot: the review repository's folder inside the git repository ("" for the root).
    ///   - displayRoot: the absolute path shown for files.
    public static func run(
        repository: GitRepository, base: String, head: String, reviewRoot: String, displayRoot: String,
        cycle: String? = nil
    ) throws -> SemanticDiffReport {
        let baseID = try repository.resolveCommit(base)
        let headID = try repository.resolveCommit(head)
        let include: (String) -> Bool = { DocumentKind.classify($0) != nil }
        let baseSource = try GitSnapshotSource.load(
            repository: repository, origin: .revision(baseID), reviewRoot: reviewRoot, displayRoot: displayRoot,
            include: include)
        let headSource = try GitSnapshotSource.load(
            repository: repository, origin: .revision(headID), reviewRoot: reviewRoot, displayRoot: displayRoot,
            include: include)
        let baseOrganisation = try RepositoryLoader.load(from: baseSource)
        let headOrganisation = try RepositoryLoader.load(from: headSource)
        if let cycle, headOrganisation.cycle(cycle) == nil, baseOrganisation.cycle(cycle) == nil {
            _ = try headOrganisation.requireCycle(cycle)
        }
        var changes = SemanticDiff.compare(base: baseOrganisation, head: headOrganisation, cycle: cycle)
        let authors = try lastAuthors(
            of: Set(changes.map(\.file)), repository: repository, base: baseID, head: headID, reviewRoot: reviewRoot)
        for index in changes.indices { changes[index].author = authors[changes[index].file] }
        var report = SemanticDiffReport(
            baseRevision: base, headRevision: head, base: baseID, head: headID, changes: changes)
        report.restoredApprovals = try restoredApprovals(
            files: Set(
                headSource.blobIDs.keys.filter {
                    $0.hasSuffix("/review.md") && headSource.blobIDs[$0] != baseSource.blobIDs[$0]
                }),
            organisation: headOrganisation,
            repository: repository, head: headID, reviewRoot: reviewRoot, displayRoot: displayRoot)
        return report
    }

    /// The superseded approvals of the changed reviews' content at `head`, judged as
    /// `evident check` would judge them at that revision.
    static func restoredApprovals(
        files: Set<String>, organisation: Organisation, repository: GitRepository, head: String, reviewRoot: String,
        displayRoot: String
    ) throws -> [RestoredApproval] {
        guard !files.isEmpty else { return [] }
        let location = GitReviewLocation(repository: repository, prefix: reviewRoot, reviewRoot: displayRoot)
        let ledger = try SignoffHistory.ledger(
            location: location, organisation: organisation, content: .revision(head), files: files)
        var restored: [RestoredApproval] = []
        for (file, review) in SignoffAssessment.assess(ledger, organisation: organisation).sorted(by: {
            $0.key < $1.key
        }) {
            for item in review.superseded {
                restored.append(
                    RestoredApproval(
                        file: file, person: review.person, role: item.entry.role, signer: item.entry.signerName,
                        approvedIn: item.entry.commitID, replacedIn: item.supersededBy?.commitID ?? ""))
            }
        }
        return restored
    }

    /// For each file, the author of the newest commit in `base..head` that changed it:
    /// commits reachable from `head` but not from `base`, newest first, comparing the
    /// file's blob with the first parent's. A merge that only brings in a side
    /// branch's version is skipped, so the side commit's author is found instead.
    public static func lastAuthors(
        of files: Set<String>, repository: GitRepository, base: String, head: String, reviewRoot: String
    ) throws -> [String: SemanticChange.Author] {
        guard !files.isEmpty else { return [:] }
        var baseAncestors: Set<String> = []
        try repository.forEachCommit(from: base) { commit in
            baseAncestors.insert(commit.id)
            return true
        }
        var remaining = files
        var authors: [String: SemanticChange.Author] = [:]
        let prefix = reviewRoot.isEmpty ? "" : reviewRoot + "/"
        try repository.forEachCommit(from: head) { commit in
            guard !baseAncestors.contains(commit.id) else { return true }
            for file in remaining {
                let path = prefix + file
                let blob = try repository.blobID(path: path, atRevision: commit.id)
                let parents = try commit.parentIDs.map { try repository.blobID(path: path, atRevision: $0) }
                if let first = parents.first, first == blob { continue }
                if parents.count > 1, parents.dropFirst().contains(where: { $0 == blob }) { continue }
                authors[file] = SemanticChange.Author(
                    name: commit.author.name, email: commit.author.email, commit: commit.id,
                    date: utcDay(commit.author.date))
                remaining.remove(file)
            }
            return !remaining.isEmpty
        }
        return authors
    }

    static func utcDay(_ date: Date) -> String {
        Day(daysSinceEpoch: Int((date.timeIntervalSince1970 / 86_400).rounded(.down))).description
    }
}
