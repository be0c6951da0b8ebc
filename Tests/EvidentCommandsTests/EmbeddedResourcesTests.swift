import XCTest

@testable import EvidentCommands

/// The binary carries templates/ and schema/ inside it; this fails when the generated
/// copy drifts from the files (run scripts/embed-resources.py).
final class EmbeddedResourcesTests: XCTestCase {
    func testEmbeddedResourcesMatchTheProjectFiles() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        var onDisk: [String: String] = [:]
        for folder in ["templates", "schema"] {
            let base = root.appendingPathComponent(folder)
            let enumerator = FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey])
            while let url = enumerator?.nextObject() as? URL {
                guard (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true else { continue }
                let relative = String(url.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1))
                onDisk[relative] = try String(contentsOf: url, encoding: .utf8)
            }
        }
        XCTAssertGreaterThan(onDisk.count, 10)
        XCTAssertEqual(Set(EmbeddedResources.files.keys), Set(onDisk.keys), "run scripts/embed-resources.py")
        for (path, text) in onDisk {
            XCTAssertEqual(EmbeddedResources.files[path], text, "\(path) changed; run scripts/embed-resources.py")
        }
    }
}
