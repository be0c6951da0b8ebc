import EvidentCore
import Foundation

/// Fills the project's templates. Placeholders are `{{name}}`; an unknown placeholder is
/// left as it is so a broken template is visible rather than silently blank.
enum Templates {
    static func text(_ path: String) throws -> String {
        guard let text = EmbeddedResources.files[path] else {
            throw EnvironmentError("template \(path) is missing from this build")
        }
        return text
    }

    static func fill(_ template: String, _ values: [String: String]) -> String {
        var result = template
        for (key, value) in values { result = result.replacingOccurrences(of: "{{\(key)}}", with: value) }
        return result
    }

    /// Escapes text for the inside of a double-quoted YAML scalar, so a name such as
    /// `Acme "West"` cannot break the file it is written into.
    static func yamlQuotedContent(_ text: String) -> String {
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: escaped += " "
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    /// Files under `templates/<folder>/`, relative to it.
    static func files(under folder: String) -> [(path: String, text: String)] {
        let prefix = "templates/\(folder)/"
        return EmbeddedResources.files.filter { $0.key.hasPrefix(prefix) }
            .map { (String($0.key.dropFirst(prefix.count)), $0.value) }
            .sorted { $0.path < $1.path }
    }

    static var schemas: [(name: String, text: String)] {
        EmbeddedResources.files.filter { $0.key.hasPrefix("schema/") }
            .map { (String($0.key.dropFirst("schema/".count)), $0.value) }
            .sorted { $0.name < $1.name }
    }

    /// One `##` section per dimension the person is judged on (their specialism's
    /// included), each opening with a comment that holds what the writer needs in front
    /// of them: the guide's own words on the dimension, every expectation on its own
    /// line, and the examples, marked as illustrations.
    static func sections(for level: Level?, specialism: String? = nil, prompt: String) -> String {
        guard let level else {
            return "## Dimension name\n\n\(prompt)\n"
        }
        return level.dimensions(forSpecialism: specialism).map { dimension in
            var lines = ["\(dimension.aspect.rawValue) · \(dimension.name) at \(level.id.value)"]
            let prose = guideProse(about: dimension, in: level)
            if !prose.isEmpty { lines += [""] + prose }
            lines += ["", "Expected:"] + dimension.expectations.map { "- \($0)" }
            if !dimension.examples.isEmpty {
                lines += ["", "Examples (illustrations, not requirements):"] + dimension.examples.map { "- \($0)" }
            }
            let comment = lines.map { commentSafe($0) }.joined(separator: "\n")
            return "## \(dimension.name)\n\n<!--\n\(comment)\n-->\n\(prompt)\n"
        }.joined(separator: "\n")
    }

    /// The paragraphs of the level guide's own section on `dimension`, as written.
    static func guideProse(about dimension: EvidentCore.Dimension, in level: Level) -> [String] {
        guard let body = level.body,
            let section = body.sections.firstIndex(where: { $0.heading.map { dimension.isNamed(by: $0.text) } ?? false }
            )
        else { return [] }
        return body.blocks.filter { $0.section == section }.flatMap(\.lines)
    }

    /// Text that cannot close the HTML comment it is written into.
    static func commentSafe(_ text: String) -> String {
        text.replacingOccurrences(of: "--", with: "- -")
    }
}
