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

    /// One `##` section per dimension of the level, with its expectations as a prompt.
    static func sections(for level: Level?, prompt: String) -> String {
        guard let level else {
            return "## Dimension name\n\n\(prompt)\n"
        }
        return level.dimensions.map { dimension in
            var text = "## \(dimension.name)\n\n"
            text += "<!-- \(dimension.aspect.rawValue): \(dimension.expectations.joined(separator: "; ")) -->\n"
            text += "\(prompt)\n"
            return text
        }.joined(separator: "\n")
    }
}
