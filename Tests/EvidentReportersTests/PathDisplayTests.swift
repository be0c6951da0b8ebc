import XCTest

@testable import EvidentReporters

final class PathDisplayTests: XCTestCase {
    private let file = "cycles/2026-h2/alice/review.md"

    func testStandingAtTheRootGivesTheRepositoryRelativePath() {
        XCTAssertEqual(
            PathDisplay.displayPath(of: file, inRepository: "/work/acme", from: "/work/acme"),
            "cycles/2026-h2/alice/review.md")
    }

    func testStandingInAnAncestorPrefixesTheRepositoryFolder() {
        XCTAssertEqual(
            PathDisplay.displayPath(of: file, inRepository: "/work/acme", from: "/work"),
            "acme/cycles/2026-h2/alice/review.md")
    }

    func testStandingInsideTheRepositoryClimbsOnlyAsFarAsNeeded() {
        XCTAssertEqual(
            PathDisplay.displayPath(of: file, inRepository: "/work/acme", from: "/work/acme/cycles/2026-h2"),
            "alice/review.md")
        XCTAssertEqual(
            PathDisplay.displayPath(of: file, inRepository: "/work/acme", from: "/work/acme/cycles/2026-h2/bob"),
            "../alice/review.md")
    }

    func testStandingInASiblingFolderGoesUpAndAcross() {
        XCTAssertEqual(
            PathDisplay.displayPath(of: file, inRepository: "/work/acme", from: "/work/main"),
            "../acme/cycles/2026-h2/alice/review.md")
    }

    func testSharingOnlyTheFileSystemRootGivesTheAbsolutePath() {
        XCTAssertEqual(
            PathDisplay.displayPath(of: file, inRepository: "/srv/acme", from: "/home/dana"),
            "/srv/acme/cycles/2026-h2/alice/review.md")
    }

    func testDotsAndRedundantSlashesAreNormalisedFirst() {
        XCTAssertEqual(
            PathDisplay.displayPath(of: "./cycles//x.md", inRepository: "/work/acme/", from: "/work/acme/./cycles/../"),
            "cycles/x.md")
        XCTAssertEqual(PathDisplay.relativePath(from: "/work/acme", to: "/work/acme"), ".")
        XCTAssertEqual(PathDisplay.normalize("/../a/./b/../c"), "/a/c")
        XCTAssertEqual(PathDisplay.normalize("../a/../../b"), "../../b")
    }

    func testAComponentThatOnlyStartsLikeTheBaseIsNotCommon() {
        XCTAssertEqual(
            PathDisplay.relativePath(from: "/work/acme-old", to: "/work/acme/x.md"),
            "../acme/x.md")
    }
}
