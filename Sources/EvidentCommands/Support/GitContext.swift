import EvidentCore
import EvidentGit
import Foundation

/// The git side of a command: finding the repository around a review repository and
/// reading its sign-offs, with git failures turned into `EnvironmentError` (exit 2).
enum GitContext {
    /// The git repository holding `reviewRoot`, nil when there is none. Inside a git hook
    /// the repository comes from the environment git set up (see `GitReviewLocation.find`).
    static func find(reviewRoot: String) throws -> GitReviewLocation? {
        do {
            return try GitReviewLocation.find(reviewRoot: reviewRoot)
        } catch let error as GitError {
            throw EnvironmentError("git: \(error.message)")
        }
    }

    /// Like `find`, but a review repository outside git is an error for `purpose`.
    static func require(reviewRoot: String, for purpose: String) throws -> GitReviewLocation {
        guard let location = try find(reviewRoot: reviewRoot) else {
            throw EnvironmentError(
                "\(reviewRoot) is not inside a git repository; \(purpose) (git init, then commit the review repository)"
            )
        }
        return location
    }

    static func ledger(
        _ location: GitReviewLocation, organisation: Organisation, content: SignoffHistory.Content,
        files: Set<String>? = nil
    ) throws -> SignoffLedger {
        do {
            return try SignoffHistory.ledger(
                location: location, organisation: organisation, content: content, files: files)
        } catch let error as GitError {
            throw EnvironmentError("cannot read sign-offs from git history: \(error.message)")
        }
    }

    /// Refuses a run whose mapped index was rewritten in place while it was read: the
    /// entries it answered from may be zeros, so its result cannot be trusted (exit 2).
    static func requireIntactIndex(_ location: GitReviewLocation) throws {
        do {
            try location.repository.requireIntactIndex()
        } catch let error as GitError {
            throw EnvironmentError("git: \(error.message)")
        }
    }
}
