import Foundation
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

/// Hostile input has a bounded cost (issue 14), through the built binary: the number of
/// diagnostics per file and rule is capped with one summary for the rest, text output
/// cannot start a GitHub Actions workflow command, and `new` never writes through a
/// symlinked folder. Structural assertions only: the time and memory figures are shown
/// by `Benchmarks/run.sh --hostile`, never asserted in a test.
final class BoundedCostTests: XCTestCase {
    typealias Hostile = HostileInputTests

    static let review = HostileInputTests.review
    static let perRule = 100
    static let perFile = 500

    /// A copy of examples/acme in a scratch folder.
    func acme() throws -> URL {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("evident-bounded-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: base) }
        let target = base.resolvingSymlinksInPath().appendingPathComponent("acme")
        try FileManager.default.copyItem(
            at: EvidentProcess.projectRoot.appendingPathComponent("examples/acme"), to: target)
        return target
    }

    func append(_ text: String, to path: String, in repository: URL) throws {
        let url = repository.appendingPathComponent(path)
        let original = try String(contentsOf: url, encoding: .utf8)
        try (original + text).write(to: url, atomically: false, encoding: .utf8)
    }

    func checkJSON(_ repository: URL, _ arguments: [String] = []) throws -> [Hostile.Finding] {
        let result = try Hostile.runBounded(["check", "--format", "json"] + arguments, in: repository, limit: 120)
        XCTAssertFalse(result.timedOut || result.signalled, "check: \(result.stderr.prefix(1_000))")
        XCTAssertEqual(result.status, 1, result.stderr)
        return try Hostile.findings(result)
    }

    static func isSummary(_ finding: Hostile.Finding) -> Bool {
        finding.message.contains("more \(finding.rule) finding")
    }

    // MARK: - The cap and the summary

    /// 3,000 unknown citations in 3,000 unknown sections: each rule shows its first 100
    /// in position order, then one summary, an error for an error rule, at the first
    /// finding left out, counting exactly the rest.
    func testFindingsPerRuleAndFileAreCappedWithOneSummary() throws {
        let repository = try acme()
        let count = 3_000
        try append(
            (0..<count).map { "\n## Extra \($0)\n\nClaim [@nope-\($0)].\n" }.joined(), to: Self.review, in: repository)
        let found = try checkJSON(repository)
        for rule in ["citation-unknown", "rubric-unknown-section"] {
            let ofRule = found.filter { $0.rule == rule && $0.file == Self.review }
            let summaries = ofRule.filter(Self.isSummary)
            let shown = ofRule.filter { !Self.isSummary($0) }
            XCTAssertEqual(shown.count, Self.perRule, rule)
            XCTAssertEqual(summaries.count, 1, "\(rule): \(summaries)")
            guard let summary = summaries.first, let lastShown = shown.last else { continue }
            XCTAssertTrue(summary.message.hasPrefix("\(count - Self.perRule) more \(rule) findings"), summary.message)
            // Kept in position order: the first ones of the file, then the summary after them.
            XCTAssertEqual(shown.map(\.line), shown.map(\.line).sorted(), rule)
            XCTAssertGreaterThan(summary.line, lastShown.line, rule)
        }
        let citations = found.filter { $0.rule == "citation-unknown" }
        XCTAssertTrue(citations.first?.message.contains("'@nope-0'") ?? false, "\(citations.prefix(2))")
        XCTAssertFalse(citations.contains { $0.message.contains("'@nope-100'") }, "the 101st is not shown")
        // The summary of an error rule is an error: it keeps the check failing.
        let json = try Hostile.runBounded(["check", "--format", "json"], in: repository, limit: 120)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: json.stdout) as? [String: Any])
        let diagnostics = try XCTUnwrap(object["diagnostics"] as? [[String: Any]])
        let summary = diagnostics.first {
            ($0["rule"] as? String) == "citation-unknown" && (($0["message"] as? String) ?? "").contains("more")
        }
        XCTAssertEqual(summary?["severity"] as? String, "error")
    }

    /// Below the cap nothing changes: 100 findings of a rule are all shown, no summary.
    func testFindingsUpToTheCapAreAllShownWithoutASummary() throws {
        let repository = try acme()
        try append(
            (0..<Self.perRule).map { "\nClaim [@nope-\($0)].\n" }.joined(), to: Self.review, in: repository)
        let citations = try checkJSON(repository).filter { $0.rule == "citation-unknown" }
        XCTAssertEqual(citations.count, Self.perRule)
        XCTAssertFalse(citations.contains(where: Self.isSummary))
    }

    /// Over all rules a file shows at most 500 diagnostics, plus one summary per rule
    /// that lost findings to either cap.
    func testFindingsPerFileAreCapped() throws {
        let repository = try acme()
        // Six rules with 150 findings each in the evidence log: ids, dates, links, values,
        // metrics and dimensions that are all wrong.
        let items = (0..<150).map {
            """
              - id: twice
                date: 2020-01-01
                type: pr
                link: ftp://x.example/\($0)
                summary: s
                dimensions: [nope]
                values: [nope]
                metric: nope

            """
        }.joined()
        let evidence = "cycles/2026-h2/alice/evidence.md"
        let url = repository.appendingPathComponent(evidence)
        let text = try String(contentsOf: url, encoding: .utf8)
        try text.replacingOccurrences(of: "items:\n", with: "items:\n" + items).write(
            to: url, atomically: false, encoding: .utf8)
        let inFile = try checkJSON(repository).filter { $0.file == evidence }
        let summaries = inFile.filter(Self.isSummary)
        let shown = inFile.filter { !Self.isSummary($0) }
        XCTAssertEqual(shown.count, Self.perFile, "\(Dictionary(grouping: shown, by: \.rule).mapValues(\.count))")
        XCTAssertGreaterThanOrEqual(summaries.count, 4, "\(summaries)")
        XCTAssertEqual(Set(summaries.map(\.rule)).count, summaries.count, "one summary per rule: \(summaries)")
        for (rule, ofRule) in Dictionary(grouping: shown, by: \.rule) {
            XCTAssertLessThanOrEqual(ofRule.count, Self.perRule, rule)
        }
    }

    /// Switched-off findings take no place under the cap: an `evident-disable` over the
    /// first 150 citations leaves the next ones shown, and no summary for the silenced.
    func testSilencedFindingsDoNotUseTheCap() throws {
        let repository = try acme()
        let silenced = (0..<150).map { "\nQuiet [@quiet-\($0)].\n" }.joined()
        let loud = (0..<20).map { "\nLoud [@loud-\($0)].\n" }.joined()
        try append(
            "\n<!-- evident-disable citation-unknown -->\n" + silenced + "\n<!-- evident-enable citation-unknown -->\n"
                + loud, to: Self.review, in: repository)
        let citations = try checkJSON(repository).filter { $0.rule == "citation-unknown" }
        XCTAssertEqual(citations.count, 20, "\(citations.prefix(3))")
        XCTAssertTrue(citations.allSatisfy { $0.message.contains("'@loud-") }, "\(citations.prefix(3))")
    }

    /// The cap and its summary in the text and SARIF outputs too.
    func testTextAndSARIFShowTheSummary() throws {
        let repository = try acme()
        try append((0..<300).map { "\nClaim [@nope-\($0)].\n" }.joined(), to: Self.review, in: repository)
        let text = try Hostile.runBounded(["check"], in: repository, limit: 120)
        XCTAssertEqual(text.status, 1)
        let lines = text.output.split(separator: "\n")
        XCTAssertEqual(lines.filter { $0.hasSuffix("[citation-unknown]") }.count, Self.perRule + 1)
        XCTAssertEqual(lines.filter { $0.contains("error: 200 more citation-unknown findings") }.count, 1, text.output)
        let sarif = try Hostile.runBounded(["check", "--format", "sarif"], in: repository, limit: 120)
        let log = try XCTUnwrap(JSONSerialization.jsonObject(with: sarif.stdout) as? [String: Any])
        let results = try XCTUnwrap((log["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]])
        XCTAssertEqual(results.filter { ($0["ruleId"] as? String) == "citation-unknown" }.count, Self.perRule + 1)
    }

    // MARK: - Workflow commands in text output

    /// An organisation and a file named like workflow commands: no line of text output
    /// starts (after blanks) with `::` or `##[`; the github format still writes its own.
    func testTextOutputCannotStartAWorkflowCommand() throws {
        let repository = try acme()
        let policy = repository.appendingPathComponent("evident.yaml")
        try String(contentsOf: policy, encoding: .utf8)
            .replacingOccurrences(of: "organization: Acme", with: "organization: \"::add-mask::x\"")
            .write(to: policy, atomically: false, encoding: .utf8)
        // Files of a person folder are shown relative to where the user stands: run in the
        // folder, a file's name starts the line.
        let alice = repository.appendingPathComponent("cycles/2026-h2/alice")
        try Data().write(to: alice.appendingPathComponent("::error title=forged::owned.md"))
        try Data().write(to: alice.appendingPathComponent("##[error]forged.md"))
        let inFolder = try Hostile.runBounded(["check"], in: alice, limit: 120)
        let atRoot = try Hostile.runBounded(["check"], in: repository, limit: 120)
        for (what, result) in [("in a folder", inFolder), ("at the root", atRoot)] {
            XCTAssertEqual(result.status, 1, "\(what): \(result.stderr)")
            for line in result.output.split(separator: "\n") {
                let trimmed = line.drop { $0 == " " || $0 == "\t" }
                XCTAssertFalse(trimmed.hasPrefix("::") || trimmed.hasPrefix("##["), "\(what): command line \(line)")
            }
            XCTAssertTrue(result.output.contains(#"\u{3A}:add-mask::x: 12 people"#), result.output)
        }
        XCTAssertTrue(inFolder.output.contains(#"\u{3A}:error title=forged::owned.md:1:1: error:"#), inFolder.output)
        XCTAssertTrue(inFolder.output.contains(#"\u{23}#[error]forged.md:1:1: error:"#), inFolder.output)
        // Elsewhere the path comes first and the name is left as it is.
        XCTAssertTrue(atRoot.output.contains("cycles/2026-h2/alice/::error title=forged::owned.md:1:1"), atRoot.output)
        let github = try Hostile.runBounded(["check", "--format", "github"], in: repository, limit: 120)
        XCTAssertTrue(github.output.hasPrefix("::error file=cycles/2026-h2/alice/"), github.output)
    }

    // MARK: - Writing through symlinks

    /// `new cycle` whose cycle folder is a symlink to a folder outside the repository:
    /// exit 2, nothing written there, nothing left behind in the repository.
    func testNewCycleRefusesToWriteThroughASymlinkedFolder() throws {
        let repository = try acme()
        let outside = repository.deletingLastPathComponent().appendingPathComponent("outside")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            at: repository.appendingPathComponent("cycles/2027-h1"), withDestinationURL: outside)
        let before = Hostile.snapshot(repository)
        let result = try Hostile.runBounded(
            ["new", "cycle", "2027-h1", "--start", "2027-01-01", "--end", "2027-06-30"], in: repository)
        XCTAssertEqual(result.status, 2, result.output + result.stderr)
        XCTAssertTrue(result.stderr.contains("symbolic link"), result.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: outside.path), [])
        XCTAssertEqual(Hostile.snapshot(repository), before)
        // The same command on a real folder works.
        try FileManager.default.removeItem(at: repository.appendingPathComponent("cycles/2027-h1"))
        let plain = try Hostile.runBounded(
            ["new", "cycle", "2027-h1", "--start", "2027-01-01", "--end", "2027-06-30"], in: repository)
        XCTAssertEqual(plain.status, 0, plain.stderr)
        XCTAssertTrue(
            FileManager.default.fileExists(atPath: repository.appendingPathComponent("cycles/2027-h1/cycle.yaml").path))
    }

    /// The same for a symlinked `cycles` folder and for a person's folder.
    func testNewRefusesSymlinksAnywhereBelowTheRoot() throws {
        let repository = try acme()
        let outside = repository.deletingLastPathComponent().appendingPathComponent("outside")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        let person = repository.appendingPathComponent("cycles/2026-h2/alice")
        try FileManager.default.removeItem(at: person.appendingPathComponent("evidence.md"))
        try FileManager.default.moveItem(at: person, to: outside.appendingPathComponent("alice"))
        try FileManager.default.createSymbolicLink(
            at: person, withDestinationURL: outside.appendingPathComponent("alice"))
        let result = try Hostile.runBounded(["new", "evidence", "alice", "--cycle", "2026-h2"], in: repository)
        XCTAssertEqual(result.status, 2, result.output + result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: outside.appendingPathComponent("alice/evidence.md").path))

        let other = try acme()
        let cycles = other.appendingPathComponent("cycles")
        let moved = other.deletingLastPathComponent().appendingPathComponent("cycles-elsewhere")
        try FileManager.default.moveItem(at: cycles, to: moved)
        try FileManager.default.createSymbolicLink(at: cycles, withDestinationURL: moved)
        let cycle = try Hostile.runBounded(
            ["new", "cycle", "2027-h1", "--start", "2027-01-01", "--end", "2027-06-30"], in: other)
        XCTAssertEqual(cycle.status, 2, cycle.output + cycle.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: moved.appendingPathComponent("2027-h1").path))
    }
}
