import EvidentTestSupport
import Foundation
import XCTest

@testable import EvidentCore

#if canImport(Glibc)
    import Glibc
#endif

/// Library-level hostile input: what the loader and the disk source do with files no
/// editor should produce. Each case is a regression test for a crash, hang or
/// misreport found by hand or by the fuzzer (see fuzz/README.md); end-to-end cases
/// through the binary are in EvidentCommandsTests/HostileInputTests.swift.
final class HostileInputTests: XCTestCase {
    // MARK: - Helpers

    private func problems(_ file: LoadedFile) -> [String] {
        file.problems.map { "\($0.location.line):\($0.location.column) \($0.message)" }
    }

    private func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("evident-hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url.resolvingSymlinksInPath()
    }

    /// The committed corpus, shared with the end-to-end tests and the fuzzer's seeds.
    static var corpus: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/hostile")
    }

    // MARK: - Parallel loading

    /// Regression: `parallelMap` wrote results through `Array.withUnsafeMutableBufferPointer`
    /// from every thread at once, a race on the array that crashed (in debug builds
    /// reliably) when `evident check` loaded 100,000 files.
    func testParallelMapOverManyElementsKeepsEveryResult() {
        let input = Array(0..<200_000)
        for _ in 0..<5 {
            let output = parallelMap(input) { "v\($0)" }
            XCTAssertEqual(output.count, input.count)
            XCTAssertEqual(output.first, "v0")
            XCTAssertEqual(output.last, "v199999")
        }
    }

    // MARK: - YAML

    /// Regression: block sequences nested by indentation alone (`- ` on every line) pass
    /// the nesting pre-scan and were then reported as an alias expansion at 2:1.
    func testDeepBlockNestingIsReportedAsNestingWhereItHappens() {
        var yaml = "x:\n"
        for depth in 1..<100 { yaml += String(repeating: "  ", count: depth) + "- \n" }
        guard case .failure(let problem) = YAMLParser.parse(yaml, firstLine: 2) else {
            return XCTFail("deep nesting must be refused")
        }
        XCTAssertEqual(problem.message, "yaml is nested more than \(YAMLParser.maximumDepth) levels deep")
        // The first node too deep: the mapping is depth 0 and `x`'s list depth 1, on
        // YAML line 2; the list at depth 65 is on YAML line 66 (file line 67), at its `-`.
        XCTAssertEqual(problem.line, 67)
        XCTAssertEqual(problem.column, 2 * 65 + 1)
    }

    func testAliasBombIsRefusedQuicklyWithoutExpanding() throws {
        let bomb = try String(contentsOf: Self.corpus.appendingPathComponent("review--alias-bomb.md"), encoding: .utf8)
        let started = Date()
        let file = RepositoryLoader.parse(bomb, path: "cycles/c/a/review.md", kind: .review)
        XCTAssertLessThan(Date().timeIntervalSince(started), 5, "an alias bomb must be refused, not expanded")
        XCTAssertEqual(file.problems.count, 1, "\(problems(file))")
        XCTAssertTrue(file.problems.first?.message.contains("refusing to expand") ?? false, "\(problems(file))")
    }

    /// Regression: a tab was reported at the start of the scalar before it ("while
    /// scanning a plain scalar"), a line above the tab the user has to remove.
    func testTabInIndentationIsReportedAtTheTab() {
        let yaml = "calibration:\n  rating: meets\n\trationale: x\n"
        guard case .failure(let problem) = YAMLParser.parse(yaml, firstLine: 2) else {
            return XCTFail("a tab in indentation must be refused")
        }
        XCTAssertTrue(problem.message.contains("tab"), problem.message)
        XCTAssertEqual(problem.line, 4)
        XCTAssertEqual(problem.column, 1)
    }

    // MARK: - Markdown bodies that used to take quadratic time

    private func timed<T>(_ limit: TimeInterval, _ what: String, _ body: () -> T) -> T {
        let started = Date()
        let result = body()
        XCTAssertLessThan(Date().timeIntervalSince(started), limit, "\(what) must take linear time")
        return result
    }

    /// Regression: an autolink whose text differs from its URL (`<http://a&amp;b>`) was
    /// searched for through the rest of its paragraph, copying every line each time:
    /// 2,000 of them (32 KB) took 36 s. The search now has a budget.
    func testManyAutolinksWhoseTextDiffersFromTheirURLAreBounded() {
        let body = Array(repeating: "<http://a&amp;b>", count: 20_000).joined(separator: " ") + "\n"
        let parsed = timed(10, "20,000 autolinks") { MarkdownParser.parse(body, firstLine: 5) }
        XCTAssertEqual(parsed.links.count, 20_000)
        XCTAssertTrue(parsed.links.allSatisfy { $0.line == 5 && $0.column >= 1 })
    }

    /// Regression: every link copied its whole line to check its position and counted
    /// its column from the start of the line. Columns must stay exact.
    func testLinkColumnsOnALongLineOfLinksAreExact() {
        let unit = "é [a](x) "  // 9 scalars, 10 bytes
        let body = String(repeating: unit, count: 20_000) + "\n"
        let parsed = timed(20, "20,000 links on one line") { MarkdownParser.parse(body) }
        XCTAssertEqual(parsed.links.count, 20_000)
        for (index, link) in parsed.links.enumerated() where index % 997 == 0 || index == 19_999 {
            XCTAssertEqual(link.column, 9 * index + 3, "link \(index)")
        }
    }

    /// Regression: each backtick run searched the rest of the line for a closing run of
    /// its length, so runs of every length from 1 to n took n³ time.
    func testBacktickRunsOfEveryLengthAreMaskedInLinearTime() {
        let line = (1...2_000).map { String(repeating: "`", count: $0) }.joined(separator: " x ")
        let masked = timed(20, "2,000 backtick runs") { MarkdownParser.maskInlineCode(line) }
        // No two runs have one length, so none opens a code span.
        XCTAssertEqual(masked, line)
    }

    /// The linear masking agrees with the straightforward one on random lines.
    func testBacktickMaskingMatchesTheReference() {
        var generator = SeededGenerator.forTest(self)
        let alphabet: [Character] = ["`", "`", "`", "a", " ", "é", "@"]
        for _ in 0..<2_000 {
            let length = Int.random(in: 0..<40, using: &generator)
            let line = String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
            XCTAssertEqual(MarkdownParser.maskInlineCode(line), Self.referenceMask(line), line)
        }
    }

    /// The quadratic algorithm the parser used before: the reference for its output.
    private static func referenceMask(_ line: String) -> String {
        var scalars = Array(line.unicodeScalars)
        var index = 0
        while index < scalars.count {
            guard scalars[index] == "`" else {
                index += 1
                continue
            }
            var run = 0
            while index + run < scalars.count, scalars[index + run] == "`" { run += 1 }
            var search = index + run
            var closed: Int?
            while search < scalars.count {
                if scalars[search] == "`" {
                    var closing = 0
                    while search + closing < scalars.count, scalars[search + closing] == "`" { closing += 1 }
                    if closing == run {
                        closed = search
                        break
                    }
                    search += closing
                } else {
                    search += 1
                }
            }
            guard let end = closed else {
                index += run
                continue
            }
            for position in index..<(end + run) { scalars[position] = " " }
            index = end + run
        }
        var result = ""
        result.unicodeScalars.append(contentsOf: scalars)
        return result
    }

    /// Regression: directive comments were found with Foundation's `range(of:)`, which
    /// copies the rest of the line each time, and their columns counted from the line's
    /// start: a line of 80,000 comments was quadratic.
    func testALineOfManyDirectiveCommentsIsLinear() {
        let unit = "<!-- evident-disable vague-language -->"
        let body = String(repeating: unit, count: 50_000) + "\n"
        let parsed = timed(20, "50,000 directive comments") { MarkdownParser.parse(body, firstLine: 3) }
        XCTAssertEqual(parsed.directives.count, 50_000)
        XCTAssertEqual(parsed.directives.last?.column, unit.unicodeScalars.count * 49_999 + 1)
        XCTAssertEqual(parsed.directives.last?.line, 3)
    }

    // MARK: - Every corpus file through every document kind

    /// The parser never crashes on the corpus, whatever kind the file is taken for,
    /// and what cannot be decoded is reported, never dropped silently.
    func testCorpusParsesAsEveryKindWithoutCrashing() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path).filter { !$0.hasPrefix(".") }
        XCTAssertGreaterThan(names.count, 10)
        for name in names.sorted() {
            let bytes = Array(try Data(contentsOf: Self.corpus.appendingPathComponent(name)))
            for kind in DocumentKind.allCases {
                switch SourceText.decode(bytes) {
                case .failure(let problem):
                    XCTAssertFalse(problem.message.isEmpty, name)
                case .success(let text):
                    let file = RepositoryLoader.parse(text, path: "cycles/c/a/\(name)", kind: kind)
                    for problem in file.problems {
                        XCTAssertGreaterThanOrEqual(problem.location.line, 1, "\(name) as \(kind)")
                        XCTAssertGreaterThanOrEqual(problem.location.column, 1, "\(name) as \(kind)")
                    }
                }
            }
        }
    }

    // MARK: - Disk source

    /// Regression: a file over the size limit was "read" as an array of its full size
    /// (a 100 GB sparse file allocated 100 GB). It is now refused unread.
    func testHugeSparseFileIsRefusedUnread() throws {
        let root = try temporaryFolder()
        let path = root.appendingPathComponent("values.md").path
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: nil))
        XCTAssertEqual(truncate(path, 100 * 1024 * 1024 * 1024), 0)
        let source = try DiskSource(root: root.path)
        XCTAssertThrowsError(try source.read("values.md")) { error in
            XCTAssertEqual((error as? SourceError)?.problem, .tooLarge(bytes: 100 * 1024 * 1024 * 1024))
        }
        let file = RepositoryLoader.loadFile("values.md", kind: .values, from: source)
        XCTAssertEqual(
            problems(file), ["1:1 file is 107374182400 bytes, more than the 8388608-byte limit for a document"])
    }

    /// Regression: a named pipe reached through a link was opened for reading, which
    /// blocks until a writer appears: `evident check` hung forever.
    func testNamedPipeIsRefusedWithoutBlocking() throws {
        let root = try temporaryFolder()
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("cycles/c/a"), withIntermediateDirectories: true)
        XCTAssertEqual(mkfifo(root.appendingPathComponent("cycles/c/a/pipe").path, 0o644), 0)
        try FileManager.default.createSymbolicLink(
            atPath: root.appendingPathComponent("cycles/c/a/review.md").path, withDestinationPath: "pipe")
        let source = try DiskSource(root: root.path)
        let finished = expectation(description: "read returns")
        let result = LockedBox<LoadedFile?>(nil)
        DispatchQueue.global().async {
            result.value = RepositoryLoader.loadFile("cycles/c/a/review.md", kind: .review, from: source)
            finished.fulfill()
        }
        wait(for: [finished], timeout: 10)
        XCTAssertEqual(
            result.value.map(problems), ["1:1 cannot read file: is not a regular file (a pipe, socket or device)"])
    }

    func testSymlinkLoopIsReportedAsALoop() throws {
        let root = try temporaryFolder()
        try FileManager.default.createSymbolicLink(
            atPath: root.appendingPathComponent("values.md").path, withDestinationPath: "values.md")
        let source = try DiskSource(root: root.path)
        XCTAssertEqual(try source.listFiles(), ["values.md"])
        let file = RepositoryLoader.loadFile("values.md", kind: .values, from: source)
        XCTAssertEqual(problems(file), ["1:1 cannot read file: is a symbolic link that loops or leads nowhere"])
    }

    /// Regression: a folder named `review.md` made the review silently disappear.
    func testFolderNamedLikeADocumentIsListedAndReported() throws {
        let root = try temporaryFolder()
        let folder = root.appendingPathComponent("cycles/c/a/review.md")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: folder.appendingPathComponent("notes.txt"))
        let source = try DiskSource(root: root.path)
        XCTAssertEqual(try source.listFiles().sorted(), ["cycles/c/a/review.md", "cycles/c/a/review.md/notes.txt"])
        let file = RepositoryLoader.loadFile("cycles/c/a/review.md", kind: .review, from: source)
        XCTAssertEqual(problems(file), ["1:1 cannot read file: is a directory"])
    }
}

/// A value shared with a background closure in a test.
final class LockedBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
