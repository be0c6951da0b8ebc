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

    private func theirs(_ result: Result<ParsableCommand, Error>) -> String { "\(result)" }
}
