import EvidentCore
import XCTest

@testable import EvidentReporters

final class GitHubReporterTests: XCTestCase {
    func testWorkflowCommandsWithPrefixNotesAndSummary() {
        let output = GitHubReporter(pathPrefix: "reviews").render(Fixtures.diagnostics, context: Fixtures.context())
        XCTAssertEqual(
            output,
            """
            ::error file=reviews/cycles/2026-h2/alice/review.md,line=12,col=5,title=citation-unknown::\
            citation names no evidence item 'no-such-item'%0A\
            reviews/cycles/2026-h2/alice/evidence.md:3:1: note: evidence items of alice in 2026-h2 are listed here
            ::warning file=reviews/cycles/2026-h2/bob/self.md,line=1,col=1,title=word-limit::\
            self review has 712 words, over the limit of 600%0Anote: limits are set by reviews.max_words in evident.yaml
            evident: 1 error, 1 warning in 57 files

            """)
    }

    func testPathsWithoutOrWithAnUntidyPrefix() {
        for (prefix, expected) in [
            ("", "cycles/2026-h2/bob/self.md"), ("./org/reviews/", "org/reviews/cycles/2026-h2/bob/self.md"),
        ] {
            let output = GitHubReporter(pathPrefix: prefix).render([Fixtures.wordLimit], context: Fixtures.context())
            XCTAssertTrue(output.hasPrefix("::warning file=\(expected),line=1,col=1,"), output)
        }
    }

    func testEscapingAsTheActionsToolkitDoes() {
        XCTAssertEqual(GitHubReporter.escapeData("100% done\r\nnext: a,b"), "100%25 done%0D%0Anext: a,b")
        XCTAssertEqual(GitHubReporter.escapeProperty("a:b,c%d\ne"), "a%3Ab%2Cc%25d%0Ae")
    }

    func testUserTextCannotEndAPropertyOrStartACommand() {
        let diagnostic = Diagnostic(
            ruleID: "evidence-link-broken", severity: .error,
            message: "100% broken\n::warning file=x::forged \u{1B}[8mhidden",
            location: SourceLocation(file: "cycles/a,b/c:d.md", line: 7, column: 9),
            notes: [DiagnosticNote("see 50%")])
        let output = GitHubReporter().render([diagnostic], context: Fixtures.context())
        XCTAssertEqual(
            output,
            #"::error file=cycles/a%2Cb/c%3Ad.md,line=7,col=9,title=evidence-link-broken::"#
                + #"100%25 broken\u{0A}::warning file=x::forged \u{1B}[8mhidden%0Anote: see 50%25"# + "\n"
                + "evident: 1 error, 1 warning in 57 files\n")
    }

    func testSummaryUsesSingulars() {
        let summary = CheckSummary(files: 1, people: 1, reviews: 1, evidenceItems: 1, errors: 0, warnings: 1)
        XCTAssertEqual(
            GitHubReporter().render([], context: Fixtures.context(summary: summary)),
            "evident: 0 errors, 1 warning in 1 file\n")
    }
}
