import EvidentCore
import Foundation
import XCTest

@testable import EvidentLanguageServer

/// A keystroke in a person folder is checked against the organisation files kept between
/// edits and with only the people the folder names (`Workspace.folderDiagnostics`). These
/// tests hold that to what the whole repository's check gives, and check that the kept
/// organisation files are read again when they change on disk or in another buffer.
final class FolderDiagnosticsTests: XCTestCase {
    private let review = "cycles/2026-h2/alice/review.md"
    /// A dimension of alice's level renamed: her review's `## Mentoring` section then
    /// names nothing.
    private let renamed = (old: "  - id: mentoring\n    name: Mentoring", new: "  - id: coaching\n    name: Coaching")

    /// Every file of every person folder of the example organisation, as it is and with
    /// edits that bring people, levels and cycles into play: the same diagnostics as the
    /// whole repository loaded and checked, kept to that file.
    func testFolderDiagnosticsEqualTheWholeCheck() throws {
        let harness = try ServerHarness()
        let workspace = harness.server.workspace
        let root = try XCTUnwrap(workspace.locate(uri: harness.uri(review))?.root)
        let paths = try FileManager.default.subpathsOfDirectory(atPath: root + "/cycles").map { "cycles/" + $0 }
            .filter { PersonFolder.of($0) != nil }.sorted()
        XCTAssertGreaterThan(paths.count, 20)
        func compare(_ path: String, _ label: String) throws {
            let folder = try XCTUnwrap(PersonFolder.of(path))
            let whole = workspace.check(try workspace.snapshot(root: root, scope: .all), paths: [path])
            let quick = try workspace.folderDiagnostics(root: root, folder: folder, paths: [path])
            XCTAssertEqual(quick, whole, "\(path) (\(label))")
        }
        for path in paths { try compare(path, "as on disk") }

        let text = harness.text(review)
        let edits = [
            ("an unknown reviewer", "reviewer: dana", "reviewer: nobody"),
            ("another person's name", "person: alice", "person: ben"),
            ("an unknown person", "person: alice", "person: nobody"),
            ("an unknown level", "level: eng-3", "level: eng-9"),
            ("another level", "level: eng-3", "level: eng-4"),
            ("an unknown cycle", "cycle: 2026-h2", "cycle: 2031-h1"),
            ("a section of no dimension", "## Mentoring", "## Mentorship"),
            ("broken front matter", "rating: exceeds", "rating: [exceeds"),
        ]
        for (label, old, new) in edits {
            XCTAssertTrue(text.contains(old), "fixture changed: '\(old)' not found")
            workspace.open(uri: harness.uri(review), text: text.replacingOccurrences(of: old, with: new), version: 1)
            try compare(review, label)
        }
        // A duplicate person in people.yaml, open unsaved: the first declaration wins.
        workspace.open(uri: harness.uri(review), text: text, version: 1)
        let people = harness.text("people.yaml")
        workspace.open(
            uri: harness.uri("people.yaml"),
            text: people
                + "\n  - id: dana\n    name: Dana Two\n    email: d2@acme.example\n    level: eng-9\n    team: payments\n",
            version: 1)
        try compare(review, "a duplicate reviewer in people.yaml")
    }

    /// A level guide edited on disk by another program, with no notification: the next
    /// keystroke in the review sees it.
    func testLevelGuideEditedOnDiskIsSeenByTheNextEdit() throws {
        let harness = try ServerHarness()
        let text = harness.text(review)
        XCTAssertEqual(harness.open(review, text: text), [])
        try rewrite(harness, "levels/eng-3.md", renamed.old, renamed.new)
        let diagnostics = try XCTUnwrap(harness.change(review, to: text + "\n", version: 2))
        XCTAssertTrue(
            diagnostics.contains { $0["code"] == "rubric-unknown-section" || $0["code"] == "rubric-coverage" },
            "\(diagnostics)")
    }

    /// people.yaml edited on disk: the reviewer removed is unknown at the next keystroke.
    func testPeopleEditedOnDiskIsSeenByTheNextEdit() throws {
        let harness = try ServerHarness()
        let text = harness.text(review)
        XCTAssertEqual(harness.open(review, text: text), [])
        try rewrite(harness, "people.yaml", "  - id: dana\n", "  - id: dana-okafor\n")
        let diagnostics = try XCTUnwrap(harness.change(review, to: text + "\n", version: 2))
        XCTAssertTrue(diagnostics.contains { $0["code"] == "unknown-reference" }, "\(diagnostics)")
    }

    /// A level guide changed in another open buffer, unsaved: the review sees it at once,
    /// and again as on disk once that buffer is closed.
    func testLevelGuideInAnotherBufferIsSeen() throws {
        let harness = try ServerHarness()
        let text = harness.text(review)
        harness.open(review, text: text)
        let guide = harness.text("levels/eng-3.md")
        harness.open("levels/eng-3.md", text: guide)
        let answers = harness.change(
            "levels/eng-3.md", to: guide.replacingOccurrences(of: renamed.old, with: renamed.new),
            version: 2)
        XCTAssertNotNil(answers)
        let edited = try XCTUnwrap(harness.change(review, to: text + "\n", version: 2))
        XCTAssertTrue(edited.contains { $0["code"] == "rubric-unknown-section" }, "\(edited)")
        harness.notify("textDocument/didClose", ["textDocument": ["uri": .string(harness.uri("levels/eng-3.md"))]])
        XCTAssertEqual(harness.change(review, to: text, version: 3), [])
    }

    /// A team file added or a file rewritten in place, then reported by the editor: the
    /// organisation files are listed again (the folder's modification time, the
    /// notification), and only the changed files are parsed.
    func testAddedTeamFileAndWatchedFileNotificationsReloadTheOrganisation() throws {
        let harness = try ServerHarness()
        let text = harness.text(review)
        harness.open(review, text: text)
        harness.change(review, to: text + "\n", version: 2)
        XCTAssertEqual(harness.server.workspace.lastLoad.parsed, 1)
        let team = harness.text("teams/payments.yaml")
        try team.replacingOccurrences(of: "payments", with: "billing")
            .write(to: harness.root.appendingPathComponent("teams/billing.yaml"), atomically: false, encoding: .utf8)
        harness.change(review, to: text, version: 3)
        XCTAssertEqual(harness.server.workspace.lastLoad.parsed, 2, "the new team file and the buffer")

        try rewrite(harness, "teams/billing.yaml", "billing", "invoicing")
        // The notification rechecks open files at once, reading the files on disk again.
        harness.notify(
            "workspace/didChangeWatchedFiles",
            ["changes": [["uri": .string(harness.uri("teams/billing.yaml")), "type": 2]]])
        XCTAssertGreaterThan(harness.server.workspace.lastLoad.parsed, 2, "files on disk are read again")
    }

    /// Rewrites a file in place (same inode, as `>>` or an editor writing in place does).
    private func rewrite(_ harness: ServerHarness, _ path: String, _ old: String, _ new: String) throws {
        let url = harness.root.appendingPathComponent(path)
        let text = try String(contentsOf: url, encoding: .utf8)
        XCTAssertTrue(text.contains(old), "fixture changed: '\(old)' not found in \(path)")
        let handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: Data(text.replacingOccurrences(of: old, with: new).utf8))
        try handle.close()
    }
}
