import Foundation
import XCTest

@testable import EvidentCore

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
