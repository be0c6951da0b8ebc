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

    /// A person folder's snapshot (completion and hover after a keystroke) is the
    /// organisation files' organisation with the folder added: for every file of every
    /// folder, as on disk and edited, it must be the organisation that assembling the
    /// whole list of files gives, seen through every lookup a rule or the editor uses.
    func testFolderSnapshotEqualsTheOrganisationAssembledWhole() throws {
        let harness = try ServerHarness()
        let workspace = harness.server.workspace
        let root = try XCTUnwrap(workspace.locate(uri: harness.uri(review))?.root)
        let paths = try FileManager.default.subpathsOfDirectory(atPath: root + "/cycles").map { "cycles/" + $0 }
            .filter { PersonFolder.of($0) != nil }.sorted()
        XCTAssertGreaterThan(paths.count, 20)
        func compare(_ path: String, _ label: String) throws {
            let folder = try XCTUnwrap(PersonFolder.of(path))
            let quick = try workspace.snapshot(root: root, scope: .personFolder(folder))
            XCTAssertTrue(workspace.lastSnapshotAddedFolder, "\(path) (\(label)): the folder was not added")
            let whole = try workspace.snapshotAssembledWhole(root: root, folder: folder)
            let (q, w) = (quick.organisation, whole.organisation)
            let context = "\(path) (\(label))"
            let allPaths = w.files.map(\.path)
            XCTAssertEqual(q.files.map(\.path), allPaths, context)
            XCTAssertEqual(
                q.files.map { String(describing: $0.document) }, w.files.map { String(describing: $0.document) },
                context)
            for file in allPaths { XCTAssertEqual(q.file(file)?.path, w.file(file)?.path, context) }
            XCTAssertEqual(String(describing: q.personCycles), String(describing: w.personCycles), context)
            XCTAssertEqual(q.personCycle(folder: folder)?.files, w.personCycle(folder: folder)?.files, context)
            XCTAssertNotNil(q.personCycle(folder: folder), context)
            for kind in DocumentKind.allCases {
                XCTAssertEqual(q.isIncomplete(kind), w.isIncomplete(kind), "\(context) \(kind)")
            }
            XCTAssertEqual(q.people.map(\.id.value), w.people.map(\.id.value), context)
            XCTAssertEqual(q.readAllPeople, w.readAllPeople, context)
            for person in w.people { XCTAssertEqual(q.person(person.id.value)?.email, person.email, context) }
            let (qs, ws) = (DocumentScope(organisation: q, path: path), DocumentScope(organisation: w, path: path))
            XCTAssertEqual(qs.level?.id.value, ws.level?.id.value, context)
            XCTAssertEqual(qs.items.map(\.id.value), ws.items.map(\.id.value), context)
            XCTAssertEqual(
                workspace.check(quick, paths: Set(allPaths)), workspace.check(whole, paths: Set(allPaths)), context)
        }
        for path in paths { try compare(path, "as on disk") }

        let text = harness.text(review)
        let edits = [
            ("another person's name", "person: alice", "person: ben"),
            ("an unknown level", "level: eng-3", "level: eng-9"),
            ("an unknown cycle", "cycle: 2026-h2", "cycle: 2031-h1"),
            ("broken front matter", "rating: exceeds", "rating: [exceeds"),
        ]
        for (label, old, new) in edits {
            XCTAssertTrue(text.contains(old), "fixture changed: '\(old)' not found")
            workspace.open(uri: harness.uri(review), text: text.replacingOccurrences(of: old, with: new), version: 1)
            try compare(review, label)
        }
        // A file of no known kind in the folder (a misspelt name, reported as unknown):
        // kept among the folder's files and reported the same way.
        workspace.open(uri: harness.uri(review), text: text, version: 1)
        let stray = "cycles/2026-h2/alice/reveiw.md"
        workspace.open(uri: harness.uri(stray), text: text, version: 1)
        let folder = try XCTUnwrap(PersonFolder.of(stray))
        let quick = try workspace.snapshot(root: root, scope: .personFolder(folder))
        let whole = try workspace.snapshotAssembledWhole(root: root, folder: folder)
        let all = Set(whole.organisation.files.map(\.path))
        XCTAssertTrue(all.contains(stray))
        XCTAssertEqual(workspace.check(quick, paths: all), workspace.check(whole, paths: all))
        // An organisation file changed in another buffer: the organisation files'
        // organisation is assembled again, and the reviewer it drops is unknown.
        workspace.close(uri: harness.uri(stray))
        workspace.open(
            uri: harness.uri("people.yaml"),
            text: harness.text("people.yaml").replacingOccurrences(of: "  - id: dana\n", with: "  - id: dana-two\n"),
            version: 1)
        let edited = try workspace.snapshot(root: root, scope: .personFolder("cycles/2026-h2/alice"))
        XCTAssertTrue(workspace.lastSnapshotAddedFolder)
        XCTAssertNil(edited.organisation.person("dana"))
        XCTAssertNotNil(edited.organisation.person("dana-two"))
        try compare(review, "people.yaml open and edited")
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
