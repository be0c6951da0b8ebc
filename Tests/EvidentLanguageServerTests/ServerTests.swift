import Foundation
import XCTest

@testable import EvidentLanguageServer

/// Drives the server in-process with framed bytes, on a temporary copy of examples/acme.
final class ServerHarness {
    final class Sink {
        var framer = MessageFramer()
        var messages: [JSON] = []
    }

    let sink = Sink()
    let server: LanguageServer
    let root: URL
    private var nextID = 0

    init(initialize: Bool = true) throws {
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples/acme")
        root = FileManager.default.temporaryDirectory.appendingPathComponent("evident-lsp-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: example, to: root)
        let sink = self.sink
        server = LanguageServer(output: { data in
            sink.framer.append(data)
            while case .message(let body)? = sink.framer.next() {
                if let message = try? JSON.parse(body) { sink.messages.append(message) }
            }
        })
        if initialize {
            let result = request(
                "initialize",
                [
                    "processId": .null, "rootUri": .string(root.absoluteString),
                    "capabilities": [
                        "textDocument": [
                            "hover": ["contentFormat": ["markdown", "plaintext"]],
                            "completion": ["completionItem": ["documentationFormat": ["markdown"]]],
                        ]
                    ],
                ])
            XCTAssertNotNil(result["result"])
            notify("initialized", [:])
        }
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    func uri(_ path: String) -> String { root.appendingPathComponent(path).absoluteString }

    func text(_ path: String) -> String {
        (try? String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)) ?? ""
    }

    /// Sends raw bytes; returns the messages the server wrote in answer.
    @discardableResult
    func send(raw bytes: [UInt8]) -> [JSON] {
        let before = sink.messages.count
        server.receive(bytes)
        return Array(sink.messages[before...])
    }

    @discardableResult
    func send(_ message: JSON) -> [JSON] { send(raw: Array(MessageFramer.frame(message.serialized))) }

    /// The whole response (with `result` or `error`) to a request.
    @discardableResult
    func request(_ method: String, _ params: JSON) -> JSON {
        nextID += 1
        let id = nextID
        let answers = send(["jsonrpc": "2.0", "id": .integer(id), "method": .string(method), "params": params])
        return answers.first { $0["id"] == .integer(id) } ?? .null
    }

    @discardableResult
    func notify(_ method: String, _ params: JSON) -> [JSON] {
        send(["jsonrpc": "2.0", "method": .string(method), "params": params])
    }

    /// Opens a document; returns its published diagnostics.
    @discardableResult
    func open(_ path: String, text: String? = nil, version: Int = 1) -> [JSON]? {
        let answers = notify(
            "textDocument/didOpen",
            [
                "textDocument": [
                    "uri": .string(uri(path)), "languageId": "markdown", "version": .integer(version),
                    "text": .string(text ?? self.text(path)),
                ]
            ])
        return diagnostics(path, in: answers)
    }

    @discardableResult
    func change(_ path: String, to text: String, version: Int) -> [JSON]? {
        let answers = notify(
            "textDocument/didChange",
            [
                "textDocument": ["uri": .string(uri(path)), "version": .integer(version)],
                "contentChanges": [["text": .string(text)]],
            ])
        return diagnostics(path, in: answers)
    }

    func diagnostics(_ path: String, in answers: [JSON]) -> [JSON]? {
        answers.last {
            $0["method"] == "textDocument/publishDiagnostics" && $0.at("params", "uri") == .string(uri(path))
        }?.at("params", "diagnostics")?.arrayValue
    }

    func position(_ path: String, _ line: Int, _ character: Int) -> JSON {
        [
            "textDocument": ["uri": .string(uri(path))],
            "position": ["line": .integer(line), "character": .integer(character)],
        ]
    }
}

final class ServerTests: XCTestCase {
    private let review = "cycles/2026-h2/alice/review.md"
    private let evidence = "cycles/2026-h2/alice/evidence.md"

    private func lines(_ text: String) -> [String] { text.components(separatedBy: "\n") }

    private func replacing(_ text: String, _ old: String, _ new: String) -> String {
        XCTAssertTrue(text.contains(old), "fixture changed: '\(old)' not found")
        return text.replacingOccurrences(of: old, with: new)
    }

    func testInitializeAnnouncesCapabilities() throws {
        let harness = try ServerHarness(initialize: false)
        let response = harness.request("initialize", ["processId": .null, "rootUri": .null, "capabilities": [:]])
        let capabilities = response.at("result", "capabilities")
        XCTAssertEqual(capabilities?.at("textDocumentSync", "change"), 1)
        XCTAssertEqual(capabilities?.at("textDocumentSync", "openClose"), true)
        XCTAssertNotNil(capabilities?.at("textDocumentSync", "save"))
        XCTAssertEqual(capabilities?["hoverProvider"], true)
        XCTAssertEqual(capabilities?.at("completionProvider", "triggerCharacters"), ["@", "#", " ", ":"])
        XCTAssertEqual(capabilities?["positionEncoding"], "utf-16")
    }

    func testRequestsBeforeInitializeAreRefused() throws {
        let harness = try ServerHarness(initialize: false)
        let response = harness.request("textDocument/hover", harness.position(review, 0, 0))
        XCTAssertEqual(response.at("error", "code"), .integer(ErrorCode.serverNotInitialized.rawValue))
    }

    func testCleanReviewHasNoDiagnostics() throws {
        let harness = try ServerHarness()
        XCTAssertEqual(harness.open(review), [])
    }

    func testDiagnosticAppearsAndDisappearsAsTheBufferChanges() throws {
        let harness = try ServerHarness()
        let original = harness.text(review)
        harness.open(review, text: original)
        let broken = replacing(original, "reviewer: dana", "reviewer: dania")
        let diagnostics = try XCTUnwrap(harness.change(review, to: broken, version: 2))
        let unknown = try XCTUnwrap(diagnostics.first { $0["code"] == "unknown-reference" }, "\(diagnostics)")
        let line = lines(broken).firstIndex { $0.hasPrefix("reviewer:") }!
        XCTAssertEqual(unknown.at("range", "start"), ["line": .integer(line), "character": 10])
        XCTAssertEqual(unknown.at("range", "end"), ["line": .integer(line), "character": 15])
        XCTAssertEqual(unknown["severity"], 1)
        XCTAssertEqual(unknown["source"], "evident")
        // Nothing was saved: the file on disk still names dana.
        XCTAssertTrue(harness.text(review).contains("reviewer: dana\n"))

        XCTAssertEqual(harness.change(review, to: original, version: 3), [])
    }

    func testUnknownCitationIsReportedAtTheCitation() throws {
        XCTAssertTrue(Workspace.ruleIDs.contains("citation-unknown"), "citation-unknown must be registered")
        let harness = try ServerHarness()
        let original = harness.text(review)
        harness.open(review, text: original)
        let broken = replacing(original, "[@refunds-contract].\n", "[@no-such-item].\n")
        let diagnostics = try XCTUnwrap(harness.change(review, to: broken, version: 2))
        let citation = try XCTUnwrap(diagnostics.first { $0["code"] == "citation-unknown" }, "\(diagnostics)")
        let line = lines(broken).firstIndex { $0.contains("[@no-such-item]") }!
        let character = lines(broken)[line].utf16.distance(
            from: lines(broken)[line].utf16.startIndex,
            to: lines(broken)[line].range(of: "@no-such-item")!.lowerBound.samePosition(in: lines(broken)[line].utf16)!)
        XCTAssertEqual(citation.at("range", "start"), ["line": .integer(line), "character": .integer(character)])
        XCTAssertEqual(citation.at("range", "end", "character"), .integer(character + "@no-such-item".count))
        XCTAssertEqual(harness.change(review, to: original, version: 3), [])
    }

    func testUnsavedEvidenceIsSeenByTheReview() throws {
        XCTAssertTrue(Workspace.ruleIDs.contains("citation-unknown"), "citation-unknown must be registered")
        let harness = try ServerHarness()
        let reviewText = harness.text(review)
        let evidenceText = harness.text(evidence)
        XCTAssertEqual(harness.open(review, text: reviewText), [])
        // Renaming an item in the unsaved evidence log breaks the review's citation of it.
        let renamed = replacing(evidenceText, "- id: refunds-contract", "- id: refunds-contract-v2")
        let answers = harness.notify(
            "textDocument/didOpen",
            [
                "textDocument": [
                    "uri": .string(harness.uri(evidence)), "languageId": "markdown", "version": 1,
                    "text": .string(renamed),
                ]
            ])
        let reviewDiagnostics = try XCTUnwrap(harness.diagnostics(review, in: answers))
        XCTAssertTrue(reviewDiagnostics.contains { $0["code"] == "citation-unknown" }, "\(reviewDiagnostics)")
    }

    func testCompletionOfEvidenceIDsAfterBracketAt() throws {
        let harness = try ServerHarness()
        var text = harness.text(review)
        text = replacing(text, "[@refunds-contract].\n", "[@refunds-contract]. Also [@\n")
        harness.open(review, text: text)
        let line = lines(text).firstIndex { $0.hasSuffix("Also [@") }!
        let character = lines(text)[line].utf16.count
        let response = harness.request("textDocument/completion", harness.position(review, line, character))
        let items = try XCTUnwrap(response.at("result", "items")?.arrayValue)
        let labels = items.compactMap { $0["label"]?.stringValue }
        XCTAssertTrue(labels.contains("checkout-latency"), "\(labels)")
        XCTAssertTrue(labels.contains("ben-first-review"), "items from other files of the folder: \(labels)")
        let item = try XCTUnwrap(items.first { $0["label"] == "checkout-latency" })
        XCTAssertEqual(item["detail"], "Cut checkout p99 from 900 ms to 250 ms by batching fraud-score lookups")
        XCTAssertEqual(item.at("textEdit", "newText"), "checkout-latency")
        XCTAssertEqual(
            item.at("textEdit", "range", "start"), ["line": .integer(line), "character": .integer(character)])
        XCTAssertEqual(item.at("documentation", "kind"), "markdown")

        // After `; @` with a partial id, only matching ids come back.
        let partial = replacing(text, "Also [@\n", "Also [@latency-design; @chec\n")
        harness.change(review, to: partial, version: 2)
        let second = harness.request(
            "textDocument/completion", harness.position(review, line, lines(partial)[line].utf16.count))
        let filtered = second.at("result", "items")?.arrayValue?.compactMap { $0["label"]?.stringValue } ?? []
        XCTAssertEqual(filtered.first, "checkout-latency")
        XCTAssertFalse(filtered.contains("latency-design"))
    }

    func testCompletionOfDimensionHeadings() throws {
        let harness = try ServerHarness()
        var text = harness.text(review)
        text = replacing(text, "## Mentoring\n", "## \n")
        harness.open(review, text: text)
        let line = lines(text).firstIndex { $0 == "## " }!
        let response = harness.request("textDocument/completion", harness.position(review, line, 3))
        let items = try XCTUnwrap(response.at("result", "items")?.arrayValue)
        let labels = items.compactMap { $0["label"]?.stringValue }
        // Mentoring is the one eng-3 dimension without a section; the others are written.
        XCTAssertEqual(labels.first, "Mentoring")
        XCTAssertFalse(labels.contains("Delivery impact"))
        XCTAssertTrue(labels.contains("Growth plan") == false, "Growth plan is already a section")
        XCTAssertTrue(labels.contains("Private"))
        let mentoring = try XCTUnwrap(items.first)
        XCTAssertEqual(mentoring.at("textEdit", "newText"), "## Mentoring")
        XCTAssertEqual(mentoring.at("textEdit", "range", "start"), ["line": .integer(line), "character": 0])
    }

    func testCompletionOfFrontMatterFields() throws {
        let harness = try ServerHarness()
        let text = harness.text(review)
        harness.open(review, text: text)
        func labels(_ line: String, replacing old: String) throws -> [String] {
            let edited = replacing(text, old, line)
            harness.change(review, to: edited, version: Int.random(in: 2...1000))
            let number = lines(edited).firstIndex { $0 == line }!
            let response = harness.request(
                "textDocument/completion", harness.position(review, number, line.utf16.count))
            return try XCTUnwrap(response.at("result", "items")?.arrayValue).compactMap { $0["label"]?.stringValue }
        }
        XCTAssertTrue(try labels("reviewer: ", replacing: "reviewer: dana").contains("dana"))
        XCTAssertTrue(try labels("reviewer: ", replacing: "reviewer: dana").contains("vera"))
        XCTAssertEqual(try labels("level: eng-", replacing: "level: eng-3"), ["eng-2", "eng-3", "eng-4"])
        XCTAssertEqual(
            try labels("rating: ", replacing: "rating: exceeds"), ["below", "meets", "exceeds", "outstanding"])
        XCTAssertEqual(try labels("cycle: ", replacing: "cycle: 2026-h2"), ["2026-h2"])
        let promotion = try labels(
            "promotion: { readiness: ", replacing: "promotion: { readiness: next-cycle, target: eng-4 }")
        XCTAssertEqual(promotion, ["ready", "next-cycle", "not-yet"])
    }

    func testCompletionOfSpecialismsAndIncludedLevels() throws {
        let harness = try ServerHarness()
        // A level guide with an analytics-only dimension, open and unsaved.
        let guide = "levels/eng-3.md"
        harness.open(
            guide,
            text: harness.text(guide).replacingOccurrences(
                of: "dimensions:\n",
                with:
                    "dimensions:\n  - { id: analytics, name: Analytics, aspect: what, specialism: analytics, expectations: [Runs experiments] }\n"
            ))
        let people = "people.yaml"
        let registry = harness.text(people)
        harness.open(people, text: registry)
        let edited = registry.replacingOccurrences(
            of: "    team: payments\n", with: "    team: payments\n    specialism: \n")
        harness.change(people, to: edited, version: 2)
        let number = lines(edited).firstIndex { $0 == "    specialism: " }!
        let response = harness.request(
            "textDocument/completion", harness.position(people, number, "    specialism: ".utf16.count))
        let labels = try XCTUnwrap(response.at("result", "items")?.arrayValue).compactMap { $0["label"]?.stringValue }
        XCTAssertEqual(labels, ["analytics"])
    }

    func testCompletionInEvidenceItems() throws {
        let harness = try ServerHarness()
        let text = harness.text(evidence)
        let edited = replacing(
            text, "    values: [write-it-down]\n", "    values: [write-it-down, \n    dimensions: [\n")
        harness.open(evidence, text: edited)
        let valuesLine = lines(edited).firstIndex { $0 == "    values: [write-it-down, " }!
        let values = harness.request(
            "textDocument/completion", harness.position(evidence, valuesLine, lines(edited)[valuesLine].utf16.count))
        let valueLabels = values.at("result", "items")?.arrayValue?.compactMap { $0["label"]?.stringValue } ?? []
        XCTAssertTrue(valueLabels.contains("ownership"), "\(valueLabels)")
        let dimensions = harness.request(
            "textDocument/completion", harness.position(evidence, valuesLine + 1, "    dimensions: [".utf16.count))
        let dimensionLabels =
            dimensions.at("result", "items")?.arrayValue?.compactMap { $0["label"]?.stringValue } ?? []
        XCTAssertEqual(
            dimensionLabels, ["delivery", "reliability", "technical-judgment", "collaboration", "mentoring"])
    }

    func testHoverOnADimensionHeadingShowsExpectations() throws {
        let harness = try ServerHarness()
        let text = harness.text(review)
        harness.open(review, text: text)
        let line = lines(text).firstIndex { $0 == "## Delivery impact" }!
        let response = harness.request("textDocument/hover", harness.position(review, line, 5))
        let value = try XCTUnwrap(response.at("result", "contents", "value")?.stringValue)
        XCTAssertTrue(value.contains("Ships multi-week projects that move a team-level metric"), value)
        XCTAssertTrue(value.contains("eng-3"), value)
        XCTAssertEqual(response.at("result", "contents", "kind"), "markdown")
        XCTAssertEqual(response.at("result", "range", "end"), ["line": .integer(line), "character": 18])
    }

    func testHoverOnACitationShowsTheItem() throws {
        let harness = try ServerHarness()
        let text = harness.text(review)
        harness.open(review, text: text)
        let line = lines(text).firstIndex { $0.contains("[@checkout-latency]") }!
        let column = lines(text)[line].utf16.distance(
            from: lines(text)[line].utf16.startIndex,
            to: lines(text)[line].range(of: "@checkout-latency")!.lowerBound.samePosition(in: lines(text)[line].utf16)!)
        let response = harness.request("textDocument/hover", harness.position(review, line, column + 4))
        let value = try XCTUnwrap(response.at("result", "contents", "value")?.stringValue)
        XCTAssertTrue(value.contains("Cut checkout p99"), value)
        XCTAssertTrue(value.contains("2026-08-14"), value)
        XCTAssertTrue(value.contains("https://github.com/acme/api/pull/1423"), value)
        XCTAssertTrue(value.contains("pull-request"), value)

        let person = harness.request("textDocument/hover", harness.position(review, 2, 9))
        XCTAssertTrue(
            person.at("result", "contents", "value")?.stringValue?.contains("Alice Chen") ?? false, "\(person)")
        // Plain prose has no hover.
        XCTAssertEqual(harness.request("textDocument/hover", harness.position(review, line, 1))["result"], .null)
    }

    func testBrokenBuffersGetDiagnosticsAndTheServerStaysUp() throws {
        let harness = try ServerHarness()
        harness.open(review)
        let noFrontMatter = try XCTUnwrap(harness.change(review, to: "## Delivery impact\n[@x]\n", version: 2))
        XCTAssertTrue(noFrontMatter.contains { $0["code"] == "front-matter-syntax" }, "\(noFrontMatter)")
        let badYAML = try XCTUnwrap(harness.change(review, to: "---\nkind: [review\n---\n", version: 3))
        XCTAssertTrue(badYAML.contains { $0["code"] == "front-matter-syntax" }, "\(badYAML)")
        let binary = try XCTUnwrap(harness.change(review, to: "\u{0}\u{1}\u{FFFF}junk\u{0}", version: 4))
        XCTAssertTrue(binary.contains { $0["code"] == "front-matter-syntax" }, "\(binary)")
        let huge = "---\nkind: review\n---\n" + String(repeating: "word [@", count: 15_000) + "\n"
        XCTAssertNotNil(harness.change(review, to: huge, version: 5))
        let completion = harness.request("textDocument/completion", harness.position(review, 3, 100_000))
        XCTAssertNotNil(completion["result"], "\(completion)")
        XCTAssertNotNil(harness.request("textDocument/hover", harness.position(review, 3, 3))["result"])
        // Positions past the end of the buffer are answered, not trapped on.
        XCTAssertNotNil(harness.request("textDocument/hover", harness.position(review, 999, 999))["result"])
        XCTAssertEqual(harness.change(review, to: harness.text(review), version: 6), [])
    }

    func testUnknownMethodsAndInvalidMessages() throws {
        let harness = try ServerHarness()
        let unknown = harness.request("textDocument/semanticTokens/full", ["textDocument": ["uri": "file:///x"]])
        XCTAssertEqual(unknown.at("error", "code"), .integer(ErrorCode.methodNotFound.rawValue))
        XCTAssertEqual(harness.notify("$/somethingNew", [:]), [])
        XCTAssertEqual(harness.notify("workspace/didChangeConfiguration", ["settings": .null]), [])

        let invalid = harness.send(raw: Array(MessageFramer.frame("{\"jsonrpc\":\"2.0\",\"id\":1,")))
        XCTAssertEqual(invalid.first?.at("error", "code"), .integer(ErrorCode.parseError.rawValue))
        XCTAssertEqual(invalid.first?["id"], .null)
        let notObject = harness.send(raw: Array(MessageFramer.frame("[1,2]")))
        XCTAssertEqual(notObject.first?.at("error", "code"), .integer(ErrorCode.invalidRequest.rawValue))
        let badHeader = harness.send(raw: Array("Content-Length: twelve\r\n\r\n".utf8))
        XCTAssertEqual(badHeader.first?.at("error", "code"), .integer(ErrorCode.parseError.rawValue))
        let missingParams = harness.request("textDocument/hover", [:])
        XCTAssertEqual(missingParams.at("error", "code"), .integer(ErrorCode.invalidParams.rawValue))
        // Still serving.
        XCTAssertEqual(harness.request("shutdown", .null)["result"], .null)
    }

    func testShutdownThenExitExitsWithZero() throws {
        let harness = try ServerHarness()
        XCTAssertEqual(harness.request("shutdown", .null).at("result"), .null)
        let after = harness.request("textDocument/hover", harness.position(review, 0, 0))
        XCTAssertEqual(after.at("error", "code"), .integer(ErrorCode.invalidRequest.rawValue))
        harness.notify("exit", .null)
        XCTAssertEqual(harness.server.exitCode, 0)
    }

    func testExitWithoutShutdownExitsWithOne() throws {
        let harness = try ServerHarness()
        harness.notify("exit", .null)
        XCTAssertEqual(harness.server.exitCode, 1)
    }

    func testCloseClearsDiagnostics() throws {
        let harness = try ServerHarness()
        let broken = replacing(harness.text(review), "reviewer: dana", "reviewer: nobody")
        XCTAssertFalse(try XCTUnwrap(harness.open(review, text: broken)).isEmpty)
        let answers = harness.notify("textDocument/didClose", ["textDocument": ["uri": .string(harness.uri(review))]])
        XCTAssertEqual(harness.diagnostics(review, in: answers), [])
    }

    func testCRLFBufferPositions() throws {
        let harness = try ServerHarness()
        let text = replacing(harness.text(review), "reviewer: dana", "reviewer: dania")
            .replacingOccurrences(of: "\n", with: "\r\n")
        let diagnostics = try XCTUnwrap(harness.open(review, text: text))
        let unknown = try XCTUnwrap(diagnostics.first { $0["code"] == "unknown-reference" })
        XCTAssertEqual(unknown.at("range", "start"), ["line": 4, "character": 10])
        XCTAssertEqual(unknown.at("range", "end"), ["line": 4, "character": 15])
    }

    func testFilesOutsideARepositoryAreIgnored() throws {
        let harness = try ServerHarness()
        let answers = harness.notify(
            "textDocument/didOpen",
            [
                "textDocument": [
                    "uri": "file:///nonexistent/notes.md", "languageId": "markdown", "version": 1, "text": "[@",
                ]
            ])
        let published = answers.first { $0["method"] == "textDocument/publishDiagnostics" }
        XCTAssertEqual(published?.at("params", "diagnostics"), [])
        let completion = harness.request(
            "textDocument/completion",
            ["textDocument": ["uri": "file:///nonexistent/notes.md"], "position": ["line": 0, "character": 2]])
        XCTAssertEqual(completion.at("result", "items"), [])
    }

    /// One keystroke in a review: only that buffer is parsed; everything else comes from
    /// the cache. (The round trip's time is measured in Benchmarks/run.sh, not here.)
    func testEditRoundTripReusesParsedFiles() throws {
        let harness = try ServerHarness()
        let text = harness.text(review)
        harness.open(review, text: text)
        for version in 2...21 {
            let edited = text.replacingOccurrences(of: "## Growth plan", with: "## Growth plan\n\nEdit \(version).")
            XCTAssertNotEqual(edited, text)
            XCTAssertNotNil(harness.change(review, to: edited, version: version))
            XCTAssertEqual(harness.server.workspace.lastLoad.parsed, 1, "only the edited buffer is parsed again")
        }
    }
}
