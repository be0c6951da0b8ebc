import EvidentCore
import EvidentSeal

/// With sealing on, a review file under `cycles/` stored in plaintext, or sealed to
/// other recipients than its readers; and a reader term that names no one.
///
/// Needs no private key: the ssh stanzas of an age header carry the tags of their
/// recipients' keys, which are compared with the tags of the readers' `signing_key`s.
/// Judges what git stores (the index, where the sealing filter is configured), not a
/// reader's plaintext work tree. Where this clone's identity opens a file, its `## Private`
/// blocks are checked against the private readers too. Positions: line 1, column 1 of the
/// file (a private section at its heading); a reader term at its place in evident.yaml.
struct SealReadersRule: Rule {
    static let description = RuleDescription(
        id: "seal-readers",
        defaultSeverity: .error,
        summary: "a file under cycles/ in plaintext while sealing is on, or sealed to others than its readers",
        rationale: """
            A git repository has no per-file read permission: whoever can clone it reads every blob in its \
            history. With `sealing: { enabled: true }`, evidence logs, self reviews, peer feedback and reviews \
            are stored as age files sealed to exactly their readers' SSH keys. A file committed in plaintext \
            is readable by everyone with the repository, forever; a file sealed to the wrong keys is either \
            readable by someone who should not read it or unreadable by someone who must. The rule compares \
            the key tags in each sealed file's header with the tags of its readers' `signing_key`s, so it \
            runs without any private key, in CI or on a non-reader's clone. A reader term in \
            `sealing.readers` that names no person and no role is reported too: a typo there silently drops \
            readers. Where this clone's key opens a file, the rule also reports a file that does not open \
            (altered or forged), a `## Private` section left in plaintext inside it, and a private block sealed \
            to others than the private readers.
            """,
        triggeringExamples: [
            RuleExample(
                files: [
                    "evident.yaml": SealingExamples.policy, "people.yaml": SealingExamples.people(),
                    "cycles/2026-h2/alice/review.md": "1️⃣"
                        + (ExampleRepository.files["cycles/2026-h2/alice/review.md"] ?? ""),
                ], caption: "a review stored in plaintext while sealing is on",
                removing: SealingExamples.otherFilesOfAlice),
            RuleExample(
                files: [
                    "evident.yaml": SealingExamples.policy, "people.yaml": SealingExamples.people(),
                    "cycles/2026-h2/alice/review.md": "1️⃣" + SealingExamples.reviewSealedToOthers,
                ], caption: "a review sealed to bob, who is no reader, and not to vera and erin, who are",
                removing: SealingExamples.otherFilesOfAlice),
            RuleExample(
                files: [
                    "evident.yaml": (ExampleRepository.files["evident.yaml"] ?? "")
                        + "sealing: { enabled: true, readers: { review: [manager-chain, 1️⃣calibrator] } }\n",
                    "people.yaml": SealingExamples.people(),
                ], caption: "a reader term that names no person and no role (calibrators was meant)",
                removing: SealingExamples.otherFilesOfAlice + ["cycles/2026-h2/alice/review.md"]),
        ],
        nonTriggeringExamples: [
            RuleExample(
                files: [
                    "evident.yaml": SealingExamples.policy, "people.yaml": SealingExamples.people(),
                    "cycles/2026-h2/alice/review.md": SealingExamples.reviewSealedToReaders,
                ],
                caption: "a review sealed to exactly its readers: dana and vera (manager chain) and erin (calibrator)",
                removing: SealingExamples.otherFilesOfAlice),
            RuleExample(
                ExampleRepository.files["evident.yaml"] ?? "", file: "evident.yaml",
                caption: "sealing off: review files are plaintext"),
        ])

    func check(_ context: RuleContext) {
        let sealing = context.policy.sealing
        guard sealing.enabled else { return }
        let organisation = context.organisation
        for kind in SealingPolicy.FileKind.allCases {
            for term in sealing.readers[kind] ?? [] {
                if case .named(let name) = term.value, !SealReaders.namesAnyone(name, in: organisation) {
                    context.report(
                        "reader '\(public: name)' of \(public: kind.rawValue) files names no person and no role in people.yaml",
                        at: term.location)
                }
            }
        }
        // Keys are parsed only for the people a checked file names (a pre-commit check of
        // one review needs a handful of 10,000), and every key only when a file is sealed
        // to a key its readers do not hold.
        let keys = KeyTags(organisation)
        let stored = context.stored ?? SourceStoredContent()
        let sets = organisation.sealReaderSets
        // Person folders are visited, not files. Storage may know a folder clean (its
        // stored tree and everything readers come from unchanged), and then its files'
        // readers are never worked out; for the others, a folder's readers of each kind,
        // and the condition they make, are worked out once for its files, a peer file's
        // author added to them.
        var folders: [JudgedFolder] = []
        for personCycle in organisation.personCycles {
            let paths = personCycle.files.filter { context.reports($0) }
            if !paths.isEmpty { folders.append(JudgedFolder(path: personCycle.folder, paths: paths)) }
        }
        var folderReaders: [SealFolderReaders] = []
        // Per judged file: its folder's readers (in `folderReaders`), its kind and author.
        var judged: [(folder: Int, kind: SealingPolicy.FileKind, author: String?)] = []
        var paths: [String] = []
        // The files of the folders storage asks for, with their conditions.
        func files(_ asked: [Int]) -> JudgedFiles {
            // Positions are those of this answer alone (storage asks once).
            (folderReaders, judged, paths) = ([], [], [])
            var out = JudgedFiles()
            for position in asked {
                let start = out.files.count
                defer { out.folders.append(start..<out.files.count) }
                let folder = folders[position]
                var readers: SealFolderReaders?
                // By kind (`slot(of:)`): the condition of the kind's readers and the
                // folder's private readers; the private readers' part alone.
                var conditionOfKind = [Int?](repeating: nil, count: SealingPolicy.FileKind.allCases.count)
                var privatePart: [UInt8]?
                for path in folder.paths {
                    guard let kind = SealReaders.kind(of: path) else { continue }
                    if readers == nil {
                        guard let found = sets.folder(folder.path, in: organisation) else { break }
                        readers = found
                        folderReaders.append(found)
                    }
                    guard let readers else { break }
                    let slot = kind.position
                    let base =
                        conditionOfKind[slot]
                        ?? {
                            let privateReaders =
                                privatePart
                                ?? Self.condition(
                                    readers: [], privateReaders: readers.readers(of: .privateSection), keys: keys)
                            privatePart = privateReaders
                            out.conditions.append(
                                Self.condition(readers: readers.readers(of: kind), privateReaders: [], keys: keys)
                                    + privateReaders)
                            conditionOfKind[slot] = out.conditions.count - 1
                            return out.conditions.count - 1
                        }()
                    let addsToReaders = readers.addsAuthor(kind)
                    let addsToPrivate = readers.addsAuthor(.privateSection)
                    let author = addsToReaders || addsToPrivate ? SealReaders.author(of: path) : nil
                    judged.append((folderReaders.count - 1, kind, author))
                    paths.append(path)
                    // An author already among the readers adds nothing to them.
                    let toReaders = author.map { addsToReaders && !readers.readers(of: kind).contains($0) } ?? false
                    let toPrivate =
                        author.map { addsToPrivate && !readers.readers(of: .privateSection).contains($0) } ?? false
                    guard let author, toReaders || toPrivate else {
                        out.files.append(JudgedFile(path: path, condition: base))
                        continue
                    }
                    out.conditions.append(
                        out.conditions[base]
                            + Self.condition(
                                readers: toReaders ? [author] : [], privateReaders: toPrivate ? [author] : [],
                                keys: keys))
                    out.files.append(JudgedFile(path: path, condition: out.conditions.count - 1))
                }
            }
            return out
        }
        // Reports what is wrong with the file at `position`; whether it is clean.
        func judge(_ position: Int, _ encoded: String) -> Bool {
            let path = paths[position]
            let file = judged[position]
            let readers = folderReaders[file.folder].readers(of: file.kind, author: file.author)
            let privateReaders = folderReaders[file.folder].readers(of: .privateSection, author: file.author)
            if let facts = SealedFileFacts(encoded: encoded) {
                return !report(
                    facts, path: path, readers: readers, privateReaders: privateReaders, keys: keys, context: context)
            }
            // Facts storage cannot decode are derived again from the bytes, and not remembered.
            if let bytes = stored.bytes(of: path, source: context.source) {
                let facts = SealedFileFacts.of(bytes) { stored.open($0) }
                _ = report(
                    facts, path: path, readers: readers, privateReaders: privateReaders, keys: keys, context: context)
            }
            return false
        }
        // What each stored file is sealed to comes from storage's memory where it has seen
        // the blob before (a function of the blob and this clone's key, never of the
        // readers); a blob found clean before under the same condition is not judged again,
        // nor a folder found clean before under the same inputs.
        stored.judge(
            folders, condition: { sets.inputs(in: organisation) }, source: context.source,
            factsKind: SealReadersFacts.kind, verdictKind: Self.verdictKind, derive: SealReadersFacts.derive,
            files: files, judge)
    }

    /// What storage keeps this rule's verdicts under: it names the facts they were judged
    /// on and changes whenever what the rule reports of a sealed file does.
    static let verdictKind = "seal-readers-verdict-1-\(SealedFileFacts.kind)"

    /// Everything besides the stored file and this clone's key that decides whether the
    /// rule reports the file: the key tags its readers must (`r`) and may (`u`, a key
    /// Evident cannot seal to) be sealed to, and those of its private blocks (`p`), one
    /// typed line each, in readers' order. A reader's name, or one without a key, changes
    /// nothing the rule reports of a clean file. Lines of several parts together stand for
    /// the union of their readers: a peer file's author, added to a folder's readers, is
    /// appended to the folder's part.
    static func condition(readers: [String], privateReaders: [String], keys: KeyTags) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(16 * (readers.count + privateReaders.count) + 2)
        for reader in readers {
            guard let key = keys.key(of: reader) else { continue }
            out.append(key.unsealable ? UInt8(ascii: "u") : UInt8(ascii: "r"))
            out += key.tag.utf8
            out.append(0x0A)
        }
        for reader in privateReaders {
            guard let key = keys.key(of: reader), !key.unsealable else { continue }
            out.append(UInt8(ascii: "p"))
            out += key.tag.utf8
            out.append(0x0A)
        }
        return out
    }

    /// Reports what is wrong with the stored file; whether anything was.
    private func report(
        _ facts: SealedFileFacts, path: String, readers: [String], privateReaders: [String], keys: KeyTags,
        context: RuleContext
    ) -> Bool {
        let location = SourceLocation(file: path, line: 1, column: 1)
        let recipients: [Age.Recipient]
        let inside: SealedFileFacts.Inside
        switch facts.stored {
        case .plaintext:
            context.report(
                "stored in plaintext while sealing is on; seal it to its readers (\(public: readers.joined(separator: ", ")))",
                at: location)
            return true
        case .unreadableHeader(let error):
            context.report("a sealed file whose age header cannot be read: \(public: error)", at: location)
            return true
        case .sealed(let list, let opened):
            recipients = list
            inside = opened
        }
        let foundInside = checkInside(
            inside, file: path, privateReaders: privateReaders.filter { !keys.isUnsealable($0) }, keys: keys,
            context: context)
        let mismatch = Self.mismatch(recipients, readers: readers, keys: keys, skippingUnsealable: true)
        guard let mismatch else { return foundInside }
        context.report("sealed to other recipients than its readers: \(public: mismatch)", at: location)
        return true
    }

    /// What is wrong with sealing to `recipients` for `readers`, nil when nothing is.
    /// Grease stanzas (types ending in -grease) are noise age may add; they name no one.
    private static func mismatch(
        _ recipients: [Age.Recipient], readers: [String], keys: KeyTags, skippingUnsealable: Bool
    ) -> String? {
        let named = recipients.filter { !$0.type.hasSuffix("-grease") }
        let sealedTags = Set(named.compactMap(\.sshTag))
        let missing = readers.filter { reader in
            !(skippingUnsealable && keys.isUnsealable(reader))
                && (keys.tag(of: reader).map { !sealedTags.contains($0) } ?? false)
        }
        let expectedTags = Set(readers.compactMap { keys.tag(of: $0) })
        let extra = sealedTags.subtracting(expectedTags).sorted().map { tag in
            keys.person(withTag: tag) ?? "an unknown key \(tag)"
        }
        let untagged = named.filter { $0.sshTag == nil }.count
        guard !missing.isEmpty || !extra.isEmpty || untagged > 0 else { return nil }
        return mismatch(missing: missing, extra: extra, untagged: untagged)
    }

    /// "sealed to bob, not a reader; not sealed to vera, who reads it".
    static func mismatch(missing: [String], extra: [String], untagged: Int) -> String {
        var parts: [String] = []
        if !extra.isEmpty {
            parts.append("sealed to \(extra.joined(separator: ", ")), not \(extra.count == 1 ? "a reader" : "readers")")
        }
        if untagged > 0 {
            parts.append(
                "sealed to \(untagged) recipient\(untagged == 1 ? "" : "s") that name\(untagged == 1 ? "s" : "") no SSH key"
            )
        }
        if !missing.isEmpty {
            parts.append(
                "not sealed to \(missing.joined(separator: ", ")), who \(missing.count == 1 ? "reads" : "read") it")
        }
        return parts.joined(separator: "; ")
    }

    /// With a key that opens the file: the file must open (a forged or altered header
    /// does not), and each `## Private` body must be an age block sealed to exactly the
    /// private readers. Without such a key there is nothing more to see.
    private func checkInside(
        _ inside: SealedFileFacts.Inside, file: String, privateReaders: [String], keys: KeyTags,
        context: RuleContext
    ) -> Bool {
        let bodies: [SealedFileFacts.PrivateBody]
        switch inside {
        case .notOpened: return false
        case .fails(let error):
            context.report(
                "a sealed file that does not open with this clone's key: \(public: error)",
                at: SourceLocation(file: file, line: 1, column: 1))
            return true
        case .opened(let list): bodies = list
        }
        var found = false
        for body in bodies {
            let location = SourceLocation(file: file, line: body.line, column: 1)
            switch body.block {
            case .plaintext:
                found = true
                context.report(
                    "a private section stored in plaintext inside its sealed file; seal it to the private readers (\(public: privateReaders.joined(separator: ", "))) by adding the file again",
                    at: location)
            case .unreadable:
                found = true
                context.report("a private section whose age block cannot be read", at: location)
            case .sealed(let recipients, let opening):
                if let mismatch = Self.mismatch(
                    recipients, readers: privateReaders, keys: keys, skippingUnsealable: false)
                {
                    found = true
                    context.report(
                        "a private section sealed to other recipients than its readers: \(public: mismatch)",
                        at: location)
                } else if case .fails(let error) = opening {
                    found = true
                    context.report(
                        "a private section whose age block does not open with this clone's key: \(public: error)",
                        at: location)
                }
            }
        }
        return found
    }
}

/// What `seal-readers` derives from one stored blob and keeps by blob id, for the sealing
/// filter to derive as a clone opens each blob (the filter does not know the rules): one
/// definition for both, so the cache a clone leaves is the one a check would write.
public enum SealReadersFacts {
    public static let kind = SealedFileFacts.kind

    @Sendable public static func derive(_ bytes: [UInt8], open: @escaping StoredContentOpener) -> String {
        SealedFileFacts.of(bytes, open: open).encoded
    }
}

/// People's SSH key tags, parsed on first use: the tag of a reader's key, and the person
/// a stanza's tag names. Readers with an ssh-rsa key cannot be sealed to by Evident
/// (seal-no-key reports them once): their absence is no finding, nor their presence.
final class KeyTags: @unchecked Sendable {
    private let organisation: Organisation
    private var tags: [String: (tag: String, unsealable: Bool)?] = [:]
    private var people: [String: String]?

    init(_ organisation: Organisation) { self.organisation = organisation }

    /// The tag of `person`'s key and whether Evident cannot seal to it; nil without a key.
    func key(of person: String) -> (tag: String, unsealable: Bool)? {
        if let known = tags[person] { return known }
        let parsed = organisation.person(person)?.signingKey.flatMap { Self.facts(of: $0, in: organisation) }
        let entry = parsed.map { ($0.tag, !$0.sealable) }
        tags[person] = .some(entry)
        return entry
    }

    /// What a `signing_key` line is to sealing, parsed once per organisation for every
    /// rule that asks (seal-readers and seal-no-key), nil when it does not parse.
    static func facts(of line: String, in organisation: Organisation) -> SealKeyFacts? {
        organisation.sealReaderSets.key(line) { line in
            (try? SSHPublicKey(line: line)).map { SealKeyFacts(tag: $0.tag, sealable: $0.algorithm == .ed25519) }
        }
    }

    func tag(of person: String) -> String? { key(of: person)?.tag }

    func isUnsealable(_ person: String) -> Bool { key(of: person)?.unsealable ?? false }

    /// The first person in people.yaml whose key has `tag` (every key parsed, once).
    func person(withTag tag: String) -> String? {
        if people == nil {
            var found: [String: String] = [:]
            for person in organisation.people {
                guard let line = person.signingKey, let key = Self.facts(of: line, in: organisation) else { continue }
                found[key.tag] = found[key.tag] ?? person.id.value
            }
            people = found
        }
        return people?[tag]
    }
}
