import EvidentCore
import XCTest

@testable import EvidentCommands

/// `OpeningSource` (the sealed pre-commit check's source) passes on what its base kept
/// decoded, so a sealed repository's check uses the people cache as an unsealed one does.
final class OpeningSourceTests: XCTestCase {
    private struct Decoding: RepositorySource {
        var root: String { "/nowhere" }
        func listFiles() throws -> [String] { ["people.yaml"] }
        func read(_ path: String) throws -> [UInt8] { throw SourceError(path: path, reason: "not read") }
        func status(of path: String) -> PathStatus { .missing }
        func decoded(_ path: String, kind: DocumentKind) -> LoadedFile? {
            path == "people.yaml" ? .people([], path: path) : nil
        }
    }

    func testDecodedFilesOfTheBaseArePassedOn() {
        let source = OpeningSource(base: Decoding(), identities: [])
        XCTAssertEqual(source.decoded("people.yaml", kind: .people)?.kind, .people)
        XCTAssertNil(source.decoded("values.md", kind: .values))
    }
}
