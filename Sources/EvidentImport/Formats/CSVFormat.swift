import Foundation

/// A ladder kept in a spreadsheet: one row per expectation, with the columns `track`,
/// `level`, `title`, `dimension`, `aspect` and `expectation` (any order, named in a
/// header row), and optionally `grade` and `example`. An empty `aspect` leaves the
/// dimension to `--aspect`; a row with only `example` filled adds an illustration.
public enum CSVFormat {
    static let required = ["track", "level", "title", "dimension", "aspect", "expectation"]
    static let optional = ["grade", "example"]

    public static func read(_ path: String) throws -> Ladder {
        let text = try SourceFile.read(path)
        let source = (path as NSString).lastPathComponent
        let rows = try parseRows(text, source: source)
        guard let header = rows.first else { throw ImportError("\(source) is empty") }
        var column: [String: Int] = [:]
        for (index, name) in header.enumerated() {
            column[name.trimmingCharacters(in: .whitespaces).lowercased()] = index
        }
        let missing = required.filter { column[$0] == nil }
        guard missing.isEmpty else {
            throw ImportError(
                "\(source): the header row lacks \(missing.joined(separator: ", ")); expected columns: \((required + optional).joined(separator: ", "))"
            )
        }
        var ladder = Ladder()
        for name in header.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() })
        where !(required + optional).contains(name) && !name.isEmpty {
            ladder.report.loss(source, "column '\(name)' is not imported")
        }
        var trackIndex: [String: Int] = [:]
        var gradeGuessed: Set<String> = []
        for (offset, row) in rows.dropFirst().enumerated() {
            let line = offset + 2
            func cell(_ name: String) -> String {
                guard let index = column[name], index < row.count else { return "" }
                return row[index].trimmingCharacters(in: .whitespacesAndNewlines)
            }
            if row.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            let trackName = cell("track")
            let levelName = cell("level")
            let dimensionName = cell("dimension")
            let trackID = Slug.make(trackName)
            let levelID = Slug.make(levelName)
            let dimensionID = Slug.make(dimensionName)
            guard !trackID.isEmpty, !levelID.isEmpty, !dimensionID.isEmpty else {
                throw ImportError("\(source):\(line): a row needs a track, a level and a dimension")
            }
            if trackIndex[trackID] == nil {
                trackIndex[trackID] = ladder.tracks.count
                ladder.tracks.append(
                    Track(id: trackID, title: trackName, source: source, levels: [], topics: [], cumulative: false))
            }
            var track = ladder.tracks[trackIndex[trackID]!]
            if !track.levels.contains(where: { $0.id == levelID }) {
                let gradeText = cell("grade")
                var grade: Int?
                if !gradeText.isEmpty {
                    guard let number = Int(gradeText) else {
                        throw ImportError("\(source):\(line): grade '\(gradeText)' is not a whole number")
                    }
                    grade = number
                } else if column["grade"] == nil {
                    grade = track.levels.count + 1
                    if gradeGuessed.insert(trackID).inserted {
                        ladder.report.guess(
                            source,
                            "no grade column: the levels of track '\(trackID)' get grades 1, 2, … in the order they first appear"
                        )
                    }
                }
                let title = cell("title").isEmpty ? levelName : cell("title")
                track.levels.append(LadderLevel(id: levelID, title: title, grade: grade))
            }
            let aspect = cell("aspect").lowercased()
            var topicPosition = track.topics.firstIndex { $0.id == dimensionID }
            if topicPosition == nil {
                track.topics.append(
                    Topic(id: dimensionID, name: dimensionName, statedAspect: aspect.isEmpty ? nil : aspect))
                topicPosition = track.topics.count - 1
            } else if !aspect.isEmpty {
                let stated = track.topics[topicPosition!].statedAspect
                if stated == nil {
                    track.topics[topicPosition!].statedAspect = aspect
                } else if stated != aspect {
                    throw ImportError(
                        "\(source):\(line): dimension '\(dimensionID)' is '\(stated!)' on an earlier row and '\(aspect)' here"
                    )
                }
            }
            var criteria = track.topics[topicPosition!].criteria[levelID] ?? LevelCriteria()
            let expectation = cell("expectation")
            let example = cell("example")
            if !expectation.isEmpty { criteria.expectations.append(expectation) }
            if !example.isEmpty { criteria.examples.append(example) }
            track.topics[topicPosition!].criteria[levelID] = criteria
            ladder.tracks[trackIndex[trackID]!] = track
        }
        guard !ladder.tracks.isEmpty else { throw ImportError("\(source) has a header row and no ladder rows") }
        return ladder
    }

    /// RFC 4180: fields separated by commas, quoted with `"` (doubled inside), newlines
    /// allowed inside quotes.
    static func parseRows(_ text: String, source: String) throws -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var line = 1
        var chars = Array(text.unicodeScalars)[...]
        var fieldWasQuoted = false
        while let scalar = chars.popFirst() {
            if quoted {
                if scalar == "\"" {
                    if chars.first == "\"" {
                        chars.removeFirst()
                        field.unicodeScalars.append("\"")
                    } else {
                        quoted = false
                    }
                } else {
                    if scalar == "\n" { line += 1 }
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"":
                guard field.trimmingCharacters(in: .whitespaces).isEmpty, !fieldWasQuoted else {
                    throw ImportError("\(source):\(line): a quote inside an unquoted field")
                }
                field = ""
                quoted = true
                fieldWasQuoted = true
            case ",":
                row.append(field)
                field = ""
                fieldWasQuoted = false
            case "\n":
                row.append(field)
                rows.append(row)
                row = []
                field = ""
                fieldWasQuoted = false
                line += 1
            default:
                field.unicodeScalars.append(scalar)
            }
        }
        if quoted { throw ImportError("\(source):\(line): a quoted field is not closed") }
        if !field.isEmpty || !row.isEmpty {
            row.append(field)
            rows.append(row)
        }
        return rows
    }
}
