import Foundation
import XCTest

/// docs/sealing.md's "Try it" commands, run as written (the block between its
/// `sealed-example` markers, with the built `evident` first on PATH): the sealed example
/// organisation is made with examples/sealed/make.sh and cloned as Alice, Dana and CI,
/// and each work tree holds exactly what its person may read.
final class SealedExampleTests: XCTestCase {
    private func tool(_ name: String) throws -> URL {
        for directory in ["/usr/bin", "/bin", "/usr/local/bin"] {
            let candidate = directory + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return URL(fileURLWithPath: candidate) }
        }
        XCTFail("\(name) is not installed (scripts/setup.sh installs it)")
        throw CocoaError(.fileNoSuchFile)
    }

    private func documentedCommands() throws -> String {
        let doc = try String(
            contentsOf: EvidentProcess.projectRoot.appendingPathComponent("docs/sealing.md"), encoding: .utf8)
        guard let begin = doc.range(of: "<!-- sealed-example: begin"),
            let open = doc.range(of: "```sh\n", range: begin.upperBound..<doc.endIndex),
            let close = doc.range(of: "```\n<!-- sealed-example: end -->", range: open.upperBound..<doc.endIndex)
        else {
            XCTFail("docs/sealing.md lacks the sealed-example block")
            throw CocoaError(.fileReadCorruptFile)
        }
        return String(doc[open.upperBound..<close.lowerBound])
    }

    private func isSealed(_ url: URL) throws -> Bool {
        try String(contentsOf: url, encoding: .utf8).hasPrefix("-----BEGIN AGE ENCRYPTED FILE-----")
    }

    func testTheDocumentedClonesReadWhatTheirPeopleMay() throws {
        let scratch = try EvidentProcess.temporaryDirectory(self, "evsealex")
        let script =
            "set -euo pipefail\n" + (try documentedCommands()) + "printf '%s' \"$work\" > \"$TMPDIR/work-path\"\n"
        let binaries = EvidentProcess.binary.deletingLastPathComponent().path
        let run = try EvidentProcess.runTool(
            try tool("bash"), ["-c", script], in: EvidentProcess.projectRoot,
            environment: [
                "PATH": binaries + ":/usr/bin:/bin", "TMPDIR": scratch.path, "HOME": scratch.path,
                "GIT_CONFIG_NOSYSTEM": "1",
            ])
        XCTAssertEqual(run.status, 0, run.stderr)
        let work = URL(
            fileURLWithPath: try String(contentsOf: scratch.appendingPathComponent("work-path"), encoding: .utf8))
        addTeardownBlock { try? FileManager.default.removeItem(at: work) }

        // What the documented commands print.
        XCTAssertTrue(
            run.stdout.contains("note: skipped 11 person folders")
                || run.stderr.contains("note: skipped 11 person folders"),
            run.stdout + run.stderr)
        XCTAssertTrue(
            run.stdout.contains("Acme: 13 people, 11 reviews, 85 evidence items, 0 errors, 0 warnings"), run.stdout)
        XCTAssertTrue(run.stdout.contains("-----BEGIN AGE ENCRYPTED FILE-----"), run.stdout)

        let cycle = "cycles/2026-h2/"
        let expectations: [String: (reads: [String], sealed: [String])] = [
            "alice": (
                ["alice/evidence.md", "alice/self.md", "ben/peer-alice.md"],
                ["alice/review.md", "alice/peer-ben.md", "ben/evidence.md", "ben/review.md", "kofi/evidence.md"]
            ),
            "dana": (
                ["alice/evidence.md", "alice/review.md", "alice/peer-ben.md", "ben/review.md", "ben/peer-alice.md"],
                ["kofi/evidence.md", "kofi/review.md"]
            ),
        ]
        for (person, files) in expectations {
            let clone = work.appendingPathComponent(person)
            for path in files.reads {
                XCTAssertFalse(
                    try isSealed(clone.appendingPathComponent(cycle + path)), "\(person) should read \(path)")
            }
            for path in files.sealed {
                XCTAssertTrue(
                    try isSealed(clone.appendingPathComponent(cycle + path)), "\(person) should not read \(path)")
            }
        }
        // CI reads every file.
        let ciCycle = work.appendingPathComponent("ci/" + cycle)
        let ciFiles = try FileManager.default.subpathsOfDirectory(atPath: ciCycle.path).filter { $0.hasSuffix(".md") }
        XCTAssertGreaterThan(ciFiles.count, 40)
        for path in ciFiles {
            XCTAssertFalse(try isSealed(ciCycle.appendingPathComponent(path)), "ci should read \(path)")
        }

        // Every clone is clean, and what git stores is sealed in all of them.
        let git = try tool("git")
        for person in ["alice", "dana", "ci"] {
            let clone = work.appendingPathComponent(person)
            let status = try EvidentProcess.runTool(
                git, ["status", "--porcelain"], in: clone,
                environment: ["HOME": scratch.path, "PATH": binaries + ":/usr/bin:/bin"])
            XCTAssertEqual(status.status, 0, status.stderr)
            XCTAssertEqual(status.stdout, "", person)
        }
        let stored = try EvidentProcess.runTool(
            git, ["show", "HEAD:cycles/2026-h2/alice/review.md"], in: work.appendingPathComponent("ci"))
        XCTAssertTrue(stored.stdout.hasPrefix("-----BEGIN AGE ENCRYPTED FILE-----"))

        // The real age CLI agrees: Dana's key opens Alice's review, Alice's does not.
        let blob = scratch.appendingPathComponent("review.age")
        try Data(stored.stdout.utf8).write(to: blob)
        let keys = EvidentProcess.projectRoot.appendingPathComponent("examples/sealed/keys")
        let age = try tool("age")
        let byDana = try EvidentProcess.runTool(age, ["-d", "-i", keys.appendingPathComponent("dana").path, blob.path])
        XCTAssertEqual(byDana.status, 0, byDana.stderr)
        XCTAssertTrue(byDana.stdout.contains("kind: review"))
        let byAlice = try EvidentProcess.runTool(
            age, ["-d", "-i", keys.appendingPathComponent("alice").path, blob.path])
        XCTAssertNotEqual(byAlice.status, 0)
    }

    /// The keys say what they are wherever they are copied.
    func testTheExampleKeysAreLabelledThrowAway() throws {
        let keys = EvidentProcess.projectRoot.appendingPathComponent("examples/sealed/keys")
        let publics = try FileManager.default.contentsOfDirectory(atPath: keys.path).filter { $0.hasSuffix(".pub") }
        XCTAssertEqual(publics.count, 13)
        for file in publics {
            let text = try String(contentsOf: keys.appendingPathComponent(file), encoding: .utf8)
            XCTAssertTrue(text.hasPrefix("ssh-ed25519 ") && text.contains("THROW-AWAY"), file)
        }
        XCTAssertTrue(
            try String(contentsOf: keys.appendingPathComponent("README.md"), encoding: .utf8).contains("THROW-AWAY"))
    }
}
