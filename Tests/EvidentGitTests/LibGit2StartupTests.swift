import Foundation
import XCTest

@testable import EvidentGit

/// libgit2's start-up without the CA bundle (`CGit2Startup`): the replacement is the
/// function libgit2 calls, and outside start-up it still reaches mbed TLS.
final class LibGit2StartupTests: XCTestCase {
    func testStartUpLeavesTheCABundleUndecodedAndGitStillWorks() throws {
        let repo = try TempRepo()
        try repo.commitFile("people.yaml", "people: []\n", message: "start")
        let repository = try GitRepository.open(path: repo.path)
        XCTAssertNotNil(try repository.blobID(path: "people.yaml", atRevision: "HEAD"))
        // Once, by libgit2's own start-up: the dynamic linker bound libgit2 to Evident's function.
        XCTAssertEqual(LibGit2Startup.skippedCABundles, 1)
    }

    func testOutsideStartUpTheReplacementCallsMbedTLS() throws {
        try ensureLibgit2()
        let before = LibGit2Startup.skippedCABundles
        // mbed TLS's own answer for a file it cannot open (MBEDTLS_ERR_PK_FILE_IO_ERROR),
        // not the replacement's (MBEDTLS_ERR_X509_FILE_IO_ERROR, -0x2900).
        let missing = NSTemporaryDirectory() + "/evident-no-such-bundle-\(UUID().uuidString).pem"
        XCTAssertEqual(LibGit2Startup.parseCertificateFile(missing), -0x3E00)
        XCTAssertEqual(LibGit2Startup.skippedCABundles, before)
    }
}
