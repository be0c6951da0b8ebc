import ArgumentParser
import XCTest

@testable import EvidentCommands

/// `EvidentMain.parse` reads a command line as the subcommand it names. These lines must
/// come out exactly as the root parse makes them: the same command with the same values,
/// or the same help, usage or error text.
final class ArgumentParsingTests: XCTestCase {
    private let lines: [[String]] = [
        ["signoff", "cycles/2026-h2/alice/review.md", "--as", "manager"],
        ["signoff", "alice", "--as", "manager", "--dissent", "--reason", "not yet"],
        ["signoff", "--void", "abc123", "--reason", "mistake"],
        ["signoff", "--renew", "--yes"],
        // Lines `SignoffCommand.quickParse` reads itself, and lines it leaves to ArgumentParser.
        ["signoff", "cycles/2026-h2/alice/review.md", "--as", "skip-level", "--sign", "--cycle", "2026-h2"],
        ["signoff", "--as", "hr", "alice", "--withdraw", "--reason", "left the team"],
        ["signoff", "--as", "manager", "alice", "--withdraw"],
        ["signoff", "--renew", "--as", "calibrator", "--cycle", "2026-h1"],
        ["signoff", "--renew"],
        ["signoff", "--void", "HEAD~2", "--reason", "wrong file", "--sign"],
        ["signoff", "alice", "--as=manager"],
        ["signoff", "alice", "--as", "manager", "--as", "hr"],
        ["signoff", "alice", "--as", "manager", "--sign", "--sign"],
        ["signoff", "alice", "bob", "--as", "manager"],
        ["signoff", "alice", "--as", "manager", "--reason", "-dash"],
        ["signoff", "alice", "--as", "manager", "--reason", "why"],
        ["signoff", "alice", "--as", "manager", "--dissent"],
        ["signoff", "alice", "--as", "manager", "--dissent", "--withdraw", "--reason", "x"],
        ["signoff", "alice", "--as"],
        ["signoff", "alice", "--as", ""],
        ["signoff", "alice", "--as", "Manager"],
        ["signoff", "alice"],
        ["signoff", "--as", "manager"],
        ["signoff", "--", "alice", "--as", "manager"],
        ["signoff", "-h"],
        ["signoff", "help"],
        ["signoff", "alice", "--as", "manager", "--yes"],
        ["signoff", "--void", "abc", "alice", "--reason", "x"],
        ["signoff", ""],
        ["signoff", "alice", "--as", "nobody"],
        ["signoff", "--no-such-flag"],
        ["signoff", "--help"],
        ["signoff", "--version"],
        ["check", "--format", "json", "--changed-since", "HEAD~1"],
        ["check", "--format", "yaml"],
        ["seal", "status"],
        ["seal", "no-such-subcommand"],
        ["calibrate", "packet", "--help"],
        ["help", "signoff"],
        ["--version"],
        ["--help"],
        ["no-such-command"],
        [],
    ]

    func testEveryLineParsesAsTheRootParseDoes() {
        for line in lines {
            let fast = Result { try EvidentMain.parse(line) }
            let root = Result { try EvidentCommand.parseAsRoot(line) }
            switch (fast, root) {
            case (.success(let mine), .success(let theirs)):
                XCTAssertTrue(type(of: mine) == type(of: theirs), "\(line)")
                XCTAssertEqual(String(reflecting: mine), String(reflecting: theirs), "\(line)")
            case (.failure(let mine), .failure(let theirs)):
                XCTAssertEqual(
                    EvidentCommand.fullMessage(for: mine), EvidentCommand.fullMessage(for: theirs), "\(line)")
                XCTAssertEqual(
                    EvidentCommand.exitCode(for: mine), EvidentCommand.exitCode(for: theirs), "\(line)")
            default:
                XCTFail("\(line): \(fast) against \(theirs(root))")
            }
        }
    }

    /// The lines above must include both kinds, or the comparison proves little.
    func testTheLinesIncludeCommandsAndFailures() {
        let outcomes = lines.map { line in (try? EvidentMain.parse(line)) != nil }
        XCTAssertGreaterThanOrEqual(outcomes.filter { $0 }.count, 5)
        XCTAssertGreaterThanOrEqual(outcomes.filter { !$0 }.count, 5)
    }

    /// The usual sign-off lines are read without ArgumentParser, and the unusual ones are
    /// not (the comparison above holds both to the root parse).
    func testQuickParseReadsPlainSignoffLinesOnly() {
        XCTAssertNotNil(SignoffCommand.quickParse(["signoff", "alice", "--as", "manager"]))
        XCTAssertNotNil(SignoffCommand.quickParse(["signoff", "--void", "abc123", "--reason", "mistake"]))
        XCTAssertNil(SignoffCommand.quickParse(["signoff", "alice", "--as=manager"]))
        XCTAssertNil(SignoffCommand.quickParse(["signoff", "alice", "--as", "manager", "--as", "hr"]))
        XCTAssertNil(SignoffCommand.quickParse(["signoff", "alice", "--as", "nobody"]))
        XCTAssertNil(SignoffCommand.quickParse(["signoff", "alice"]), "invalid: validate() fails")
        XCTAssertNil(SignoffCommand.quickParse(["signoff", "--help"]))
        XCTAssertNil(SignoffCommand.quickParse(["check", "alice", "--as", "manager"]))
        let command = SignoffCommand.quickParse(
            ["signoff", "alice", "--as", "skip-level", "--dissent", "--reason", "not yet", "--sign"])
        XCTAssertEqual(command?.target, "alice")
        XCTAssertEqual(command?.role, .skipLevel)
        XCTAssertEqual(command?.reason, "not yet")
        XCTAssertEqual(command?.dissent, true)
        XCTAssertEqual(command?.sign, true)
        XCTAssertEqual(command?.withdraw, false)
    }

    private func theirs(_ result: Result<ParsableCommand, Error>) -> String { "\(result)" }
}
