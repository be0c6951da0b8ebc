import EvidentCore
import Foundation
import XCTest

/// The project checkout, found from this file's path.
let projectRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

let acmeRoot = projectRoot + "/examples/acme"

func loadAcme() throws -> (Organisation, DiskSource) {
    let source = try DiskSource(root: acmeRoot)
    return (try RepositoryLoader.load(from: source), source)
}

/// Small in-memory review repositories for focused tests.
enum Fixture {
    static let policy = """
        evident: 1
        organization: Test Org
        ratings:
          - { id: below, label: Below, min_evidence: 1 }
          - { id: meets, label: Meets, min_evidence: 1 }
          - { id: exceeds, label: Exceeds, min_evidence: 1 }
        reviews:
          min_peer_feedback: 1
        privacy:
          min_group_size: 4
        team_health:
          max_span: 3
          max_reviews_per_reviewer: 2

        """

    static let level = """
        ---
        kind: level
        id: eng
        title: Engineer
        balance: { what: 50, how: 50 }
        dimensions:
          - id: delivery
            name: Delivery
            aspect: what
            expectations:
              - Ships things
          - id: collaboration
            name: Collaboration
            aspect: how
            expectations:
              - Works with others
        ---
        Guide.

        """

    static func cycle(teams: [String] = ["red", "blue"], calibrators: [String] = ["boss"]) -> String {
        """
        id: c1
        period: { start: 2026-07-01, end: 2026-12-31 }
        phase: calibration
        freeze: 2026-12-10
        calibration_groups:
          - id: g
            calibrators: [\(calibrators.joined(separator: ", "))]
            teams: [\(teams.joined(separator: ", "))]

        """
    }

    struct Member {
        var id: String
        var name: String? = nil
        var team: String
        var manager: String? = nil
        var roles: [String] = []
    }

    static func people(_ members: [Member]) -> String {
        var text = "people:\n"
        for member in members {
            text += "  - id: \(member.id)\n    name: \(quote(member.name ?? member.id.capitalized))\n"
            text += "    email: \(member.id)@test.example\n    level: eng\n    team: \(member.team)\n"
            if let manager = member.manager { text += "    manager: \(manager)\n" }
            text += "    roles: [\(member.roles.joined(separator: ", "))]\n"
        }
        return text
    }

    struct Item {
        var id: String
        var date: String = "2026-08-01"
        var type: String = "pull-request"
        var summary: String = "Did a thing"
        var link: String? = nil
        var dimensions: [String] = ["delivery", "collaboration"]
    }

    static func evidence(_ person: String, _ items: [Item], notes: String = "Notes.") -> String {
        var text = "---\nkind: evidence\nperson: \(person)\ncycle: c1\nitems:\n"
        for item in items {
            text += "  - id: \(item.id)\n    date: \(item.date)\n    type: \(item.type)\n"
            text += "    summary: \(quote(item.summary))\n"
            if let link = item.link { text += "    link: \(quote(link))\n" }
            text += "    dimensions: [\(item.dimensions.joined(separator: ", "))]\n"
        }
        return text + "---\n\(notes)\n"
    }

    struct Calibration {
        var rating: String
        var rationale: String? = nil
        var evidence: [String] = []
    }

    static func review(
        _ person: String, reviewer: String, rating: String?, calibration: Calibration? = nil,
        promotion: String? = nil, body: String? = nil, cites: [String] = ["a1"]
    ) -> String {
        var text = "---\nkind: review\nperson: \(person)\ncycle: c1\nreviewer: \(reviewer)\nlevel: eng\n"
        if let rating { text += "rating: \(rating)\n" }
        if let promotion { text += "promotion: { readiness: \(promotion) }\n" }
        if let calibration {
            text += "calibration:\n  rating: \(calibration.rating)\n"
            if let rationale = calibration.rationale { text += "  rationale: \(quote(rationale))\n" }
            if !calibration.evidence.isEmpty {
                text += "  evidence: [\(calibration.evidence.joined(separator: ", "))]\n"
            }
        }
        let citation = cites.isEmpty ? "" : " [" + cites.map { "@" + $0 }.joined(separator: "; ") + "]"
        text += "---\n"
        text +=
            body
            ?? "## Delivery\n\nShipped the work\(citation).\n\n## Collaboration\n\nWorked with the team\(citation).\n"
        return text
    }

    static func quote(_ text: String) -> String {
        var escaped = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped + "\""
    }

    /// A repository with the default policy, level and cycle plus `files`.
    static func load(_ files: [String: String], cycleText: String? = nil) throws -> (Organisation, MemorySource) {
        var all = [
            "evident.yaml": policy, "levels/eng.md": level, "cycles/c1/cycle.yaml": cycleText ?? cycle(),
        ]
        for (path, text) in files { all[path] = text }
        let source = MemorySource(root: "/fixture", texts: all)
        return (try RepositoryLoader.load(from: source), source)
    }
}

/// Output of a finished child process.
struct ProcessOutput {
    let status: Int32
    let stdout: String
    let stderr: String
}

/// Runs a program to completion, output captured through files (no pipe deadlocks).
@discardableResult
func run(_ executable: String, _ arguments: [String], in directory: String, environment extra: [String: String] = [:])
    throws -> ProcessOutput
{
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("evcal-proc-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let out = scratch.appendingPathComponent("out")
    let err = scratch.appendingPathComponent("err")
    try Data().write(to: out)
    try Data().write(to: err)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    var environment = ProcessInfo.processInfo.environment
    for (key, value) in extra { environment[key] = value }
    process.environment = environment
    let outHandle = try FileHandle(forWritingTo: out)
    let errHandle = try FileHandle(forWritingTo: err)
    process.standardOutput = outHandle
    process.standardError = errHandle
    process.standardInput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    try? outHandle.close()
    try? errHandle.close()
    return ProcessOutput(
        status: process.terminationStatus, stdout: String(decoding: try Data(contentsOf: out), as: UTF8.self),
        stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self))
}

/// A throwaway git repository driven by the real git CLI, isolated from the user's config.
final class ScratchGitRepository {
    let path: String

    static let environment: [String: String] = [
        "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_AUTHOR_NAME": "Dana Okafor",
        "GIT_AUTHOR_EMAIL": "dana@acme.example", "GIT_COMMITTER_NAME": "Dana Okafor",
        "GIT_COMMITTER_EMAIL": "dana@acme.example",
    ]

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("evcal-git-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try git("init", "-q", "-b", "main")
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    @discardableResult
    func git(_ arguments: String..., as author: (name: String, email: String)? = nil) throws -> String {
        var environment = ScratchGitRepository.environment
        if let author {
            environment["GIT_AUTHOR_NAME"] = author.name
            environment["GIT_AUTHOR_EMAIL"] = author.email
            environment["GIT_COMMITTER_NAME"] = author.name
            environment["GIT_COMMITTER_EMAIL"] = author.email
        }
        let output = try run("/usr/bin/git", arguments, in: path, environment: environment)
        guard output.status == 0 else {
            throw NSError(
                domain: "git", code: Int(output.status),
                userInfo: [NSLocalizedDescriptionKey: "git \(arguments.joined(separator: " ")): \(output.stderr)"])
        }
        return output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Copies a folder into the repository at `destination`.
    func copy(_ source: String, to destination: String) throws {
        let target = path + "/" + destination
        try FileManager.default.createDirectory(
            atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: source, toPath: target)
    }

    func write(_ relative: String, _ text: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path + "/" + relative))
    }

    func read(_ relative: String) throws -> String {
        String(decoding: try Data(contentsOf: URL(fileURLWithPath: path + "/" + relative)), as: UTF8.self)
    }
}
