import Foundation
import XCTest

/// `evident init` and `evident new`: a scaffold that checks clean at once, and files that
/// are never overwritten.
final class InitAndNewTests: XCTestCase {
    func testInitCreatesACleanRepositoryWithGit() throws {
        let folder = try EvidentProcess.temporaryDirectory(self).appendingPathComponent("reviews")
        let created = try EvidentProcess.run(["init", folder.path, "--organization", "Acme \"West\""])
        XCTAssertEqual(created.status, 0, created.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent(".git").path))
        XCTAssertTrue(
            FileManager.default.fileExists(
                atPath: folder.appendingPathComponent(".evident/schema/review.schema.json").path))
        let check = try EvidentProcess.run(["check"], in: folder)
        XCTAssertEqual(check.status, 0, check.stdout)
        XCTAssertTrue(check.stdout.contains("Acme \"West\""), check.stdout)

        let again = try EvidentProcess.run(["init", folder.path])
        XCTAssertEqual(again.status, 2)
        XCTAssertTrue(again.stderr.contains("refusing to overwrite"), again.stderr)
    }

    func testNewFilesFromTemplatesRefuseToOverwrite() throws {
        let folder = try EvidentProcess.temporaryDirectory(self)
        XCTAssertEqual(try EvidentProcess.run(["init", folder.path]).status, 0)
        let cycle = try EvidentProcess.run(
            ["new", "cycle", "2027-h1", "--start", "2027-01-01", "--end", "2027-06-30"], in: folder)
        XCTAssertEqual(cycle.status, 0, cycle.stderr)
        let people = try String(contentsOf: folder.appendingPathComponent("people.yaml"), encoding: .utf8)
        let person = try XCTUnwrap(Self.personWithManager(people))
        let review = try EvidentProcess.run(["new", "review", person, "--cycle", "2027-h1"], in: folder)
        XCTAssertEqual(review.status, 0, review.stderr)
        let path = folder.appendingPathComponent("cycles/2027-h1/\(person)/review.md")
        let text = try String(contentsOf: path, encoding: .utf8)
        XCTAssertFalse(text.contains("{{"), text)
        XCTAssertTrue(text.contains("person: \"\(person)\""), text)
        XCTAssertGreaterThanOrEqual(text.components(separatedBy: "\n## ").count, 3, text)

        try "edited".write(to: path, atomically: true, encoding: .utf8)
        let again = try EvidentProcess.run(["new", "review", person, "--cycle", "2027-h1"], in: folder)
        XCTAssertEqual(again.status, 2)
        XCTAssertEqual(try String(contentsOf: path, encoding: .utf8), "edited")

        XCTAssertEqual(try EvidentProcess.run(["new", "self", person, "--cycle", "2027-h1"], in: folder).status, 0)
        XCTAssertEqual(try EvidentProcess.run(["new", "evidence", person, "--cycle", "2027-h1"], in: folder).status, 0)
        XCTAssertEqual(try EvidentProcess.run(["new", "review", "nobody", "--cycle", "2027-h1"], in: folder).status, 2)
        XCTAssertEqual(
            try EvidentProcess.run(["new", "cycle", "bad", "--start", "2027-13-01", "--end", "2027-06-30"], in: folder)
                .status, 2)
        let leftovers = try FileManager.default.subpathsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".tmp") }
        XCTAssertEqual(leftovers, [])
    }

    /// `new response` and `new appeal`: files that check clean at once; an appeal opened
    /// today is reported only once `reviews.appeal_days` have passed without an answer.
    func testNewResponseAndAppeal() throws {
        let folder = try EvidentProcess.temporaryDirectory(self)
        XCTAssertEqual(try EvidentProcess.run(["init", folder.path]).status, 0)
        XCTAssertEqual(
            try EvidentProcess.run(
                ["new", "cycle", "2027-h1", "--start", "2027-01-01", "--end", "2027-06-30"], in: folder
            ).status, 0)
        let people = try String(contentsOf: folder.appendingPathComponent("people.yaml"), encoding: .utf8)
        let person = try XCTUnwrap(Self.personWithManager(people))
        let today = ["EVIDENT_TODAY": "2027-07-10"]
        XCTAssertEqual(try EvidentProcess.run(["new", "response", person, "--cycle", "2027-h1"], in: folder).status, 0)
        let wrong = try EvidentProcess.run(["new", "appeal", person, "--cycle", "2027-h1", "--to", "ceo"], in: folder)
        XCTAssertEqual(wrong.status, 2, wrong.stderr)
        let appeal = try EvidentProcess.run(
            ["new", "appeal", person, "--cycle", "2027-h1"], in: folder, environment: today)
        XCTAssertEqual(appeal.status, 0, appeal.stderr)
        let text = try String(
            contentsOf: folder.appendingPathComponent("cycles/2027-h1/\(person)/appeal.md"), encoding: .utf8)
        XCTAssertTrue(text.contains("opened: \"2027-07-10\""), text)
        XCTAssertTrue(text.contains("to: \"skip-level\""), text)
        let fresh = try EvidentProcess.run(["check", "--format", "json"], in: folder, environment: today)
        XCTAssertEqual(fresh.status, 0, fresh.stdout)
        XCTAssertFalse(
            fresh.stdout.contains("\"rule\" : \"appeal-unanswered\"")
                || fresh.stdout.contains("\"rule\":\"appeal-unanswered\""), fresh.stdout)
        let late = try EvidentProcess.run(["check"], in: folder, environment: ["EVIDENT_TODAY": "2027-07-30"])
        XCTAssertEqual(late.status, 0, late.stdout)
        XCTAssertTrue(late.stdout.contains("has waited 20 days for an answer"), late.stdout)
        XCTAssertTrue(late.stdout.contains("[appeal-unanswered]"), late.stdout)
    }

    private static func personWithManager(_ yaml: String) -> String? {
        var current: String?
        for line in yaml.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("- id:") { current = trimmed.dropFirst(5).trimmingCharacters(in: .whitespaces) }
            if trimmed.hasPrefix("manager:"), let current { return current }
            if trimmed.hasPrefix("- {"), trimmed.contains("manager:"),
                let id = trimmed.components(separatedBy: "id:").dropFirst().first?.split(separator: ",").first
            {
                return id.trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }
}
