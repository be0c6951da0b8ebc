import EvidentCore
import Foundation

/// The few people a sign-off decision needs, without parsing all of people.yaml each time.
///
/// Deciding whether someone may sign off needs the signer, the reviewed person and the
/// reviewed person's manager chain. In a 10,000-person organisation people.yaml is about
/// 1.5 MB of YAML, and parsing it dominated the cost of a sign-off. The people it declares
/// are therefore cached in `.git/evident/people-v3-<blob>`, keyed by people.yaml's blob
/// id: content-addressed, so a cache entry can never describe another version of the
/// file. The decision is then made on a people.yaml holding just the relevant entries,
/// through the same loader and role rules as everything else.
enum SignoffPeople {
    struct Record: Equatable {
        var id: String
        var name: String
        var email: String
        var level: String
        var team: String
        var manager: String?
        var roles: [String]
        var signingKey: String?
    }

    /// people.yaml text with the signer (by email) and `person` with their manager chain,
    /// or nil when people.yaml is not committed (the loader then reports it missing).
    static func subset(
        location: GitReviewLocation, at commit: String, signerEmail: String, person: String
    ) throws -> String? {
        let repository = location.repository
        let path = location.gitPath("people.yaml")
        guard let blob = try repository.blobID(path: path, atRevision: commit) else { return nil }
        let url = repository.evidentCacheURL("people-v3-\(blob)")
        if let cached = CachedPeople(url), let selected = cached.select(signerEmail: signerEmail, person: person) {
            return yaml(selected)
        }
        let data = try repository.readBlob(id: blob)
        let source = MemorySource(root: location.reviewRoot, files: ["people.yaml": Array(data)])
        let organisation = try RepositoryLoader.load(from: source)
        let records = organisation.people.map {
            Record(
                id: $0.id.value, name: $0.name, email: $0.email, level: $0.level.value, team: $0.team.value,
                manager: $0.manager?.value, roles: $0.roles, signingKey: $0.signingKey)
        }
        // A file that does not parse declares nobody: not worth remembering, and the
        // full load below reports why.
        guard !records.isEmpty else { return String(decoding: data, as: UTF8.self) }
        write(records, to: url)
        prune(keeping: url)
        return yaml(select(records, signerEmail: signerEmail, person: person))
    }

    /// The first declaration of each wanted id (as `Organisation` resolves duplicates), in
    /// file order: the signer, the person and every manager above them.
    static func select(_ records: [Record], signerEmail: String, person: String) -> [Record] {
        let email = signerEmail.lowercased()
        return select(
            count: records.count, hasID: { records[$0].id == $1 }, manager: { records[$0].manager },
            hasEmail: { records[$0].email.lowercased() == email }, person: person
        ).map { records[$0] }
    }

    /// `select` over any list of records, by position: the cache file answers these
    /// questions for 10,000 lines without decoding them into records.
    static func select(
        count: Int, hasID: (Int, String) -> Bool, manager: (Int) -> String?, hasEmail: (Int) -> Bool, person: String
    ) -> [Int] {
        var wanted: Set<Int> = []
        if let signer = (0..<count).first(where: hasEmail) { wanted.insert(signer) }
        var current: String? = person
        var seen: Set<String> = []
        // The chain is a handful of people: a scan per step beats indexing every id.
        while let wantedID = current, seen.insert(wantedID).inserted,
            let index = (0..<count).first(where: { hasID($0, wantedID) })
        {
            wanted.insert(index)
            current = manager(index)
        }
        return wanted.sorted()
    }

    /// YAML with every value double-quoted (JSON string syntax, which YAML reads as is).
    static func yaml(_ records: [Record]) -> String {
        func quoted(_ text: String) -> String {
            let data = (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8)
            return String(decoding: data, as: UTF8.self)
        }
        var out = "people:\n"
        for r in records {
            out += "  - id: \(quoted(r.id))\n    name: \(quoted(r.name))\n    email: \(quoted(r.email))\n"
            out += "    level: \(quoted(r.level))\n    team: \(quoted(r.team))\n"
            if let manager = r.manager { out += "    manager: \(quoted(manager))\n" }
            out += "    roles: [\(r.roles.map(quoted).joined(separator: ", "))]\n"
            if let key = r.signingKey { out += "    signing_key: \(quoted(key))\n" }
        }
        return out
    }

    /// A cache file as written by `write`: each person's line is in two buckets, one
    /// chosen by their id and one by their lowercased email, and a sign-off reads and
    /// authenticates only the buckets of the ids and the email it looks up
    /// (`CacheSections`), a few kilobytes of the 865 KB a 10,000-person file holds.
    /// Each line starts with the person's position in people.yaml, so the first
    /// declaration wins, and the subset keeps the file's order, as `select` does.
    struct CachedPeople {
        static let magic = Array("evident-people 3\n".utf8)
        static let fieldCount = 9

        enum Lookup {
            /// The bucket is not authenticated or malformed.
            case damaged
            case found((position: Int, record: Record)?)
        }

        let file: CacheSections
        let buckets: Int

        init?(_ url: URL) {
            guard let file = CacheSections(url, magic: Self.magic), file.count % 2 == 0 else { return nil }
            self.file = file
            self.buckets = file.count / 2
        }

        /// The bucket of a key: FNV-1a over its UTF-8 bytes (the same in every process,
        /// unlike Swift's seeded `Hasher`).
        static func bucket(of key: String, among buckets: Int) -> Int {
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in key.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            return Int(hash % UInt64(buckets))
        }

        /// The lines of section `index` as positions and records; nil when the section is
        /// not authenticated or a line is malformed (the whole cache is then rebuilt).
        func entries(_ index: Int) -> [(position: Int, record: Record)]? {
            guard let bytes = file.section(index) else { return nil }
            var entries: [(position: Int, record: Record)] = []
            for line in CacheText.lines(bytes) {
                let raw = line.split(separator: 0x09, omittingEmptySubsequences: false)
                guard raw.count == Self.fieldCount, let position = Int(String(decoding: raw[0], as: UTF8.self)),
                    position >= 0
                else { return nil }
                let manager = raw[6].isEmpty ? nil : CacheText.unescape(raw[6])
                let key = raw[8].isEmpty ? nil : CacheText.unescape(raw[8])
                let record = Record(
                    id: CacheText.unescape(raw[1]), name: CacheText.unescape(raw[2]),
                    email: CacheText.unescape(raw[3]), level: CacheText.unescape(raw[4]),
                    team: CacheText.unescape(raw[5]), manager: manager, roles: CacheText.unescapeList(raw[7]),
                    signingKey: key)
                entries.append((position, record))
            }
            return entries
        }

        /// What `SignoffPeople.select` gives for the whole list, from the buckets alone;
        /// nil when a bucket it needs is damaged.
        func select(signerEmail: String, person: String) -> [Record]? {
            var read: [Int: [(position: Int, record: Record)]] = [:]
            /// The first entry of section `index` that `matches` (`.found(nil)`: none).
            func lookUp(_ index: Int, _ matches: (Record) -> Bool) -> Lookup {
                if read[index] == nil {
                    guard let entries = entries(index) else { return .damaged }
                    read[index] = entries
                }
                return .found(read[index]?.first { matches($0.record) })
            }
            var chosen: [Int: Record] = [:]
            let email = signerEmail.lowercased()
            let emailBucket = buckets + Self.bucket(of: email, among: buckets)
            switch lookUp(emailBucket, { $0.email.lowercased() == email }) {
            case .damaged: return nil
            case .found(let signer): if let signer { chosen[signer.position] = signer.record }
            }
            var current: String? = person
            var seen: Set<String> = []
            while let wanted = current, seen.insert(wanted).inserted {
                switch lookUp(Self.bucket(of: wanted, among: buckets), { $0.id == wanted }) {
                case .damaged: return nil
                case .found(nil): current = nil
                case .found(let found?):
                    chosen[found.position] = found.record
                    current = found.record.manager
                }
            }
            return chosen.sorted { $0.key < $1.key }.map(\.value)
        }
    }

    /// Removes the caches of earlier people.yaml versions: one file per version would
    /// otherwise pile up for the life of the repository.
    static func prune(keeping url: URL) {
        let folder = url.deletingLastPathComponent()
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
        for name in names where name.hasPrefix("people-v") && name != url.lastPathComponent {
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
    }

    /// Writes `records` in buckets of about 16 people, each line twice: in the bucket of
    /// its id and in that of its lowercased email (see `CachedPeople`).
    static func write(_ records: [Record], to url: URL) {
        let buckets = max(1, min(1 << 16, records.count / 16))
        var sections = [[UInt8]](repeating: [], count: 2 * buckets)
        for (position, r) in records.enumerated() {
            let fields = [r.id, r.name, r.email, r.level, r.team, r.manager ?? ""].map(CacheText.escape)
            // Roles are a list: each role escaped on its own, then joined (U+001F inside a
            // role is escaped, so it can never split one role into two).
            let line =
                Array(
                    ([String(position)] + fields + [
                        CacheText.escapeList(r.roles), CacheText.escape(r.signingKey ?? ""),
                    ])
                    .joined(separator: "\t").utf8) + [0x0A]
            sections[CachedPeople.bucket(of: r.id, among: buckets)] += line
            sections[buckets + CachedPeople.bucket(of: r.email.lowercased(), among: buckets)] += line
        }
        CacheSections.write(sections, magic: CachedPeople.magic, to: url)
    }
}
