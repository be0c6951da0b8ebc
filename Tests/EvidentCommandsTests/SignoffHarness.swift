import EvidentRules
import Foundation
import XCTest

/// Drives the built `evident` binary and the real git CLI against a throwaway review
/// repository, for the sign-off, status, `--staged` and hook tests.
///
/// The repository is `evident init`'s scaffold with `ExampleRepository` (the rule
/// examples' clean base: Alice, managed by Dana, skip-level Vera, calibrated by Erin)
/// written over it, plus Harriet, who has the hr role. It checks clean, so any finding
/// a test sees comes from what the test did.
final class SignoffRepo {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var output: String { stdout + stderr }
    }

    /// The git work tree.
    let root: URL
    /// The review repository (the work tree itself, or a folder in it).
    let reviewRoot: URL
    /// The review repository's folder inside the work tree, "" at the top.
    let prefix: String
    let scratch: URL

    static let review = "cycles/2026-h2/alice/review.md"
    static let hrPerson =
        "  - { id: harriet, name: Harriet Stone, email: harriet@example.com, level: mgr-1, team: payments, manager: vera, roles: [hr] }\n"

    /// - Parameters:
    ///   - subfolder: put the review repository in this folder of the git work tree.
    ///   - commit: commit everything (otherwise the branch stays unborn).
    init(_ test: XCTestCase, subfolder: String? = nil, commit: Bool = true) throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
            "evident-signoff-\(UUID().uuidString)")
        let root = scratch.appendingPathComponent("repo")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: scratch) }
        let resolved = root.resolvingSymlinksInPath()
        self.scratch = scratch.resolvingSymlinksInPath()
        self.root = resolved
        prefix = subfolder ?? ""
        reviewRoot = subfolder.map { resolved.appendingPathComponent($0) } ?? resolved
        try check(git(["init", "-q", "-b", "main"]))
        let initialised = try SignoffRepo.run(SignoffRepo.binary, ["init", reviewRoot.path], in: root)
        XCTAssertEqual(initialised.status, 0, initialised.output)
        for (path, text) in ExampleRepository.files {
            try write(path, path == "people.yaml" ? text + SignoffRepo.hrPerson : text)
        }
        try check(git(["config", "user.name", "Test Setup"]))
        try check(git(["config", "user.email", "setup@example.com"]))
        try check(git(["config", "commit.gpgsign", "false"]))
        if commit {
            try check(git(["add", "-A"]))
            try check(git(["commit", "-q", "-m", "Review repository"]))
        }
    }

    // MARK: Files

    func url(_ reviewPath: String) -> URL { reviewRoot.appendingPathComponent(reviewPath) }

    func write(_ reviewPath: String, _ text: String) throws {
        let url = url(reviewPath)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    func read(_ reviewPath: String) throws -> String { try String(contentsOf: url(reviewPath), encoding: .utf8) }

    func gitPath(_ reviewPath: String) -> String { prefix.isEmpty ? reviewPath : prefix + "/" + reviewPath }

    // MARK: Running

    /// Runs git in the work tree.
    @discardableResult
    func git(_ arguments: [String], environment: [String: String] = [:], stdin: String? = nil) throws -> Result {
        try SignoffRepo.run(
            URL(fileURLWithPath: "/usr/bin/git"), arguments, in: root, environment: environment, stdin: stdin)
    }

    /// Runs git and returns its trimmed stdout, failing the test on a non-zero exit.
    func gitOutput(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let result = try git(arguments)
        XCTAssertEqual(
            result.status, 0, "git \(arguments.joined(separator: " ")): \(result.output)", file: file, line: line)
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs evident in the review repository, as the person with `email` when given.
    @discardableResult
    func evident(
        _ arguments: [String], as email: String? = nil, in directory: URL? = nil,
        environment: [String: String] = [:]
    ) throws -> Result {
        if let email { try check(git(["config", "user.email", email])) }
        return try SignoffRepo.run(SignoffRepo.binary, arguments, in: directory ?? reviewRoot, environment: environment)
    }

    var head: String { (try? gitOutput(["rev-parse", "HEAD"])) ?? "" }

    /// `evident check --format json` diagnostics as "file:line [rule] severity".
    func checkFindings(_ extra: [String] = [], environment: [String: String] = [:]) throws -> (
        status: Int32, findings: [String], messages: [String]
    ) {
        let result = try evident(["check", "--format", "json"] + extra, environment: environment)
        guard let data = result.stdout.data(using: .utf8),
            let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let diagnostics = json["diagnostics"] as? [[String: Any]]
        else {
            XCTFail("evident check printed no JSON: \(result.output)")
            return (result.status, [], [])
        }
        let findings = diagnostics.map { d in
            "\(d["file"] ?? ""):\(d["line"] ?? "") [\(d["rule"] ?? "")] \(d["severity"] ?? "")"
        }
        return (result.status, findings, diagnostics.map { "\($0["message"] ?? "")" })
    }

    /// `evident status --format json`, the review's entry.
    func statusEntry(_ file: String = SignoffRepo.review) throws -> [String: Any] {
        let result = try evident(["status", "--format", "json"])
        XCTAssertEqual(result.status, 0, result.output)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let reviews = try XCTUnwrap(json["reviews"] as? [[String: Any]])
        return try XCTUnwrap(reviews.first { $0["file"] as? String == file }, "no status for \(file): \(result.stdout)")
    }

    private func check(_ result: Result, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(result.status, 0, result.output, file: file, line: line)
    }

    /// Writes a sign-off commit with `git commit --allow-empty`, trailers typed by hand,
    /// the way someone would forge one.
    func forgeSignoff(
        role: String, signer: String, email: String, blob: String? = nil,
        gitOptions: [String] = [], commitOptions: [String] = [],
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let blob = try blob ?? gitOutput(["rev-parse", "HEAD:" + gitPath(SignoffRepo.review)])
        let trailers = """
            Evident-Signoff: \(role)
            Evident-File: \(gitPath(SignoffRepo.review))
            Evident-Blob: \(blob)
            Evident-Rating: meets
            Signed-off-by: \(signer) <\(email)>
            """
        let result = try git(
            ["-c", "user.name=\(signer)", "-c", "user.email=\(email)"] + gitOptions
                + ["commit", "-q", "--allow-empty"] + commitOptions
                + ["-m", "Sign off alice's 2026-h2 review as \(role)", "-m", trailers])
        XCTAssertEqual(result.status, 0, result.output, file: file, line: line)
    }

    // MARK: Keys and policy

    /// A new ed25519 key pair without a passphrase; returns the private key's path.
    func sshKey(_ name: String) throws -> String {
        let path = scratch.appendingPathComponent("key-\(name)").path
        let result = try SignoffRepo.run(
            URL(fileURLWithPath: "/usr/bin/ssh-keygen"),
            ["-q", "-t", "ed25519", "-N", "", "-C", name, "-f", path], in: scratch)
        XCTAssertEqual(result.status, 0, result.output)
        return path
    }

    func publicKey(_ privateKeyPath: String) throws -> String {
        try String(contentsOf: URL(fileURLWithPath: privateKeyPath + ".pub"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Sets `require_signature: true` and Erin's `signing_key`, committed.
    func requireSignatures(erinKey: String) throws {
        try write(
            "evident.yaml",
            try read("evident.yaml").replacingOccurrences(
                of: "require_signature: false", with: "require_signature: true"))
        try write(
            "people.yaml",
            try read("people.yaml").replacingOccurrences(
                of: "email: erin@example.com, level: mgr-1, team: payments, manager: vera }",
                with:
                    "email: erin@example.com, level: mgr-1, team: payments, manager: vera, signing_key: \"\(erinKey)\" }"
            ))
        XCTAssertTrue(try read("people.yaml").contains("signing_key"))
        try check(git(["commit", "-qam", "Require signed sign-offs"]))
    }

    // MARK: Processes

    /// The `evident` binary: `EVIDENT_BIN`, else beside the test bundle in the build
    /// products folder, else the default debug build.
    static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["EVIDENT_BIN"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        for bundle in [Bundle.main] + Bundle.allBundles {
            let url = bundle.bundleURL
            let products = url.pathExtension == "xctest" ? url.deletingLastPathComponent() : url
            let candidate = products.appendingPathComponent("evident")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        let project = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return project.appendingPathComponent(".build/debug/evident")
    }

    /// Runs a program with output captured in files (no pipe can fill up and block it).
    static func run(
        _ tool: URL, _ arguments: [String], in directory: URL, environment: [String: String] = [:],
        stdin: String? = nil
    ) throws -> Result {
        let id = UUID().uuidString
        let temporary = FileManager.default.temporaryDirectory
        let outURL = temporary.appendingPathComponent("evident-test-\(id).out")
        let errURL = temporary.appendingPathComponent("evident-test-\(id).err")
        let inURL = temporary.appendingPathComponent("evident-test-\(id).in")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: inURL.path, contents: Data((stdin ?? "").utf8))
        defer {
            for url in [outURL, errURL, inURL] { try? FileManager.default.removeItem(at: url) }
        }
        let process = Process()
        process.executableURL = tool
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        // The tests own the identity and the hooks; nothing from the machine may leak in.
        env["GIT_CONFIG_NOSYSTEM"] = "1"
        for key in ["GIT_DIR", "GIT_INDEX_FILE", "GIT_WORK_TREE"] { env.removeValue(forKey: key) }
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        let input = try FileHandle(forReadingFrom: inURL)
        defer {
            try? out.close()
            try? err.close()
            try? input.close()
        }
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
    }
}
