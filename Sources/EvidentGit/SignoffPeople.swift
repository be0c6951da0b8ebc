import EvidentCore
import Foundation

/// The few people a sign-off decision needs, without parsing all of people.yaml each time.
///
/// Deciding whether someone may sign off needs the signer, the reviewed person and the
/// reviewed person's manager chain. In a 10,000-person organisation people.yaml is about
/// 1.5 MB of YAML, and parsing it dominated the cost of a sign-off. The people it declares
/// are therefore cached in `.git/evident/people-v2-<blob>`, keyed by people.yaml's blob
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
        let url = repository.evidentCacheURL("people-v2-\(blob)")
        if let cached = CachedPeople(url) {
            return yaml(cached.select(signerEmail: signerEmail, person: person))
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

    /// A cache file as written by `write`: one line per person, fields decoded only for
    /// the lines a sign-off looks at.
    struct CachedPeople {
        let lines: [ArraySlice<UInt8>]

        static let fieldCount = 8

        init?(_ url: URL) {
            guard let lines = CacheText.lines(of: url) else { return nil }
            guard let first = lines.first, first.elementsEqual("evident-people 2".utf8) else { return nil }
            self.lines = Array(lines.dropFirst())
            // A damaged file is ignored whole (and rebuilt), never half read.
            guard self.lines.allSatisfy({ CacheText.count(0x09, in: $0) == CachedPeople.fieldCount - 1 }) else {
                return nil
            }
        }

        /// The raw (still escaped) field `number` of line `index`.
        func field(_ number: Int, of index: Int) -> ArraySlice<UInt8> {
            var start = lines[index].startIndex
            var remaining = number
            for position in lines[index].indices where lines[index][position] == 0x09 {
                if remaining == 0 { return lines[index][start..<position] }
                remaining -= 1
                start = position + 1
            }
            return lines[index][start...]
        }

        func record(_ index: Int) -> Record {
            let fields = CacheText.fields(lines[index])
            return Record(
                id: fields[0], name: fields[1], email: fields[2], level: fields[3], team: fields[4],
                manager: fields[5].isEmpty ? nil : fields[5],
                roles: CacheText.unescapeList(field(6, of: index)),
                signingKey: fields[7].isEmpty ? nil : fields[7])
        }

        func select(signerEmail: String, person: String) -> [Record] {
            let lowered = signerEmail.lowercased()
            let email = Array(lowered.utf8)
            let positions = SignoffPeople.select(
                count: lines.count,
                hasID: { index, wanted in
                    let raw = field(0, of: index)
                    return raw.contains(0x5C) ? CacheText.unescape(raw) == wanted : raw.elementsEqual(wanted.utf8)
                },
                manager: { index in
                    let manager = field(5, of: index)
                    return manager.isEmpty ? nil : CacheText.unescape(manager)
                },
                hasEmail: { index in
                    let raw = field(2, of: index)
                    if raw.contains(where: { $0 >= 0x80 || $0 == 0x5C }) {
                        return CacheText.unescape(raw).lowercased() == lowered
                    }
                    guard raw.count == email.count else { return false }
                    // Lowercase ASCII letters only, as `lowercased()` does for them;
                    // other bytes are compared as they are.
                    return zip(raw, email).allSatisfy { pair in
                        let byte = pair.0 >= 65 && pair.0 <= 90 ? pair.0 + 32 : pair.0
                        return byte == pair.1
                    }
                },
                person: person)
            return positions.map(record)
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

    static func write(_ records: [Record], to url: URL) {
        var text = "evident-people 2\n"
        for r in records {
            let fields = [
                r.id, r.name, r.email, r.level, r.team, r.manager ?? "", r.signingKey ?? "",
            ].map(CacheText.escape)
            // Roles are a list: each role escaped on its own, then joined (U+001F inside a
            // role is escaped, so it can never split one role into two).
            text += (fields[0..<6] + [CacheText.escapeList(r.roles), fields[6]]).joined(separator: "\t") + "\n"
        }
        CacheText.write(text, to: url)
    }
}
