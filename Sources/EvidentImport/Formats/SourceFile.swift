import Foundation

/// Reading the files an import names: size-capped, UTF-8 only, regular files only, so a
/// wrong path gives a clear error instead of a hang or a crash.
enum SourceFile {
    static let maximumBytes = 8 * 1024 * 1024

    static func read(_ path: String) throws -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ImportError("\(path): no such file")
        }
        guard !isDirectory.boolValue else { throw ImportError("\(path) is a folder; this format reads one file") }
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        if let size = attributes?[.size] as? Int, size > maximumBytes {
            throw ImportError("\(path) is \(size) bytes; a ladder over \(maximumBytes) bytes is not read")
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw ImportError("\(path): cannot read") }
        guard var text = String(data: data, encoding: .utf8) else { throw ImportError("\(path) is not UTF-8 text") }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        return text.replacingOccurrences(of: "\r\n", with: "\n")
    }

    /// Markdown files under `folder`, sorted, relative paths; links are not followed.
    static func markdownFiles(under folder: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: folder) else { return [] }
        var found: [String] = []
        while let relative = enumerator.nextObject() as? String {
            guard relative.hasSuffix(".md") else { continue }
            let full = (folder as NSString).appendingPathComponent(relative)
            let type = (try? FileManager.default.attributesOfItem(atPath: full))?[.type] as? FileAttributeType
            if type == .typeRegular { found.append(relative) }
        }
        return found.sorted()
    }

    /// Splits `---` front matter from the body; nil when the text has none.
    static func frontMatter(_ text: String) -> (yaml: String, body: String)? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let first = lines.first, first.trimmingCharacters(in: .whitespaces) == "---" else { return nil }
        for index in lines.indices.dropFirst() {
            let line = lines[index].trimmingCharacters(in: .whitespaces)
            if line == "---" || line == "..." {
                return (lines[1..<index].joined(separator: "\n"), lines[(index + 1)...].joined(separator: "\n"))
            }
        }
        return nil
    }
}
