import Foundation
import XCTest

@testable import EvidentFilter

/// The filter process's side of git's `delay` capability, driven over real pipes the way
/// git drives it: every delayable smudge is delayed, each one is listed once, collected
/// once with the opened bytes, and a file that fails is answered `status=error` when git
/// collects it (so a required filter fails the checkout).
final class DelayedFilterProcessTests: XCTestCase {
    /// git's end of the conversation.
    private struct Git {
        var reader: PktLineReader
        let writer: PktLineWriter

        func request(_ headers: [String], content: [UInt8]?) throws {
            for header in headers { try writer.text(header) }
            try writer.flush()
            if let content { try writer.content(content) }
        }

        /// A status list, then (for success with content) the content and the trailing list.
        mutating func response(withContent: Bool) throws -> (status: [String], content: [UInt8]?) {
            let status = try XCTUnwrap(try reader.textList())
            guard withContent, status == ["status=success"] else { return (status, nil) }
            let content = try reader.content()
            XCTAssertEqual(try reader.textList(), [], "the list after the content keeps the status")
            return (status, content)
        }
    }

    private func pipe() throws -> (read: Int32, write: Int32) {
        var descriptors: [Int32] = [0, 0]
        XCTAssertEqual(Foundation.pipe(&descriptors), 0)
        return (descriptors[0], descriptors[1])
    }

    /// Runs the filter process on a thread with `smudge` doing the work, and gives git's end.
    private func start(
        offering capabilities: [String], smudge: @escaping DelayedSmudges.Work, warnings: WarningLog
    ) throws -> (git: Git, done: XCTestExpectation, close: () -> Void) {
        let toFilter = try pipe()
        let toGit = try pipe()
        let done = expectation(description: "the filter process ends when git closes the pipe")
        let thread = Thread {
            do {
                try FilterProcess.serve(
                    clean: { _, content in content.reversed() }, smudge: smudge, beforeDelaying: {},
                    warn: { warnings.append($0) }, workers: 2, input: toFilter.read, output: toGit.write)
            } catch {
                XCTFail("the conversation broke: \(error)")
            }
            close(toGit.write)
            close(toFilter.read)
            done.fulfill()
        }
        thread.start()
        var git = Git(reader: PktLineReader(descriptor: toGit.read), writer: PktLineWriter(descriptor: toFilter.write))
        try git.request(["git-filter-client", "version=2"], content: nil)
        XCTAssertEqual(try git.reader.textList(), ["git-filter-server", "version=2"])
        try git.request(capabilities, content: nil)
        return (git, done, { close(toFilter.write) })
    }

    private static func opened(_ pathname: String, _ content: [UInt8]) -> DelayedSmudges.Outcome {
        if pathname.hasSuffix("bad.md") {
            return DelayedSmudges.Outcome(result: .failure(SealFilterError("it broke")), warnings: [])
        }
        // Slow enough that git's requests run ahead of the workers.
        usleep(2000)
        return DelayedSmudges.Outcome(
            result: .success(Array("opened:".utf8) + content), warnings: ["evident: \(pathname) looked at"])
    }

    func testDelayedFilesAreListedOnceCollectedOnceAndFailuresStayErrors() throws {
        let warnings = WarningLog()
        var (git, done, closeGit) = try start(
            offering: ["capability=clean", "capability=smudge", "capability=delay"], smudge: Self.opened,
            warnings: warnings)
        XCTAssertEqual(try git.reader.textList(), ["capability=clean", "capability=smudge", "capability=delay"])

        // More files than the queue holds, so git also waits for room now and then.
        let paths = (0..<400).map { "cycles/c/p\($0)/review.md" } + ["cycles/c/q/bad.md"]
        for path in paths {
            try git.request(["command=smudge", "pathname=\(path)", "can-delay=1"], content: Array(path.utf8))
            XCTAssertEqual(try git.response(withContent: false).status, ["status=delayed"], path)
        }
        // A clean in between is answered at once.
        try git.request(["command=clean", "pathname=cycles/c/p0/self.md"], content: [1, 2, 3])
        XCTAssertEqual(try git.response(withContent: true).content, [3, 2, 1])
        // A smudge git does not let the filter delay is answered at once.
        try git.request(["command=smudge", "pathname=cycles/c/z/review.md"], content: Array("z".utf8))
        XCTAssertEqual(try git.response(withContent: true).content, Array("opened:z".utf8))

        var listed: [String] = []
        while true {
            try git.request(["command=list_available_blobs"], content: nil)
            let names = try XCTUnwrap(try git.reader.textList())
            XCTAssertEqual(try git.reader.textList(), ["status=success"])
            if names.isEmpty { break }
            for name in names {
                XCTAssertTrue(name.hasPrefix("pathname="), name)
                let path = String(name.dropFirst("pathname=".count))
                listed.append(path)
                try git.request(["command=smudge", "pathname=\(path)"], content: [])
                let (status, content) = try git.response(withContent: true)
                if path.hasSuffix("bad.md") {
                    XCTAssertEqual(status, ["status=error"])
                } else {
                    XCTAssertEqual(status, ["status=success"], path)
                    XCTAssertEqual(content, Array("opened:\(path)".utf8), path)
                }
            }
        }
        XCTAssertEqual(listed.sorted(), paths.sorted(), "every delayed file listed exactly once")
        XCTAssertEqual(Set(listed).count, listed.count)
        closeGit()
        wait(for: [done], timeout: 30)
        let printed = warnings.lines
        XCTAssertTrue(printed.contains("evident: cycles/c/p7/review.md looked at"), "\(printed.prefix(3))")
        XCTAssertTrue(printed.contains { $0.hasPrefix("evident: cannot smudge cycles/c/q/bad.md: it broke") })
        XCTAssertEqual(printed.count, 402, "one warning per opened file, and the failure")
    }

    /// Without `capability=delay` from git (older git, other commands) nothing is delayed,
    /// even if a request says it could be.
    func testNoDelayUnlessGitOffersIt() throws {
        let warnings = WarningLog()
        var (git, done, closeGit) = try start(
            offering: ["capability=clean", "capability=smudge"], smudge: Self.opened, warnings: warnings)
        XCTAssertEqual(try git.reader.textList(), ["capability=clean", "capability=smudge"])
        try git.request(["command=smudge", "pathname=cycles/c/a/review.md", "can-delay=1"], content: Array("a".utf8))
        XCTAssertEqual(try git.response(withContent: true).content, Array("opened:a".utf8))
        try git.request(["command=smudge", "pathname=cycles/c/b/bad.md", "can-delay=1"], content: [])
        XCTAssertEqual(try git.response(withContent: true).status, ["status=error"])
        closeGit()
        wait(for: [done], timeout: 30)
    }
}

/// Warnings printed by the filter process under test, from whichever thread.
final class WarningLog: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    func append(_ line: String) {
        lock.lock()
        stored.append(line)
        lock.unlock()
    }
    var lines: [String] {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}
