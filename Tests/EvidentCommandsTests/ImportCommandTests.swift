import Foundation
import XCTest

/// `evident import` through the binary, on the credited fixtures in Tests/Fixtures/import.
final class ImportCommandTests: XCTestCase {
    static var fixtures: URL { EvidentProcess.projectRoot.appendingPathComponent("Tests/Fixtures/import") }

    static let monzoMapping = [
        "--aspect", "communication=how,impact=what,leadership=how,influence=how,mastery=what",
        "--aspect", "communication-feedback=how,mastery-data-science=what,mastery-data-analytics=what",
        "--balance", "what=60,how=40",
    ]

    /// A fresh repository from `evident init`, which checks clean.
    func repository() throws -> URL {
        let folder = try EvidentProcess.temporaryDirectory(self, "import").appendingPathComponent("reviews")
        let created = try EvidentProcess.run(["init", folder.path])
        XCTAssertEqual(created.status, 0, created.stderr)
        return folder
    }

    func levelFiles(_ repository: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: repository.appendingPathComponent("levels").path).sorted()
    }

    /// Monzo's engineering tracks (both encodings) imported as plain guides check clean, and
    /// keep the criteria word for word.
    func testMonzoEngineeringImportChecksClean() throws {
        let repository = try repository()
        let before = try levelFiles(repository)
        let imported = try EvidentProcess.run(
            ["import", "monzo", Self.fixtures.appendingPathComponent("monzo").path, "--no-extensions"]
                + Self.monzoMapping,
            in: repository)
        XCTAssertEqual(imported.status, 0, imported.stderr + imported.stdout)
        XCTAssertTrue(imported.stdout.contains("wrote levels/backend-1.md"), imported.stdout)
        XCTAssertTrue(imported.stdout.contains("imported 21 level guides"), imported.stdout)
        XCTAssertTrue(imported.stdout.contains("loss: backend-2: examples not written"), imported.stdout)
        XCTAssertTrue(imported.stdout.contains("guess: engineering/backend.md: levels have no titles"), imported.stdout)
        XCTAssertEqual(try levelFiles(repository).count, before.count + 21)
        let checked = try EvidentProcess.run(["check"], in: repository)
        XCTAssertEqual(checked.status, 0, checked.stdout + checked.stderr)
        XCTAssertTrue(checked.stdout.contains(" 0 errors"), checked.stdout)
        let guide = try String(contentsOf: repository.appendingPathComponent("levels/backend-4.md"), encoding: .utf8)
        XCTAssertTrue(
            guide.contains(
                "\"Asks why. Does not take truths for granted unless they understand exactly where they are coming from (especially with regards to regulation, compliance, etc)\""
            ), guide)
    }

    /// With the level-guide extensions (grade, includes, examples, specialism), the same
    /// import checks clean too.
    func testMonzoImportWithExtensionsChecksClean() throws {
        let repository = try repository()
        let imported = try EvidentProcess.run(
            ["import", "monzo", Self.fixtures.appendingPathComponent("monzo").path] + Self.monzoMapping, in: repository)
        XCTAssertEqual(imported.status, 0, imported.stderr + imported.stdout)
        let guide = try String(contentsOf: repository.appendingPathComponent("levels/backend-3.md"), encoding: .utf8)
        XCTAssertTrue(guide.contains("includes: backend-2"), guide)
        XCTAssertTrue(guide.contains("grade: 3"), guide)
        XCTAssertTrue(guide.contains("examples:"), guide)
        let data = try String(contentsOf: repository.appendingPathComponent("levels/data-2.md"), encoding: .utf8)
        XCTAssertTrue(data.contains("specialism: data-science"), data)
        let checked = try EvidentProcess.run(["check"], in: repository)
        XCTAssertEqual(checked.status, 0, checked.stdout + checked.stderr)
        XCTAssertTrue(checked.stdout.contains(" 0 errors"), checked.stdout)
    }

    func testMarkdownTableImportChecksClean() throws {
        let repository = try repository()
        let imported = try EvidentProcess.run(
            [
                "import", "markdown-table", Self.fixtures.appendingPathComponent("markdown-table/rse.md").path,
                "--aspect", "docbb=what,libs=what,mod=what,swlc=what,swrepos=what,new=how,rc=what",
                "--aspect", "sru=what,sp=what,domrep=what,users=how,teach=how,pm=how,team=how",
                "--balance", "what=50,how=50",
            ], in: repository)
        XCTAssertEqual(imported.status, 0, imported.stderr + imported.stdout)
        XCTAssertTrue(imported.stdout.contains("wrote levels/rse-principal-rse-brings-in-funding.md"), imported.stdout)
        XCTAssertTrue(imported.stdout.contains("not resolved"), imported.stdout)
        let checked = try EvidentProcess.run(["check"], in: repository)
        XCTAssertEqual(checked.status, 0, checked.stdout + checked.stderr)
        let guide = try String(contentsOf: repository.appendingPathComponent("levels/rse-senior.md"), encoding: .utf8)
        XCTAssertTrue(guide.contains("\"Should know which decisions lead to technical debt.\""), guide)
        XCTAssertTrue(guide.contains("grade: 2"), guide)
        XCTAssertFalse(guide.contains("includes:"), "a table states every level in full: \(guide)")
    }

    /// Without a mapping nothing is written, the exit status is 2 and the unmapped topics
    /// come with suggestions.
    func testUnmappedTopicsAreRefusedWithSuggestions() throws {
        let repository = try repository()
        let before = try levelFiles(repository)
        let refused = try EvidentProcess.run(
            [
                "import", "monzo", Self.fixtures.appendingPathComponent("monzo/engineering/backend.md").path,
                "--balance", "what=60,how=40",
            ],
            in: repository)
        XCTAssertEqual(refused.status, 2)
        XCTAssertTrue(
            refused.stderr.contains("5 topics are unmapped: communication, impact, leadership, influence, mastery"),
            refused.stderr)
        XCTAssertTrue(refused.stderr.contains("--aspect impact=what"), refused.stderr)
        XCTAssertEqual(try levelFiles(repository), before)
        let unbalanced = try EvidentProcess.run(
            ["import", "monzo", Self.fixtures.appendingPathComponent("monzo/engineering/backend.md").path]
                + Self.monzoMapping.dropLast(2), in: repository)
        XCTAssertEqual(unbalanced.status, 2)
        XCTAssertTrue(unbalanced.stderr.contains("every level needs a balance"), unbalanced.stderr)
        XCTAssertEqual(try levelFiles(repository), before)
    }

    func testNeverOverwritesAndDryRunWritesNothing() throws {
        let repository = try repository()
        let source = Self.fixtures.appendingPathComponent("monzo/engineering/web.md").path
        let before = try levelFiles(repository)
        let dry = try EvidentProcess.run(["import", "monzo", source, "--dry-run"] + Self.monzoMapping, in: repository)
        XCTAssertEqual(dry.status, 0, dry.stderr)
        XCTAssertTrue(dry.stdout.contains("would write levels/web-3.md"), dry.stdout)
        XCTAssertTrue(dry.stdout.contains("nothing written"), dry.stdout)
        XCTAssertEqual(try levelFiles(repository), before)

        // One target already exists: nothing at all is written, and it is untouched.
        let existing = repository.appendingPathComponent("levels/web-2.md")
        try "kept\n".write(to: existing, atomically: true, encoding: .utf8)
        let blocked = try EvidentProcess.run(["import", "monzo", source] + Self.monzoMapping, in: repository)
        XCTAssertEqual(blocked.status, 2)
        XCTAssertTrue(blocked.stderr.contains("levels/web-2.md"), blocked.stderr)
        XCTAssertTrue(blocked.stderr.contains("never overwritten"), blocked.stderr)
        XCTAssertEqual(try String(contentsOf: existing, encoding: .utf8), "kept\n")
        XCTAssertFalse(
            FileManager.default.fileExists(atPath: repository.appendingPathComponent("levels/web-1.md").path))
        try FileManager.default.removeItem(at: existing)

        let first = try EvidentProcess.run(
            ["import", "monzo", source, "--no-extensions"] + Self.monzoMapping, in: repository)
        XCTAssertEqual(first.status, 0, first.stderr)
        let written = try String(contentsOf: repository.appendingPathComponent("levels/web-1.md"), encoding: .utf8)
        let again = try EvidentProcess.run(["import", "monzo", source] + Self.monzoMapping, in: repository)
        XCTAssertEqual(again.status, 2)
        XCTAssertEqual(
            try String(contentsOf: repository.appendingPathComponent("levels/web-1.md"), encoding: .utf8), written)
    }

    /// Names quoted in the report and in errors cannot drive the terminal.
    func testReportAndErrorsNeutraliseEscapeSequences() throws {
        let repository = try repository()
        let source = repository.deletingLastPathComponent().appendingPathComponent("hostile.md")
        try
            "---\ntitle: \"\\e]0;owned\\a\"\nlevels: 1\ntopics:\n  - name: \"evil\\e[31m\"\n    content:\n      - level: 1\n        criteria: [\"x\"]\n---\n"
            .write(to: source, atomically: true, encoding: .utf8)
        let dry = try EvidentProcess.run(
            ["import", "monzo", source.path, "--dry-run", "--aspect", "evil-31m=how", "--balance", "what=50,how=50"],
            in: repository)
        XCTAssertEqual(dry.status, 0, dry.stderr)
        XCTAssertFalse(dry.stdout.contains("\u{1B}"), dry.stdout)
        XCTAssertTrue(dry.stdout.contains("\\u{1B}"), dry.stdout)
        let named = repository.deletingLastPathComponent().appendingPathComponent("x\u{1B}[2J.md")
        try "---\ntitle: not a framework\n---\n".write(to: named, atomically: true, encoding: .utf8)
        let refused = try EvidentProcess.run(
            ["import", "monzo", named.path, "--balance", "what=50,how=50"], in: repository)
        XCTAssertEqual(refused.status, 2)
        XCTAssertTrue(refused.stderr.contains("x\\u{1B}[2J.md is not a Monzo framework file"), refused.stderr)
        XCTAssertFalse(refused.stderr.contains("\u{1B}"), refused.stderr)
    }

    /// A Monzo file dropped into levels/ gets a note naming the import; a broken level
    /// guide of Evident's own does not.
    func testCheckPointsAForeignLadderInLevelsAtImport() throws {
        let repository = try repository()
        try FileManager.default.copyItem(
            at: Self.fixtures.appendingPathComponent("monzo/engineering/backend.md"),
            to: repository.appendingPathComponent("levels/backend.md"))
        try FileManager.default.copyItem(
            at: Self.fixtures.appendingPathComponent("markdown-table/rse.md"),
            to: repository.appendingPathComponent("levels/rse.md"))
        try "---\nkind: level\nid: broken\ntitle: Broken\ndimensions: []\n---\n".write(
            to: repository.appendingPathComponent("levels/broken.md"), atomically: true, encoding: .utf8)
        let checked = try EvidentProcess.run(["check"], in: repository)
        XCTAssertEqual(checked.status, 1)
        XCTAssertTrue(
            checked.stdout.contains(
                "levels/backend.md looks like a Monzo progression framework file, not a level guide"), checked.stdout)
        XCTAssertTrue(checked.stdout.contains("evident import monzo"), checked.stdout)
        XCTAssertTrue(
            checked.stdout.contains("levels/rse.md looks like a ladder written as a Markdown table"), checked.stdout)
        XCTAssertTrue(checked.stdout.contains("levels/broken.md"), checked.stdout)
        XCTAssertFalse(checked.stdout.contains("levels/broken.md looks like"), checked.stdout)
        XCTAssertEqual(checked.stdout.components(separatedBy: "evident import monzo").count - 1, 1, "one note per file")
    }
}
