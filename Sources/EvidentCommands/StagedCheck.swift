import EvidentCore
import EvidentGit
import Foundation

/// `evident check --staged`: checks what the next commit will hold.
///
/// Reads the git index, never the work tree, so a pre-commit hook judges exactly what is
/// committed even when the work tree has other edits (fixed or broken). It reports what a
/// full check of the staged tree reports for every file the staged changes can affect,
/// by the dependency rules of `ChangeScope`: the whole folder of each person folder
/// touched (deletions included), the organisation files when a team file is staged, and
/// everything when another organisation file or a file outside the person folders is.
///
/// Cost: the HEAD tree is compared with the index folder by folder (`stagedChanges`);
/// then, unless everything is affected, only the organisation files and the affected
/// person folders are read, found through the index's sorted prefix ranges, and link
/// targets are looked up in the index one by one (`GitIndexSource`). Nothing lists the
/// 50,000 paths of a large organisation in Swift for the commit of one review.
enum StagedCheck {
    static func perform(location: RepositoryLocation, showText: Bool = false) throws -> CheckRun {
        let git = try GitContext.require(reviewRoot: location.root, for: "--staged checks the git index")
        let changes: [GitStagedChange]
        do {
            changes = try git.repository.stagedChanges(under: git.prefix.isEmpty ? nil : git.prefix)
        } catch let error as GitError {
            throw EnvironmentError("git: \(error.message)")
        }
        let scope = ChangeScope(changedPaths: changes.compactMap { git.reviewPath($0.path) })
        let snapshot: GitIndexSource
        do {
            snapshot = try GitIndexSource.load(
                repository: git.repository, reviewRoot: git.prefix, displayRoot: location.root,
                personFolders: scope.personFolders, everything: scope.everything,
                teams: scope.everything || scope.organisationFiles)
        } catch let error as GitError {
            throw EnvironmentError("git: cannot read the index: \(error.message)")
        }
        // With nothing affected the organisation files are still read, so the summary
        // names the organisation and counts its people.
        let selection: FileSelection = scope.everything ? .all : .organisationAnd(personFolders: scope.personFolders)
        let reported: Set<String>? = scope.everything ? nil : Set(try snapshot.listFiles().filter(scope.includes))
        let reviews = reported.map { $0.filter { DocumentKind.classify($0) == .review } }
        // The index holds sealed blobs; a reader's identity opens them as the filter would.
        let source = OpeningSource.wrapping(snapshot, repository: git.repository) ?? snapshot
        let run = try CheckRun.perform(
            source: source, reportOn: location, selection: selection, files: reported, showText: showText,
            stored: GitStoredContent(sharing: snapshot)
        ) {
            organisation in
            if let reviews, reviews.isEmpty { return nil }
            return try GitContext.ledger(git, organisation: organisation, content: .index, files: reviews)
        }
        // The index is read in place (mapped); one rewritten in place meanwhile voids the run.
        try GitContext.requireIntactIndex(git)
        return run
    }
}
