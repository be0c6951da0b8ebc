import Foundation

/// The other encoding in Monzo's repository (`yaml: false`, the web and data tracks): the
/// body holds `## Level N` sections, `### Topic` or `### Topic (Specialism)` headings,
/// bullet lists of criteria, and `> **Example**` block quotes illustrating the bullet
/// above them. The structure is the YAML one written as prose, so it parses into the
/// same cumulative track.
enum MonzoMarkdownBody {
    static func looksLikeFramework(body: String) -> Bool {
        var levels = false
        var topics = false
        for line in body.split(separator: "\n") {
            if levelNumber(heading: String(line)) != nil { levels = true }
            if line.hasPrefix("### ") { topics = true }
        }
        return levels && topics
    }

    /// `## Level 3` → 3.
    static func levelNumber(heading line: String) -> Int? {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("## "), !trimmed.hasPrefix("###") else { return nil }
        let words = trimmed.dropFirst(3).split(separator: " ")
        guard words.count == 2, words[0].lowercased() == "level", let number = Int(words[1]), number > 0, number < 1000
        else { return nil }
        return number
    }

    static func parse(body: String, title: String, trackID: String, source: String, report: inout ImportReport) throws
        -> Track
    {
        var topics: [Topic] = []
        var level: Int?
        var highest = 0
        var topicIndex: Int?
        /// The last criterion read, so a block quote below it can illustrate it.
        var lastCriterion: String?
        var quote: [String] = []
        var quoteExamples: [String] = []
        var labels: Set<String> = []
        var preamble = 0
        var stray = 0

        func flushQuote() {
            if !quote.isEmpty { quoteExamples.append(quote.joined(separator: " ")) }
            quote = []
            guard !quoteExamples.isEmpty, let level, let topicIndex else {
                quoteExamples = []
                return
            }
            let id = MonzoFormat.levelID(trackID, level)
            var criteria = topics[topicIndex].criteria[id] ?? LevelCriteria()
            let text = quoteExamples.joined(separator: "; ")
            criteria.examples.append(lastCriterion.map { "\($0) (for example: \(text))" } ?? text)
            topics[topicIndex].criteria[id] = criteria
            quoteExamples = []
        }

        for rawLine in body.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix(">") {
                var text = String(line.dropFirst()).trimmingCharacters(in: .whitespaces)
                if isExampleMarker(text) {
                    if !quote.isEmpty { quoteExamples.append(quote.joined(separator: " ")) }
                    quote = []
                    continue
                }
                if text.isEmpty { continue }
                if text.hasPrefix("*"), text.hasSuffix("*"), text.count > 2, !text.hasPrefix("**") {
                    text = String(text.dropFirst().dropLast())
                }
                quote.append(text)
                continue
            }
            if line.isEmpty { continue }
            flushQuote()
            if let number = levelNumber(heading: line) {
                level = number
                highest = max(highest, number)
                topicIndex = nil
                lastCriterion = nil
                continue
            }
            if line.hasPrefix("### ") {
                guard level != nil else {
                    preamble += 1
                    continue
                }
                let heading = line.dropFirst(4).trimmingCharacters(in: .whitespaces)
                var name = heading
                var specialism: String?
                if let open = heading.lastIndex(of: "("), heading.hasSuffix(")") {
                    name = heading[..<open].trimmingCharacters(in: .whitespaces)
                    let inner = heading[heading.index(after: open)..<heading.index(before: heading.endIndex)]
                    if inner.lowercased() != "base" { specialism = Slug.make(String(inner)) }
                }
                let baseID = Slug.make(name)
                let id = specialism.map { baseID + "-" + $0 } ?? baseID
                guard !id.isEmpty else {
                    stray += 1
                    continue
                }
                if let existing = topics.firstIndex(where: { $0.id == id }) {
                    topicIndex = existing
                } else {
                    let display = specialism == nil ? name : heading
                    topics.append(Topic(id: id, name: display, specialism: specialism))
                    topicIndex = topics.count - 1
                }
                lastCriterion = nil
                continue
            }
            if line.hasPrefix("#") || line == "---" || line == "***" { continue }
            guard let level, let topicIndex else {
                preamble += 1
                continue
            }
            var text = line
            var isBullet = false
            // `- - text` and `-text` occur in the real files; both are one bullet.
            while let first = text.first, first == "-" || first == "+" || (first == "*" && !text.hasPrefix("**")) {
                text = String(text.dropFirst()).trimmingCharacters(in: .whitespaces)
                isBullet = true
            }
            if let label = boldLabel(text) {
                labels.insert(label)
                lastCriterion = nil
                continue
            }
            guard isBullet, !text.isEmpty else {
                stray += 1
                continue
            }
            let id = MonzoFormat.levelID(trackID, level)
            var criteria = topics[topicIndex].criteria[id] ?? LevelCriteria()
            criteria.expectations.append(text)
            topics[topicIndex].criteria[id] = criteria
            lastCriterion = text
        }
        flushQuote()
        guard highest > 0 else { throw ImportError("\(source): no `## Level N` section") }
        if preamble > 0 { report.loss(source, "\(preamble) line(s) before the first level and topic are not imported") }
        if !labels.isEmpty {
            report.loss(
                source,
                "bold sub-headings inside topics are not kept (their criteria are): \(labels.sorted().joined(separator: ", "))"
            )
        }
        if stray > 0 {
            report.loss(source, "\(stray) line(s) that are neither headings, bullets nor quotes are not imported")
        }
        for topic in topics where topic.specialism != nil {
            report.guess(
                source, "'\(topic.name)' becomes dimension '\(topic.id)' with specialism '\(topic.specialism!)'")
        }
        let levels = (1...highest).map {
            LadderLevel(id: MonzoFormat.levelID(trackID, $0), title: "\(title) level \($0)", grade: $0)
        }
        report.guess(
            source,
            "levels have no titles; they are named '\(title) level 1' to '\(title) level \(highest)', and level N has grade N"
        )
        return Track(id: trackID, title: title, source: source, levels: levels, topics: topics, cumulative: true)
    }

    /// `**Example**`, `**Examples**`, `**Example 2**`.
    static func isExampleMarker(_ text: String) -> Bool {
        guard text.hasPrefix("**"), text.hasSuffix("**") else { return false }
        return text.dropFirst(2).dropLast(2).lowercased().hasPrefix("example")
    }

    /// `**Technical knowledge:**` (a line that is only bold text) → "Technical knowledge".
    static func boldLabel(_ text: String) -> String? {
        var inner = text.trimmingCharacters(in: .whitespaces)
        if inner.hasSuffix(":") { inner.removeLast() }
        guard inner.hasPrefix("**"), inner.hasSuffix("**"), inner.count > 4 else { return nil }
        inner = String(inner.dropFirst(2).dropLast(2))
        guard !inner.contains("**") else { return nil }
        if inner.hasSuffix(":") { inner.removeLast() }
        return inner.trimmingCharacters(in: .whitespaces)
    }
}
