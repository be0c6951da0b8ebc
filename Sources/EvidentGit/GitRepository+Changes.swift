import CGit2
import EvidentCore
import Foundation

extension GitRepository {
    /// Paths that differ between `revision` and the work tree, for `check --changed-since`:
    /// what `git diff <revision>` lists (staged or not, both sides of a rename, deletions)
    /// plus untracked files that are not ignored, as `git status` shows them. Paths are
    /// relative to the work tree; with `prefix`, only those under that folder.
    ///
    /// A CI run compares a branch with its base this way without checking out the base:
    /// only the changed paths are needed to decide what to re-check (`ChangeScope`).
    public func changedPaths(since revision: String, under prefix: String? = nil) throws -> [String] {
        let prefix = try normalizedRepoPath(prefix ?? "", allowEmpty: true)
        guard let tree = try treeHandle(revision: revision) else {
            throw GitError(
                kind: .library, message: "'\(revision)' has no commit yet", operation: "diff with the work tree")
        }
        var options = git_diff_options()
        try check(git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION)), "initialise diff options")
        options.flags =
            GIT_DIFF_INCLUDE_UNTRACKED.rawValue | GIT_DIFF_RECURSE_UNTRACKED_DIRS.rawValue
            | GIT_DIFF_INCLUDE_TYPECHANGE.rawValue
        let diff = try tree.withPointer { tree in
            try DiffHandle.make("compare '\(revision)' with the work tree", owner: self) {
                git_diff_tree_to_workdir_with_index(&$0, pointer, tree, &options)
            }
        }
        let folder = prefix.isEmpty ? "" : prefix + "/"
        var paths: Set<String> = []
        diff.withPointer { diff in
            for position in 0..<git_diff_num_deltas(diff) {
                guard let delta = git_diff_get_delta(diff, position) else { continue }
                for file in [delta.pointee.old_file, delta.pointee.new_file] {
                    guard let raw = file.path else { continue }
                    let path = String(cString: raw)
                    if path.hasPrefix(folder) { paths.insert(path) }
                }
            }
        }
        return paths.sorted()
    }
}
