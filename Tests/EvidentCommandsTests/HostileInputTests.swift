import EvidentTestSupport
import Foundation
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

/// Hostile or broken input through the built binary (SPEC §6): every case gets a clear
/// diagnostic (rule, file:line:col) or a clear error, within a time bound, with the
/// right exit code, without dying by a signal, and without `check` writing anything.
///
/// The committed corpus is `Tests/Fixtures/hostile/`; large, binary and file-system cases
/// (10 MB files, 100,000 files, symlinks, pipes, permissions) are generated here.
final class HostileInputTests: XCTestCase {
    // MARK: - Running the binary with a bound

    struct BoundedResult {
        var status: Int32
        var signalled: Bool
        var timedOut: Bool
        var seconds: TimeInterval
        var stdout: Data
        var stderr: String
        var output: String { String(decoding: stdout, as: UTF8.self) }
    }

    /// Runs `evident` (or `tool`), killing it after `limit` seconds. The limit is a
    /// bound against hangs, generous for a loaded CI machine, not a benchmark.
    static func runBounded(
        _ arguments: [String], in directory: URL, limit: TimeInterval = 20, tool: URL = EvidentProcess.binary
    ) throws -> BoundedResult {
        let process = Process()
        process.executableURL = tool
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        let started = Date()
        try process.run()
        let outData = LockedData()
        let errData = LockedData()
        let readers = DispatchGroup()
        for (pipe, sink) in [(out, outData), (err, errData)] {
            readers.enter()
            DispatchQueue.global().async {
                sink.set(pipe.fileHandleForReading.readDataToEndOfFile())
                readers.leave()
            }
        }
        var timedOut = false
        if exited.wait(timeout: .now() + limit) == .timedOut {
            timedOut = true
            kill(process.processIdentifier, SIGKILL)
            exited.wait()
        }
        readers.wait()
        return BoundedResult(
            status: process.terminationStatus,
            signalled: process.terminationReason == .uncaughtSignal && !timedOut, timedOut: timedOut,
            seconds: Date().timeIntervalSince(started), stdout: outData.value,
            stderr: String(decoding: errData.value, as: UTF8.self))
    }

    /// A run that finished by itself, in time, without a signal, with `status`.
    func assertBounded(
        _ result: BoundedResult, status: Int32, _ what: String, file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertFalse(result.timedOut, "\(what): still running after \(Int(result.seconds)) s", file: file, line: line)
        XCTAssertFalse(
            result.signalled, "\(what): died by signal \(result.status)\n\(result.stderr.prefix(2_000))", file: file,
            line: line)
        XCTAssertEqual(
            result.status, status,
            "\(what): exit status\n\(result.output.prefix(2_000))\n\(result.stderr.prefix(2_000))",
            file: file, line: line)
    }

    // MARK: - Snapshots: check writes nothing

    /// Every entry below `root` (hidden ones included, links not followed) with its type,
    /// size and modification time.
    static func snapshot(_ root: URL, folderTimes: Bool = true) -> [String: String] {
        var entries: [String: String] = [:]
        func walk(_ relative: String) {
            let absolute = relative.isEmpty ? root.path : root.path + "/" + relative
            guard let directory = opendir(absolute) else { return }
            defer { closedir(directory) }
            var folders: [String] = []
            while let entry = readdir(directory) {
                let name = withUnsafePointer(to: entry.pointee.d_name) {
                    $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
                }
                if name == "." || name == ".." { continue }
                let path = relative.isEmpty ? name : relative + "/" + name
                var info = stat()
                guard lstat(root.path + "/" + path, &info) == 0 else { continue }
                let type = info.st_mode & S_IFMT
                let time = type == S_IFDIR && !folderTimes ? "" : "\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
                entries[path] = "\(type) \(type == S_IFDIR ? 0 : info.st_size) \(time) \(info.st_mode & 0o7777)"
                if type == S_IFDIR { folders.append(path) }
            }
            for folder in folders { walk(folder) }
        }
        walk("")
        return entries
    }

    /// Runs `evident check` with `arguments` and asserts it wrote, moved and touched nothing.
    func checkWritingNothing(
        _ repository: URL, _ arguments: [String] = ["--format", "json"], limit: TimeInterval = 20, status: Int32,
        _ what: String, file: StaticString = #filePath, line: UInt = #line
    ) throws -> BoundedResult {
        let before = Self.snapshot(repository)
        let result = try Self.runBounded(["check"] + arguments, in: repository, limit: limit)
        assertBounded(result, status: status, what, file: file, line: line)
        let after = Self.snapshot(repository)
        if before != after {
            let changed = Set(before.keys).symmetricDifference(after.keys).union(
                before.keys.filter { after[$0] != nil && after[$0] != before[$0] })
            XCTFail("\(what): check changed \(changed.sorted().prefix(10))", file: file, line: line)
        }
        return result
    }

    struct Finding: Hashable, CustomStringConvertible {
        var file: String
        var line: Int
        var column: Int
        var rule: String
        var message: String
        var description: String { "\(file):\(line):\(column) [\(rule)] \(message)" }
        /// `line:col rule`, for comparisons that leave the wording free.
        var position: String { "\(line):\(column) \(rule)" }
    }

    static func findings(_ result: BoundedResult) throws -> [Finding] {
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: result.stdout) as? [String: Any], result.output)
        let diagnostics = try XCTUnwrap(json["diagnostics"] as? [[String: Any]])
        return diagnostics.compactMap { entry in
            guard let file = entry["file"] as? String, let line = entry["line"] as? Int,
                let column = entry["column"] as? Int, let rule = entry["rule"] as? String,
                let message = entry["message"] as? String
            else { return nil }
            return Finding(file: file, line: line, column: column, rule: rule, message: message)
        }
    }

    static let corpus = EvidentProcess.projectRoot.appendingPathComponent("Tests/Fixtures/hostile")
    static let review = "cycles/2026-h2/alice/review.md"
    static let selfReview = "cycles/2026-h2/alice/self.md"
    static let evidence = "cycles/2026-h2/alice/evidence.md"

    /// A scratch folder, on tmpfs when there is one (100,000 files are slow on overlay
    /// disks, and slower still to delete).
    func scratchFolder(_ name: String) throws -> URL {
        let shm = URL(fileURLWithPath: "/dev/shm")
        let base = access(shm.path, W_OK) == 0 ? shm : FileManager.default.temporaryDirectory
        let url = base.appendingPathComponent("evident-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url.resolvingSymlinksInPath()
    }

    func acme(_ name: String = "acme") throws -> URL {
        let target = try scratchFolder(name).appendingPathComponent("acme")
        try FileManager.default.copyItem(
            at: EvidentProcess.projectRoot.appendingPathComponent("examples/acme"), to: target)
        return target
    }

    // MARK: - The committed corpus

    struct CorpusCase {
        var fixture: String
        var target: String
        /// Every diagnostic of the run, as `line:col rule`, all in `target`.
        var expected: [String]
        /// Words the first diagnostic's message must contain.
        var says: String
    }

    static let corpusCases: [CorpusCase] = [
        .init(
            fixture: "review--invalid-utf8.md", target: review, expected: ["5:13 front-matter-syntax"],
            says: "not valid UTF-8"),
        .init(
            fixture: "review--overlong-utf8.md", target: review, expected: ["5:15 front-matter-syntax"],
            says: "not valid UTF-8"),
        .init(
            fixture: "review--surrogate-utf8.md", target: review, expected: ["37:5 front-matter-syntax"],
            says: "not valid UTF-8"),
        .init(
            fixture: "review--truncated-utf8.md", target: review, expected: ["57:75 front-matter-syntax"],
            says: "not valid UTF-8"),
        // A byte-order mark, CRLF and lone CR line endings leave every position where
        // an editor shows it: the same two defects, in the front matter and the body.
        .init(
            fixture: "review--bom.md", target: review, expected: ["5:11 unknown-reference", "19:62 citation-unknown"],
            says: "dnaa"),
        .init(
            fixture: "review--crlf.md", target: review, expected: ["5:11 unknown-reference", "19:62 citation-unknown"],
            says: "dnaa"),
        .init(
            fixture: "review--cr-only.md", target: review,
            expected: ["5:11 unknown-reference", "19:62 citation-unknown"], says: "dnaa"),
        .init(
            fixture: "review--empty.md", target: review, expected: ["1:1 front-matter-syntax"],
            says: "missing front matter"),
        .init(
            fixture: "review--only-opening-fence.md", target: review, expected: ["1:1 front-matter-syntax"],
            says: "not closed"),
        .init(fixture: "review--nul.md", target: review, expected: ["18:5 front-matter-syntax"], says: "NUL byte"),
        .init(
            fixture: "review--binary.md", target: review, expected: ["1:8 front-matter-syntax"], says: "looks binary"),
        .init(
            fixture: "review--deep-flow.md", target: review, expected: ["13:72 front-matter-syntax"],
            says: "nested more than 64 levels"),
        .init(
            fixture: "review--deep-flow-quoted.md", target: review, expected: ["13:264 front-matter-syntax"],
            says: "nested more than 64 levels"),
        .init(
            fixture: "review--deep-block.md", target: review, expected: ["78:131 front-matter-syntax"],
            says: "nested more than 64 levels"),
        .init(
            fixture: "review--alias-bomb.md", target: review, expected: ["2:1 front-matter-syntax"],
            says: "refusing to expand"),
        .init(
            fixture: "review--duplicate-key.md", target: review, expected: ["8:1 front-matter-syntax"],
            says: "duplicate key 'person'"),
        .init(fixture: "review--tab-indent.md", target: review, expected: ["11:1 front-matter-syntax"], says: "tab"),
        .init(
            fixture: "review--unknown-kind.md", target: review, expected: ["2:7 front-matter-schema"],
            says: "declares kind 'memo'"),
        .init(
            fixture: "review--kind-not-text.md", target: review, expected: ["2:7 front-matter-schema"],
            says: "must be text"),
        .init(
            fixture: "values--unknown-kind.md", target: "values.md", expected: ["2:7 front-matter-schema"],
            says: "'banana'"),
        .init(
            fixture: "review--long-line.md", target: review,
            expected: ["54:1 word-limit", "56:10002 citation-unknown"], says: "over the limit"),
        .init(
            fixture: "review--links.md", target: review,
            expected: [
                "54:8 evidence-link-broken", "54:40 evidence-link-broken", "54:59 evidence-link-broken",
                "54:85 evidence-link-disallowed", "54:112 evidence-link-disallowed", "54:138 evidence-link-disallowed",
                "54:181 evidence-link-disallowed", "54:207 evidence-link-disallowed",
            ], says: "leaves the repository"),
    ]

    func testEveryCorpusFileGetsItsDiagnosticAndNothingElse() throws {
        let repository = try acme()
        let covered = Set(Self.corpusCases.map(\.fixture))
        let committed = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path)
            .filter { !$0.hasPrefix(".") && $0 != "review--only-fences.md" }
        XCTAssertEqual(Set(committed).subtracting(covered), [], "corpus files without an end-to-end case")
        for test in Self.corpusCases {
            let target = repository.appendingPathComponent(test.target)
            let original = try Data(contentsOf: target)
            try Data(contentsOf: Self.corpus.appendingPathComponent(test.fixture)).write(to: target)
            let result = try checkWritingNothing(repository, status: 1, test.fixture)
            let found = try Self.findings(result)
            XCTAssertEqual(
                found.map(\.file), Array(repeating: test.target, count: found.count), "\(test.fixture): \(found)")
            XCTAssertEqual(found.map(\.position), test.expected, "\(test.fixture): \(found)")
            XCTAssertTrue(found.first?.message.contains(test.says) ?? false, "\(test.fixture): \(found)")
            try original.write(to: target)
        }
    }

    func testFileWithOnlyFencesReportsMissingFieldsAtTheTop() throws {
        let repository = try acme()
        try Data(contentsOf: Self.corpus.appendingPathComponent("review--only-fences.md"))
            .write(to: repository.appendingPathComponent(Self.review))
        let found = try Self.findings(checkWritingNothing(repository, status: 1, "only fences"))
        XCTAssertTrue(
            found.contains { $0.position == "1:1 front-matter-schema" && $0.message.contains("'kind'") }, "\(found)")
        XCTAssertTrue(found.allSatisfy { $0.file == Self.review && $0.line == 1 }, "\(found)")
    }

    /// A BOM and CRLF endings on a correct file: nothing to report at all.
    func testByteOrderMarkAndCRLFOnACleanFileAreAccepted() throws {
        let repository = try acme()
        let target = repository.appendingPathComponent(Self.review)
        let text = try String(contentsOf: target, encoding: .utf8).replacingOccurrences(of: "\n", with: "\r\n")
        try (Data([0xEF, 0xBB, 0xBF]) + Data(text.utf8)).write(to: target)
        let found = try Self.findings(checkWritingNothing(repository, status: 0, "BOM + CRLF"))
        XCTAssertEqual(found, [])
    }

    // MARK: - Size

    func testTenMegabyteFileIsRefusedBySize() throws {
        let repository = try acme()
        let target = repository.appendingPathComponent(Self.review)
        var data = try Data(contentsOf: target)
        data.append(Data(repeating: UInt8(ascii: "x"), count: 10 * 1024 * 1024))
        try data.write(to: target)
        let found = try Self.findings(checkWritingNothing(repository, status: 1, "10 MB file"))
        XCTAssertEqual(
            found.map(\.description),
            [
                "\(Self.review):1:1 [front-matter-syntax] file is \(data.count) bytes, more than the 8388608-byte limit for a document"
            ])
    }

    /// A 10,000-character line in the front matter and in the body: positions stay exact.
    func testTenThousandCharacterLinesKeepPositions() throws {
        let repository = try acme()
        let target = repository.appendingPathComponent(Self.review)
        let long = String(repeating: "x", count: 10_000)
        var text = try String(contentsOf: target, encoding: .utf8)
        text = text.replacingOccurrences(of: "reviewer: dana", with: "reviewer: \(long)")
        text += "\n" + String(repeating: "é", count: 10_000) + " [@no-such-item]\n"
        try text.write(to: target, atomically: false, encoding: .utf8)
        let found = try Self.findings(checkWritingNothing(repository, status: 1, "long lines"))
        let lastLine = text.split(separator: "\n", omittingEmptySubsequences: false).count - 1
        XCTAssertEqual(
            found.map(\.position), ["5:11 unknown-reference", "\(lastLine):10003 citation-unknown"], "\(found)")
    }

    // MARK: - Binary

    func testRandomBinaryFileIsRefusedAsText() throws {
        let repository = try acme()
        var generator = SeededGenerator(seed: 7)
        var bytes = (0..<65_536).map { _ in UInt8.random(in: 0...255, using: &generator) }
        bytes[0] = 0x2D  // starts like a fence, then goes wrong
        try Data(bytes).write(to: repository.appendingPathComponent(Self.review))
        let found = try Self.findings(checkWritingNothing(repository, status: 1, "random bytes"))
        XCTAssertEqual(found.count, 1, "\(found)")
        XCTAssertEqual(found.first?.rule, "front-matter-syntax")
        XCTAssertTrue(
            found.first.map { $0.message.contains("not valid UTF-8") || $0.message.contains("NUL byte") } ?? false,
            "\(found)")
    }

    // MARK: - Links and URLs in front matter

    /// The body cases are in the corpus (review--links.md); front matter `link:` fields
    /// are checked the same way.
    func testEscapingAndNonHTTPLinksInFrontMatterAreReported() throws {
        let repository = try acme()
        let target = repository.appendingPathComponent(Self.evidence)
        var lines = try String(contentsOf: target, encoding: .utf8).components(separatedBy: "\n")
        let linkLines = lines.indices.filter { lines[$0].trimmingCharacters(in: .whitespaces).hasPrefix("link:") }
        XCTAssertGreaterThanOrEqual(linkLines.count, 5)
        let hostile = [
            "../../../../../etc/passwd", "/../secret.md", "file:///etc/passwd", "javascript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
        ]
        var expected: [String] = []
        for (index, link) in zip(linkLines, hostile) {
            let indent = lines[index].prefix { $0 == " " }
            lines[index] = indent + "link: \"\(link)\""
            let rule = link.contains(":") ? "evidence-link-disallowed" : "evidence-link-broken"
            expected.append("\(index + 1):\(indent.count + 7) \(rule)")
        }
        try lines.joined(separator: "\n").write(to: target, atomically: false, encoding: .utf8)
        let found = try Self.findings(checkWritingNothing(repository, status: 1, "front matter links"))
        XCTAssertEqual(found.filter { $0.file == Self.evidence }.map(\.position), expected, "\(found)")
    }

    // MARK: - Symbolic links, pipes, folders, permissions

    func testSymlinksOutOfTheRepositoryAndLoopsAreReportedNotFollowed() throws {
        let repository = try acme()
        let outside = try scratchFolder("outside")
        let secret = "TOP-SECRET-\(UUID().uuidString)"
        // A valid self review outside, so following the link would load it cleanly.
        let selfText = try String(contentsOf: repository.appendingPathComponent(Self.selfReview), encoding: .utf8)
        try (selfText + "\n" + secret + "\n").write(
            to: outside.appendingPathComponent("self.md"), atomically: false, encoding: .utf8)
        try (selfText + "\n" + secret + "\n").write(
            to: outside.appendingPathComponent("review.md"), atomically: false, encoding: .utf8)
        let alice = repository.appendingPathComponent("cycles/2026-h2/alice")
        let files = FileManager.default
        // Documents that are links: out of the repository, a loop, a dangling link.
        try files.removeItem(at: alice.appendingPathComponent("self.md"))
        try files.createSymbolicLink(
            atPath: alice.appendingPathComponent("self.md").path, withDestinationPath: outside.path + "/self.md")
        try files.createSymbolicLink(
            atPath: alice.appendingPathComponent("peer-loop.md").path, withDestinationPath: "peer-loop.md")
        try files.createSymbolicLink(
            atPath: alice.appendingPathComponent("peer-gone.md").path, withDestinationPath: "nowhere.md")
        // A person folder that is a link out, and a folder linking back to the root.
        try files.createSymbolicLink(
            atPath: repository.appendingPathComponent("cycles/2026-h2/zed").path, withDestinationPath: outside.path)
        try files.createDirectory(at: alice.appendingPathComponent("attachments"), withIntermediateDirectories: true)
        try files.createSymbolicLink(
            atPath: alice.appendingPathComponent("attachments/root").path, withDestinationPath: "../../../..")
        // Link targets that are links: out of the repository, a loop, a folder out.
        try files.createSymbolicLink(
            atPath: alice.appendingPathComponent("attachments/out.md").path,
            withDestinationPath: outside.path + "/self.md")
        try files.createSymbolicLink(
            atPath: alice.appendingPathComponent("attachments/loop.md").path, withDestinationPath: "loop.md")
        try files.createSymbolicLink(
            atPath: alice.appendingPathComponent("attachments/folder").path, withDestinationPath: outside.path)
        let review = alice.appendingPathComponent("review.md")
        let text = try String(contentsOf: review, encoding: .utf8)
        let appended = "\nSee [a](attachments/out.md), [b](attachments/loop.md), [c](attachments/folder/review.md).\n"
        try (text + appended).write(to: review, atomically: false, encoding: .utf8)
        let bodyLine = text.split(separator: "\n", omittingEmptySubsequences: false).count + 1

        let result = try checkWritingNothing(repository, status: 1, "symlinks")
        XCTAssertFalse(result.output.contains(secret), "content behind a link out of the repository leaked")
        let found = try Self.findings(result).map { "\($0.file):\($0.position) \($0.message)" }
        XCTAssertEqual(
            found.sorted(),
            [
                "cycles/2026-h2/alice/peer-gone.md:1:1 front-matter-syntax cannot read file: is a symbolic link that loops or leads nowhere",
                "cycles/2026-h2/alice/peer-loop.md:1:1 front-matter-syntax cannot read file: is a symbolic link that loops or leads nowhere",
                "cycles/2026-h2/alice/review.md:\(bodyLine):5 evidence-link-broken link target 'cycles/2026-h2/alice/attachments/out.md' (written 'attachments/out.md') is a symbolic link that leads outside the repository",
                "cycles/2026-h2/alice/review.md:\(bodyLine):30 evidence-link-broken link target 'cycles/2026-h2/alice/attachments/loop.md' (written 'attachments/loop.md') does not exist",
                "cycles/2026-h2/alice/review.md:\(bodyLine):56 evidence-link-broken link target 'cycles/2026-h2/alice/attachments/folder/review.md' (written 'attachments/folder/review.md') is a symbolic link that leads outside the repository",
                "cycles/2026-h2/alice/self.md:1:1 front-matter-syntax cannot read file: is a link that leads outside the repository",
            ].sorted())
    }

    /// Regression: a link to a named pipe blocked `check` forever in open(2).
    func testNamedPipeDoesNotHangTheCheck() throws {
        let repository = try acme()
        let alice = repository.appendingPathComponent("cycles/2026-h2/alice")
        XCTAssertEqual(mkfifo(alice.appendingPathComponent("pipe").path, 0o644), 0)
        try FileManager.default.createSymbolicLink(
            atPath: alice.appendingPathComponent("peer-pipe.md").path, withDestinationPath: "pipe")
        let found = try Self.findings(checkWritingNothing(repository, status: 1, "named pipe"))
        XCTAssertEqual(
            found.map(\.description),
            [
                "cycles/2026-h2/alice/peer-pipe.md:1:1 [front-matter-syntax] cannot read file: is not a regular file (a pipe, socket or device)"
            ])
    }

    /// Regression: a folder named `review.md` made the review silently disappear.
    func testFolderNamedReviewMdIsReported() throws {
        let repository = try acme()
        let review = repository.appendingPathComponent(Self.review)
        try FileManager.default.removeItem(at: review)
        try FileManager.default.createDirectory(at: review, withIntermediateDirectories: true)
        try Data("notes".utf8).write(to: review.appendingPathComponent("notes.txt"))
        let found = try Self.findings(checkWritingNothing(repository, status: 1, "folder named review.md"))
        XCTAssertTrue(
            found.contains {
                $0.description == "\(Self.review):1:1 [front-matter-syntax] cannot read file: is a directory"
            },
            "\(found)")
        XCTAssertTrue(found.allSatisfy { $0.file.hasPrefix("cycles/2026-h2/alice/") }, "\(found)")
    }

    /// An unreadable file is reported. As root (CI) permissions do not stop reading: then
    /// the file must simply be read as usual, and the check stays clean.
    func testUnreadableFile() throws {
        let repository = try acme()
        let target = repository.appendingPathComponent(Self.selfReview)
        XCTAssertEqual(chmod(target.path, 0), 0)
        addTeardownBlock { chmod(target.path, 0o644) }
        if geteuid() == 0 {
            let found = try Self.findings(checkWritingNothing(repository, status: 0, "unreadable file, as root"))
            XCTAssertEqual(found, [], "root reads a mode-000 file like any other")
        } else {
            let found = try Self.findings(checkWritingNothing(repository, status: 1, "unreadable file"))
            XCTAssertEqual(
                found.map(\.description),
                [
                    "\(Self.selfReview):1:1 [front-matter-syntax] cannot read file: cannot open: Permission denied"
                ])
        }
    }

    // MARK: - Many files

    /// 100,000 attachments in one folder: no hang, no crash, nothing reported for them.
    func testOneHundredThousandFilesInOneFolder() throws {
        let repository = try acme()
        let folder = repository.appendingPathComponent("cycles/2026-h2/alice/attachments")
        try Self.createEmptyFiles(in: folder, count: 100_000) { "scan-\($0).png" }
        let result = try checkWritingNothing(repository, limit: 120, status: 0, "100,000 files")
        XCTAssertEqual(try Self.findings(result), [])
    }

    /// 20,000 misnamed documents in one person folder: each is loaded in parallel and
    /// reported (the parallel loader crashed at this scale before its results were
    /// written through a pointer).
    func testTwentyThousandUnknownDocumentsAreEachReported() throws {
        let repository = try acme()
        let folder = repository.appendingPathComponent("cycles/2026-h2/alice")
        try Self.createEmptyFiles(in: folder, count: 20_000) { "note-\($0).md" }
        let result = try checkWritingNothing(repository, limit: 120, status: 1, "20,000 unknown documents")
        let found = try Self.findings(result)
        XCTAssertEqual(found.count, 20_000)
        XCTAssertTrue(found.allSatisfy { $0.rule == "front-matter-schema" && $0.line == 1 && $0.column == 1 })
    }

    static func createEmptyFiles(in folder: URL, count: Int, name: (Int) -> String) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for index in 0..<count {
            let descriptor = open(folder.path + "/" + name(index), O_WRONLY | O_CREAT | O_EXCL, 0o644)
            guard descriptor >= 0 else { throw CocoaError(.fileWriteUnknown) }
            close(descriptor)
        }
    }

    // MARK: - Output injection

    /// Terminal escapes (CSI, OSC, BEL), C1 controls, bidi overrides and newlines in ids,
    /// headings, link text, file names and people's names.
    func hostileRepository() throws -> URL {
        let repository = try acme("inject")
        let people = repository.appendingPathComponent("people.yaml")
        try String(contentsOf: people, encoding: .utf8)
            .replacingOccurrences(
                of: "name: Alice Chen", with: #"name: "Alice\e[2J\e]0;pwned\aChen\u202E\x9B31m""#
            )
            .write(to: people, atomically: false, encoding: .utf8)
        let review = repository.appendingPathComponent(Self.review)
        let text = try String(contentsOf: review, encoding: .utf8)
            .replacingOccurrences(of: "reviewer: dana", with: #"reviewer: "d\e[31mana\u2066""#)
        try (text + "\n## \u{1B}]8;;http://evil\u{1B}\\100% Growth,\u{202E} plan: \u{9B}2J\n\nText [@nope].\n")
            .write(to: review, atomically: false, encoding: .utf8)
        // Empty files: each is reported in itself ("missing front matter"), by its name.
        let alice = repository.appendingPathComponent("cycles/2026-h2/alice")
        try Data().write(to: alice.appendingPathComponent("peer-\u{1B}[31mred.md"))
        try Data().write(to: alice.appendingPathComponent("peer-a,b:c\nforged.md"))
        return repository
    }

    static let reviewerValue = "d\u{1B}[31mana\u{2066}"
    static let hostileHeading = "\u{1B}]8;;http://evil\u{1B}\\100% Growth,\u{202E} plan: \u{9B}2J"

    /// What must never reach a terminal raw.
    static func assertNoTerminalControls(
        _ text: String, _ what: String, file: StaticString = #filePath, line: UInt = #line
    ) {
        for scalar in text.unicodeScalars where scalar != "\n" {
            let value = scalar.value
            let bad =
                value < 0x20 || (0x7F...0x9F).contains(value) || (0x202A...0x202E).contains(value)
                || (0x2066...0x2069).contains(value) || value == 0x2028 || value == 0x2029
            if bad {
                XCTFail("\(what): raw U+\(String(value, radix: 16, uppercase: true)) in output", file: file, line: line)
                return
            }
        }
    }

    func testTextOutputNeutralisesEscapesInIdsHeadingsPathsAndMessages() throws {
        let repository = try hostileRepository()
        let result = try checkWritingNothing(repository, [], status: 1, "text output")
        let output = result.output
        Self.assertNoTerminalControls(output, "check")
        // Each line is a diagnostic, an indented note or the summary: a newline in a file
        // name cannot start a line of its own.
        for line in output.split(separator: "\n") {
            XCTAssertTrue(
                line.hasPrefix("cycles/") || line.hasPrefix("    ") || line.hasPrefix("Acme:"), "forged line: \(line)")
        }
        XCTAssertTrue(output.contains(#"found 'd\u{1B}[31mana\u{2066}'"#), output)
        XCTAssertTrue(output.contains(#"cycles/2026-h2/alice/peer-a,b:c\u{0A}forged.md:1:1: error:"#), output)
        XCTAssertTrue(output.contains(#"cycles/2026-h2/alice/peer-\u{1B}[31mred.md:1:1: error:"#), output)
        XCTAssertTrue(
            output.contains(#"section '\u{1B}]8;;http://evil\u{1B}\100% Growth,\u{202E} plan: \u{9B}2J'"#), output)
    }

    /// Names reach text output through the other commands.
    func testNamesAreNeutralisedInRecordAndHealthOutput() throws {
        let repository = try hostileRepository()
        for arguments in [["record", "alice", "--cycle", "2026-h2"], ["health", "--cycle", "2026-h2"]] {
            let result = try Self.runBounded(arguments, in: repository)
            assertBounded(result, status: 0, arguments.joined(separator: " "))
            XCTAssertTrue(result.output.contains("Alice"), result.output)
            Self.assertNoTerminalControls(result.output, arguments[0])
        }
    }

    func testJSONEncodesHostileTextExactly() throws {
        let repository = try hostileRepository()
        let result = try checkWritingNothing(repository, ["--format", "json"], status: 1, "json")
        XCTAssertFalse(result.stdout.contains(0x1B), "raw ESC in JSON")
        let found = try Self.findings(result)
        XCTAssertTrue(found.contains { $0.message.contains("found '\(Self.reviewerValue)'") }, "\(found)")
        XCTAssertTrue(found.contains { $0.message.contains("section '\(Self.hostileHeading)'") }, "\(found)")
        let files = Set(found.map(\.file))
        XCTAssertTrue(files.contains("cycles/2026-h2/alice/peer-\u{1B}[31mred.md"), "\(files)")
        XCTAssertTrue(files.contains("cycles/2026-h2/alice/peer-a,b:c\nforged.md"), "\(files)")
    }

    func testSARIFEncodesHostileTextExactly() throws {
        let repository = try hostileRepository()
        let result = try checkWritingNothing(repository, ["--format", "sarif"], status: 1, "sarif")
        XCTAssertFalse(result.stdout.contains(0x1B), "raw ESC in SARIF")
        let log = try XCTUnwrap(JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
        let run = try XCTUnwrap((log["runs"] as? [[String: Any]])?.first)
        let results = try XCTUnwrap(run["results"] as? [[String: Any]])
        let messages = results.compactMap { ($0["message"] as? [String: Any])?["text"] as? String }
        XCTAssertTrue(messages.contains { $0.contains("found '\(Self.reviewerValue)'") }, "\(messages)")
        XCTAssertTrue(messages.contains { $0.contains("section '\(Self.hostileHeading)'") }, "\(messages)")
        let uris = results.compactMap {
            ((($0["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])?["artifactLocation"]
                as? [String: Any])?["uri"] as? String
        }
        XCTAssertTrue(uris.allSatisfy { !$0.contains("\u{1B}") && !$0.contains("\n") && !$0.contains(",") }, "\(uris)")
        let decoded = Set(uris.compactMap { $0.removingPercentEncoding })
        XCTAssertTrue(decoded.contains("cycles/2026-h2/alice/peer-\u{1B}[31mred.md"), "\(decoded)")
        XCTAssertTrue(decoded.contains("cycles/2026-h2/alice/peer-a,b:c\nforged.md"), "\(decoded)")
    }

    func testGitHubAnnotationsEscapePercentNewlinesColonsAndCommas() throws {
        let repository = try hostileRepository()
        let result = try checkWritingNothing(repository, ["--format", "github"], status: 1, "github")
        let output = result.output
        XCTAssertFalse(output.contains("\r"))
        Self.assertNoTerminalControls(output, "github")
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        for line in lines.dropLast() {
            XCTAssertTrue(line.hasPrefix("::error file=") || line.hasPrefix("::warning file="), "forged line: \(line)")
            // Properties end at the first `::`; no property may hold a raw `,` or `:`
            // beyond the separators GitHub expects.
            let properties = line.dropFirst(2).components(separatedBy: "::")[0]
            let values = properties.split(separator: " ", maxSplits: 1).last.map(String.init) ?? ""
            for property in values.split(separator: ",") {
                let parts = property.split(separator: "=", maxSplits: 1)
                XCTAssertEqual(parts.count, 2, "property \(property) in \(line)")
                XCTAssertFalse(parts.last?.contains(":") ?? true, "raw ':' in \(property)")
            }
        }
        XCTAssertTrue(lines.last?.hasPrefix("evident: ") ?? false, "\(lines.last ?? "")")
        XCTAssertTrue(output.contains("file=cycles/2026-h2/alice/peer-a%2Cb%3Ac\\u{0A}forged.md,line=1,col=1"), output)
        XCTAssertTrue(output.contains(#"\u{1B}\100%25 Growth,\u{202E} plan: \u{9B}2J'"#), output)
    }

    // MARK: - Crash safety of init and new

    /// Every file below `root` whose name marks it as a temporary file of a write.
    static func temporaryFiles(_ root: URL) -> [String] {
        snapshot(root).keys.filter {
            $0.hasSuffix(".tmp") || $0.split(separator: "/").last?.hasPrefix(".evident-") == true
        }
        .sorted()
    }

    /// A shell running `evident` with file size limited to `blocks` KiB, so writes fail
    /// (EFBIG) as on a full disk; with `killed`, the limit's signal kills it mid-write.
    static func runWithFileSizeLimit(_ arguments: [String], in directory: URL, blocks: Int, killed: Bool) throws
        -> BoundedResult
    {
        let quoted = ([EvidentProcess.binary.path] + arguments).map { "'" + $0 + "'" }.joined(separator: " ")
        let script = (killed ? "" : "trap '' XFSZ; ") + "ulimit -f \(blocks); exec \(quoted)"
        return try runBounded(["-c", script], in: directory, tool: URL(fileURLWithPath: "/bin/bash"))
    }

    /// Folders' times may change (a temporary file came and went); files may not.
    func testRefusedNewLeavesNoTemporaryFiles() throws {
        let repository = try acme()
        let before = Self.snapshot(repository, folderTimes: false)
        let result = try Self.runBounded(["new", "review", "alice", "--cycle", "2026-h2"], in: repository)
        assertBounded(result, status: 2, "new over an existing review")
        XCTAssertTrue(result.stderr.contains("already exists; refusing to overwrite"), result.stderr)
        XCTAssertEqual(Self.snapshot(repository, folderTimes: false), before, "a refused new changed the repository")
    }

    func testNewWhoseWriteFailsLeavesNothing() throws {
        let repository = try acme()
        try FileManager.default.removeItem(at: repository.appendingPathComponent(Self.review))
        let before = Self.snapshot(repository, folderTimes: false)
        let failed = try Self.runWithFileSizeLimit(
            ["new", "review", "alice", "--cycle", "2026-h2"], in: repository, blocks: 0, killed: false)
        assertBounded(failed, status: 2, "new with writes failing")
        XCTAssertTrue(failed.stderr.contains("cannot write"), failed.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: repository.appendingPathComponent(Self.review).path))
        XCTAssertEqual(Self.temporaryFiles(repository), [])
        XCTAssertEqual(Self.snapshot(repository, folderTimes: false), before)
    }

    /// Killed in the middle of writing: the target never exists half-written.
    func testNewKilledMidWriteLeavesNoPartialFile() throws {
        let repository = try acme()
        try FileManager.default.removeItem(at: repository.appendingPathComponent(Self.review))
        let killed = try Self.runWithFileSizeLimit(
            ["new", "review", "alice", "--cycle", "2026-h2"], in: repository, blocks: 0, killed: true)
        XCTAssertNotEqual(killed.status, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: repository.appendingPathComponent(Self.review).path))
        let result = try checkWritingNothing(repository, status: 0, "after an interrupted new")
        XCTAssertEqual(try Self.findings(result), [])
    }

    /// Regression: a failed write part-way through `init` left a half-made repository
    /// that the next `init` refused to touch. It is now all or nothing.
    func testInitWhoseWriteFailsLeavesNothingAndCanBeRetried() throws {
        let folder = try scratchFolder("init")
        let target = folder.appendingPathComponent("reviews")
        // Small templates fit in 2 KiB, the JSON Schemas do not: the failure comes after
        // several files were written.
        let failed = try Self.runWithFileSizeLimit(["init", target.path], in: folder, blocks: 2, killed: false)
        assertBounded(failed, status: 2, "init with writes failing")
        XCTAssertTrue(failed.stderr.contains("cannot write"), failed.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: target.path), "\(Self.snapshot(target).keys.sorted())")
        let retried = try Self.runBounded(["init", target.path], in: folder)
        assertBounded(retried, status: 0, "init after a failed init")
        XCTAssertEqual(Self.temporaryFiles(target), [])
    }
}

/// Data filled in by a reader thread.
final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var stored = Data()
    func set(_ data: Data) { lock.withLock { stored = data } }
    var value: Data { lock.withLock { stored } }
}
