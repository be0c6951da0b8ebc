import Foundation
import XCTest

@testable import EvidentSeal

/// Output of a finished child process.
struct ProcessOutput {
    let status: Int32
    let stdout: Data
    let stderr: String
    var text: String { String(decoding: stdout, as: UTF8.self) }
}

/// Runs a program to completion with output captured in files (no pipe deadlocks).
@discardableResult
func runTool(_ executable: String, _ arguments: [String], stdin: Data = Data()) throws -> ProcessOutput {
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("evseal-proc-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let out = scratch.appendingPathComponent("out")
    let err = scratch.appendingPathComponent("err")
    let inp = scratch.appendingPathComponent("in")
    try Data().write(to: out)
    try Data().write(to: err)
    try stdin.write(to: inp)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
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
        status: process.terminationStatus, stdout: try Data(contentsOf: out),
        stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self))
}

enum ToolError: Error, CustomStringConvertible {
    case missing(String)
    var description: String {
        switch self {
        case .missing(let name):
            return "\(name) is not installed (scripts/setup.sh installs it); this test needs the real tool"
        }
    }
}

/// The real clients the interop tests drive. Missing ones fail the test: never a skip.
enum Tools {
    static func find(_ name: String) throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for directory in path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin", "/bin"] {
            let candidate = directory + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw ToolError.missing(name)
    }

    static func age() throws -> String { try find("age") }
    static func ageKeygen() throws -> String { try find("age-keygen") }
    static func sshKeygen() throws -> String { try find("ssh-keygen") }
}

/// A temporary folder removed when the test ends.
final class Scratch {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("evseal-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { path + "/" + name }

    func write(_ name: String, _ bytes: [UInt8]) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: file(name)))
    }

    func read(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: file(name))))
    }

    /// An ed25519 key pair made by the real ssh-keygen; returns the private key path and
    /// the public key line.
    func sshKey(_ name: String, type: String = "ed25519", passphrase: String = "") throws -> (
        path: String, publicLine: String
    ) {
        let keygen = try Tools.sshKeygen()
        var arguments = ["-q", "-t", type, "-N", passphrase, "-C", "\(name)@example", "-f", file(name)]
        if type == "rsa" { arguments += ["-b", "2048"] }
        let result = try runTool(keygen, arguments)
        guard result.status == 0 else { throw ToolError.missing("ssh-keygen failed: \(result.stderr)") }
        let line = try String(contentsOfFile: file(name) + ".pub", encoding: .utf8).trimmingCharacters(
            in: .whitespacesAndNewlines)
        return (file(name), line)
    }
}

/// Deterministic test content of any size (not all one byte, so chunk swaps show).
func sampleBytes(_ count: Int, seed: UInt32 = 1) -> [UInt8] {
    var state = seed &* 2_654_435_761 | 1
    return (0..<count).map { _ in
        state ^= state << 13
        state ^= state >> 17
        state ^= state << 5
        return UInt8(truncatingIfNeeded: state)
    }
}

/// Asserts that `body` throws a `SealError` (of `kind`, when given).
func assertSealError<T>(
    _ kind: SealError.Kind? = nil, _ message: String, file: StaticString = #filePath, line: UInt = #line,
    _ body: () throws -> T
) {
    do {
        _ = try body()
        XCTFail("expected a SealError: \(message)", file: file, line: line)
    } catch let error as SealError {
        if let kind { XCTAssertEqual(error.kind, kind, "\(message): \(error.message)", file: file, line: line) }
        XCTAssertFalse(error.message.isEmpty, message, file: file, line: line)
    } catch {
        XCTFail("expected a SealError, got \(error): \(message)", file: file, line: line)
    }
}
