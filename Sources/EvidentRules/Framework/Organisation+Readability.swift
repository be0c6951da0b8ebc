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
