import EvidentCore
import XCTest

@testable import EvidentRules

/// Runs every rule's documented examples from the registry: triggering examples must
/// report exactly at their markers, non-triggering ones must report nothing.
final class RuleExampleTests: XCTestCase {
    private func diagnostics(for example: RuleExample) throws -> [Diagnostic] {
        let source = MemorySource(root: "/example", texts: example.repositoryFiles)
        let organisation = try RepositoryLoader.load(from: source)
        let ledger = example.signoffs.isEmpty ? nil : SignoffLedger(entries: example.signoffs)
        return RuleEngine().check(organisation, source: source, signoffs: ledger)
    }

    func testExampleRepositoryIsClean() throws {
        let source = MemorySource(root: "/example", texts: ExampleRepository.files)
        let organisation = try RepositoryLoader.load(from: source)
        let found = RuleEngine().check(organisation, source: source)
        XCTAssertEqual(found.map { "\($0.location.file):\($0.location.line): \($0.message) [\($0.ruleID)]" }, [])
        XCTAssertEqual(organisation.people.count, 6)
        XCTAssertEqual(organisation.personCycles.count, 1)
    }

    func testEveryRuleHasBothKindsOfExample() {
        for rule in RuleRegistry.all {
            let description = rule.description
            XCTAssertFalse(description.triggeringExamples.isEmpty, "\(description.id) has no triggering example")
            XCTAssertFalse(description.nonTriggeringExamples.isEmpty, "\(description.id) has no passing example")
            for example in description.triggeringExamples {
                XCTAssertFalse(example.expectedLocations.isEmpty, "\(description.id): example without a marker")
            }
        }
    }

    /// A check reads only a description's id, severity and cost; the examples are built
    /// when `explain` or a test reads them, and afresh each time.
    func testExamplesAreBuiltOnlyWhenRead() {
        let built = BuildCounter()
        let description = RuleDescription(
            id: "example-rule", defaultSeverity: .warning, summary: "an example", rationale: "none",
            triggeringExamples: built.examples("1️⃣text"), nonTriggeringExamples: built.examples("text"))
        XCTAssertEqual(description.id, "example-rule")
        XCTAssertEqual(built.count, 0, "building the description built its examples")
        XCTAssertEqual(description.triggeringExamples.first?.files.values.first, "1️⃣text")
        XCTAssertEqual(built.count, 1)
        XCTAssertEqual(description.nonTriggeringExamples.count, 1)
        XCTAssertEqual(built.count, 2)
    }

    func testTriggeringExamplesReportAtTheirMarkers() throws {
        for rule in RuleRegistry.all {
            let id = rule.description.id
            for (index, example) in rule.description.triggeringExamples.enumerated() {
                let found = try diagnostics(for: example).filter { $0.ruleID == id }
                let locations = found.map(\.location).sorted()
                XCTAssertEqual(
                    locations, example.expectedLocations,
                    "\(id) triggering example \(index + 1) (\(example.caption)): \(found.map(\.message))",
                    file: example.sourceFile, line: example.sourceLine)
            }
        }
    }

    func testNonTriggeringExamplesAreSilent() throws {
        for rule in RuleRegistry.all {
            let id = rule.description.id
            for (index, example) in rule.description.nonTriggeringExamples.enumerated() {
                let found = try diagnostics(for: example).filter { $0.ruleID == id }
                XCTAssertEqual(
                    found.map(\.message), [], "\(id) non-triggering example \(index + 1) (\(example.caption))",
                    file: example.sourceFile, line: example.sourceLine)
            }
        }
    }

    /// Every triggering example again, with `<!-- evident-disable <rule> -->` after the
    /// front matter of each Markdown file that carries a marker: the rule must report
    /// nothing there. YAML files cannot carry the comment, so findings in them stay.
    func testTriggeringExamplesAreSilencedByADisableComment() throws {
        for rule in RuleRegistry.all {
            let id = rule.description.id
            for (index, example) in rule.description.triggeringExamples.enumerated()
            where Self.notSilenceable["\(id) \(index + 1)"] == nil {
                var files = example.files
                for (path, text) in example.files where Self.takesComments(path, text) {
                    files[path] = Self.insertingAfterFrontMatter("<!-- evident-disable \(id) -->\n", into: text)
                }
                let variant = example.replacing(files)
                let found = try diagnostics(for: variant).filter { $0.ruleID == id }
                let expected = example.expectedLocations.filter {
                    !Self.takesComments($0.file, example.files[$0.file] ?? "")
                }
                XCTAssertEqual(
                    found.map(\.location).sorted(), expected,
                    "\(id) triggering example \(index + 1) (\(example.caption)) with a disable comment: \(found.map(\.message))",
                    file: example.sourceFile, line: example.sourceLine)
            }
        }
    }

    /// Every triggering example again, with non-ASCII prose (accents, CJK, emoji) added
    /// as a last paragraph of each Markdown file that carries a marker: the rule must
    /// still report exactly at the markers, which the addition does not move.
    func testTriggeringExamplesReportAtTheirMarkersAmongNonASCIIText() throws {
        for rule in RuleRegistry.all {
            let id = rule.description.id
            for (index, example) in rule.description.triggeringExamples.enumerated()
            where Self.notAppendable["\(id) \(index + 1)"] == nil {
                var files = example.files
                for (path, text) in example.files where Self.takesComments(path, text) {
                    files[path] = text + (text.hasSuffix("\n") ? "" : "\n") + "\nÉté naïve, façade — 日本語の段落です。Ærø 🙂\n"
                }
                let variant = example.replacing(files)
                let found = try diagnostics(for: variant).filter { $0.ruleID == id }
                XCTAssertEqual(
                    found.map(\.location).sorted(), example.expectedLocations,
                    "\(id) triggering example \(index + 1) (\(example.caption)) with non-ASCII text: \(found.map(\.message))",
                    file: example.sourceFile, line: example.sourceLine)
            }
        }
    }

    /// A Markdown file with a marker, in plaintext (a sealed file has no comments to read).
    private static func takesComments(_ path: String, _ text: String) -> Bool {
        let plain = MarkedText(text).text
        return path.hasSuffix(".md") && !MarkedText(text).positions.isEmpty && !plain.hasPrefix("age-encryption.org/")
            && !plain.hasPrefix("-----BEGIN AGE")
    }

    /// Examples the variants cannot apply to, with the reason.
    private static let notSilenceable: [String: String] = [
        "front-matter-syntax 2": "a file without front matter is not read as Markdown, so its comments are not seen"
    ]
    private static let notAppendable: [String: String] = [
        "rubric-coverage 1": "reports at the end of the file, where the missing section belongs: added text moves it",
        "rubric-coverage 3": "reports at the end of the file, where the missing section belongs: added text moves it",
    ]

    /// `line` after the front matter's closing `---`, or first when there is none.
    private static func insertingAfterFrontMatter(_ line: String, into text: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let opening = lines.firstIndex { MarkedText($0).text == "---" }
        if opening == 0 || (opening == 1 && MarkedText(lines[0]).text.isEmpty),
            let closing = lines.indices.dropFirst(opening! + 1).first(where: { MarkedText(lines[$0]).text == "---" })
        {
            lines.insert(String(line.dropLast()), at: closing + 1)
            return lines.joined(separator: "\n")
        }
        return line + text
    }

    func testRuleIDsAreUniqueAndKebabCase() {
        let ids = RuleRegistry.all.map { $0.description.id }
        XCTAssertEqual(Set(ids).count, ids.count)
        for id in ids { XCTAssertNotNil(id.range(of: "^[a-z]+(-[a-z0-9]+)*$", options: .regularExpression), id) }
    }

    func testSummariesAreLowercaseWithoutFinalPeriod() {
        for rule in RuleRegistry.all {
            let summary = rule.description.summary
            XCTAssertEqual(summary.first.map { String($0).lowercased() }, summary.first.map(String.init), summary)
            XCTAssertFalse(summary.hasSuffix("."), summary)
        }
    }
}

extension RuleExample {
    /// The same example with other file texts.
    fileprivate func replacing(_ files: [String: String]) -> RuleExample {
        RuleExample(
            files: files, caption: caption, removing: removedFiles, signoffs: signoffs, sourceFile: sourceFile,
            sourceLine: sourceLine)
    }
}

/// Counts how many times example lists are built.
private final class BuildCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var built = 0

    var count: Int { lock.withLock { built } }

    func examples(_ text: String) -> [RuleExample] {
        lock.withLock { built += 1 }
        return [RuleExample(text)]
    }
}
