import EvidentCore
import Foundation
import XCTest

@testable import EvidentRules

/// The link rules run over the example repository with some files changed.
final class LinkRuleBehaviourTests: XCTestCase {
    private func findings(
        _ rule: any Rule.Type, _ files: [String: String],
        source makeSource: (([String: String]) -> any RepositorySource)? = nil
    ) throws -> [String] {
        var texts = ExampleRepository.files
        for (path, text) in files { texts[path] = text }
        let source = makeSource?(texts) ?? MemorySource(root: "/example", texts: texts)
        let organisation = try RepositoryLoader.load(from: source)
        return RuleEngine(rules: [rule]).check(organisation, source: source).map {
            "\($0.location.file):\($0.location.line):\($0.location.column): \($0.message)"
        }
    }

    private func review(_ body: String) -> [String: String] {
        [
            RuleExample.defaultFile: """
            ---
            kind: review
            person: alice
            cycle: 2026-h2
            reviewer: dana
            level: eng-3
            rating: meets
            ---
            \(body)
            """
        ]
    }

    func testAnchorsFollowGitHubSlugsIncludingDuplicatesAndCase() throws {
        var files = review(
            """
            ## Delivery impact
            See [a](/docs/notes.md#notes), [b](/docs/notes.md#notes-1), [c](/docs/notes.md#Caf%C3%A9-au-lait),
            [d](/docs/notes.md#user-content-whats-new), [e](/docs/notes.md#notes-2), [f](#delivery-impact).
            """)
        files["docs/notes.md"] = """
            ---
            title: front matter is not a heading
            ---
            # Notes
            ## Notes
            ## Café au lait
            ## What's new?
            """
        XCTAssertEqual(
            try findings(EvidenceLinkBrokenRule.self, files),
            ["cycles/2026-h2/alice/review.md:11:45: '#notes-2' names no heading of 'docs/notes.md'"])
    }

    func testFrontMatterOfAnUnloadedFileIsNotAHeading() throws {
        var files = review("[t](/docs/notes.md#title-front-matter)")
        files["docs/notes.md"] = "---\ntitle: front matter\n---\nText.\n"
        XCTAssertEqual(try findings(EvidenceLinkBrokenRule.self, files).count, 1)
    }

    func testAnchorsIntoLoadedFilesAndNonMarkdownTargets() throws {
        let files = review(
            """
            [level](../../../levels/eng-3.md#delivery-impact), [people](/people.yaml#L3),
            [folder](../bob/#x), [self](self.md#technical-judgment), [bad](self.md#nope)
            """)
        var withBob = files
        withBob["cycles/2026-h2/bob/evidence.md"] = """
            ---
            kind: evidence
            person: bob
            cycle: 2026-h2
            items: []
            ---
            """
        XCTAssertEqual(
            try findings(EvidenceLinkBrokenRule.self, withBob),
            ["cycles/2026-h2/alice/review.md:10:58: '#nope' names no heading of 'cycles/2026-h2/alice/self.md'"])
    }

    func testMissingTargetsUnderFilesAndControlCharacters() throws {
        let files = review(
            "[a](evidence.md/x.md) [b](evidence.md%00.png) [c](/etc/passwd) [d](%2e%2e/%2e%2e/%2e%2e/%2e%2e/x)")
        XCTAssertEqual(
            try findings(EvidenceLinkBrokenRule.self, files),
            [
                "cycles/2026-h2/alice/review.md:9:1: link target 'cycles/2026-h2/alice/evidence.md/x.md' (written 'evidence.md/x.md') does not exist",
                "cycles/2026-h2/alice/review.md:9:23: link target 'cycles/2026-h2/alice/evidence.md\u{0}.png' (written 'evidence.md%00.png') does not exist",
                "cycles/2026-h2/alice/review.md:9:47: link target 'etc/passwd' does not exist",
                "cycles/2026-h2/alice/review.md:9:64: link '%2e%2e/%2e%2e/%2e%2e/%2e%2e/x' leaves the repository: '..' climbs above its root",
            ])
    }

    func testLinksInValuesAndLevelBodiesAreChecked() throws {
        var files: [String: String] = [:]
        files["values.md"] = (ExampleRepository.files["values.md"] ?? "") + "See [the handbook](handbook.md).\n"
        files["levels/eng-3.md"] =
            (ExampleRepository.files["levels/eng-3.md"] ?? "") + "Compare [eng-4](eng-4.md) and [eng-5](eng-5.md).\n"
        XCTAssertEqual(
            try findings(EvidenceLinkBrokenRule.self, files),
            [
                "levels/eng-3.md:19:31: link target 'levels/eng-5.md' (written 'eng-5.md') does not exist",
                "values.md:10:5: link target 'handbook.md' does not exist",
            ])
    }

    func testDisallowedLinksIgnoreRepositoryPathsAndCheckEveryScheme() throws {
        let files = review(
            """
            [a](evidence.md) [b](/etc/passwd) [c](ftp://files.example/x) [d](vbscript:msgbox)
            [e](https://github.com/acme/api) [f](http://github.com/acme/api) [g](https://github.com/acme)
            """)
        XCTAssertEqual(
            try findings(EvidenceLinkDisallowedRule.self, files),
            [
                "cycles/2026-h2/alice/review.md:9:35: 'ftp:' links are not allowed: use an http(s) link that matches allowed_links or a path inside the repository",
                "cycles/2026-h2/alice/review.md:9:62: 'vbscript:' links are not allowed: use an http(s) link that matches allowed_links or a path inside the repository",
                "cycles/2026-h2/alice/review.md:10:34: 'http://github.com/acme/api' matches no allowed_links pattern",
                "cycles/2026-h2/alice/review.md:10:66: 'https://github.com/acme' matches no allowed_links pattern",
            ])
    }

    func testDangerousSchemesAreRefusedEvenWhenAPatternWouldMatch() throws {
        var files = review("[a](javascript:alert(1)) [b](mailto:x@example.com) [c](https://anything.example/)")
        files["evident.yaml"] = (ExampleRepository.files["evident.yaml"] ?? "").replacingOccurrences(
            of: #"allowed_links: ["https://github.com/acme/*", "https://acme.atlassian.net/browse/*"]"#,
            with: #"allowed_links: ["*"]"#)
        XCTAssertEqual(
            try findings(EvidenceLinkDisallowedRule.self, files),
            [
                "cycles/2026-h2/alice/review.md:9:1: 'javascript:' links are not allowed: use an http(s) link that matches allowed_links or a path inside the repository"
            ])
    }

    func testSymbolicLinksLeavingTheRepositoryAreReported() throws {
        let fileManager = FileManager.default
        let root = fileManager.temporaryDirectory.appendingPathComponent("evident-links-\(UUID().uuidString)")
        let outside = fileManager.temporaryDirectory.appendingPathComponent("evident-outside-\(UUID().uuidString)")
        defer {
            try? fileManager.removeItem(at: root)
            try? fileManager.removeItem(at: outside)
        }
        try fileManager.createDirectory(at: outside, withIntermediateDirectories: true)
        try "secret\n".write(to: outside.appendingPathComponent("notes.md"), atomically: true, encoding: .utf8)

        var texts = ExampleRepository.files
        texts[RuleExample.defaultFile] = """
            ---
            kind: review
            person: alice
            cycle: 2026-h2
            reviewer: dana
            level: eng-3
            rating: meets
            ---
            ## Delivery impact
            Alice cut checkout p99 [@checkout-latency]: [host](/docs/host), [dir](/docs/outside/notes.md),
            [inside](/docs/inside.md), [inside link](/docs/alias.md).

            ## Technical judgment
            She designed the retry queue [@queue-design].
            """
        texts["docs/inside.md"] = "# Inside\n"
        for (path, text) in texts {
            let url = root.appendingPathComponent(path)
            try fileManager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        let hostTarget =
            fileManager.fileExists(atPath: "/etc/hostname")
            ? "/etc/hostname" : outside.appendingPathComponent("notes.md").path
        try fileManager.createSymbolicLink(
            atPath: root.appendingPathComponent("docs/host").path, withDestinationPath: hostTarget)
        try fileManager.createSymbolicLink(
            atPath: root.appendingPathComponent("docs/outside").path, withDestinationPath: outside.path)
        try fileManager.createSymbolicLink(
            atPath: root.appendingPathComponent("docs/alias.md").path, withDestinationPath: "inside.md")

        let source = try DiskSource(root: root.path)
        let organisation = try RepositoryLoader.load(from: source)
        let found = RuleEngine(rules: [EvidenceLinkBrokenRule.self]).check(organisation, source: source).map {
            "\($0.location.line):\($0.location.column): \($0.message)"
        }
        XCTAssertEqual(
            found,
            [
                "10:45: link target 'docs/host' is a symbolic link that leads outside the repository",
                "10:65: link target 'docs/outside/notes.md' is a symbolic link that leads outside the repository",
            ])
    }
}
