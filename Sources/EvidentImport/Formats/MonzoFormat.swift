import EvidentCore
import Foundation

/// The Monzo progression framework (`monzo/progression-framework`) and its forks: one
/// Markdown file per track whose YAML front matter lists `topics`, each with `content`
/// per numbered `level`: `criteria` (requirements) and `exampleCriteria` (a criterion
/// with `examples`). Levels build on each other, so the track is cumulative.
public enum MonzoFormat {
    /// Reads one framework file, or every framework file under a folder.
    public static func read(_ path: String) throws -> Ladder {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ImportError("\(path): no such file or folder")
        }
        var ladder = Ladder()
        var files: [(path: String, display: String)] = []
        if isDirectory.boolValue {
            files = SourceFile.markdownFiles(under: path).map { ((path as NSString).appendingPathComponent($0), $0) }
        } else {
            files = [(path, (path as NSString).lastPathComponent)]
        }
        var usedIDs: Set<String> = []
        for file in files {
            let text = try SourceFile.read(file.path)
            guard let (yaml, body) = SourceFile.frontMatter(text),
                looksLikeFramework(yaml: yaml) || MonzoMarkdownBody.looksLikeFramework(body: body)
            else {
                if isDirectory.boolValue {
                    ladder.report.loss(
                        file.display, "skipped: neither `topics:` in its front matter nor `## Level N` sections")
                    continue
                }
                throw ImportError(
                    "\(file.display) is not a Monzo framework file: no `topics:` in its front matter and no `## Level N` sections"
                )
            }
            let id = trackID(for: file.display, used: usedIDs, report: &ladder.report)
            usedIDs.insert(id)
            let track: Track
            if looksLikeFramework(yaml: yaml) {
                track = try parse(yaml: yaml, trackID: id, source: file.display, report: &ladder.report)
            } else {
                let title = frameworkTitle(yaml: yaml, fallback: id, source: file.display, report: &ladder.report)
                track = try MonzoMarkdownBody.parse(
                    body: body, title: title, trackID: id, source: file.display, report: &ladder.report)
            }
            ladder.tracks.append(track)
        }
        if ladder.tracks.isEmpty { throw ImportError("\(path): no Monzo framework file (front matter with `topics:`)") }
        return ladder
    }

    /// Whether front matter looks like a framework file: a `topics:` key and criteria under
    /// it. Cheap enough for `check` to ask of every broken level guide.
    public static func looksLikeFramework(yaml: String) -> Bool {
        let lines = yaml.split(separator: "\n")
        return lines.contains { $0.hasPrefix("topics:") } && lines.contains { $0.contains("criteria:") }
    }

    static func trackID(for display: String, used: Set<String>, report: inout ImportReport) -> String {
        let name = ((display as NSString).lastPathComponent as NSString).deletingPathExtension
        var id = Slug.make(name)
        if id.isEmpty { id = "track" }
        if used.contains(id) {
            let folder = Slug.make((display as NSString).deletingLastPathComponent)
            let longer = folder.isEmpty ? id + "-2" : folder + "-" + id
            report.guess(display, "track id '\(id)' is taken by another file; this track is '\(longer)'")
            id = longer
        }
        return id
    }

    static func parse(yaml: String, trackID: String, source: String, report: inout ImportReport) throws -> Track {
        let root: Any?
        switch YAMLParser.parse(yaml, firstLine: 2) {
        case .success(let node): root = node.flatMap(plain)
        case .failure(let problem):
            throw ImportError(
                "\(source):\(problem.line):\(problem.column): the front matter is not valid YAML: \(problem.message)")
        }
        guard let document = root as? [String: Any] else {
            throw ImportError("\(source): the front matter is not a mapping")
        }
        guard let topics = document["topics"] as? [Any] else {
            throw ImportError("\(source): `topics` is not a list")
        }
        let title = cleanTitle(scalarText(document["title"]), fallback: trackID)
        reportSiteFields(document, source: source, report: &report)

        var parsedTopics: [Topic] = []
        var highest = 0
        for (index, element) in topics.enumerated() {
            guard let topic = element as? [String: Any] else {
                report.loss(source, "topic \(index + 1) is not a mapping and is skipped")
                continue
            }
            let rawName = scalarText(topic["name"]) ?? ""
            let displayTitle = scalarText(topic["title"]).map(Slug.plainName) ?? ""
            var name = displayTitle
            if name.isEmpty {
                name = rawName.isEmpty ? "Topic \(index + 1)" : rawName.prefix(1).uppercased() + rawName.dropFirst()
                report.guess(source, "topic '\(rawName)' has no title; its dimension is named '\(name)'")
            }
            let id = Slug.make(rawName.isEmpty ? name : rawName)
            guard !id.isEmpty else {
                report.loss(source, "topic \(index + 1) has no usable name and is skipped")
                continue
            }
            if parsedTopics.contains(where: { $0.id == id }) {
                report.loss(source, "topic '\(id)' appears twice; the second is skipped")
                continue
            }
            var parsed = Topic(id: id, name: name)
            for entry in topic["content"] as? [Any] ?? [] {
                guard let content = entry as? [String: Any], let level = levelNumber(content["level"]) else {
                    report.loss(source, "a `content` entry of topic '\(id)' has no level number and is skipped")
                    continue
                }
                highest = max(highest, level)
                var criteria = parsed.criteria[levelID(trackID, level)] ?? LevelCriteria()
                criteria.expectations += (content["criteria"] as? [Any] ?? []).compactMap { scalarText($0) }
                for example in content["exampleCriteria"] as? [Any] ?? [] {
                    guard let example = example as? [String: Any], let text = scalarText(example["criteria"]) else {
                        continue
                    }
                    let illustrations = (example["examples"] as? [Any] ?? []).compactMap { scalarText($0) }
                    criteria.examples.append(
                        illustrations.isEmpty
                            ? text : text + " (for example: " + illustrations.joined(separator: "; ") + ")")
                }
                for key in content.keys.sorted() where !["level", "criteria", "exampleCriteria"].contains(key) {
                    report.loss(source, "field `\(key)` of topic '\(id)' at level \(level) is not imported")
                }
                parsed.criteria[levelID(trackID, level)] = criteria
            }
            parsedTopics.append(parsed)
        }
        let declared = levelNumber(document["levels"])
        let count = max(declared ?? 0, highest)
        if declared == nil { report.guess(source, "no `levels:` count; the track has \(count) levels, its highest") }
        guard count > 0 else { throw ImportError("\(source): no topic has criteria at any level") }
        let levels = (1...count).map { LadderLevel(id: levelID(trackID, $0), title: "\(title) level \($0)", grade: $0) }
        report.guess(
            source,
            "levels have no titles; they are named '\(title) level 1' to '\(title) level \(count)', and level N has grade N"
        )
        return Track(
            id: trackID, title: title, source: source, levels: levels, topics: parsedTopics, cumulative: true)
    }

    static func levelID(_ track: String, _ number: Int) -> String { "\(track)-\(number)" }

    /// "🛠️ Backend Engineering Framework" → "Backend Engineering".
    static func cleanTitle(_ raw: String?, fallback: String) -> String {
        var title = Slug.plainName(raw ?? "")
        if title.hasSuffix(" Framework") { title = String(title.dropLast(" Framework".count)) }
        return title.isEmpty ? fallback : title
    }

    /// The `title:` of front matter that is not otherwise parsed (a Markdown-body file);
    /// its other fields are reported.
    static func frameworkTitle(yaml: String, fallback: String, source: String, report: inout ImportReport) -> String {
        let parsed: YAMLNode? = (try? YAMLParser.parse(yaml, firstLine: 2).get()) ?? nil
        let document = parsed.flatMap(plain) as? [String: Any] ?? [:]
        reportSiteFields(document, source: source, report: &report)
        return cleanTitle(scalarText(document["title"]), fallback: fallback)
    }

    /// The front-matter fields that configure Monzo's website, not the ladder.
    static func reportSiteFields(_ document: [String: Any], source: String, report: inout ImportReport) {
        for key in document.keys.sorted() where !["topics", "title", "levels"].contains(key) {
            report.loss(source, "front matter field `\(key)` (site configuration) is not imported")
        }
    }

    static func levelNumber(_ value: Any?) -> Int? {
        if let number = value as? Int { return number > 0 && number < 1000 ? number : nil }
        if let text = value as? String, let number = Int(text.trimmingCharacters(in: .whitespaces)) {
            return number > 0 && number < 1000 ? number : nil
        }
        return nil
    }

    /// Evident's YAML tree (parsed with its alias and depth budgets, so a hostile file
    /// cannot expand without bound) as plain values: text, lists and mappings; nulls are
    /// left out, as if the key were absent.
    static func plain(_ node: YAMLNode) -> Any? {
        if node.isNull { return nil }
        switch node.value {
        case .scalar(let text, _): return text
        case .sequence(let items): return items.compactMap(plain)
        case .mapping(let pairs):
            var map: [String: Any] = [:]
            for pair in pairs {
                guard let key = pair.key.scalar, let value = plain(pair.value) else { continue }
                map[key] = value
            }
            return map
        }
    }

    /// A YAML scalar as the text the author wrote (numbers and booleans included).
    static func scalarText(_ value: Any?) -> String? {
        switch value {
        case let text as String:
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            return trimmed.isEmpty ? nil : trimmed
        case let number as Int: return String(number)
        case let number as Double: return String(number)
        case let flag as Bool: return flag ? "true" : "false"
        default: return nil
        }
    }
}
