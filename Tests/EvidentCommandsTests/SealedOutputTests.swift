import Foundation
import XCTest

/// SPEC §8, "outputs don't leak": with sealing on, no output format of `check` quotes
/// text from a sealed file unless `--show-text` is given. A copy of examples/acme is
/// sealed through the real git filter with real ssh-keygen keys, canary strings are
/// planted in every kind of person file (and in a `## Private` section) where a rule
/// quotes them, and the `ci` identity, which reads everything, runs `check` in every
/// format, as a full check, `--staged` and `--changed-since`.
final class SealedOutputTests: XCTestCase {
    private func tool(_ name: String) throws -> URL {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for directory in path.split(separator: ":").map(String.init) + ["/usr/bin", "/bin"] {
            let candidate = directory + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return URL(fileURLWithPath: candidate) }
        }
        XCTFail("\(name) is not installed (scripts/setup.sh installs it)")
        throw CocoaError(.fileNoSuchFile)
    }

    private var root: URL!

    /// Each canary, and the rule whose message would quote it.
    private static let canaries: [(text: String, rule: String)] = [
        ("CANARYHEADING", "rubric-unknown-section"),  // review.md heading
        ("canaryvague", "vague-language"),  // review.md paragraph (a configured vague phrase)
        ("canary-cite-review", "citation-unknown"),  // review.md citation
        ("canary-private-link", "evidence-link-broken"),  // review.md, inside ## Private
        ("CANARYPRIVATE", "private-heading-unrecognised"),  // review.md, a would-be private heading
        ("canary-item-dup", "duplicate-id"),  // evidence.md
        ("canary-dimension", "unknown-reference"),  // evidence.md
        ("1999-12-31", "evidence-date-outside-cycle"),  // evidence.md
        ("canaryfield", "front-matter-schema"),  // evidence.md
        ("canary-link.example", "evidence-link-disallowed"),  // self.md
        ("CANARYSELFHEADING", "rubric-unknown-section"),  // self.md
        ("canary-cite-peer", "citation-unknown"),  // peer-ben.md
        ("canarydupkey", "front-matter-syntax"),  // ben/self.md
    ]

    private static let readers = ["vera", "dana", "alice", "ci"]

    override func setUpWithError() throws {
        root = try EvidentProcess.temporaryDirectory(self, "evsealout")
    }

    private func key(_ person: String) -> String { root.appendingPathComponent("keys/\(person)").path }

    @discardableResult
    private func git(_ arguments: [String], in directory: URL, as person: String, line: UInt = #line) throws
        -> EvidentProcess.Result
    {
        let result = try EvidentProcess.runTool(
            try tool("git"), arguments, in: directory,
            environment: [
                "EVIDENT_IDENTITY": key(person), "GIT_AUTHOR_NAME": person, "GIT_AUTHOR_EMAIL": "\(person)@x",
                "GIT_COMMITTER_NAME": person, "GIT_COMMITTER_EMAIL": "\(person)@x", "GIT_CONFIG_NOSYSTEM": "1",
                "HOME": root.path,
            ])
        XCTAssertEqual(result.status, 0, "git \(arguments.joined(separator: " ")): \(result.stderr)", line: line)
        return result
    }

    private func edit(_ path: String, in directory: URL, _ change: (String) -> String) throws {
        let url = directory.appendingPathComponent(path)
        let text = try String(contentsOf: url, encoding: .utf8)
        try Data(change(text).utf8).write(to: url)
    }

    /// examples/acme with sealing on, keys for four readers (one with role ci), canaries
    /// planted in Alice's folder, sealed and committed through the filter; then cloned
    /// by `ci`.
    private func sealedClone() throws -> URL {
        let keygen = try tool("ssh-keygen")
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("keys"), withIntermediateDirectories: true)
        var publicKeys: [String: String] = [:]
        for person in Self.readers {
            let made = try EvidentProcess.runTool(
                keygen, ["-q", "-t", "ed25519", "-N", "", "-C", person, "-f", key(person)])
            XCTAssertEqual(made.status, 0, made.stderr)
            publicKeys[person] = try String(contentsOfFile: key(person) + ".pub", encoding: .utf8)
                .split(separator: " ").prefix(2).joined(separator: " ")
        }
        let origin = root.appendingPathComponent("origin")
        try FileManager.default.copyItem(
            at: EvidentProcess.projectRoot.appendingPathComponent("examples/acme"), to: origin)
        try edit("evident.yaml", in: origin) {
            $0.replacingOccurrences(
                of: "vague: [\"ninja\", \"natural leader\"]",
                with: "vague: [\"ninja\", \"natural leader\", \"canaryvague\"]")
                + "sealing: { enabled: true }\n"
        }
        try edit("people.yaml", in: origin) { text in
            var text = text
            for person in ["vera", "dana", "alice"] {
                text = text.replacingOccurrences(
                    of: "    email: \(person)@acme.example\n",
                    with: "    email: \(person)@acme.example\n    signing_key: \"\(publicKeys[person]!)\"\n")
            }
            return text
                + "  - { id: ci, name: CI, email: ci@acme.example, level: eng-2, team: platform, manager: vera, roles: [ci], signing_key: \"\(publicKeys["ci"]!)\" }\n"
        }
        let alice = "cycles/2026-h2/alice/"
        try edit(alice + "review.md", in: origin) {
            $0 + """

                ## CANARYHEADING

                She was canaryvague and Abrasive all half.

                Shipped it [@canary-cite-review].

                ## Private CANARYPRIVATE

                Notes.

                ## Private

                See [the notes](canary-private-link.md).

                """
        }
        try edit(alice + "evidence.md", in: origin) {
            $0.replacingOccurrences(
                of: "items:\n",
                with: """
                    canaryfield: 1
                    items:
                      - id: canary-item-dup
                        date: 1999-12-31
                        type: pull-request
                        link: https://github.com/acme/api/pull/1
                        summary: One
                        dimensions: [canary-dimension]
                      - id: canary-item-dup
                        date: 2026-08-01
                        type: pull-request
                        link: https://github.com/acme/api/pull/2
                        summary: Two
                        dimensions: [delivery]

                    """)
        }
        try edit(alice + "self.md", in: origin) {
            $0 + "\n## CANARYSELFHEADING\n\nSee [this](https://canary-link.example/x).\n"
        }
        try edit(alice + "peer-ben.md", in: origin) { $0 + "\nAlso [@canary-cite-peer].\n" }
        // A file that does not parse keeps its folder from the citation rules: another folder.
        try edit("cycles/2026-h2/ben/self.md", in: origin) {
            $0.replacingOccurrences(
                of: "kind: self-review\n", with: "kind: self-review\ncanarydupkey: 1\ncanarydupkey: 2\n")
        }
        try git(["init", "-q", "-b", "main"], in: origin, as: "dana")
        let setup = try EvidentProcess.run(
            ["seal", "setup"], in: origin, environment: ["EVIDENT_IDENTITY": key("dana"), "HOME": root.path])
        XCTAssertEqual(setup.status, 0, setup.stderr)
        try git(["add", "-A"], in: origin, as: "dana")
        try git(["commit", "-q", "-m", "sealed acme"], in: origin, as: "dana")
        // What git stores holds no canary.
        let stored = try git(["show", "HEAD:\(alice)review.md"], in: origin, as: "dana").stdout
        XCTAssertTrue(stored.hasPrefix("-----BEGIN AGE ENCRYPTED FILE-----"), stored)
        XCTAssertFalse(stored.contains("CANARY"))

        let clone = root.appendingPathComponent("ci-clone")
        let process = try git(["config", "--get", "filter.evident.process"], in: origin, as: "ci").stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try git(
            [
                "clone", "-q", "-c", "filter.evident.process=\(process)", "-c", "filter.evident.required=true",
                origin.path, clone.path,
            ], in: root, as: "ci")
        XCTAssertTrue(
            try String(contentsOf: clone.appendingPathComponent(alice + "review.md"), encoding: .utf8).contains(
                "CANARYHEADING"))
        return clone
    }

    private func check(_ arguments: [String], in clone: URL) throws -> EvidentProcess.Result {
        let result = try EvidentProcess.run(
            ["check"] + arguments, in: clone, environment: ["EVIDENT_IDENTITY": key("ci"), "HOME": root.path])
        XCTAssertEqual(result.status, 1, "check \(arguments): \(result.stderr)")
        return result
    }

    /// Runs `check` with `extra` in every format; asserts no canary appears without
    /// `--show-text`, and every one named in `expected` appears with it. Each format's
    /// output must name the rules that fired, so a silent check cannot pass.
    private func assertWithheld(
        _ extra: [String], in clone: URL, expected: [(text: String, rule: String)], line: UInt = #line
    ) throws {
        for format in ["text", "json", "sarif", "github"] {
            let hidden = try check(extra + ["--format", format], in: clone)
            let output = hidden.stdout + hidden.stderr
            for canary in Self.canaries + expected {
                XCTAssertFalse(
                    output.contains(canary.text), "\(format) \(extra) quotes '\(canary.text)':\n\(output)", line: line)
            }
            for canary in expected {
                XCTAssertTrue(output.contains(canary.rule), "\(format) \(extra) lacks \(canary.rule)", line: line)
            }
            XCTAssertTrue(output.contains("[text withheld]"), "\(format) \(extra)", line: line)
            XCTAssertFalse(output.contains("'Abrasive'") || output.contains("Abrasive'"), line: line)

            let shown = try check(extra + ["--format", format, "--show-text"], in: clone)
            for canary in expected {
                XCTAssertTrue(
                    shown.stdout.contains(canary.text), "\(format) \(extra) --show-text lacks '\(canary.text)'",
                    line: line)
            }
            XCTAssertFalse(shown.stdout.contains("[text withheld]"), line: line)
        }
    }

    func testCheckQuotesNoSealedTextInAnyFormat() throws {
        let clone = try sealedClone()
        try assertWithheld([], in: clone, expected: Self.canaries)
        // Organisation files are never sealed: their findings keep quoting.
        try edit("values.md", in: clone) { $0 + "\n<!-- evident-disable canary-org-rule -->\n" }
        let org = try check([], in: clone)
        XCTAssertTrue(org.stdout.contains("unknown rule 'canary-org-rule'"), org.stdout)
    }

    func testStagedAndChangedSinceQuoteNoSealedText() throws {
        let clone = try sealedClone()
        let review = "cycles/2026-h2/alice/review.md"
        try edit(review, in: clone) {
            $0.replacingOccurrences(of: "[@canary-cite-review]", with: "[@canary-staged-cite]")
        }
        try git(["add", review], in: clone, as: "ci")
        let stagedCanaries = [("canary-staged-cite", "citation-unknown"), ("CANARYHEADING", "rubric-unknown-section")]
        try assertWithheld(["--staged"], in: clone, expected: stagedCanaries)
        XCTAssertFalse(try check(["--staged"], in: clone).stdout.contains("canary-staged-cite"))
        try assertWithheld(["--changed-since", "HEAD"], in: clone, expected: stagedCanaries)
    }
}
