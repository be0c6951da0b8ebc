import Foundation
import XCTest

/// A sealed review repository and clones of it made by different people, driven through
/// the real git CLI with each person's key as the sealing identity.
///
/// People: vera (top), dana (manages alice), alice, erin (calibrates alice's team), hana
/// (hr), kofi (reads nothing of alice's), rob (an ssh-rsa key, when asked for).
final class SealHarness {
    let root: URL
    private(set) var keys: [String: String] = [:]
    static let people = ["vera", "dana", "alice", "erin", "hana", "kofi"]
    var managers = ["dana": "vera", "alice": "dana", "erin": "vera", "hana": "vera", "kofi": "vera"]
    var calibrators = ["erin"]
    var rsaReader = false

    init(_ test: XCTestCase) throws {
        root = try EvidentProcess.temporaryDirectory(test, "evseal")
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("keys"), withIntermediateDirectories: true)
        for person in Self.people { try makeKey(person, type: "ed25519") }
    }

    func makeKey(_ person: String, type: String, passphrase: String = "") throws {
        let file = root.appendingPathComponent("keys/\(person)").path
        var arguments = ["-q", "-t", type, "-N", passphrase, "-C", person, "-f", file]
        if type == "rsa" { arguments += ["-b", "2048"] }
        let made = try EvidentProcess.runTool(try Self.tool("ssh-keygen"), arguments)
        XCTAssertEqual(made.status, 0, made.stderr)
        keys[person] = try String(contentsOfFile: file + ".pub", encoding: .utf8).split(separator: " ").prefix(2)
            .joined(separator: " ")
    }

    /// Real tools, found on PATH or in /usr/bin; a missing one fails the test.
    static func tool(_ name: String) throws -> URL {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for directory in path.split(separator: ":").map(String.init) + ["/usr/bin", "/bin"] {
            let candidate = directory + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return URL(fileURLWithPath: candidate) }
        }
        XCTFail("\(name) is not installed (scripts/setup.sh installs it)")
        throw CocoaError(.fileNoSuchFile)
    }

    func key(_ person: String) -> String { root.appendingPathComponent("keys/\(person)").path }

    func environment(_ person: String, identity: String? = nil) -> [String: String] {
        [
            "EVIDENT_IDENTITY": identity ?? key(person), "GIT_AUTHOR_NAME": person, "GIT_AUTHOR_EMAIL": "\(person)@x",
            "GIT_COMMITTER_NAME": person, "GIT_COMMITTER_EMAIL": "\(person)@x", "GIT_CONFIG_NOSYSTEM": "1",
            "HOME": root.path,
        ]
    }

    @discardableResult
    func git(
        _ arguments: [String], in directory: URL, as person: String, identity: String? = nil, expect status: Int32? = 0,
        stdin: String? = nil, file: StaticString = #filePath, line: UInt = #line
    ) throws -> EvidentProcess.Result {
        let result = try EvidentProcess.runTool(
            try Self.tool("git"), arguments, in: directory,
            environment: environment(person, identity: identity), stdin: stdin)
        if let status {
            XCTAssertEqual(
                result.status, status, "git \(arguments.joined(separator: " ")): \(result.stderr)", file: file,
                line: line)
        }
        return result
    }

    @discardableResult
    func evident(_ arguments: [String], in directory: URL, as person: String, identity: String? = nil) throws
        -> EvidentProcess.Result
    {
        try EvidentProcess.run(arguments, in: directory, environment: environment(person, identity: identity))
    }

    func write(_ text: String, to path: String, in directory: URL) throws {
        let url = directory.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    func read(_ path: String, in directory: URL) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(path), encoding: .utf8)
    }

    func peopleYAML() -> String {
        var people = "people:\n"
        for person in Self.people + (rsaReader ? ["rob"] : []) {
            people +=
                "  - { id: \(person), name: \(person.capitalized), email: \(person)@x, level: l, team: \(person == "alice" ? "pay" : "top")"
            if let manager = managers[person] { people += ", manager: \(manager)" }
            if person == "hana" { people += ", roles: [hr]" }
            if person == "rob" { people += ", roles: [hr]" }
            people += ", signing_key: \"\(keys[person]!)\" }\n"
        }
        return people
    }

    func cycleYAML(phase: String = "calibration") -> String {
        """
        id: c
        period: { start: 2026-01-01, end: 2026-06-30 }
        phase: \(phase)
        calibration_groups:
          - { id: eng, calibrators: [\(calibrators.joined(separator: ", "))], teams: [pay] }

        """
    }

    static let evidence = """
        ---
        kind: evidence
        ---
        Alice shipped the ledger.

        ## Private

        CANARY-EVIDENCE-4471: a note on Alice's health, for managers only.

        ## Later

        Alice mentored two people.

        """

    static let review = """
        ---
        kind: review
        person: alice
        cycle: c
        rating: meets
        summary: A solid half.
        ---
        # Review

        Alice did well this half.

        ### Private

        CANARY-REVIEW-9902: pay band worry.
        Second private line.

        """

    /// The origin, set up by dana with `evident seal setup`, nothing committed yet.
    func makeOrigin() throws -> URL {
        let origin = root.appendingPathComponent("origin")
        try write(
            "evident: 1\norganization: T\nratings: [{ id: meets, label: Meets }]\nsealing: { enabled: true }\n",
            to: "evident.yaml", in: origin)
        try write(peopleYAML(), to: "people.yaml", in: origin)
        try write(cycleYAML(), to: "cycles/c/cycle.yaml", in: origin)
        try write(Self.review, to: "cycles/c/alice/review.md", in: origin)
        try write(Self.evidence, to: "cycles/c/alice/evidence.md", in: origin)
        try git(["init", "-q", "-b", "main"], in: origin, as: "dana")
        try git(["config", "user.email", "dana@x"], in: origin, as: "dana")
        try git(["config", "user.name", "Dana"], in: origin, as: "dana")
        let setup = try evident(["seal", "setup"], in: origin, as: "dana")
        XCTAssertEqual(setup.status, 0, setup.stderr)
        return origin
    }

    /// A clone by `person` with the filter and the diff driver configured as setup would.
    func clone(_ origin: URL, as person: String, name: String? = nil, identity: String? = nil) throws -> URL {
        let target = root.appendingPathComponent(name ?? "clone-\(person)")
        var options: [String] = []
        for key in ["filter.evident.process", "diff.evident.textconv"] {
            let value = try git(["config", "--get", key], in: origin, as: person).stdout.trimmingCharacters(
                in: .whitespacesAndNewlines)
            options += ["-c", "\(key)=\(value)"]
        }
        try git(
            ["clone", "-q"] + options + ["-c", "filter.evident.required=true", origin.path, target.path], in: root,
            as: person,
            identity: identity)
        try git(["config", "user.email", "\(person)@x"], in: target, as: person)
        try git(["config", "user.name", person.capitalized], in: target, as: person)
        return target
    }

    static func isSealed(_ text: String) -> Bool { text.hasPrefix("-----BEGIN AGE ENCRYPTED FILE-----") }

    /// Opens armoured text with the real age CLI and `person`'s key; nil when it does not open.
    func ageOpen(_ armoured: String, as person: String) throws -> String? {
        let file = root.appendingPathComponent("tmp-\(UUID().uuidString).age")
        try Data(armoured.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let opened = try EvidentProcess.runTool(try Self.tool("age"), ["-d", "-i", key(person), file.path])
        return opened.status == 0 ? opened.stdout : nil
    }
}
