import EvidentCore

extension Organisation {
    /// Whether a review file of the folder could not be read as a document (its front
    /// matter does not parse, say). Its items and citations are then unknown, so rules
    /// that count or resolve them stay quiet for the folder rather than bury the one
    /// real front-matter-syntax error under a cascade of consequences.
    public func hasUnreadableFile(_ personCycle: PersonCycle) -> Bool {
        personCycle.files.contains { path in
            guard let file = file(path), file.kind != nil else { return false }
            return file.document == nil
        }
    }
}

/// `Organisation.hasUnreadableFile` for every folder of a check, found in one pass over
/// the files: asking per folder copies each of the folder's files out of the
/// organisation, which cost more than the rules that ask. In the usual repository no
/// file is unreadable and every answer is a check of an empty set.
struct UnreadableFiles {
    private let paths: Set<String>

    init(_ organisation: Organisation) {
        var paths = Set<String>()
        for index in organisation.files.indices {
            let unreadable = organisation.files[index].kind != nil && organisation.files[index].document == nil
            // `Organisation.file(_:)` answers with the last file of a path; so does this.
            if unreadable {
                paths.insert(organisation.files[index].path)
            } else if !paths.isEmpty {
                paths.remove(organisation.files[index].path)
            }
        }
        self.paths = paths
    }

    /// Whether a file of the folder could not be read, as `hasUnreadableFile` answers.
    func any(in personCycle: PersonCycle) -> Bool {
        !paths.isEmpty && personCycle.files.contains { paths.contains($0) }
    }
}
