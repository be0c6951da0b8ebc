import EvidentCore
import EvidentGit
import Foundation

/// `evident check --changed-since <rev>`: the work tree, re-checked where it differs from
/// a revision, for CI on a branch (issue 18).
///
/// The changed paths are those of `git diff <rev>` plus untracked files; the files they
/// can affect follow the same dependency rules as `--staged` (`ChangeScope`), and the
/// report is what the full check of the work tree reports for those files. Unless
/// everything is affected, only the organisation files and the affected person folders
/// are parsed.
enum ChangedSinceCheck {
    static func perform(location: RepositoryLocation, since revision: String, showText: Bool = false) throws -> CheckRun
    {
        let git = try GitContext.require(reviewRoot: location.root, for: "--changed-since compares with a git revision")
        let changed: [String]
        do {
            changed = try git.repository.changedPaths(since: revision, under: git.prefix.isEmpty ? nil : git.prefix)
        } catch let error as GitError {
            throw EnvironmentError("git: \(error.message)")
        }
        let scope = ChangeScope(changedPaths: changed.compactMap { git.reviewPath($0) })
        // Only the affected person folders are listed: the report's files come from the
        // change scope, and the loader reads nothing from the other folders anyway. The team
        // files are left out unless an organisation file is affected (as for `--staged`).
        let disk = try DiskSource(
            root: location.root, personFolders: scope.everything ? nil : scope.personFolders,
            teams: scope.everything || scope.organisationFiles)
        let source: any RepositorySource = scope.everything ? disk : try ListedOnce(disk)
        let selection: FileSelection = scope.everything ? .all : .organisationAnd(personFolders: scope.personFolders)
        let reported: Set<String>? = scope.everything ? nil : Set(try source.listFiles().filter(scope.includes))
        let reviews = reported.map { $0.filter { DocumentKind.classify($0) == .review } }
        let run = try CheckRun.perform(
            source: source, reportOn: location, selection: selection, files: reported, showText: showText
        ) {
            organisation in
            if let reviews, reviews.isEmpty { return nil }
            return try GitContext.ledger(git, organisation: organisation, content: .workTree, files: reviews)
        }
        // The changed paths came from the mapped index; one rewritten in place meanwhile
        // voids the run, as for `--staged`.
        try GitContext.requireIntactIndex(git)
        return run
    }
}

/// A disk source listed once: the report's files and the loader both ask for the list.
private struct ListedOnce: RepositorySource {
    let base: DiskSource
    let files: [String]

    init(_ base: DiskSource) throws {
        self.base = base
        files = try base.listFiles()
    }

    var root: String { base.root }
    func listFiles() throws -> [String] { files }
    func read(_ path: String) throws -> [UInt8] { try base.read(path) }
    func status(of path: String) -> PathStatus { base.status(of: path) }
    func decoded(_ path: String, kind: DocumentKind) -> LoadedFile? { base.decoded(path, kind: kind) }
}
