import XCTest

@testable import EvidentCore

/// The organisation is assembled in runs of files gathered on every core and joined in
/// order (`AssemblyPart`); one run over every file is the plain pass it must equal.
final class AssemblyTests: XCTestCase {
    private static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("examples/acme").path

    /// The example organisation in memory, with a person folder whose files are not listed
    /// together (an overlay lists its own files last: her evidence log, review, a new peer
    /// feedback and a file of no known kind), a broken team file, and enough team files
    /// that the runs cross folders.
    private func source() throws -> any RepositorySource {
        let disk = try DiskSource(root: Self.examples)
        var files: [String: [UInt8]] = [:]
        for path in try disk.listFiles() { files[path] = try disk.read(path) }
        for index in 0..<150 {
            files["teams/extra-\(index).yaml"] = Array("id: extra-\(index)\nname: Extra \(index)\n".utf8)
        }
        let alice = try XCTUnwrap(files.keys.filter { $0.hasSuffix("/alice/evidence.md") }.first)
        let folder = String(alice.dropLast("evidence.md".count))
        let evidence = try XCTUnwrap(files[alice])
        let review = try XCTUnwrap(files[folder + "review.md"])
        let peer = try XCTUnwrap(files.keys.filter { $0.hasPrefix(folder + "peer-") }.first)
        let overrides: [String: [UInt8]] = [
            // Listed last, after every other file: alice's folder is met again at the end.
            folder + "review.md": review,
            folder + "peer-zoe.md": try XCTUnwrap(files[peer]),
            folder + "evidence.md": evidence,
            folder + "notes.md": Array("notes\n".utf8),
            "teams/zz-broken.yaml": Array("id: [unclosed\n".utf8),
        ]
        return OverlaySource(base: MemorySource(root: "/t", files: files), overrides: overrides)
    }

    private func describe(_ organisation: Organisation) -> [String] {
        var lines = [
            String(describing: organisation.personCycles), String(describing: organisation.people),
            String(describing: organisation.teams), String(describing: organisation.levels),
            String(describing: organisation.cycles), String(describing: organisation.values),
            String(describing: organisation.metrics), String(describing: organisation.policy),
            String(describing: organisation.valuesFile), String(describing: organisation.valuesKey),
        ]
        // Documents and items are boxed (their description is opaque): named by file and id.
        for personCycle in organisation.personCycles {
            let documents = [personCycle.selfReview, personCycle.review, personCycle.response, personCycle.appeal]
            lines.append(
                personCycle.folder + " " + documents.map { $0?.file ?? "-" }.joined(separator: ",") + " "
                    + personCycle.peerFeedback.map(\.file).joined(separator: ",") + " "
                    + personCycle.items.map { "\($0.id.value)@\($0.id.location.file):\($0.id.location.line)" }
                    .joined(separator: ","))
        }
        lines += organisation.files.map { "\($0.path) \(organisation.file($0.path)?.path ?? "-")" }
        lines += DocumentKind.allCases.map { "\($0) \(organisation.isIncomplete($0))" }
        return lines
    }

    func testLoadingInRunsEqualsOnePassOverTheFiles() throws {
        let source = try source()
        let loaded = try RepositoryLoader.load(from: source)
        XCTAssertGreaterThan(loaded.files.count, 3 * AssemblyPart.blockSize)
        var onePass = Organisation(root: loaded.root, files: loaded.files)
        onePass.assemble(blockSize: loaded.files.count)
        onePass.resolve()
        let reference = describe(onePass)
        XCTAssertEqual(describe(loaded), reference)
        for blockSize in [1, 2, 7, AssemblyPart.blockSize] {
            var organisation = Organisation(root: loaded.root, files: loaded.files)
            organisation.assemble(blockSize: blockSize)
            organisation.resolve()
            XCTAssertEqual(describe(organisation), reference, "runs of \(blockSize)")
        }

        // Alice's folder, met twice, is one folder: the files listed last come after the
        // others, the new peer feedback after the earlier ones, and the log and review
        // listed last are hers.
        let alice = try XCTUnwrap(loaded.personCycles.first { $0.personFolder == "alice" })
        XCTAssertEqual(loaded.personCycles.filter { $0.personFolder == "alice" }.count, 1)
        XCTAssertEqual(
            alice.files.suffix(4).map { String($0.split(separator: "/").last ?? "") },
            ["evidence.md", "notes.md", "peer-zoe.md", "review.md"])
        XCTAssertGreaterThan(alice.files.count, 4)
        XCTAssertNotNil(alice.review)
        XCTAssertEqual(alice.peerFeedback.last?.file.hasSuffix("/peer-zoe.md"), true)
        XCTAssertGreaterThan(alice.peerFeedback.count, 1)
        XCTAssertEqual(alice.evidenceFile?.hasSuffix("/evidence.md"), true)
        XCTAssertFalse(alice.items.isEmpty)
        XCTAssertTrue(loaded.isIncomplete(.team), "the broken team file")
        XCTAssertFalse(loaded.isIncomplete(.level))
        XCTAssertEqual(loaded.teams.filter { $0.id.value.hasPrefix("extra-") }.count, 150)
    }

    /// A part is what its run of files adds, whatever runs come before or after it.
    func testAPartHoldsItsOwnRunOnly() throws {
        let loaded = try RepositoryLoader.load(from: try source())
        var part = AssemblyPart()
        let folders = Set(loaded.files.prefix(10).compactMap { PersonFolder.of($0.path) })
        for position in 0..<10 { part.add(loaded.files[position], at: position) }
        XCTAssertEqual(Set(part.personCycles.map(\.folder)), folders)
        XCTAssertEqual(
            part.personCycles.reduce(0) { $0 + $1.personCycle.files.count },
            loaded.files.prefix(10).filter { PersonFolder.of($0.path) != nil }.count)
        XCTAssertTrue(part.organisationFiles.allSatisfy { $0 < 10 })
    }
}
