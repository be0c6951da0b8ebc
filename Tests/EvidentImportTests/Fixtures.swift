import EvidentImport
import Foundation
import Yams

/// Paths of the credited fixtures in Tests/Fixtures/import (see each folder's NOTICE.md).
enum Fixtures {
    static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/import")
    }

    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    /// The front matter of a generated guide, parsed by Yams as `check` would read it.
    static func frontMatter(_ guide: LevelGuideWriter.Guide) throws -> [String: Any] {
        let parts = guide.contents.components(separatedBy: "\n---\n")
        precondition(guide.contents.hasPrefix("---\n") && parts.count >= 2, "guide has no front matter")
        let yaml = String(parts[0].dropFirst(4))
        return try Yams.load(yaml: yaml) as? [String: Any] ?? [:]
    }

    static func dimensions(_ front: [String: Any]) -> [[String: Any]] {
        front["dimensions"] as? [[String: Any]] ?? []
    }

    static func dimension(_ front: [String: Any], _ id: String) -> [String: Any]? {
        dimensions(front).first { $0["id"] as? String == id }
    }

    /// Every text value anywhere in a parsed YAML tree.
    static func strings(in value: Any) -> [String] {
        switch value {
        case let text as String: return [text]
        case let list as [Any]: return list.flatMap(strings(in:))
        case let map as [String: Any]: return map.values.flatMap(strings(in:))
        default: return []
        }
    }

    static let monzoAspects = [
        "communication=how", "impact=what", "leadership=how", "influence=how", "mastery=what",
        "communication-feedback=how", "mastery-data-science=what", "mastery-data-analytics=what",
    ]

    static func monzoOptions(extensions: Bool = true) throws -> ImportOptions {
        var options = ImportOptions()
        options.extensions = extensions
        for aspect in monzoAspects { try options.addAspects(aspect) }
        try options.addBalance("what=60,how=40")
        return options
    }
}
