import EvidentCore
import XCTest

@testable import EvidentRules

/// `seal-readers` judges what the caller says is stored, not what the source shows: the
/// engine's `stored` argument is how git's view reaches a rule that cannot see git.
final class StoredContentTests: XCTestCase {
    /// Stores fixed bytes per path and opens nothing, or fails every open.
    private struct FixedStorage: StoredContent {
        var bytes: [String: [UInt8]]
        var failOpen = false

        func bytes(of path: String, source: any RepositorySource) -> [UInt8]? { bytes[path] }

        func open(_ bytes: [UInt8]) -> Result<[UInt8], any Error>? {
            failOpen ? .failure(SourceError(path: "key", reason: "forged header")) : nil
        }
    }

    private let review = "cycles/2026-h2/alice/review.md"

    private func check(stored: (any StoredContent)?) throws -> [Diagnostic] {
        var texts = ExampleRepository.files
        for path in SealingExamples.otherFilesOfAlice { texts[path] = nil }
        texts["evident.yaml"] = SealingExamples.policy
        texts["people.yaml"] = SealingExamples.people()
        let source = MemorySource(root: "/example", texts: texts)
        let organisation = try RepositoryLoader.load(from: source)
        return RuleEngine(rules: [SealReadersRule.self]).check(organisation, source: source, stored: stored)
    }

    func testWithoutStorageTheSourceIsWhatIsStored() throws {
        XCTAssertEqual(try check(stored: nil).map(\.location.file), [review])
    }

    func testStoredBytesAreJudgedInsteadOfTheSource() throws {
        let sealed = Array(SealingExamples.reviewSealedToReaders.utf8)
        XCTAssertEqual(try check(stored: FixedStorage(bytes: [review: sealed])).map(\.message), [])
        XCTAssertEqual(
            try check(stored: FixedStorage(bytes: [:])).map(\.message), [], "nothing stored, nothing to judge")
        let forged = try check(stored: FixedStorage(bytes: [review: sealed], failOpen: true))
        XCTAssertEqual(
            forged.map(\.message), ["a sealed file that does not open with this clone's key: key: forged header"])
    }
}
