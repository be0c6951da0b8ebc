import EvidentCore
import EvidentGit
import Foundation

/// `evident check --staged`: checks what the next commit will hold.
///
/// Reads the git index, never the work tree, so a pre-commit hook judges exactly what is
/// committed even when the work tree has other edits (fixed or broken). Only the files
/// the staged changes need are read: the organisation files (policy, people, levels,
/// teams, values, metrics, cycles) and the person folders holding a staged file. Only
/// staged files are reported on.
///
/// Cost: libgit2 compares the HEAD tree with the index once (in C); then only the
/// selected files are read, found through the index's sorted prefix ranges, and link
/// targets are looked up in the index one by one (`GitIndexSource`). Nothing lists the
/// 50,000 paths of a large organisation in Swift.
enum StagedCheck {
    static func perform(location: RepositoryLocation) throws -> CheckRun {
        let git = try GitContext.require(reviewRoot: location.root, for: "--staged checks the git index")
        let changes: [GitStagedChange]
        do {
            changes = try git.repository.stagedChanges(under: git.prefix.isEmpty ? nil : git.prefix)
        } catch let error as GitError {
            throw EnvironmentError("git: \(error.message)")
        }
        var staged: Set<String> = []
        for change in changes where change.status != .deleted {
            guard let path = git.reviewPath(change.path),
                !path.split(separator: "/").contains(where: { $0.hasPrefix(".") })
            else { continue }
            staged.insert(path)
        }
        guard !staged.isEmpty else {
            return CheckRun(organisation: Organisation(root: location.root, files: []), diagnostics: [])
        }
        let folders = Set(staged.compactMap(PersonFolder.of))
        let snapshot: GitIndexSource
        do {
            snapshot = try GitIndexSource.load(
                repository: git.repository, reviewRoot: git.prefix, displayRoot: location.root, personFolders: folders)
        } catch let error as GitError {
            throw EnvironmentError("git: cannot read the index: \(error.message)")
        }
        let reviews = Set(staged.filter { DocumentKind.classify($0) == .review })
        return try CheckRun.perform(
            source: snapshot, reportOn: location, selection: .organisationAnd(personFolders: folders), files: staged
        ) { organisation in
            reviews.isEmpty ? nil : try GitContext.ledger(git, organisation: organisation, content: .index, files: reviews)
        }
    }
}
