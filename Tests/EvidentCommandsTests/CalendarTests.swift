import Foundation
import XCTest

/// The cycle's calendar through the binary: `deadlines:` in cycle.yaml, `evident status
/// --missing` (text and JSON), the `deadline-missed` warning, and the dates `evident new
/// cycle` refuses before writing anything.
final class CalendarTests: XCTestCase {
    /// A copy of examples/acme where Alice has not written her self review and Dana has
    /// not written Ben's review, with deadlines for both.
    private func acmeBehindSchedule() throws -> URL {
        let root = try EvidentProcess.copyOfAcme(self)
        let cycle = root.appendingPathComponent("cycles/2026-h2/cycle.yaml")
        var text = try String(contentsOf: cycle, encoding: .utf8)
        text = text.replacingOccurrences(
            of: "freeze: 2026-12-10\n",
            with:
                "freeze: 2026-12-10\ndeadlines:\n  self: 2026-12-12\n  review: 2026-12-20\n  calibration: 2027-01-10\n")
        try text.write(to: cycle, atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(at: root.appendingPathComponent("cycles/2026-h2/alice/self.md"))
        try FileManager.default.removeItem(at: root.appendingPathComponent("cycles/2026-h2/ben/review.md"))
        return root
    }

    private func json(_ text: String) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], text)
    }

    func testMissingListsWhoOwesWhatAndHowLate() throws {
        let root = try acmeBehindSchedule()
        let result = try EvidentProcess.run(
            ["status", "--missing", "--format", "json"], in: root, environment: ["EVIDENT_TODAY": "2026-12-15"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let report = try json(result.stdout)
        XCTAssertEqual(report["cycle"] as? String, "2026-h2")
        XCTAssertEqual(report["today"] as? String, "2026-12-15")
        XCTAssertEqual(report["signoffsRead"] as? Bool, false, "not a git repository")
        let owed = try XCTUnwrap(report["owed"] as? [[String: Any]])
        let described = owed.map { "\($0["person"]!) \($0["kind"]!) \($0["owners"]!) \($0["daysLate"] ?? "-")" }
        XCTAssertEqual(owed.count, 2, "\(described)")
        let selfReview = try XCTUnwrap(owed.first { $0["kind"] as? String == "self" }, "\(described)")
        XCTAssertEqual(selfReview["person"] as? String, "alice")
        XCTAssertEqual(selfReview["owners"] as? [String], ["alice"])
        XCTAssertEqual(selfReview["due"] as? String, "2026-12-12")
        XCTAssertEqual(selfReview["daysLate"] as? Int, 3)
        XCTAssertEqual(selfReview["overdue"] as? Bool, true)
        XCTAssertEqual(selfReview["file"] as? String, "cycles/2026-h2/alice/self.md")
        let review = try XCTUnwrap(owed.first { $0["kind"] as? String == "review" }, "\(described)")
        XCTAssertEqual(review["person"] as? String, "ben")
        XCTAssertEqual(review["owners"] as? [String], ["dana"], "Ben's manager in people.yaml")
        XCTAssertEqual(review["overdue"] as? Bool, false)
        XCTAssertNil(review["daysLate"])

        let owners = try XCTUnwrap(report["byOwner"] as? [[String: Any]])
        let dana = try XCTUnwrap(owners.first { $0["owner"] as? String == "dana" })
        XCTAssertEqual((dana["owed"] as? [[String: Any]])?.count, 1)
        XCTAssertFalse((dana["email"] as? String ?? "").isEmpty, "reminders need an address")

        let text = try EvidentProcess.run(
            ["status", "--missing"], in: root, environment: ["EVIDENT_TODAY": "2026-12-15"])
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("2 owed, 1 overdue"), text.stdout)
        XCTAssertTrue(text.stdout.contains("self review: due 2026-12-12, 3 days late"), text.stdout)
        XCTAssertTrue(text.stdout.contains("review for ben: due 2026-12-20"), text.stdout)
    }

    func testSignoffsOwedAreListedFromHistoryWithTheirHolders() throws {
        let root = try acmeBehindSchedule()
        let environment = [
            "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "Calendar Test", "GIT_AUTHOR_EMAIL": "calendar@example.com",
            "GIT_COMMITTER_NAME": "Calendar Test", "GIT_COMMITTER_EMAIL": "calendar@example.com",
        ]
        for arguments in [["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "acme"]] {
            let git = try EvidentProcess.runTool(
                URL(fileURLWithPath: "/usr/bin/git"), arguments, in: root, environment: environment)
            XCTAssertEqual(git.status, 0, git.stderr)
        }
        let result = try EvidentProcess.run(
            ["status", "--missing", "--format", "json"], in: root, environment: ["EVIDENT_TODAY": "2027-01-11"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let report = try json(result.stdout)
        XCTAssertEqual(report["signoffsRead"] as? Bool, true)
        let owed = try XCTUnwrap(report["owed"] as? [[String: Any]])
        let aliceSignoffs = owed.filter { $0["person"] as? String == "alice" && $0["kind"] as? String == "calibration" }
        XCTAssertEqual(
            Set(aliceSignoffs.compactMap { $0["what"] as? String }),
            ["manager sign-off", "skip-level sign-off", "calibrator sign-off"])
        let calibrator = try XCTUnwrap(aliceSignoffs.first { $0["what"] as? String == "calibrator sign-off" })
        XCTAssertEqual(Set(calibrator["owners"] as? [String] ?? []), ["erin", "frank"])
        XCTAssertEqual(calibrator["daysLate"] as? Int, 1)
        XCTAssertFalse(
            owed.contains { $0["person"] as? String == "ben" && $0["kind"] as? String == "calibration" },
            "no sign-off is owed for a review that does not exist yet")
    }

    func testDeadlineMissedWarnsOnlyOnceTheDayHasPassed() throws {
        let root = try acmeBehindSchedule()
        let late = try EvidentProcess.run(["check"], in: root, environment: ["EVIDENT_TODAY": "2026-12-21"])
        let warnings = late.stdout.split(separator: "\n").filter { $0.contains("[deadline-missed]") }
        XCTAssertEqual(warnings.count, 2, late.stdout)
        XCTAssertTrue(
            warnings.contains {
                $0.hasPrefix(
                    "cycles/2026-h2/cycle.yaml:7:9: warning: the self deadline passed 9 days ago with 1 still owed: alice"
                )
            },
            "\(warnings)")
        XCTAssertTrue(
            warnings.contains { $0.contains("the review deadline passed 1 day ago with 1 still owed: ben") },
            "\(warnings)")

        let early = try EvidentProcess.run(["check"], in: root, environment: ["EVIDENT_TODAY": "2026-12-12"])
        XCTAssertFalse(
            early.stdout.contains("[deadline-missed]"), "the deadline day itself is not late: \(early.stdout)")
        XCTAssertEqual(early.status, late.status, "a warning never changes the exit status")
    }

    func testCycleDatesAreCheckedBeforeAnythingIsWritten() throws {
        let folder = try EvidentProcess.temporaryDirectory(self)
        XCTAssertEqual(try EvidentProcess.run(["init", folder.path]).status, 0)
        for (arguments, message) in [
            (["--start", "2027-07-01", "--end", "2027-06-01"], "before --start"),
            (["--start", "2027-01-01", "--end", "2027-06-30", "--freeze", "2027-07-15"], "inside the period"),
        ] {
            let result = try EvidentProcess.run(["new", "cycle", "2027-h2"] + arguments, in: folder)
            XCTAssertEqual(result.status, 2, result.stdout)
            XCTAssertTrue(result.stderr.contains(message), result.stderr)
            XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("cycles/2027-h2").path))
        }
        // A freeze after the end written by hand is reported where it is.
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("cycles/2027-h2"), withIntermediateDirectories: true)
        try "id: 2027-h2\nperiod: { start: 2027-01-01, end: 2027-06-30 }\nphase: evidence\nfreeze: 2027-07-15\n"
            .write(to: folder.appendingPathComponent("cycles/2027-h2/cycle.yaml"), atomically: true, encoding: .utf8)
        let check = try EvidentProcess.run(["check"], in: folder)
        XCTAssertEqual(check.status, 1, check.stdout)
        XCTAssertTrue(
            check.stdout.contains(
                "cycles/2027-h2/cycle.yaml:4:9: error: the freeze (2027-07-15) is outside the period"),
            check.stdout)
    }

    func testCycleAndGroupDefaultWhenThereIsOnlyOne() throws {
        let root = try EvidentProcess.copyOfAcme(self)
        let health = try EvidentProcess.run(["health", "--format", "json"], in: root)
        XCTAssertEqual(health.status, 0, health.stderr)
        XCTAssertTrue(health.stdout.contains("2026-h2"), health.stdout)
        let packet = try EvidentProcess.run(["calibrate", "packet"], in: root)
        XCTAssertEqual(packet.status, 0, packet.stderr)
        XCTAssertEqual(
            packet.stdout,
            try EvidentProcess.run(["calibrate", "packet", "--cycle", "2026-h2", "--group", "eng"], in: root).stdout)
        let record = try EvidentProcess.run(["record", "alice"], in: root)
        XCTAssertEqual(record.status, 0, record.stderr)
        let unknown = try EvidentProcess.run(["health", "--cycle", "1999-h1"], in: root)
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.contains("no cycle '1999-h1' (cycles: 2026-h2)"), unknown.stderr)
    }
}
