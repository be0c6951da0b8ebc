import Foundation

/// Ladders written as Markdown (GFM pipe) tables with levels as columns: the header's
/// first cell labels the rows ("Competency"), the other header cells name the levels,
/// and each row is a dimension with one cell of expectations per level. Several tables
/// (one per section, say) add up to one track; a section heading above a table is kept
/// only to tell apart rows that share a name.
public enum MarkdownTableFormat {
    public static func read(_ path: String, track: String? = nil) throws -> Ladder {
        let text = try SourceFile.read(path)
        let source = (path as NSString).lastPathComponent
        var report = ImportReport()
        let stem = (source as NSString).deletingPathExtension
        let trackID = Slug.make(track ?? stem)
        guard !trackID.isEmpty else { throw ImportError("cannot make a track id of '\(track ?? stem)'; pass --track") }
        if track == nil { report.guess(source, "the track id '\(trackID)' is the file's name; --track sets another") }
        let body = SourceFile.frontMatter(text)?.body ?? text
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)

        var levels: [LadderLevel] = []
        var topics: [Topic] = []
        var heading = ""
        var tables = 0
        var index = 0
        var inFence = false
        var crossReferences: [String] = []
        while index < lines.count {
            let line = lines[index].trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("```") || line.hasPrefix("~~~") { inFence.toggle() }
            if inFence {
                index += 1
                continue
            }
            if line.hasPrefix("#") {
                heading = line.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces)
                index += 1
                continue
            }
            guard line.hasPrefix("|"), index + 1 < lines.count, isDelimiterRow(lines[index + 1]) else {
                index += 1
                continue
            }
            let header = cells(of: line)
            index += 2
            guard header.count >= 2 else { continue }
            tables += 1
            var columnLevel: [Int: String] = [:]
            for (column, name) in header.enumerated().dropFirst() {
                let plain = stripMarkup(name)
                let id = trackID + "-" + Slug.make(plain)
                guard !Slug.make(plain).isEmpty else {
                    report.loss(source, "a column with an empty header in table \(tables) is skipped")
                    continue
                }
                columnLevel[column] = id
                if !levels.contains(where: { $0.id == id }) {
                    levels.append(LadderLevel(id: id, title: plain, grade: levels.count + 1))
                }
            }
            while index < lines.count, lines[index].trimmingCharacters(in: .whitespaces).hasPrefix("|") {
                let row = cells(of: lines[index].trimmingCharacters(in: .whitespaces))
                index += 1
                guard let first = row.first else { continue }
                let name = stripMarkup(first)
                var id = Slug.make(name)
                guard !id.isEmpty else {
                    report.loss(source, "a row with no name in table \(tables) is skipped")
                    continue
                }
                if row.count > header.count {
                    report.loss(
                        source,
                        "row '\(name)' has \(row.count - header.count) cell(s) more than its header; they are skipped")
                }
                if topics.contains(where: { $0.id == id }) {
                    let qualified = Slug.make(heading) + "-" + id
                    if heading.isEmpty || topics.contains(where: { $0.id == qualified }) {
                        report.loss(source, "row '\(name)' repeats a dimension of an earlier table and is skipped")
                        continue
                    }
                    report.guess(
                        source, "row '\(name)' under '\(heading)' repeats a dimension name; its id is '\(qualified)'")
                    id = qualified
                }
                var topic = Topic(id: id, name: name)
                for (column, cell) in row.enumerated().dropFirst() {
                    guard let level = columnLevel[column] else { continue }
                    let items = expectations(in: cell)
                    if items.count > 1 {
                        report.guess(source, "a cell of '\(name)' holds \(items.count) expectations separated by <br>")
                    }
                    if !items.isEmpty { topic.criteria[level] = LevelCriteria(expectations: items) }
                    if items.contains(where: { $0.lowercased().hasPrefix("same as") }) {
                        crossReferences.append("\(name)/\(header[column].trimmingCharacters(in: .whitespaces))")
                    }
                }
                topics.append(topic)
            }
        }
        if !crossReferences.isEmpty {
            report.guess(
                source,
                "\(crossReferences.count) cell(s) refer to another level (\"same as …\"): kept word for word, not resolved: "
                    + crossReferences.joined(separator: ", "))
        }
        guard tables > 0 else { throw ImportError("\(source): no Markdown table (a header row, then a `| --- |` row)") }
        report.guess(source, "level order and grades follow the columns, left to right (grades 1 to \(levels.count))")
        report.loss(source, "text outside the tables is not imported")
        let title = track ?? stem
        return Ladder(
            tracks: [
                Track(id: trackID, title: title, source: source, levels: levels, topics: topics, cumulative: false)
            ],
            report: report)
    }

    static func isDelimiterRow(_ line: String) -> Bool {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard trimmed.contains("-") else { return false }
        return trimmed.unicodeScalars.allSatisfy { "|:- \t".unicodeScalars.contains($0) }
    }

    /// The cells of a pipe-table row; `\|` is a literal bar, and bars inside backticks do
    /// not split (as in GFM).
    static func cells(of line: String) -> [String] {
        var result: [String] = []
        var current = ""
        var escaped = false
        var inCode = false
        for character in line {
            if escaped {
                current.append(character == "|" ? "|" : "\\")
                if character != "|" { current.append(character) }
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "`" {
                inCode.toggle()
                current.append(character)
            } else if character == "|", !inCode {
                result.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        if escaped { current.append("\\") }
        result.append(current)
        if line.hasPrefix("|") { result.removeFirst() }
        if line.hasSuffix("|"), !line.hasSuffix("\\|"), !result.isEmpty { result.removeLast() }
        return result.map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// A row or column name without emphasis markers around it.
    static func stripMarkup(_ text: String) -> String {
        var plain = text.trimmingCharacters(in: .whitespaces)
        for marker in ["**", "__", "*", "_"]
        where plain.hasPrefix(marker) && plain.hasSuffix(marker) && plain.count > 2 * marker.count {
            plain = String(plain.dropFirst(marker.count).dropLast(marker.count))
        }
        return plain.trimmingCharacters(in: .whitespaces)
    }

    /// The expectations in one cell: none for an empty or placeholder cell, several when
    /// the cell separates them with `<br>`.
    static func expectations(in cell: String) -> [String] {
        let placeholders: Set<String> = ["", "-", "—", "–", "n/a", "N/A", "x"]
        let parts = cell.replacingOccurrences(of: "<br/>", with: "<br>").replacingOccurrences(
            of: "<br />", with: "<br>"
        )
        .components(separatedBy: "<br>")
        return parts.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !placeholders.contains($0) }
    }
}
