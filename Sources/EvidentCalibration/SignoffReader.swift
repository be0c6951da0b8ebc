import EvidentCore
import EvidentGit
import Foundation

/// Reads sign-off commits from history for the decision record.
///
/// A small reader of its own, so the record does not wait on the `check` pipeline: it
/// walks the commits reachable from HEAD, keeps those whose trailers (parsed by git's
/// grammar) name one of the wanted files and that change no content, and returns them
/// as core `SignoffLedger` entries, the same shape the `signoff-*` rules read.
public enum SignoffReader {
    /// Sign-offs of `files` (review-repository-relative), newest first.
    public static func read(repository: GitRepository, reviewRoot: String, files: Set<String>) throws
        -> [SignoffLedger.Entry]
    {
        guard !files.isEmpty, try repository.headState().commitID != nil else { return [] }
        let prefix = reviewRoot.isEmpty ? "" : reviewRoot + "/"
        var entries: [SignoffLedger.Entry] = []
        var currentBlobs: [String: String?] = [:]
        try repository.forEachCommit(from: "HEAD") { commit in
            guard commit.message.contains("Evident-Signoff") else { return true }
            guard let trailers = try? commit.trailers() else { return true }
            guard let role = GitTrailers.values("Evident-Signoff", in: trailers).last,
                var file = GitTrailers.values("Evident-File", in: trailers).last,
                let blob = GitTrailers.values("Evident-Blob", in: trailers).last
            else { return true }
            if !prefix.isEmpty, file.hasPrefix(prefix) { file = String(file.dropFirst(prefix.count)) }
            guard files.contains(file) else { return true }
            // A sign-off approves content and changes none: its tree equals its parent's.
            guard let parent = commit.parentIDs.first, try repository.commit(parent).treeID == commit.treeID else {
                return true
            }
            let signer = GitTrailers.values("Signed-off-by", in: trailers).last.flatMap(parseIdentity)
                ?? (commit.author.name, commit.author.email)
            if currentBlobs[file] == nil {
                currentBlobs[file] = .some(try repository.blobID(path: prefix + file, atRevision: "HEAD"))
            }
            entries.append(
                SignoffLedger.Entry(
                    commitID: commit.id, role: role, file: file, blob: blob,
                    rating: GitTrailers.values("Evident-Rating", in: trailers).last, signerName: signer.name,
                    signerEmail: signer.email, date: CalibrationDiff.utcDay(commit.author.date),
                    isSigned: commit.isSigned, signatureVerified: nil, currentBlob: currentBlobs[file] ?? nil))
            return true
        }
        return entries
    }

    /// `Name <email>` → (name, email).
    static func parseIdentity(_ text: String) -> (name: String, email: String)? {
        guard let open = text.lastIndex(of: "<"), let close = text.lastIndex(of: ">"), open < close else { return nil }
        let name = text[..<open].trimmingCharacters(in: .whitespaces)
        let email = text[text.index(after: open)..<close].trimmingCharacters(in: .whitespaces)
        return (name, email)
    }
}
