/// Who may read a sealed file (SPEC §8): the `sealing.readers` terms of its kind
/// resolved against people.yaml and the cycle, plus everyone with role `hr` or `ci`.
///
/// A pure function of the organisation, so the sealing filter, `seal-readers` and
/// `reseal` agree on one answer, and a change of manager or calibrator shows up as a
/// change of readers.
public enum SealReaders {
    /// The kind of sealed text a path holds, or nil for files that are never sealed
    /// (organisation files, `cycle.yaml`, anything Evident does not classify).
    public static func kind(of path: String) -> SealingPolicy.FileKind? {
        kind(of: DocumentKind.classify(path))
    }

    /// The kind of sealed text a document of `kind` is, nil for documents never sealed.
    static func kind(of kind: DocumentKind?) -> SealingPolicy.FileKind? {
        switch kind {
        case .evidence: return .evidence
        case .selfReview: return .selfReview
        case .peerFeedback: return .peer
        case .review: return .review
        // The person writes these and their managers and calibrators answer them: the
        // readers of a self review, until `sealing.readers` names them.
        case .response, .appeal: return .selfReview
        default: return nil
        }
    }

    /// The person ids that read `path`, sorted, or nil when the path is never sealed.
    /// `privateSection` asks for the readers of its `## Private` sections instead.
    ///
    /// Taken from the organisation's `SealReaderSets`, which works out each person
    /// folder's readers once: `seal-readers`, `seal-no-key`, the filter and `reseal` ask
    /// for the same folders again and again, and a check of 50,000 sealed files spent a
    /// seventh of its time here.
    public static func readers(of path: String, in organisation: Organisation, privateSection: Bool = false)
        -> [String]?
    {
        organisation.sealReaderSets.readers(of: path, privateSection: privateSection, in: organisation)
    }

    /// The readers of `path` and of its `## Private` sections, both sorted, nil when the
    /// path is never sealed: `readers(of:)` and `readers(of:privateSection: true)` in one
    /// look at the folder's readers.
    public static func readerPair(of path: String, in organisation: Organisation) -> SealReaderPair? {
        organisation.sealReaderSets.readerPair(of: path, in: organisation)
    }

    /// Every person who reads some file of the organisation, or one of its `## Private`
    /// sections: whom `seal-no-key` expects a key from.
    public static func everyReader(in organisation: Organisation) -> Set<String> {
        organisation.sealReaderSets.everyReader(in: organisation)
    }

    /// The readers of `path` worked out from the policy and the organisation directly,
    /// term by term, with nothing remembered: the definition `SealReaderSets` must agree
    /// with (the tests compare the two on every file).
    static func uncachedReaders(of path: String, in organisation: Organisation, privateSection: Bool = false)
        -> [String]?
    {
        guard let fileKind = kind(of: path), let folder = PersonFolder.of(path) else { return nil }
        let parts = folder.split(separator: "/")
        guard parts.count == 3 else { return nil }
        let cycleFolder = String(parts[1])
        let subject = String(parts[2])
        let sealing = (organisation.policy ?? Policy()).sealing
        let kind = privateSection ? .privateSection : fileKind
        var readers = Set<String>()
        for term in sealing.terms(for: kind) {
            readers.formUnion(resolve(term, subject: subject, path: path, cycleFolder: cycleFolder, in: organisation))
        }
        // The person reads their review once the cycle is closed (not its private sections).
        if kind == .review, organisation.cycle(cycleFolder)?.phase == .closed {
            readers.insert(subject)
        }
        readers.formUnion(organisation.readAllPeople)
        return readers.sorted()
    }

    /// Whether a `named` term resolves to anyone: a person id, or a role someone holds.
    public static func namesAnyone(_ name: String, in organisation: Organisation) -> Bool {
        organisation.person(name) != nil || organisation.people.contains { $0.roles.contains(name) }
    }

    /// The author a `peer-<author>.md` file names, nil for any other file name.
    ///
    /// On the path's bytes: asked for every file of a check, where splitting the path
    /// into Characters cost more than the lookups it serves.
    public static func author(of path: String) -> String? {
        let bytes = path.utf8
        let name = bytes.lastIndex(of: UInt8(ascii: "/")).map { bytes[bytes.index(after: $0)...] } ?? bytes[...]
        guard name.starts(with: "peer-".utf8), name.count >= 8, name.reversed().starts(with: "dm.".utf8) else {
            return nil
        }
        // Whole Characters, as before: "\r\n" or a combining mark cannot sit inside the ASCII
        // prefix and suffix, but one could join the last byte of the author to ".md".
        let text = Substring(name)
        guard text.hasPrefix("peer-"), text.hasSuffix(".md") else { return nil }
        return String(text.dropFirst(5).dropLast(3))
    }

    static func resolve(
        _ term: SealingPolicy.Term, subject: String, path: String, cycleFolder: String, in organisation: Organisation
    ) -> [String] {
        switch term {
        case .person:
            return [subject]
        case .author:
            return author(of: path).map { [$0] } ?? []
        case .manager:
            return Array(organisation.managers(of: subject).prefix(1))
        case .skipLevel:
            return Array(organisation.managers(of: subject).dropFirst().prefix(1))
        case .managerChain:
            return organisation.managers(of: subject)
        case .calibrators:
            guard let team = organisation.person(subject)?.team.value,
                let cycle = organisation.cycle(cycleFolder)
            else { return [] }
            return cycle.groups.filter { $0.teams.contains { $0.value == team } }.flatMap {
                $0.calibrators.map(\.value)
            }
        case .named(let name):
            if organisation.person(name) != nil { return [name] }
            return organisation.people.filter { $0.roles.contains(name) }.map(\.id.value)
        }
    }
}

extension DocumentKind {
    /// The files of a person's cycle folder: the ones sealing applies to.
    public var isPersonFile: Bool {
        switch self {
        case .evidence, .selfReview, .peerFeedback, .review, .response, .appeal: return true
        default: return false
        }
    }
}

extension Organisation {
    /// Person folders (`cycles/<cycle>/<person>`) holding a file sealed to others than
    /// this checkout's reader: `check` skips them rather than report on what it cannot read.
    public var sealedPersonFolders: Set<String> {
        Set(files.filter(\.isSealed).compactMap { PersonFolder.of($0.path) })
    }
}

extension Organisation {
    /// Whether diagnostics about `path` must not quote its text: sealing is on and the
    /// file is under `cycles/` (every file there but `cycle.yaml`, wider than what the
    /// filter seals, so a file Evident does not classify is not quoted either).
    public func withholdsText(of path: String) -> Bool {
        guard policy?.sealing.enabled == true, path.hasPrefix("cycles/") else { return false }
        return DocumentKind.classify(path) != .cycle
    }
}
