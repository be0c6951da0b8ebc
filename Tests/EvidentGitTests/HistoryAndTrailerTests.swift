import Foundation
import XCTest

@testable import EvidentGit

final class HistoryAndTrailerTests: XCTestCase {
    override func setUp() {
        TestEnvironment.prepare()
    }

    func testCommitsWalkCarriesAuthorsCommittersAndMessages() throws {
        let repo = try TempRepo()
        try repo.write("a.md", "a\n")
        try repo.git("add", "a.md")
        try repo.git(
            "commit", "-q", "-m", "Add evidence for Alice\n\nLonger body.\n\nReviewed-by: Dana <dana@acme.example>",
            env: [
                "GIT_AUTHOR_NAME": "Alice Chen", "GIT_AUTHOR_EMAIL": "alice@acme.example",
                "GIT_AUTHOR_DATE": "2026-08-14T10:00:00+02:00",
                "GIT_COMMITTER_NAME": "Dana Lee", "GIT_COMMITTER_EMAIL": "dana@acme.example",
                "GIT_COMMITTER_DATE": "2026-08-15T09:30:00-05:00",
            ])
        try repo.commitFile("b.md", "b\n", message: "Third")
        let git = try GitRepository.open(path: repo.path)

        let all = try git.commits()
        XCTAssertEqual(all.map(\.id), try repo.git("rev-list", "HEAD").split(separator: "\n").map(String.init))
        XCTAssertEqual(all.first?.summary, "Third")
        XCTAssertEqual(try git.commits(limit: 1).map(\.id), [try repo.git("rev-parse", "HEAD")])
        XCTAssertEqual(try git.commits(limit: 0), [])

        let alice = all[1]
        XCTAssertEqual(alice.author.name, "Alice Chen")
        XCTAssertEqual(alice.author.email, "alice@acme.example")
        XCTAssertEqual(alice.author.timeZoneOffsetMinutes, 120)
        XCTAssertEqual(
            alice.author.date.timeIntervalSince1970, Double(try repo.git("log", "-1", "--format=%at", alice.id)))
        XCTAssertEqual(alice.committer.name, "Dana Lee")
        XCTAssertEqual(alice.committer.timeZoneOffsetMinutes, -300)
        XCTAssertEqual(
            alice.committer.date.timeIntervalSince1970, Double(try repo.git("log", "-1", "--format=%ct", alice.id)))
        XCTAssertEqual(alice.summary, try repo.git("log", "-1", "--format=%s", alice.id))
        XCTAssertEqual(alice.message, try repo.git("log", "-1", "--format=%B", alice.id) + "\n")
        XCTAssertEqual(alice.treeID, try repo.git("rev-parse", "\(alice.id)^{tree}"))
        XCTAssertEqual(alice.parentIDs, [try repo.git("rev-parse", "\(alice.id)~1")])
        XCTAssertFalse(alice.isSigned)
        XCTAssertEqual(try alice.trailers(), [GitTrailer(key: "Reviewed-by", value: "Dana <dana@acme.example>")])
        XCTAssertEqual(try git.commit(alice.id), alice)
        XCTAssertNil(try git.commitSignature(id: alice.id))
        XCTAssertEqual(all.last?.parentIDs, [], "the root commit has no parents")
    }

    func testFirstParentWalkAndMergeTopology() throws {
        let repo = try TempRepo()
        try repo.git("checkout", "-q", "-b", "calibration")
        try repo.commitFile("c1.md", "1\n", message: "calibration 1")
        try repo.commitFile("c2.md", "2\n", message: "calibration 2")
        try repo.git("checkout", "-q", "main")
        try repo.commitFile("m1.md", "m\n", message: "main 1")
        try repo.git("merge", "-q", "--no-ff", "-m", "Merge calibration", "calibration")
        let git = try GitRepository.open(path: repo.path)

        let firstParent = try git.commits(firstParentOnly: true)
        XCTAssertEqual(
            firstParent.map(\.id),
            try repo.git("rev-list", "--first-parent", "HEAD").split(separator: "\n").map(String.init))
        XCTAssertEqual(firstParent.first?.parentIDs.count, 2)

        let all = try git.commits()
        XCTAssertEqual(
            Set(all.map(\.id)), Set(try repo.git("rev-list", "HEAD").split(separator: "\n").map(String.init)))
        XCTAssertEqual(all.count, 5)
        // Topological: every commit comes before its parents.
        let position = Dictionary(uniqueKeysWithValues: all.enumerated().map { ($1.id, $0) })
        for commit in all {
            for parent in commit.parentIDs {
                XCTAssertLessThan(try XCTUnwrap(position[commit.id]), try XCTUnwrap(position[parent]))
            }
        }
        XCTAssertEqual(
            try git.commits(from: "calibration").map(\.summary), ["calibration 2", "calibration 1", "Initial commit"])

        var visited = 0
        try git.forEachCommit { _ in
            visited += 1
            return visited < 2
        }
        XCTAssertEqual(visited, 2, "the walk stops when the visitor says so")
    }

    /// Messages whose trailers must parse exactly as git's own parser reads them.
    static let trailerMessages: [String] = [
        """
        Sign off alice's 2026-h2 review as calibrator

        Evident-Signoff: calibrator
        Evident-File: cycles/2026-h2/alice/review.md
        Evident-Blob: 3b18e512dba79e4c8300dd08aeb37f8e728b8dad
        Evident-Rating: meets
        Signed-off-by: Erin Park <erin@acme.example>

        """,
        "Just a subject\n",
        "Subject\n\nA body that mentions Key: value in prose but is not a trailer block\nbecause it has a second line of prose.\n",
        "Subject\n\nSigned-off-by: A <a@example.com>\n\nTrailing paragraph without trailers.\n",
        "Subject\n\nBody.\n\nReviewed-by: A <a@example.com>\n(cherry picked from commit 1234567890abcdef1234567890abcdef12345678)\nSigned-off-by: B <b@example.com>\n",
        "Subject\n\nFixes: the thing\n  continued on a second line\nAcked-by: C <c@example.com>\n",
        "Subject\n\nKey-With-Spaces :  padded value  \nOther:value-without-space\n",
        "Subject\n\nEvident-Signoff: manager\nEvident-Signoff: hr\n",
        "Subject\n\nbody\n\nCo-authored-by: Zoë Ünicode <zoe@example.com>\n---\ndiff --git a/x b/x\n",
        "Subject\n\nprose line one\nprose line two\nprose line three\nSigned-off-by: D <d@example.com>\n",
        "Subject\n\nprose line one\nprose line two\nprose line three\nprose line four\nNot-Git: x\n",
        "Subject\n\nEvident-Signoff: self\n# a comment line\nEvident-File: a.md\n",
        "Subject\n\nEvident-Signoff: self\n\n\n",
        "Evident-Signoff: only-a-subject\n",
        "Subject\n\nEvident-Blob:\nEvident-File: empty value above\n",
        "Subject\n\nEvident-Blob:\nEvident-Signoff: hr\nEvident-File:   \nEvident-Rating: meets\n",
        "Subject\n\nFirst:\nSecond:\n  folded into second\nThird: 3\n",
        "Subject\n\nFixes: tab\n\tcontinued with a tab\nAcked-by: C <c@example.com>\n",
        "Subject\r\n\r\nEvident-Signoff: self\r\nEvident-File: a.md\r\n",
        "Subject\n\nEvident-Signoff: self\nnot a trailer line in the block\nEvident-File: a.md\n",
    ]

    func testTrailerParsingEqualsGitInterpretTrailers() throws {
        let repo = try TempRepo()
        for message in Self.trailerMessages {
            let expected = try repo.git("interpret-trailers", "--parse", stdin: message)
            let ours = try GitTrailers.parse(message: message).map { "\($0.key): \($0.value)" }.joined(separator: "\n")
            XCTAssertEqual(ours, expected, "message:\n\(message)")
        }
        XCTAssertEqual(try GitTrailers.parse(message: Self.trailerMessages[0]).count, 5)
        XCTAssertEqual(try GitTrailers.parse(message: "Just a subject\n"), [])
    }

    func testComposedMessagesRoundTripThroughGit() throws {
        let repo = try TempRepo()
        let trailers = [
            GitTrailer(key: "Evident-Signoff", value: "calibrator"),
            GitTrailer(key: "Evident-File", value: "cycles/2026-h2/alice/review.md"),
            GitTrailer(key: "Evident-Blob", value: "3b18e512dba79e4c8300dd08aeb37f8e728b8dad"),
            GitTrailer(key: "Evident-Rating", value: "meets"),
            GitTrailer(key: "Signed-off-by", value: "Erin Park <erin@acme.example>"),
        ]
        let message = try GitTrailers.composeMessage(
            subject: "Sign off alice's 2026-h2 review as calibrator", trailers: trailers)
        XCTAssertEqual(message, HistoryAndTrailerTests.trailerMessages[0].trimmingCharacters(in: .newlines) + "\n")
        XCTAssertEqual(try GitTrailers.parse(message: message), trailers)
        XCTAssertEqual(
            try repo.git("interpret-trailers", "--parse", stdin: message),
            trailers.map { "\($0.key): \($0.value)" }.joined(separator: "\n"))
        XCTAssertEqual(GitTrailers.values("evident-signoff", in: trailers), ["calibrator"])

        let withBody = try GitTrailers.composeMessage(subject: "Subject", body: "Why this changed.", trailers: trailers)
        XCTAssertEqual(try GitTrailers.parse(message: withBody), trailers)

        XCTAssertThrowsError(
            try GitTrailers.composeMessage(
                subject: "S", trailers: [GitTrailer(key: "Evident-File", value: "a\nEvident-Signoff: hr")]))
        XCTAssertThrowsError(
            try GitTrailers.composeMessage(subject: "S", trailers: [GitTrailer(key: "Bad Key", value: "v")]))
        XCTAssertThrowsError(try GitTrailers.composeMessage(subject: "two\nlines", trailers: []))
        XCTAssertThrowsError(try GitTrailers.parse(message: "nul\u{0}inside"))
    }
}
