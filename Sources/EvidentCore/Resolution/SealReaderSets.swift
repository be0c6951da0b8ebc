import Foundation

/// Each person folder's readers of every kind of sealed text, worked out once per
/// organisation and then looked up (SPEC §8).
///
/// Readers depend on the folder (whose it is, which cycle) and the kind of text, and on
/// the path only through a peer file's author. A check of 50,000 sealed files asked for
/// them about four times per file across `seal-readers` and `seal-no-key`, walking the
/// manager chain and the calibration groups each time. The table is filled as folders
/// are asked for, under a lock, since rules run on several threads; a resolved
/// organisation gets a new one, so it never outlives the people, policy and cycles it
/// was worked out from. `SealReaders.uncachedReaders` is the definition it must agree with.
public final class SealReaderSets: @unchecked Sendable {
    /// One kind's readers in one folder: sorted, without a peer file's author, and
    /// whether the kind's terms name the author.
    fileprivate struct Entry {
        let readers: [String]
        let addsAuthor: Bool
        /// Unique within the table: which folder and kind these readers are.
        var id = 0
    }

    private let lock = NSLock()
    /// By person folder, one entry per `SealingPolicy.FileKind.allCases`.
    private var folders: [String: [Entry]] = [:]
    /// People by role, for `named` terms that are roles (one pass over people, once).
    private var peopleByRole: [String: [String]]?
    /// Calibrators by cycle folder and team (one pass over each cycle's groups, once).
    private var calibratorsByTeam: [String: [String: [String]]] = [:]
    /// The next `Entry.id` to give.
    private var nextID = 0
    /// `inputs(in:)`, once worked out.
    private var inputBytes: [UInt8]?
    /// What each `signing_key` line parsed to, by the line: `seal-readers` and
    /// `seal-no-key` both need most of 10,000 keys, and parsing them was a tenth of what
    /// sealing added to a check. Nil inside for a line that does not parse.
    private var keys: [String: SealKeyFacts?] = [:]

    public init() {}

    /// The sorted readers of `path` (of its `## Private` sections with `privateSection`),
    /// nil when the path is never sealed.
    func readers(of path: String, privateSection: Bool, in organisation: Organisation) -> [String]? {
        guard let fileKind = SealReaders.kind(of: path), let folder = PersonFolder.of(path),
            let entries = entries(of: folder, in: organisation)
        else { return nil }
        let kind = privateSection ? .privateSection : fileKind
        let entry = entries[kind.position]
        return Self.readers(entry, author: entry.addsAuthor ? SealReaders.author(of: path) : nil)
    }

    /// The readers of `path` and of its `## Private` sections, from one look at its
    /// folder (`seal-readers` asks for both of every file); nil when it is never sealed.
    func readerPair(of path: String, in organisation: Organisation) -> SealReaderPair? {
        let shape = PathShape(path)
        guard let fileKind = SealReaders.kind(of: shape.kind), let folder = shape.personFolder,
            let entries = entries(of: folder, in: organisation)
        else { return nil }
        let entry = entries[fileKind.position]
        let privateEntry = entries[SealingPolicy.FileKind.privateSection.position]
        let author = entry.addsAuthor || privateEntry.addsAuthor ? SealReaders.author(of: path) : nil
        return SealReaderPair(
            readers: Self.readers(entry, author: author), privateReaders: Self.readers(privateEntry, author: author),
            sets: entry.id, author: author, setReaders: entry.readers, setPrivateReaders: privateEntry.readers)
    }

    /// The readers of every kind of text in one person folder (`cycles/<cycle>/<person>`),
    /// nil when it is none: for callers that visit folders rather than files, as
    /// `seal-readers` does (what it derives from readers is then derived once per folder).
    public func folder(_ folder: String, in organisation: Organisation) -> SealFolderReaders? {
        entries(of: folder, in: organisation).map(SealFolderReaders.init)
    }

    /// Everyone who reads some file of the organisation or one of its `## Private`
    /// sections: each folder's readers of each kind it holds, taken once, and the authors
    /// the kinds' terms name. The union of `readers(of:)` over the files, without a list
    /// per file.
    func everyReader(in organisation: Organisation) -> Set<String> {
        var readers = Set<String>()
        var folderOfKinds = ""
        var kindsTaken = 0
        for path in organisation.files.lazy.map(\.path) {
            let shape = PathShape(path)
            guard let kind = SealReaders.kind(of: shape.kind), let folder = shape.personFolder,
                let entries = entries(of: folder, in: organisation)
            else { continue }
            if folder != folderOfKinds { (folderOfKinds, kindsTaken) = (folder, 0) }
            for index in [kind.position, SealingPolicy.FileKind.privateSection.position] {
                let entry = entries[index]
                if kindsTaken & (1 << index) == 0 {
                    kindsTaken |= 1 << index
                    readers.formUnion(entry.readers)
                }
                if entry.addsAuthor, let author = SealReaders.author(of: path) { readers.insert(author) }
            }
        }
        return readers
    }

    /// An entry's readers with `author` among them (in order) when its terms name the author.
    fileprivate static func readers(_ entry: Entry, author: String?) -> [String] {
        guard entry.addsAuthor, let author else { return entry.readers }
        var readers = entry.readers
        var position = 0
        while position < readers.count, readers[position] < author { position += 1 }
        if position == readers.count || readers[position] != author { readers.insert(author, at: position) }
        return readers
    }

    private func entries(of folder: String, in organisation: Organisation) -> [Entry]? {
        lock.lock()
        let known = folders[folder]
        lock.unlock()
        if let known { return known }
        guard var computed = compute(folder, in: organisation) else { return nil }
        lock.lock()
        defer { lock.unlock() }
        // Another thread may have worked out the same folder meanwhile: one answer, one id.
        if let known = folders[folder] { return known }
        for index in computed.indices { computed[index].id = nextID + index }
        nextID += computed.count
        folders[folder] = computed
        return computed
    }

    private func compute(_ folder: String, in organisation: Organisation) -> [Entry]? {
        let parts = folder.split(separator: "/")
        guard parts.count == 3 else { return nil }
        let cycleFolder = String(parts[1])
        let subject = String(parts[2])
        let sealing = (organisation.policy ?? Policy()).sealing
        let closed = organisation.cycle(cycleFolder)?.phase == .closed
        var chain: [String]?
        func managers() -> [String] {
            if let chain { return chain }
            let found = organisation.managers(of: subject)
            chain = found
            return found
        }
        var team: String??
        var entries: [Entry] = []
        for kind in SealingPolicy.FileKind.allCases {
            assert(kind.position == entries.count)
            // A list sorted and made unique at the end: a handful of names, where a Set
            // per kind and folder was a third of working the table out.
            var readers: [String] = []
            var addsAuthor = false
            for term in sealing.terms(for: kind) {
                switch term {
                case .person: readers.append(subject)
                case .author: addsAuthor = true
                case .manager: readers += managers().prefix(1)
                case .skipLevel: readers += managers().dropFirst().prefix(1)
                case .managerChain: readers += managers()
                case .calibrators:
                    if team == nil { team = .some(organisation.person(subject)?.team.value) }
                    guard let team = team ?? nil else { continue }
                    readers += calibrators(cycleFolder: cycleFolder, team: team, in: organisation)
                case .named(let name):
                    if organisation.person(name) != nil {
                        readers.append(name)
                    } else {
                        readers += people(withRole: name, in: organisation)
                    }
                }
            }
            // The person reads their review once the cycle is closed (not its private sections).
            if kind == .review, closed { readers.append(subject) }
            readers += organisation.readAllPeople
            readers.sort()
            var unique: [String] = []
            unique.reserveCapacity(readers.count)
            for reader in readers where unique.last != reader { unique.append(reader) }
            entries.append(Entry(readers: unique, addsAuthor: addsAuthor))
        }
        return entries
    }

    /// Everything the readers of every folder and kind, and the keys they are sealed to,
    /// are worked out from, as bytes: the policy's terms of each kind, the cycles in file
    /// order (id, folder, phase, calibration groups), the people who read everything, and
    /// every person in file order (id, manager, team, roles, `signing_key`; the first of a
    /// duplicate id wins). Two organisations with the same bytes give every folder the
    /// same readers with the same keys, so `seal-readers` may remember a folder's verdict
    /// under them (and 10,000 folders' readers are not worked out for a warm check).
    /// Whatever `compute` or the key tags come to read must be written here too; each
    /// value is length-prefixed, so no two organisations write the same bytes.
    public func inputs(in organisation: Organisation) -> [UInt8] {
        lock.lock()
        let known = inputBytes
        lock.unlock()
        if let known { return known }
        var out: [UInt8] = []
        out.reserveCapacity(96 * organisation.people.count + 1024)
        func count(_ value: Int) {
            withUnsafeBytes(of: UInt32(truncatingIfNeeded: value).littleEndian) { out += $0 }
        }
        func text(_ value: String) {
            count(value.utf8.count)
            out += value.utf8
        }
        func optional(_ value: String?) {
            out.append(value == nil ? 0 : 1)
            if let value { text(value) }
        }
        func list(_ values: [String]) {
            count(values.count)
            for value in values { text(value) }
        }
        out += "evident-seal-reader-inputs 1\n".utf8
        let sealing = (organisation.policy ?? Policy()).sealing
        out.append(sealing.enabled ? 1 : 0)
        for kind in SealingPolicy.FileKind.allCases {
            let terms = sealing.terms(for: kind)
            text(kind.rawValue)
            count(terms.count)
            for term in terms {
                switch term {
                case .person: out.append(1)
                case .author: out.append(2)
                case .manager: out.append(3)
                case .skipLevel: out.append(4)
                case .managerChain: out.append(5)
                case .calibrators: out.append(6)
                case .named(let name):
                    out.append(7)
                    text(name)
                }
            }
        }
        count(organisation.cycles.count)
        for cycle in organisation.cycles {
            text(cycle.id.value)
            text(cycle.folder)
            text(cycle.phase.rawValue)
            count(cycle.groups.count)
            for group in cycle.groups {
                list(group.calibrators.map(\.value))
                list(group.teams.map(\.value))
            }
        }
        list(organisation.readAllPeople)
        count(organisation.people.count)
        for person in organisation.people {
            text(person.id.value)
            optional(person.manager?.value)
            text(person.team.value)
            list(person.roles)
            optional(person.signingKey)
        }
        lock.lock()
        defer { lock.unlock() }
        inputBytes = out
        return out
    }

    /// What the `signing_key` line `line` parses to, nil when it does not; `parse` is
    /// called once per line for every caller (EvidentCore does not parse SSH keys).
    public func key(_ line: String, parse: (String) -> SealKeyFacts?) -> SealKeyFacts? {
        lock.lock()
        let known = keys[line]
        lock.unlock()
        if let known { return known }
        let parsed = parse(line)
        lock.lock()
        keys[line] = .some(parsed)
        lock.unlock()
        return parsed
    }

    private func people(withRole role: String, in organisation: Organisation) -> [String] {
        lock.lock()
        defer { lock.unlock() }
        if peopleByRole == nil {
            var index: [String: [String]] = [:]
            for person in organisation.people {
                for role in person.roles { index[role, default: []].append(person.id.value) }
            }
            peopleByRole = index
        }
        return peopleByRole?[role] ?? []
    }

    private func calibrators(cycleFolder: String, team: String, in organisation: Organisation) -> [String] {
        lock.lock()
        defer { lock.unlock() }
        if let known = calibratorsByTeam[cycleFolder] { return known[team] ?? [] }
        var index: [String: [String]] = [:]
        for group in organisation.cycle(cycleFolder)?.groups ?? [] {
            let calibrators = group.calibrators.map(\.value)
            // A group naming a team twice adds its calibrators once, as the filter over groups did.
            for team in Set(group.teams.map(\.value)) { index[team, default: []] += calibrators }
        }
        calibratorsByTeam[cycleFolder] = index
        return index[team] ?? []
    }
}

/// What a reader's `signing_key` is to sealing: the tag age's ssh stanzas name it by,
/// and whether Evident can seal to it (only ssh-ed25519 keys).
public struct SealKeyFacts: Sendable {
    public let tag: String
    public let sealable: Bool

    public init(tag: String, sealable: Bool) {
        self.tag = tag
        self.sealable = sealable
    }
}

/// A file's readers and its `## Private` sections' readers (`SealReaders.readerPair`),
/// with what they were made of: files with the same `sets` and `author` have the same
/// readers, so a caller can work out something of the readers once for all of them.
public struct SealReaderPair: Sendable {
    public let readers: [String]
    public let privateReaders: [String]
    /// Which folder and kind of file: unique within the organisation's table.
    public let sets: Int
    /// The author added to either list, nil when neither kind's terms name one (or the
    /// file has none).
    public let author: String?
    /// The folder's readers of the file's kind and of private sections, without the
    /// author: the same for every file with the same `sets`. `readers` is these and the
    /// author, when the kind's terms name the author and they are not among them already.
    public let setReaders: [String]
    public let setPrivateReaders: [String]
}

/// One person folder's readers of each kind (`SealReaderSets.folder`): what `readerPair`
/// gives each of the folder's files, for a caller that works something out of the readers
/// once per folder and kind rather than once per file.
public struct SealFolderReaders: Sendable {
    fileprivate let entries: [SealReaderSets.Entry]

    /// The readers of `kind` in the folder, sorted, without a peer file's author.
    public func readers(of kind: SealingPolicy.FileKind) -> [String] {
        entries[kind.position].readers
    }

    /// Whether the terms of `kind` name a peer file's author among its readers.
    public func addsAuthor(_ kind: SealingPolicy.FileKind) -> Bool {
        entries[kind.position].addsAuthor
    }

    /// The readers of a file of `kind` written by `author` (`SealReaders.author(of:)`),
    /// sorted: `readers(of:)` with the author when the kind's terms name them.
    public func readers(of kind: SealingPolicy.FileKind, author: String?) -> [String] {
        SealReaderSets.readers(entries[kind.position], author: author)
    }
}
