import EvidentCore
import EvidentRules
import Foundation
import XCTest

/// `evident check` end to end: exit codes, formats, and a broken copy of the example
/// organisation that must report exactly its seeded defects.
final class CheckCommandTests: XCTestCase {
    func testExampleOrganisationIsClean() throws {
        let result = try EvidentProcess.run(["check", "examples/acme"], in: EvidentProcess.projectRoot)
        XCTAssertEqual(result.status, 0, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("12 people, 11 reviews"), result.stdout)
        XCTAssertTrue(result.stdout.contains("0 errors"), result.stdout)
    }

    func testSeededDefectsAreReportedExactly() throws {
        let acme = try EvidentProcess.copyOfAcme(self)
        // One defect per structural rule, each marked where it must be reported.
        var expected: [String] = []
        func seed(_ path: String, _ transform: (String) -> String, rule: String) throws {
            let url = acme.appendingPathComponent(path)
            let original = try String(contentsOf: url, encoding: .utf8)
            let marked = MarkedText(transform(original))
            XCTAssertNotEqual(marked.text, original, "seed for \(rule) changed nothing")
            try marked.text.write(to: url, atomically: true, encoding: .utf8)
            for position in marked.positions {
                expected.append("\(path):\(position.line):\(position.column) [\(rule)]")
            }
        }
        try seed(
            "cycles/2026-h2/alice/review.md",
            { $0.replacingOccurrences(of: "reviewer: dana", with: "reviewer: 1️⃣dnaa") },
            rule: "unknown-reference")
        try seed(
            "cycles/2026-h2/ben/review.md",
            { $0.replacingOccurrences(of: "\nrating:", with: "\n1️⃣ratng: meets\nrating:") },
            rule: "front-matter-schema")
        try seed(
            "metrics.yaml",
            {
                $0 + "  - id: 1️⃣" + Self.firstMetricID($0)
                    + "\n    name: Copy\n    definition: Copy\n    indicator: leading\n    gaming_risks: [Copying]\n"
            },
            rule: "duplicate-id")
        try seed(
            "values.md", { $0.replacingOccurrences(of: "kind: values", with: "kind: values\nbad: 1️⃣[unclosed") },
            rule: "front-matter-syntax")

        let result = try EvidentProcess.run(["check", ".", "--format", "json"], in: acme)
        XCTAssertEqual(result.status, 1, result.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let diagnostics = try XCTUnwrap(json["diagnostics"] as? [[String: Any]])
        let found = diagnostics.compactMap { diagnostic -> String? in
            guard let file = diagnostic["file"] as? String, let line = diagnostic["line"] as? Int,
                let column = diagnostic["column"] as? Int, let rule = diagnostic["rule"] as? String
            else { return nil }
            return "\(file):\(line):\(column) [\(rule)]"
        }
        XCTAssertEqual(found.sorted(), expected.sorted(), "\(diagnostics.map { $0["message"] ?? "" })")
    }

    private static func firstMetricID(_ yaml: String) -> String {
        let line = yaml.split(separator: "\n").first { $0.contains("- id:") } ?? ""
        return line.split(separator: ":").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
    }

    func testExitCodeTwoForEnvironmentErrors() throws {
        let missing = try EvidentProcess.run(["check", "/no/such/folder"])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("no such file or directory"), missing.stderr)
        let empty = try EvidentProcess.temporaryDirectory(self)
        let noRepository = try EvidentProcess.run(["check"], in: empty)
        XCTAssertEqual(noRepository.status, 2)
        XCTAssertTrue(noRepository.stderr.contains("no evident.yaml found"), noRepository.stderr)
        let usage = try EvidentProcess.run(["check", "--format", "xml"])
        XCTAssertEqual(usage.status, 2)
    }

    func testCheckingOneFileReportsOnlyThatFile() throws {
        let acme = try EvidentProcess.copyOfAcme(self)
        let ben = acme.appendingPathComponent("cycles/2026-h2/ben/review.md")
        let alice = acme.appendingPathComponent("cycles/2026-h2/alice/review.md")
        for url in [ben, alice] {
            let text = try String(contentsOf: url, encoding: .utf8)
            try text.replacingOccurrences(of: "\nrating:", with: "\nratng: x\nrating:").write(
                to: url, atomically: true, encoding: .utf8)
        }
        let result = try EvidentProcess.run(["check", "cycles/2026-h2/ben/review.md"], in: acme)
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stdout.contains("cycles/2026-h2/ben/review.md:"), result.stdout)
        XCTAssertFalse(result.stdout.contains("alice"), result.stdout)
    }

    func testTextOutputIsCompilerStyleAndUncoloured() throws {
        let acme = try EvidentProcess.copyOfAcme(self)
        let review = acme.appendingPathComponent("cycles/2026-h2/alice/review.md")
        let text = try String(contentsOf: review, encoding: .utf8)
        try text.replacingOccurrences(of: "reviewer: dana", with: "reviewer: \"\u{1B}[31mdnaa\"")
            .replacingOccurrences(of: "## Growth plan", with: "## \u{1B}]0;pwned\u{07}Growth plan")
            .write(to: review, atomically: true, encoding: .utf8)
        let result = try EvidentProcess.run(["check"], in: acme, environment: ["NO_COLOR": "1"])
        XCTAssertEqual(result.status, 1)
        let line = try XCTUnwrap(result.stdout.split(separator: "\n").first { $0.contains("[front-matter-syntax]") })
        XCTAssertTrue(line.hasPrefix("cycles/2026-h2/alice/review.md:5:12: error: "), String(line))
        XCTAssertFalse(result.stdout.contains("\u{1B}"), "escape sequences must be neutralised")
        XCTAssertFalse(result.stdout.contains("\u{07}"), "control characters must be neutralised")
    }

    func testRulesAndExplainCoverEveryRule() throws {
        let rules = try EvidentProcess.run(["rules"])
        XCTAssertEqual(rules.status, 0)
        for description in RuleRegistry.descriptions {
            XCTAssertTrue(rules.stdout.contains(description.id), description.id)
            let explain = try EvidentProcess.run(["explain", description.id])
            XCTAssertEqual(explain.status, 0, description.id)
            XCTAssertTrue(explain.stdout.contains(description.summary), description.id)
            // Examples can be copied: no position markers; each triggering example is
            // followed by as many diagnostics of the rule as it has markers.
            XCTAssertFalse(MarkedText.markers.contains { explain.stdout.contains($0) }, description.id)
            let reported = explain.stdout.split(separator: "\n").filter { $0.hasSuffix("[\(description.id)]") }
            let expected = description.triggeringExamples.reduce(0) { $0 + $1.expectedLocations.count }
            XCTAssertEqual(reported.count, expected, "\(description.id): \(explain.stdout)")
            for location in description.triggeringExamples.flatMap(\.expectedLocations) {
                XCTAssertTrue(
                    reported.contains { $0.contains("\(location.file):\(location.line):\(location.column): ") },
                    "\(description.id) does not show the finding at \(location): \(reported)")
            }
        }
        XCTAssertEqual(try EvidentProcess.run(["explain", "no-such-rule"]).status, 2)
    }
}
