import Foundation
import XCTest

/// Runs the built `evident` binary as a user would, for end-to-end tests.
struct EvidentProcess {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The binary sits beside the test bundle in the build products folder.
    static var binary: URL {
        let products =
            Bundle.main.bundleURL.pathExtension == "xctest"
            ? Bundle.main.bundleURL.deletingLastPathComponent() : Bundle.main.bundleURL
        let candidate = products.appendingPathComponent("evident")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        return projectRoot.appendingPathComponent(".build/debug/evident")
    }

    static var projectRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    @discardableResult
    static func run(
        _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:], stdin: String? = nil
    ) throws -> Result {
        try runTool(binary, arguments, in: directory, environment: environment, stdin: stdin)
    }

    /// Runs any tool (git, ssh-keygen) with captured output.
    @discardableResult
    static func runTool(
        _ tool: URL, _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:],
        stdin: String? = nil
    ) throws -> Result {
        let process = Process()
        process.executableURL = tool
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        // Read both pipes before waiting so a large output cannot block the child.
        let group = DispatchGroup()
        nonisolated(unsafe) var outData = Data()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async {
            outData = out.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        errData = err.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }

    /// A fresh temporary folder, removed when the test ends.
    static func temporaryDirectory(_ test: XCTestCase, _ name: String = "evident") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url.resolvingSymlinksInPath()
    }

    /// A copy of examples/acme in a temporary folder.
    static func copyOfAcme(_ test: XCTestCase) throws -> URL {
        let folder = try temporaryDirectory(test, "acme")
        let target = folder.appendingPathComponent("acme")
        try FileManager.default.copyItem(at: projectRoot.appendingPathComponent("examples/acme"), to: target)
        return target
    }
}
