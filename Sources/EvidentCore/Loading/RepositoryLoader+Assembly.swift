extension RepositoryLoader {
    /// Builds the organisation from files that are already loaded.
    ///
    /// `load(from:selecting:)` parses every file it selects. The language server keeps
    /// parsed files between keystrokes (a level guide does not change while a review is
    /// typed), so it loads only what changed with `loadFile` and assembles the rest from
    /// its cache. Parsing a file depends on nothing but its own text, which is what makes
    /// that cache sound. `files` should be in a stable order: the first declaration of an
    /// id wins.
    public static func assemble(root: String, files: [LoadedFile]) -> Organisation {
        var organisation = Organisation(root: root, files: files)
        organisation.assemble()
        organisation.resolve()
        return organisation
    }

    /// Whether a file that `DocumentKind.classify` does not know is still worth loading,
    /// so that it gets a diagnostic (a misspelt `reveiw.md` in a person's folder).
    public static func isReportedUnknownFile(_ path: String) -> Bool {
        isUnexpectedPersonFile(path)
    }
}
