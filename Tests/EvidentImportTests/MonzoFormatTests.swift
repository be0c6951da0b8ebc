import EvidentImport
import XCTest

final class MonzoFormatTests: XCTestCase {
    func testYAMLTrackKeepsTopicsLevelsCriteriaAndExampleCriteria() throws {
        let ladder = try MonzoFormat.read(Fixtures.path("monzo/engineering/backend.md"))
        let track = try XCTUnwrap(ladder.tracks.first)
        XCTAssertEqual(ladder.tracks.count, 1)
        XCTAssertEqual(track.id, "backend")
        XCTAssertEqual(track.title, "Backend Engineering")
        XCTAssertTrue(track.cumulative)
        XCTAssertEqual(track.levels.map(\.id), (1...6).map { "backend-\($0)" })
        XCTAssertEqual(track.levels.map(\.grade), (1...6).map { $0 })
        XCTAssertEqual(track.topics.map(\.id), ["communication", "impact", "leadership", "influence", "mastery"])
        XCTAssertEqual(track.topics.map(\.name), ["Communication", "Impact", "Leadership", "Influence", "Mastery"])
        let communication = track.topics[0]
        XCTAssertEqual(communication.criteria["backend-2"]?.expectations, ["Accepts feedback graciously"])
        XCTAssertEqual(
            communication.criteria["backend-2"]?.examples,
            [
                "Writes PR descriptions that provide context and provide rationale for significant decisions (for example: I decided to X instead of Y here, I also considered Z but for these reasons I went with X)"
            ])
        let mastery = track.topics[4]
        XCTAssertEqual(mastery.criteria["backend-3"]?.expectations, [])
        XCTAssertEqual(mastery.criteria["backend-3"]?.examples.count, 1)
        XCTAssertTrue(
            mastery.criteria["backend-3"]!.examples[0].contains(
                "\"There's a risk here of X, Y but given Z, I think this is OK\""))
        XCTAssertNil(track.topics[2].criteria["backend-1"], "leadership starts at level 3")
        // Topics without a title are guessed from their name, and the site fields are reported lost.
        XCTAssertTrue(ladder.report.guesses.contains { $0.message.contains("topic 'communication' has no title") })
        XCTAssertTrue(ladder.report.losses.contains { $0.message.contains("`sidebarGroup`") })
        XCTAssertFalse(ladder.report.guesses.contains { $0.message.contains("topic 'leadership' has no title") })
    }

    func testMarkdownBodyTrackReadsLevelsTopicsBulletsAndQuotedExamples() throws {
        let ladder = try MonzoFormat.read(Fixtures.path("monzo/engineering/web.md"))
        let track = try XCTUnwrap(ladder.tracks.first)
        XCTAssertEqual(track.title, "Web Engineering")
        XCTAssertEqual(track.levels.count, 3)
        XCTAssertEqual(track.topics.map(\.id), ["mastery", "communication-feedback", "leadership"])
        let mastery = track.topics[0]
        XCTAssertEqual(
            mastery.criteria["web-1"]?.expectations,
            ["Uses git to manage the development workflow effectively", "Fixes simple bugs"])
        XCTAssertEqual(
            mastery.criteria["web-1"]?.examples,
            [
                "Uses git to manage the development workflow effectively (for example: Checkout, Push, Pull, Branch, Diff, Merge, Stash, Rebase, etc.)"
            ])
        XCTAssertEqual(
            mastery.criteria["web-3"]?.examples,
            [
                "Implements non-trivial components (for example: Uses modern CSS features like flex-box, grid, media-queries, selectors, etc.; Uses advanced component patterns higher-order components, render props, controlled components, compound components)"
            ])
        let communication = track.topics[1]
        // `- - text` in the source is one bullet.
        XCTAssertEqual(
            communication.criteria["web-2"]?.expectations.first,
            "Proactively communicates to their team what they are working on, why, how it's going and what help they need"
        )
        XCTAssertEqual(communication.criteria["web-2"]?.examples.count, 1)
        XCTAssertTrue(ladder.report.losses.contains { $0.message.contains("before the first level") })
        XCTAssertTrue(ladder.report.losses.contains { $0.message.contains("`sidebarTitle`") })
    }

    func testMarkdownBodySpecialismsAndSubheadings() throws {
        let ladder = try MonzoFormat.read(Fixtures.path("monzo/engineering/data.md"))
        let track = try XCTUnwrap(ladder.tracks.first)
        XCTAssertEqual(track.levels.count, 6)
        let ids = track.topics.map(\.id)
        XCTAssertEqual(ids, ["mastery", "influence", "mastery-data-science", "mastery-data-analytics"])
        XCTAssertNil(track.topics[0].specialism, "(Base) is for everyone")
        XCTAssertEqual(track.topics[2].specialism, "data-science")
        XCTAssertEqual(track.topics[3].specialism, "data-analytics")
        XCTAssertEqual(
            track.topics[0].criteria["data-1"]?.expectations, ["Strong SQL skills", "Basic stats and math knowledge"])
        XCTAssertEqual(
            track.topics[1].criteria["data-6"]?.expectations,
            ["Attracts other very senior hires", "Engineers around them get better and have a bigger impact, faster"])
        XCTAssertTrue(
            ladder.report.losses.contains {
                $0.message.contains("Technical knowledge") && $0.message.contains("Stats & Math")
            })
    }

    func testFolderReadsEveryTrackAndSkipsOtherFiles() throws {
        let ladder = try MonzoFormat.read(Fixtures.path("monzo"))
        XCTAssertEqual(ladder.tracks.map(\.id), ["backend", "data", "mobile", "web"])
        XCTAssertTrue(ladder.report.losses.contains { $0.subject == "NOTICE.md" && $0.message.hasPrefix("skipped") })
    }

    /// Hostile or broken files give an error, never a hang or a crash.
    func testHostileFilesAreRefused() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("monzo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var bomb =
            "---\ntitle: x\na: &a [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n"
        for level in 1...9 {
            bomb +=
                "\(Character(UnicodeScalar(97 + level)!)): &\(Character(UnicodeScalar(97 + level)!)) ["
                + Array(repeating: "*\(Character(UnicodeScalar(96 + level)!))", count: 9).joined(separator: ", ")
                + "]\n"
        }
        bomb += "topics:\n  - name: x\n    content:\n      - level: 1\n        criteria: [\"y\"]\n---\n"
        let bombFile = folder.appendingPathComponent("bomb.md")
        try bomb.write(to: bombFile, atomically: true, encoding: .utf8)
        let started = Date()
        XCTAssertThrowsError(try MonzoFormat.read(bombFile.path)) {
            XCTAssertTrue("\($0)".contains("bomb.md:"), "\($0)")
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 10)
        let binary = folder.appendingPathComponent("binary.md")
        try Data([0x2D, 0x2D, 0x2D, 0x0A, 0xFF, 0xFE, 0x00, 0x0A]).write(to: binary)
        XCTAssertThrowsError(try MonzoFormat.read(binary.path)) {
            XCTAssertTrue("\($0)".contains("not UTF-8"), "\($0)")
        }
        let broken = folder.appendingPathComponent("broken.md")
        try "---\ntopics: [\n  criteria:\n---\n".write(to: broken, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try MonzoFormat.read(broken.path)) {
            XCTAssertTrue("\($0)".contains("not valid YAML"), "\($0)")
        }
    }

    func testNotAFrameworkIsAClearError() throws {
        XCTAssertThrowsError(try MonzoFormat.read(Fixtures.path("markdown-table/rse.md"))) { error in
            XCTAssertTrue("\(error)".contains("not a Monzo framework file"), "\(error)")
        }
        XCTAssertThrowsError(try MonzoFormat.read(Fixtures.path("monzo/nothing-here.md"))) { error in
            XCTAssertTrue("\(error)".contains("no such file"), "\(error)")
        }
    }
}
