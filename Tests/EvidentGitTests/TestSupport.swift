import Foundation
import XCTest

@testable import EvidentGit

/// Output of a finished child process.
struct ProcessOutput {
    let status: Int32
    let stdout: String
    let stderr: String

    /// stdout without the final newline, the way shell `$(…)` reads it.
    var trimmed: String { stdout.trimmingCharacters(in: .whitespacesAndNewlines) }
}

/// Runs a program to completion with output captured in files (no pipe deadlocks).
@discardableResult
func runProcess(
    _ executable: String, _ arguments: [String], in directory: String? = nil,
    environment extra: [String: String] = [:], stdin: Data? = nil
) throws -> ProcessOutput {
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("evgit-proc-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let out = scratch.appendingPathComponent("out")
    let err = scratch.appendingPathComponent("err")
    let inp = scratch.appendingPathComponent("in")
    try Data().write(to: out)
    try Data().write(to: err)
    try (stdin ?? Data()).write(to: inp)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    var env = ProcessInfo.processInfo.environment
    for (k, v) in extra { env[k] = v }
    process.environment = env
    let outHandle = try FileHandle(forWritingTo: out)
    let errHandle = try FileHandle(forWritingTo: err)
    let inHandle = try FileHandle(forReadingFrom: inp)
    process.standardOutput = outHandle
    process.standardError = errHandle
    process.standardInput = inHandle
    try process.run()
    process.waitUntilExit()
    try? outHandle.close()
    try? errHandle.close()
    try? inHandle.close()
    return ProcessOutput(
        status: process.terminationStatus,
        stdout: String(decoding: try Data(contentsOf: out), as: UTF8.self),
        stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self))
}

/// Isolates every test from the developer's own git setup: HOME points at a fresh
/// folder (so ~/.gitconfig, commit.gpgsign and signing keys there cannot leak in) and
/// the system config is skipped. Done once, before libgit2 is first initialised,
/// because libgit2 reads HOME when it starts.
enum TestEnvironment {
    static let home: String = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("evgit-home-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let config = """
            [evident "probe"]
            \tglobalonly = from-global
            \tshadowed = global-value
            [init]
            \tdefaultBranch = main
            [advice]
            \tdetachedHead = false
            """
        try? Data(config.utf8).write(to: URL(fileURLWithPath: dir + "/.gitconfig"))
        setenv("HOME", dir, 1)
        setenv("XDG_CONFIG_HOME", dir + "/.config", 1)
        setenv("GIT_CONFIG_NOSYSTEM", "1", 1)
        unsetenv("GIT_DIR")
        unsetenv("GIT_INDEX_FILE")
        unsetenv("GIT_WORK_TREE")
        // Another test may have initialised libgit2 under the real HOME first.
        try? GitRepository.reloadConfigSearchPaths()
        return dir
    }()

    static func prepare() { _ = home }
}

/// A throwaway repository built and inspected with the real git CLI.
final class TempRepo {
    let path: String

    init(initialCommit: Bool = true, file: StaticString = #filePath, line: UInt = #line) throws {
        TestEnvironment.prepare()
        path = FileManager.default.temporaryDirectory.appendingPathComponent("evgit-repo-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try git("init", "-q", "-b", "main")
        try git("config", "user.name", "Test User")
        try git("config", "user.email", "test@example.com")
        try git("config", "commit.gpgsign", "false")
        if initialCommit {
            try write("README.md", "# Reviews\n")
            try git("add", "README.md")
            try git("commit", "-q", "-m", "Initial commit")
        }
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Runs git in the repository and fails the test (by throwing) when it fails.
    @discardableResult
    func git(_ args: String..., env: [String: String] = [:], stdin: String? = nil) throws -> String {
        try gitArgs(args, env: env, stdin: stdin)
    }

    @discardableResult
    func gitArgs(_ args: [String], env: [String: String] = [:], stdin: String? = nil) throws -> String {
        let result = try gitResult(args, env: env, stdin: stdin)
        guard result.status == 0 else {
            throw TestFailure("git \(args.joined(separator: " ")) exited \(result.status): \(result.stderr)")
        }
        return result.trimmed
    }

    /// Runs git and returns the whole result, for commands expected to fail.
    func gitResult(_ args: [String], env: [String: String] = [:], stdin: String? = nil) throws -> ProcessOutput {
        try runProcess("/usr/bin/git", args, in: path, environment: env, stdin: stdin.map { Data($0.utf8) })
    }

    func write(_ relative: String, _ content: String) throws {
        try writeData(relative, Data(content.utf8))
    }

    func writeData(_ relative: String, _ content: Data) throws {
        let url = URL(fileURLWithPath: path + "/" + relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try content.write(to: url)
    }

    func commitFile(_ relative: String, _ content: String, message: String) throws {
        try write(relative, content)
        try git("add", relative)
        try git("commit", "-q", "-m", message)
    }

    /// The raw index file, to prove an operation neither refreshed nor rewrote it.
    func indexSnapshot() throws -> (data: Data, modified: Date) {
        let file = path + "/.git/index"
        let attrs = try FileManager.default.attributesOfItem(atPath: file)
        return (try Data(contentsOf: URL(fileURLWithPath: file)), attrs[.modificationDate] as? Date ?? .distantPast)
    }

    func fsckIsClean(file: StaticString = #filePath, line: UInt = #line) throws {
        let fsck = try gitResult(["fsck", "--strict", "--no-progress"])
        XCTAssertEqual(
            fsck.status, 0, "git fsck --strict failed: \(fsck.stdout) \(fsck.stderr)", file: file, line: line)
        XCTAssertFalse(fsck.stderr.contains("error"), fsck.stderr, file: file, line: line)
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A temporary folder for keys and files outside any repository.
final class TempDir {
    let path: String
    init() throws {
        TestEnvironment.prepare()
        path = FileManager.default.temporaryDirectory.appendingPathComponent("evgit-tmp-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}
