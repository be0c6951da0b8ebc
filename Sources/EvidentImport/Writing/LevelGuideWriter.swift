import Foundation

/// Turns a `Ladder` into level guide files (`levels/<id>.md`), applying the aspect and
/// balance decisions of `ImportOptions`. It writes nothing itself: the command decides
/// where and refuses to overwrite, so a dry run and a real run plan the same files.
public enum LevelGuideWriter {
    public struct Guide: Sendable, Equatable {
        /// Repository-relative, `levels/<id>.md`.
        public var path: String
        public var levelID: String
        public var contents: String
    }

    public struct Plan: Sendable, Equatable {
        public var guides: [Guide]
        public var report: ImportReport
    }

    /// - Parameter format: the importer's name, for the guides' body (`monzo`, `csv`…).
    public static func plan(_ ladder: Ladder, options: ImportOptions, format: String) throws -> Plan {
        var report = ladder.report
        try checkDecisions(ladder, options: options)
        // One mapping often serves several imports (a folder, then one more file), so a
        // mapping for a topic this ladder lacks is reported, not refused; a misspelt topic
        // still stops the import as unmapped.
        let known = Set(ladder.topicIDs)
        for name in options.aspects.keys.sorted() where !known.contains(name) {
            report.guess("--aspect", "'\(name)' names no topic of this ladder and is not used")
        }
        var guides: [Guide] = []
        for track in ladder.tracks {
            for (index, level) in track.levels.enumerated() {
                // checkDecisions refused every level without a balance; never crash on one.
                guard let weights = Self.balance(for: level, options: options) else {
                    throw ImportError("no --balance for level \(level.id)")
                }
                var lines = [
                    "---", "kind: level", "id: \(level.id)", "track: \(track.id)", "title: \(quote(level.title))",
                ]
                if let grade = level.grade {
                    if options.extensions {
                        lines.append("grade: \(grade)")
                    } else {
                        report.loss(level.id, "grade \(grade) is not written (--no-extensions)")
                    }
                }
                if track.cumulative, index > 0, options.extensions {
                    lines.append("includes: \(track.levels[index - 1].id)")
                }
                if index + 1 < track.levels.count { lines.append("next: \(track.levels[index + 1].id)") }
                lines.append("balance: { what: \(weights.what), how: \(weights.how) }")
                var dimensionLines: [String] = []
                var skippedExamples: [String] = []
                /// Examples of a topic with no criterion of its own at this level: a
                /// dimension needs at least one expectation, so they go to the body.
                var looseExamples: [(topic: Topic, examples: [String])] = []
                var skippedSpecialisms: [String] = []
                for topic in track.topics {
                    let own = topic.criteria[level.id] ?? LevelCriteria()
                    var expectations = own.expectations
                    if track.cumulative, !options.extensions {
                        var seen: Set<String> = []
                        expectations = track.levels[...index].flatMap { topic.criteria[$0.id]?.expectations ?? [] }
                            .filter { seen.insert($0).inserted }
                    }
                    if topic.specialism != nil, !options.extensions {
                        if !expectations.isEmpty { skippedSpecialisms.append(topic.id) }
                        continue
                    }
                    let examples = options.extensions ? own.examples : []
                    if !options.extensions, !own.examples.isEmpty {
                        skippedExamples.append("\(own.examples.count) of \(topic.id)")
                    }
                    if expectations.isEmpty, !examples.isEmpty {
                        looseExamples.append((topic, examples))
                        report.guess(
                            level.id,
                            "\(topic.id) has examples but no criterion of its own at this level; the examples are written in the guide's body"
                        )
                        continue
                    }
                    guard !expectations.isEmpty else { continue }
                    guard let aspect = Self.aspect(of: topic, options: options) else {
                        throw ImportError("no --aspect for topic \(topic.id)")
                    }
                    dimensionLines += [
                        "  - id: \(topic.id)", "    name: \(quote(topic.name))", "    aspect: \(aspect.rawValue)",
                    ]
                    if let specialism = topic.specialism { dimensionLines.append("    specialism: \(specialism)") }
                    dimensionLines.append("    expectations:")
                    dimensionLines += expectations.map { "      - " + quote($0) }
                    if !examples.isEmpty {
                        dimensionLines.append("    examples:")
                        dimensionLines += examples.map { "      - " + quote($0) }
                    }
                }
                if !skippedSpecialisms.isEmpty {
                    report.loss(
                        level.id,
                        "specialist dimensions not written (--no-extensions has no specialism field): \(skippedSpecialisms.joined(separator: ", "))"
                    )
                }
                if !skippedExamples.isEmpty {
                    report.loss(
                        level.id,
                        "examples not written (--no-extensions): \(skippedExamples.joined(separator: ", ")); they remain in \(track.source)"
                    )
                }
                if track.cumulative, !options.extensions, index > 0 {
                    report.guess(
                        level.id,
                        "copies the expectations of \(track.levels[..<index].map(\.id).joined(separator: ", ")) (--no-extensions writes no includes:)"
                    )
                }
                let includes = track.cumulative && index > 0 && options.extensions
                if dimensionLines.isEmpty {
                    guard includes else {
                        throw ImportError(
                            "level \(level.id) of \(track.source) has no criteria at all, so its guide would have no dimensions; give it criteria or leave the level out of the source"
                        )
                    }
                    report.guess(
                        level.id,
                        "no topic has criteria at this level; the guide only includes \(track.levels[index - 1].id)")
                } else {
                    lines.append("dimensions:")
                    lines += dimensionLines
                }
                lines.append("---")
                lines.append(
                    "Imported with `evident import \(format)` from \(track.source) (track \(quote(track.title))). "
                        + "The expectations are the source's criteria, word for word.")
                if !looseExamples.isEmpty {
                    lines.append("")
                    lines.append("## Examples")
                    for (topic, examples) in looseExamples {
                        lines.append("")
                        lines.append("\(topic.name), illustrations with no criterion of their own at this level:")
                        lines.append("")
                        lines += examples.map { "- " + $0.replacingOccurrences(of: "\n", with: " ") }
                    }
                }
                guides.append(
                    Guide(
                        path: "levels/\(level.id).md", levelID: level.id, contents: lines.joined(separator: "\n") + "\n"
                    ))
            }
        }
        return Plan(guides: guides, report: report)
    }

    /// Refuses, with every problem at once, when a topic has no aspect, a level has no
    /// balance, an option names nothing, or two levels would share an id.
    static func checkDecisions(_ ladder: Ladder, options: ImportOptions) throws {
        var problems: [String] = []
        var seenLevels: [String: String] = [:]
        for track in ladder.tracks {
            for level in track.levels {
                if let other = seenLevels[level.id] {
                    problems.append("level id '\(level.id)' comes from both \(other) and \(track.source)")
                }
                seenLevels[level.id] = track.source
            }
            for topic in track.topics {
                if let stated = topic.statedAspect, ImportOptions.Aspect(rawValue: stated) == nil {
                    problems.append(
                        "dimension '\(topic.id)' of \(track.source) has aspect '\(stated)'; expected what or how")
                }
            }
        }
        var unmapped: [String] = []
        for track in ladder.tracks {
            for topic in track.topics where topic.statedAspect == nil && options.aspects[topic.id] == nil {
                if !unmapped.contains(topic.id) { unmapped.append(topic.id) }
            }
        }
        let levels = ladder.tracks.flatMap(\.levels)
        let unbalanced = levels.filter { balance(for: $0, options: options) == nil }.map(\.id)
        for scope in options.levelBalances.keys.sorted()
        where !levels.contains(where: { $0.id == scope || $0.grade.map(String.init) == scope }) {
            problems.append("--balance names '\(scope)', which is no level id or grade of this ladder")
        }
        if !unmapped.isEmpty {
            var message =
                "every topic needs an aspect (what: outcomes; how: behaviour), and the ladder does not say: "
                + "\(unmapped.count) topic\(unmapped.count == 1 ? " is" : "s are") unmapped: \(unmapped.joined(separator: ", "))"
            let suggested = unmapped.map { topic -> String in
                if let aspect = AspectSuggestion.suggest(topic) { return "--aspect \(topic)=\(aspect.rawValue)" }
                return "--aspect \(topic)=what|how"
            }
            message += "\n  suggestion (check each; nothing is applied for you): " + suggested.joined(separator: " ")
            problems.append(message)
        }
        if !unbalanced.isEmpty {
            problems.append(
                "every level needs a balance of what and how, and the ladder does not say: give --balance what=60,how=40 for all levels, "
                    + "or --balance LEVEL:what=W,how=H per level id or grade (missing for \(unbalanced.prefix(6).joined(separator: ", "))\(unbalanced.count > 6 ? ", …" : ""))"
            )
        }
        if !problems.isEmpty { throw ImportError(problems.joined(separator: "\n")) }
    }

    static func balance(for level: LadderLevel, options: ImportOptions) -> ImportOptions.Balance? {
        options.levelBalances[level.id] ?? level.grade.flatMap { options.levelBalances[String($0)] } ?? options.balance
    }

    static func aspect(of topic: Topic, options: ImportOptions) -> ImportOptions.Aspect? {
        topic.statedAspect.flatMap(ImportOptions.Aspect.init(rawValue:)) ?? options.aspects[topic.id]
    }

    /// A YAML double-quoted scalar: the text is kept exactly, whatever it holds.
    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case "\u{85}": out += "\\N"
            case "\u{2028}": out += "\\L"
            case "\u{2029}": out += "\\P"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value)
                    || scalar.value == 0xFEFF
                {
                    out +=
                        "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                        + String(scalar.value, radix: 16)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
