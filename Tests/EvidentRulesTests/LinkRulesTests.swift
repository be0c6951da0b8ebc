import EvidentCore
import Foundation
import XCTest

@testable import EvidentRules

/// The helpers behind `evidence-link-broken` and `evidence-link-disallowed`: glob
/// matching, scheme detection, percent-decoding, URL and repository path normalisation,
/// anchors, and symbolic links that leave a real repository on disk.
final class LinkGlobTests: XCTestCase {
    func testLiteralPatternsMatchTheWholeText() {
        let glob = LinkGlob("https://github.com/acme/api")
        XCTAssertTrue(glob.matches("https://github.com/acme/api"))
        XCTAssertFalse(glob.matches("https://github.com/acme/api/pull/1"))
        XCTAssertFalse(glob.matches("https://github.com/acme/ap"))
        XCTAssertFalse(glob.matches("xhttps://github.com/acme/api"))
    }

    func testStarMatchesAnyRunIncludingSlashes() {
        let glob = LinkGlob("https://github.com/acme/*")
        XCTAssertTrue(glob.matches("https://github.com/acme/"))
        XCTAssertTrue(glob.matches("https://github.com/acme/api/pull/1423"))
        XCTAssertTrue(glob.matches("https://github.com/acme/api/pull/1423?diff=split#r1"))
        XCTAssertFalse(glob.matches("https://github.com/acme"))
        XCTAssertFalse(glob.matches("https://github.com/acmeco/api"))
        XCTAssertFalse(glob.matches("https://github.com.evil.example/acme/api"))
        XCTAssertTrue(LinkGlob("*").matches(""))
        XCTAssertTrue(LinkGlob("**").matches("anything/at/all"))
        XCTAssertTrue(LinkGlob("https://*.acme.example/*").matches("https://wiki.acme.example/page"))
        XCTAssertTrue(LinkGlob("a*b*c").matches("abc"))
        XCTAssertTrue(LinkGlob("a*b*c").matches("a-b-b-c"))
        XCTAssertFalse(LinkGlob("a*b*c").matches("a-c-b"))
    }

    func testQuestionMarkMatchesExactlyOneCharacter() {
        let glob = LinkGlob("https://acme.atlassian.net/browse/PAY-?")
        XCTAssertTrue(glob.matches("https://acme.atlassian.net/browse/PAY-7"))
        XCTAssertFalse(glob.matches("https://acme.atlassian.net/browse/PAY-"))
        XCTAssertFalse(glob.matches("https://acme.atlassian.net/browse/PAY-77"))
        // One Unicode scalar, not one byte.
        XCTAssertTrue(LinkGlob("https://acme.example/caf?").matches("https://acme.example/café"))
        XCTAssertTrue(LinkGlob("?").matches("/"))
    }

    func testEmptyPatternMatchesOnlyEmptyText() {
        XCTAssertTrue(LinkGlob("").matches(""))
        XCTAssertFalse(LinkGlob("").matches("https://github.com"))
    }

    func testSchemeAndHostIgnoreCaseButPathsDoNot() {
        let glob = LinkGlob("https://GitHub.com/acme/*")
        XCTAssertTrue(glob.matches("HTTPS://GITHUB.COM/acme/api"))
        XCTAssertFalse(glob.matches("https://github.com/ACME/api"))
        XCTAssertTrue(LinkGlob("mailto:*@acme.example").matches("MAILTO:erin@acme.example"))
    }

    func testHostilePatternsStayFast() {
        // A backtracking regex would take exponential time here.
        let pattern = String(repeating: "*a", count: 30) + "*b"
        let text = String(repeating: "a", count: 20_000)
        let start = Date()
        XCTAssertFalse(LinkGlob(pattern).matches(text))
        XCTAssertLessThan(Date().timeIntervalSince(start), 5)
    }

    func testFirstMatchReturnsTheMatchingPattern() {
        let globs = ["https://github.com/acme/*", "https://acme.atlassian.net/browse/*"].map(LinkGlob.init)
        XCTAssertEqual(
            LinkGlob.firstMatch(in: globs, for: "https://acme.atlassian.net/browse/PAY-1")?.pattern,
            "https://acme.atlassian.net/browse/*")
        XCTAssertNil(LinkGlob.firstMatch(in: globs, for: "https://gitlab.com/acme/x"))
        XCTAssertNil(LinkGlob.firstMatch(in: [], for: "https://github.com/acme/x"))
    }
}

final class LinkTargetTests: XCTestCase {
    func testSchemesAreFoundWhateverTheCaseOrLeadingJunk() {
        XCTAssertEqual(LinkTarget.scheme(of: "https://github.com"), "https")
        XCTAssertEqual(LinkTarget.scheme(of: "MailTo:alice@example.com"), "mailto")
        XCTAssertEqual(LinkTarget.scheme(of: "svn+ssh://host/repo"), "svn+ssh")
        XCTAssertEqual(LinkTarget.scheme(of: LinkTarget.cleaned(" \u{01}\u{1F}JaVa\tScR\nipt:alert(1)")), "javascript")
        XCTAssertEqual(LinkTarget.scheme(of: "C:/Users/alice/notes.md"), "c")
        XCTAssertNil(LinkTarget.scheme(of: "docs/a:b.md"))
        XCTAssertNil(LinkTarget.scheme(of: "1http://x"))
        XCTAssertNil(LinkTarget.scheme(of: ":foo"))
        XCTAssertNil(LinkTarget.scheme(of: "#anchor"))
        XCTAssertNil(LinkTarget.scheme(of: "evidence.md"))
    }

    func testDestinationsAreClassified() {
        XCTAssertEqual(LinkTarget("https://x.example/a"), .url(scheme: "https", address: "https://x.example/a"))
        XCTAssertEqual(LinkTarget("  file:///etc/passwd"), .url(scheme: "file", address: "file:///etc/passwd"))
        XCTAssertEqual(LinkTarget("//cdn.example/x.js"), .networkPath("//cdn.example/x.js"))
        XCTAssertEqual(LinkTarget("\\\\server\\share"), .networkPath("\\\\server\\share"))
        XCTAssertEqual(LinkTarget("#growth-plan"), .repository(path: "", anchor: "growth-plan"))
        XCTAssertEqual(LinkTarget("docs/a.md?plain=1#L3"), .repository(path: "docs/a.md", anchor: "L3"))
        XCTAssertEqual(LinkTarget("/docs/a.md"), .repository(path: "/docs/a.md", anchor: nil))
        XCTAssertEqual(LinkTarget("/etc/passwd"), .repository(path: "/etc/passwd", anchor: nil))
    }

    func testPercentDecoding() {
        XCTAssertEqual(LinkTarget.percentDecoded("my%20notes.md"), "my notes.md")
        XCTAssertEqual(LinkTarget.percentDecoded("%2e%2E/%2E%2e/x"), "../../x")
        XCTAssertEqual(LinkTarget.percentDecoded("caf%C3%A9"), "café")
        XCTAssertEqual(LinkTarget.percentDecoded("100%"), "100%")
        XCTAssertEqual(LinkTarget.percentDecoded("%zz%4"), "%zz%4")
        XCTAssertEqual(LinkTarget.percentDecoded("%FF"), "\u{FFFD}")
        XCTAssertEqual(LinkTarget.percentDecoded("plain"), "plain")
    }

    func testURLNormalisationRemovesDotSegments() {
        XCTAssertEqual(
            LinkTarget.normalisedURL("https://github.com/acme/../evil/x"), "https://github.com/evil/x")
        XCTAssertEqual(
            LinkTarget.normalisedURL("https://github.com/acme/%2e%2E/evil"), "https://github.com/evil")
        XCTAssertEqual(
            LinkTarget.normalisedURL("https://github.com/acme/..\\..\\evil"), "https://github.com/evil")
        XCTAssertEqual(
            LinkTarget.normalisedURL("https://github.com/acme/./api/"), "https://github.com/acme/api/")
        XCTAssertEqual(
            LinkTarget.normalisedURL("https://github.com/acme/api/.."), "https://github.com/acme/")
        XCTAssertEqual(
            LinkTarget.normalisedURL("https://github.com/../../acme"), "https://github.com/acme")
        XCTAssertEqual(
            LinkTarget.normalisedURL("https://github.com/acme/x?path=../../y#../z"),
            "https://github.com/acme/x?path=../../y#../z")
        XCTAssertEqual(LinkTarget.normalisedURL("https://github.com"), "https://github.com")
        XCTAssertEqual(LinkTarget.normalisedURL("https:\\\\github.com\\acme\\x"), "https://github.com/acme/x")
    }
}

final class RepositoryPathTests: XCTestCase {
    private let review = "cycles/2026-h2/alice/review.md"

    func testRelativePathsResolveFromTheFilesFolder() {
        XCTAssertEqual(
            RepositoryPath.resolve("evidence.md", relativeTo: review), .inside("cycles/2026-h2/alice/evidence.md"))
        XCTAssertEqual(
            RepositoryPath.resolve("./evidence.md", relativeTo: review), .inside("cycles/2026-h2/alice/evidence.md"))
        XCTAssertEqual(
            RepositoryPath.resolve("../bob/self.md", relativeTo: review), .inside("cycles/2026-h2/bob/self.md"))
        XCTAssertEqual(
            RepositoryPath.resolve("a//b/./c.md", relativeTo: review), .inside("cycles/2026-h2/alice/a/b/c.md"))
        XCTAssertEqual(
            RepositoryPath.resolve("../../../levels/eng-3.md", relativeTo: review), .inside("levels/eng-3.md"))
        XCTAssertEqual(
            RepositoryPath.resolve("..\\bob\\self.md", relativeTo: review), .inside("cycles/2026-h2/bob/self.md"))
        XCTAssertEqual(RepositoryPath.resolve("docs/x.md", relativeTo: "values.md"), .inside("docs/x.md"))
        XCTAssertEqual(RepositoryPath.resolve("./", relativeTo: "values.md"), .inside(""))
    }

    func testRootRelativePathsStartAtTheRepositoryRoot() {
        XCTAssertEqual(RepositoryPath.resolve("/docs/x.md", relativeTo: review), .inside("docs/x.md"))
        XCTAssertEqual(RepositoryPath.resolve("/etc/passwd", relativeTo: review), .inside("etc/passwd"))
        XCTAssertEqual(RepositoryPath.resolve("/", relativeTo: review), .inside(""))
        XCTAssertEqual(
            RepositoryPath.resolve("/docs/../levels/eng-3.md", relativeTo: review), .inside("levels/eng-3.md"))
    }

    func testClimbingAboveTheRootEscapes() {
        XCTAssertEqual(RepositoryPath.resolve("../../../../x.md", relativeTo: review), .escapes)
        XCTAssertEqual(RepositoryPath.resolve("/../x.md", relativeTo: review), .escapes)
        XCTAssertEqual(RepositoryPath.resolve("../values.md", relativeTo: "values.md"), .escapes)
        // Climbing out and back in still leaves the repository on the way.
        XCTAssertEqual(RepositoryPath.resolve("../../../../main/values.md", relativeTo: review), .escapes)
        XCTAssertEqual(
            RepositoryPath.resolve(LinkTarget.percentDecoded("%2e%2e/%2e%2e/%2e%2e/%2e%2e/x"), relativeTo: review),
            .escapes)
    }

    func testMarkdownFilesAreRecognised() {
        XCTAssertTrue(RepositoryPath.isMarkdown("docs/a.md"))
        XCTAssertTrue(RepositoryPath.isMarkdown("README.MD"))
        XCTAssertTrue(RepositoryPath.isMarkdown("notes.markdown"))
        XCTAssertFalse(RepositoryPath.isMarkdown("people.yaml"))
    }
}

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
