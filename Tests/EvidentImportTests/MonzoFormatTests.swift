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
        XCTAssertTrue(mastery.criteria["backend-3"]!.examples[0].contains("\"There's a risk here of X, Y but given Z, I think this is OK\""))
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
        XCTAssertEqual(mastery.criteria["web-1"]?.expectations, ["Uses git to manage the development workflow effectively", "Fixes simple bugs"])
        XCTAssertEqual(
            mastery.criteria["web-1"]?.examples,
            ["Uses git to manage the development workflow effectively (for example: Checkout, Push, Pull, Branch, Diff, Merge, Stash, Rebase, etc.)"])
        XCTAssertEqual(
            mastery.criteria["web-3"]?.examples,
            [
                "Implements non-trivial components (for example: Uses modern CSS features like flex-box, grid, media-queries, selectors, etc.; Uses advanced component patterns higher-order components, render props, controlled components, compound components)"
            ])
        let communication = track.topics[1]
        // `- - text` in the source is one bullet.
        XCTAssertEqual(
            communication.criteria["web-2"]?.expectations.first,
            "Proactively communicates to their team what they are working on, why, how it's going and what help they need")
        XCTAssertEqual(communication.criteria["web-2"]?.examples.count, 1)
        XCTAssertTrue(ladder.report.losses.contains { $0.message.contains("before the first level") })
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
        XCTAssertEqual(track.topics[0].criteria["data-1"]?.expectations, ["Strong SQL skills", "Basic stats and math knowledge"])
        XCTAssertEqual(
            track.topics[1].criteria["data-6"]?.expectations,
            ["Attracts other very senior hires", "Engineers around them get better and have a bigger impact, faster"])
        XCTAssertTrue(ladder.report.losses.contains { $0.message.contains("Technical knowledge") && $0.message.contains("Stats & Math") })
    }

    func testFolderReadsEveryTrackAndSkipsOtherFiles() throws {
        let ladder = try MonzoFormat.read(Fixtures.path("monzo"))
        XCTAssertEqual(ladder.tracks.map(\.id), ["backend", "data", "mobile", "web"])
        XCTAssertTrue(ladder.report.losses.contains { $0.subject == "NOTICE.md" && $0.message.hasPrefix("skipped") })
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
