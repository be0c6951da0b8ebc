/// Which files' diagnostics a change to some paths can alter: the dependency rules behind
/// `evident check --staged`, which re-checks exactly these files and reports only on them.
///
/// A check of a change must report what a full check of the changed tree reports, for
/// every file whose diagnostics the change can alter, and must not cost a full check for
/// the everyday commit of one review. The rules, per changed path (added, modified,
/// deleted, or either side of a rename):
///
/// 1. A file in or below a person folder `cycles/<cycle>/<person>/` (evidence, self
///    review, peer feedback, review, or anything else there) affects **every file of that
///    folder**: citations, evidence-uncited, peer counts, rating evidence and sign-offs
///    are judged per folder.
/// 2. `teams/<team>.yaml` affects **the organisation files** (everything outside the
///    person folders): only people.yaml, cycle.yaml groups and other team files refer
///    to teams.
/// 3. Any other organisation file (`evident.yaml`, `people.yaml`, `values.md`,
///    `metrics.yaml`, `levels/*.md`, `cycles/*/cycle.yaml`) affects **everything**: the
///    policy, the registry, the catalogues, level guides and cycles are read by rules
///    about every person.
/// 4. Any other file (an attachment, a design note, a README, a hidden file such as
///    `.github/CODEOWNERS`) affects **everything**: a link anywhere may name it, and its
///    existence and headings decide whether that link resolves.
///
/// Not covered: a link into a person folder written outside it (`../bob/evidence.md#item`
/// in another folder, or in a level guide) is re-checked with the file it is written in,
/// not when the target's folder changes; the full check (CI) sees it. Finding such links
/// would mean reading every file, which is what a commit of one review must not cost.
public struct ChangeScope: Equatable, Sendable {
    /// Every file is affected: check the whole repository.
    public var everything = false
    /// The organisation files (every file outside the person folders) are affected.
    public var organisationFiles = false
    /// Person folders (`cycles/<cycle>/<person>`) whose files are affected.
    public var personFolders: Set<String> = []

    public init(everything: Bool = false, organisationFiles: Bool = false, personFolders: Set<String> = []) {
        self.everything = everything
        self.organisationFiles = organisationFiles
        self.personFolders = personFolders
    }

    /// The scope of a change to `paths` (review-repository-relative), by the rules above.
    public init(changedPaths paths: some Sequence<String>) {
        self.init()
        for path in paths { add(path) }
    }

    /// Widens the scope by one changed path.
    public mutating func add(_ path: String) {
        guard !path.isEmpty else { return }
        if let folder = ChangeScope.personFolder(containing: path) {
            personFolders.insert(folder)
            return
        }
        switch DocumentKind.classify(path) {
        case .team?: organisationFiles = true
        default: everything = true
        }
    }

    /// Whether the diagnostics of `path` are in scope.
    public func includes(_ path: String) -> Bool {
        if everything { return true }
        if let folder = ChangeScope.personFolder(containing: path) { return personFolders.contains(folder) }
        return organisationFiles
    }

    /// Nothing is affected.
    public var isEmpty: Bool { !everything && !organisationFiles && personFolders.isEmpty }

    /// `cycles/<cycle>/<person>` for a path in that folder or below it; nil for any other
    /// path, `cycles/<cycle>/cycle.yaml` included.
    public static func personFolder(containing path: String) -> String? {
        if let folder = PersonFolder.of(path) { return folder }
        let parts = path.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "cycles", !parts[1].isEmpty, !parts[2].isEmpty else { return nil }
        return parts[0...2].joined(separator: "/")
    }

    /// Files and folders whose name starts with "." are not part of the review repository.
    public static func isHidden(_ path: String) -> Bool {
        path.hasPrefix(".") || path.contains("/.")
    }
}
