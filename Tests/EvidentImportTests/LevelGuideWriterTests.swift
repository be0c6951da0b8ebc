import EvidentImport
import XCTest
import Yams

final class LevelGuideWriterTests: XCTestCase {
    func testRefusesWhileTopicsAreUnmappedAndSuggestsWithoutApplying() throws {
        let ladder = try MonzoFormat.read(Fixtures.path("monzo/engineering/backend.md"))
        var options = ImportOptions()
        try options.addBalance("what=60,how=40")
        try options.addAspects("impact=what")
        XCTAssertThrowsError(try LevelGuideWriter.plan(ladder, options: options, format: "monzo")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("4 topics are unmapped: communication, leadership, influence, mastery"), text)
            XCTAssertTrue(text.contains("--aspect communication=how"), text)
            XCTAssertTrue(text.contains("--aspect mastery=what"), text)
            XCTAssertFalse(text.contains("--aspect impact="), "mapped topics are not listed: \(text)")
        }
        try options.addAspects("communication=how,leadership=how,influence=how,mastery=what")
        XCTAssertNoThrow(try LevelGuideWriter.plan(ladder, options: options, format: "monzo"))
    }

    func testRefusesWithoutBalanceAndRejectsOptionsThatNameNothing() throws {
        let ladder = try MonzoFormat.read(Fixtures.path("monzo/engineering/backend.md"))
        var options = try Fixtures.monzoOptions()
        options.balance = nil
        try options.addBalance("3:what=50,how=50")
        XCTAssertThrowsError(try LevelGuideWriter.plan(ladder, options: options, format: "monzo")) { error in
            XCTAssertTrue("\(error)".contains("missing for backend-1, backend-2, backend-4"), "\(error)")
            XCTAssertFalse("\(error)".contains("backend-3,"), "grade 3 has its balance: \(error)")
        }
        // A misspelt topic leaves the real one unmapped; the unused mapping is reported.
        var typo = ImportOptions()
        try typo.addAspects("comunication=how,impact=what,leadership=how,influence=how,mastery=what")
        try typo.addBalance("what=60,how=40")
        XCTAssertThrowsError(try LevelGuideWriter.plan(ladder, options: typo, format: "monzo")) { error in
            XCTAssertTrue("\(error)".contains("1 topic is unmapped: communication"), "\(error)")
        }
        try typo.addAspects("communication=how")
        let reported = try LevelGuideWriter.plan(ladder, options: typo, format: "monzo").report
        XCTAssertTrue(reported.guesses.contains { $0.message.contains("'comunication' names no topic") })
        var scope = try Fixtures.monzoOptions()
        try scope.addBalance("backend-9:what=50,how=50")
        XCTAssertThrowsError(try LevelGuideWriter.plan(ladder, options: scope, format: "monzo")) { error in
            XCTAssertTrue("\(error)".contains("--balance names 'backend-9'"), "\(error)")
        }
        var bad = ImportOptions()
        XCTAssertThrowsError(try bad.addBalance("what=60,how=30")) { XCTAssertTrue("\($0)".contains("sum to 90")) }
        XCTAssertThrowsError(try bad.addBalance("what=60")) { XCTAssertTrue("\($0)".contains("both")) }
        XCTAssertThrowsError(try bad.addAspects("impact=outcome")) { XCTAssertTrue("\($0)".contains("topic=what")) }
    }

    func testPerLevelBalanceByIdOrGrade() throws {
        let ladder = try MonzoFormat.read(Fixtures.path("monzo/engineering/backend.md"))
        var options = try Fixtures.monzoOptions()
        try options.addBalance("5:what=50,how=50")
        try options.addBalance("backend-6:what=40,how=60")
        let plan = try LevelGuideWriter.plan(ladder, options: options, format: "monzo")
        let balances = try plan.guides.map { try Fixtures.frontMatter($0)["balance"] as? [String: Int] ?? [:] }
        XCTAssertEqual(balances[0], ["what": 60, "how": 40])
        XCTAssertEqual(balances[4], ["what": 50, "how": 50])
        XCTAssertEqual(balances[5], ["what": 40, "how": 60])
    }

    func testExtensionsWriteGradeIncludesExamplesAndSpecialism() throws {
        let ladder = try MonzoFormat.read(Fixtures.path("monzo/engineering"))
        let plan = try LevelGuideWriter.plan(ladder, options: Fixtures.monzoOptions(), format: "monzo")
        XCTAssertEqual(plan.guides.count, 6 + 6 + 6 + 3)
        let guides = Dictionary(
            uniqueKeysWithValues: try plan.guides.map { ($0.levelID, try Fixtures.frontMatter($0)) })
        let third = try XCTUnwrap(guides["backend-3"])
        XCTAssertEqual(third["kind"] as? String, "level")
        XCTAssertEqual(third["id"] as? String, "backend-3")
        XCTAssertEqual(third["track"] as? String, "backend")
        XCTAssertEqual(third["title"] as? String, "Backend Engineering level 3")
        XCTAssertEqual(third["grade"] as? Int, 3)
        XCTAssertEqual(third["includes"] as? String, "backend-2")
        XCTAssertEqual(third["next"] as? String, "backend-4")
        XCTAssertNil(guides["backend-1"]?["includes"], "the lowest level includes nothing")
        XCTAssertNil(guides["backend-6"]?["next"], "the highest level has no next")
        // Only the level's own criteria; the rest comes through includes.
        XCTAssertEqual(
            Fixtures.dimension(third, "communication")?["expectations"] as? [String],
            ["Transparent about mistakes they've made, early"])
        XCTAssertEqual(Fixtures.dimension(third, "communication")?["aspect"] as? String, "how")
        let leadership = try XCTUnwrap(Fixtures.dimension(third, "leadership"))
        XCTAssertEqual(leadership["expectations"] as? [String], ["Onboards / mentors new engineers"])
        XCTAssertEqual((leadership["examples"] as? [String])?.count, 1)
        // Mastery has only examples at level 3: a dimension needs an expectation, so they go to the body.
        XCTAssertNil(Fixtures.dimension(third, "mastery"))
        let body = try XCTUnwrap(plan.guides.first { $0.levelID == "backend-3" }).contents.components(
            separatedBy: "\n---\n")[1]
        XCTAssertTrue(body.contains("## Examples"), body)
        XCTAssertTrue(body.contains("- Proactively considers security implications of their work (for example: "), body)
        XCTAssertTrue(
            plan.report.guesses.contains {
                $0.subject == "backend-3" && $0.message.contains("mastery has examples but no criterion")
            })
        XCTAssertNil(Fixtures.dimension(third, "influence"), "influence has nothing at level 3")
        let data2 = try XCTUnwrap(guides["data-2"])
        XCTAssertEqual(Fixtures.dimension(data2, "mastery-data-science")?["specialism"] as? String, "data-science")
        XCTAssertNil(Fixtures.dimension(data2, "mastery")?["specialism"])
    }

    /// The criteria text of the source reaches the guides unchanged: every expectation and
    /// every example of the ladder is a value in some guide's front matter.
    func testOriginalCriteriaTextIsIntact() throws {
        let ladder = try MonzoFormat.read(Fixtures.path("monzo/engineering"))
        let plan = try LevelGuideWriter.plan(ladder, options: Fixtures.monzoOptions(), format: "monzo")
        // Values of the front matter, and the example lines of the bodies.
        let bodies = plan.guides.flatMap {
            $0.contents.components(separatedBy: "\n---\n")[1].components(separatedBy: "\n")
        }
        .filter { $0.hasPrefix("- ") }.map { String($0.dropFirst(2)) }
        let written = Set(try plan.guides.flatMap { Fixtures.strings(in: try Fixtures.frontMatter($0)) } + bodies)
        var count = 0
        for track in ladder.tracks {
            for topic in track.topics {
                for criteria in topic.criteria.values {
                    for text in criteria.expectations + criteria.examples {
                        count += 1
                        XCTAssertTrue(written.contains(text), "lost: \(text)")
                    }
                }
            }
        }
        XCTAssertGreaterThan(count, 50)
        // And the source's words themselves, read straight from the fixture file.
        let source = try String(contentsOfFile: Fixtures.path("monzo/engineering/backend.md"), encoding: .utf8)
        for phrase in [
            "Asks why. Does not take truths for granted unless they understand exactly where they are coming from (especially with regards to regulation, compliance, etc)",
            "Drives changes to engineering practices with well-reasoned arguments and a 'strong opinion, weakly held' mentality",
        ] {
            XCTAssertTrue(source.contains(phrase))
            XCTAssertTrue(written.contains(phrase), phrase)
        }
    }

    func testNoExtensionsFlattensAndReportsWhatItDrops() throws {
        let ladder = try MonzoFormat.read(Fixtures.path("monzo/engineering"))
        let plan = try LevelGuideWriter.plan(ladder, options: Fixtures.monzoOptions(extensions: false), format: "monzo")
        for guide in plan.guides {
            let front = try Fixtures.frontMatter(guide)
            XCTAssertNil(front["grade"], guide.path)
            XCTAssertNil(front["includes"], guide.path)
            for dimension in Fixtures.dimensions(front) {
                XCTAssertNil(dimension["examples"], guide.path)
                XCTAssertNil(dimension["specialism"], guide.path)
                XCTAssertFalse((dimension["expectations"] as? [String] ?? []).isEmpty, "\(guide.path) \(dimension)")
            }
        }
        let third = try Fixtures.frontMatter(plan.guides.first { $0.levelID == "backend-3" }!)
        XCTAssertEqual(
            Fixtures.dimension(third, "communication")?["expectations"] as? [String],
            [
                "Provides regular status updates to their mentor/buddy",
                "Points out syntactical improvements in code reviews",
                "Accepts feedback graciously", "Transparent about mistakes they've made, early",
            ])
        // Mastery has only examples at level 3: the flattened guide requires level 2's criterion, nothing more.
        XCTAssertEqual(
            Fixtures.dimension(third, "mastery")?["expectations"] as? [String],
            ["Writes automated unit and acceptance tests"])
        let first = try Fixtures.frontMatter(plan.guides.first { $0.levelID == "backend-1" }!)
        XCTAssertNil(Fixtures.dimension(first, "mastery"), "no criteria at level 1, examples start at level 2")
        XCTAssertNil(Fixtures.dimension(first, "leadership"), "leadership starts at level 3")
        // data-5 repeats data-4's influence criterion: copied once.
        let data5 = try Fixtures.frontMatter(plan.guides.first { $0.levelID == "data-5" }!)
        let influence = Fixtures.dimension(data5, "influence")?["expectations"] as? [String] ?? []
        XCTAssertEqual(influence.filter { $0 == "Represents Monzo at conferences/events" }.count, 1)
        XCTAssertTrue(
            plan.report.losses.contains { $0.subject == "backend-2" && $0.message.contains("examples not written") })
        XCTAssertTrue(
            plan.report.losses.contains { $0.subject == "data-2" && $0.message.contains("mastery-data-science") })
        XCTAssertTrue(plan.report.losses.contains { $0.subject == "backend-3" && $0.message.contains("grade 3") })
    }

    func testQuotingSurvivesHostileText() throws {
        let hostile = [
            "plain", "with \"quotes\" and \\backslashes\\", "line\nbreak", "tab\there", "bell\u{7}", "---",
            "key: value # not a comment",
            "- looks like a list", "emoji 👩‍💻 and accents é", "\u{2028}separator", "[not, a, list]", "{a: b}", "*alias",
            "&anchor",
        ]
        var ladder = Ladder()
        ladder.tracks = [
            Track(
                id: "t", title: "T \"x\"", source: "s", levels: [LadderLevel(id: "t-1", title: "t: 1", grade: 1)],
                topics: [Topic(id: "d", name: "D: #1", criteria: ["t-1": LevelCriteria(expectations: hostile)])],
                cumulative: false)
        ]
        var options = ImportOptions()
        try options.addAspects("d=what")
        try options.addBalance("what=100,how=0")
        let plan = try LevelGuideWriter.plan(ladder, options: options, format: "csv")
        let front = try Fixtures.frontMatter(plan.guides[0])
        XCTAssertEqual(front["title"] as? String, "t: 1")
        XCTAssertEqual(Fixtures.dimension(front, "d")?["name"] as? String, "D: #1")
        XCTAssertEqual(Fixtures.dimension(front, "d")?["expectations"] as? [String], hostile)
    }
}
