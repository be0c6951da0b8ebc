import EvidentCore
import Foundation

/// The few people a sign-off decision needs, without parsing all of people.yaml each time.
///
/// Deciding whether someone may sign off needs the signer, the reviewed person and the
/// reviewed person's manager chain. In a 10,000-person organisation people.yaml is about
/// 1.5 MB of YAML, and parsing it dominated the cost of a sign-off. The people it declares
/// are therefore cached in `.git/evident/people-v1-<blob>`, keyed by people.yaml's blob
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
        let url = URL(fileURLWithPath: repository.gitDir).appendingPathComponent("evident/people-v1-\(blob)")
        var records = read(url)
        if records == nil {
            let data = try repository.readBlob(id: blob)
            let source = MemorySource(root: location.reviewRoot, files: ["people.yaml": Array(data)])
            let organisation = try RepositoryLoader.load(from: source)
            let parsed = organisation.people.map {
                Record(
                    id: $0.id.value, name: $0.name, email: $0.email, level: $0.level.value, team: $0.team.value,
                    manager: $0.manager?.value, roles: $0.roles, signingKey: $0.signingKey)
            }
            // A file that does not parse declares nobody: not worth remembering, and the
            // full load below reports why.
            guard !parsed.isEmpty else { return String(decoding: data, as: UTF8.self) }
            write(parsed, to: url)
            prune(keeping: url)
            records = parsed
        }
        return yaml(select(records ?? [], signerEmail: signerEmail, person: person))
    }

    /// The first declaration of each wanted id (as `Organisation` resolves duplicates), in
    /// file order: the signer, the person and every manager above them.
    static func select(_ records: [Record], signerEmail: String, person: String) -> [Record] {
        var byID: [String: Int] = [:]
        for (index, record) in records.enumerated() where byID[record.id] == nil { byID[record.id] = index }
        var wanted: Set<Int> = []
        let email = signerEmail.lowercased()
        if let signer = records.firstIndex(where: { $0.email.lowercased() == email }) { wanted.insert(signer) }
        var current: String? = person
        var seen: Set<String> = []
        while let id = current, seen.insert(id).inserted, let index = byID[id] {
            wanted.insert(index)
            current = records[index].manager
        }
        return wanted.sorted().map { records[$0] }
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

    static func read(_ url: URL) -> [Record]? {
        guard let data = try? Data(contentsOf: url) else { return nil }
        let lines = CacheText.lines(data)
        guard let first = lines.first, String(decoding: first, as: UTF8.self) == "evident-people 1" else { return nil }
        var records: [Record] = []
        for line in lines.dropFirst() {
            let f = CacheText.fields(line)
            guard f.count == 8 else { return nil }
            records.append(
                Record(
                    id: f[0], name: f[1], email: f[2], level: f[3], team: f[4], manager: f[5].isEmpty ? nil : f[5],
                    roles: f[6].isEmpty ? [] : f[6].split(separator: "\u{1F}").map(String.init),
                    signingKey: f[7].isEmpty ? nil : f[7]))
        }
        return records
    }

    /// Removes the caches of earlier people.yaml versions: one file per version would
    /// otherwise pile up for the life of the repository.
    static func prune(keeping url: URL) {
        let folder = url.deletingLastPathComponent()
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
        for name in names where name.hasPrefix("people-v1-") && name != url.lastPathComponent {
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
    }

    static func write(_ records: [Record], to url: URL) {
        var text = "evident-people 1\n"
        for r in records {
            let fields = [
                r.id, r.name, r.email, r.level, r.team, r.manager ?? "", r.roles.joined(separator: "\u{1F}"),
                r.signingKey ?? "",
            ]
            text += fields.map(CacheText.escape).joined(separator: "\t") + "\n"
        }
        CacheText.write(text, to: url)
    }
}
