import CGit2
import CGit2Startup
import Foundation

/// libgit2's global state, set up exactly once.
///
/// Swift initialises globals lazily and atomically, so this runs `git_libgit2_init()`
/// once, on first use, whichever thread gets there first. We never call the matching
/// shutdown: the library stays loaded for the life of the process.
///
/// Start-up is most of a pre-commit check, so two costs Evident does not need are left
/// out: decoding the system CA bundle, for HTTPS, which Evident never speaks
/// (`CGit2Startup`); and hashing every object read again to compare it with its id,
/// which git itself does not do either: ids are checked when objects enter a repository
/// (`git index-pack`, `fsck`), and whoever can write objects into `.git` can rewrite any
/// ref. Signatures are still verified over the bytes read.
///
/// libgit2 caches only trees under 4 KB by default, so the 10,000-entry folder of a
/// cycle (some 470 KB) was inflated again on every path looked up through it: twice in
/// a sign-off. Trees up to 64 MB are kept now, within libgit2's 256 MB cache.
private let libgit2InitResult: Int32 = {
    evident_skip_ca_bundle(1)
    let result = git_libgit2_init()
    evident_skip_ca_bundle(0)
    guard result >= 0 else { return result }
    let cached = evident_git_cache_trees_up_to(64 << 20)
    guard cached >= 0 else { return cached }
    return evident_git_set_strict_hash_verification(0)
}()

/// Makes sure libgit2 is initialised; every entry point calls this before touching C.
func ensureLibgit2() throws {
    let result = libgit2InitResult
    if result < 0 {
        throw GitError.fromLibgit2(code: result, operation: "initialise libgit2")
    }
}

// MARK: - Object ids

/// Object ids cross the public API as 40 lower-case hex characters: plain, Sendable,
/// and exactly what the git CLI prints.
func hexString(_ oid: UnsafePointer<git_oid>) -> String {
    withUnsafeBytes(of: oid.pointee.id) { raw in
        String(unsafeUninitializedCapacity: raw.count * 2) { out in
            var i = 0
            for byte in raw {
                out[i] = hexDigits[Int(byte >> 4)]
                out[i + 1] = hexDigits[Int(byte & 0x0f)]
                i += 2
            }
            return i
        }
    }
}

private let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

func hexString(_ oid: git_oid) -> String {
    withUnsafePointer(to: oid) { hexString($0) }
}

/// Parses a full 40-hex id, rejecting anything else with a clear error.
func parseFullID(_ text: String, what: String = "object id") throws -> git_oid {
    guard text.utf8.count == 40, text.utf8.allSatisfy(isHexDigit) else {
        throw GitError(
            kind: .invalidArgument, message: "'\(text)' is not a 40-character hex \(what)", operation: "parse \(what)")
    }
    var oid = git_oid()
    try check(git_oid_fromstr(&oid, text), "parse \(what) '\(text)'")
    return oid
}

/// Parses a full or abbreviated (at least 4 hex digits) id; returns the id and the
/// number of significant hex digits, as libgit2's `*_lookup_prefix` functions want.
func parseIDPrefix(_ text: String) throws -> (oid: git_oid, length: Int) {
    let count = text.utf8.count
    guard count >= 4, count <= 40, text.utf8.allSatisfy(isHexDigit) else {
        throw GitError(
            kind: .invalidArgument, message: "'\(text)' is not a hex object id (4 to 40 hex digits)",
            operation: "parse object id")
    }
    var oid = git_oid()
    try check(git_oid_fromstrn(&oid, text, count), "parse object id '\(text)'")
    return (oid, count)
}

private func isHexDigit(_ c: UInt8) -> Bool {
    (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70)
}

// MARK: - Strings

/// Copies a C string that may be NULL; libgit2 documents several fields as optional.
func optionalString(_ pointer: UnsafePointer<CChar>?) -> String? {
    guard let pointer else { return nil }
    return String(cString: pointer)
}

/// Copies a `git_buf` into Data (bytes may not be UTF-8, for example signed payloads).
func data(of buf: git_buf) -> Data {
    guard let ptr = buf.ptr, buf.size > 0 else { return Data() }
    return Data(bytes: ptr, count: buf.size)
}

func string(of buf: git_buf) -> String {
    guard let ptr = buf.ptr, buf.size > 0 else { return "" }
    return ptr.withMemoryRebound(to: UInt8.self, capacity: buf.size) {
        String(decoding: UnsafeBufferPointer(start: $0, count: buf.size), as: UTF8.self)
    }
}

/// libgit2 takes C strings; a Swift string with an embedded NUL would be silently
/// truncated there, so we refuse it instead.
func requireNoNUL(_ text: String, _ what: String) throws {
    if text.utf8.contains(0) {
        throw GitError(kind: .invalidArgument, message: "\(what) contains a NUL byte", operation: "validate \(what)")
    }
}

/// Normalises a repository-relative path as git stores it: forward slashes, no leading
/// "./" or "/", no trailing "/", and no "." or ".." components (those would let a
/// caller escape the repository or name nothing git can hold).
func normalizedRepoPath(_ path: String, allowEmpty: Bool = false) throws -> String {
    try requireNoNUL(path, "path")
    var parts: [Substring] = []
    for part in path.split(separator: "/", omittingEmptySubsequences: true) {
        if part == "." { continue }
        if part == ".." {
            throw GitError(
                kind: .invalidArgument, message: "path '\(path)' leaves the repository ('..')",
                operation: "validate path")
        }
        parts.append(part)
    }
    let joined = parts.joined(separator: "/")
    if joined.isEmpty && !allowEmpty {
        throw GitError(kind: .invalidArgument, message: "empty path", operation: "validate path")
    }
    return joined
}

/// What libgit2's start-up left out, for the tests that show it (see `libgit2InitResult`).
enum LibGit2Startup {
    /// How many times libgit2 was kept from decoding the CA bundle: 1 once it started.
    static var skippedCABundles: Int { Int(evident_skipped_ca_bundles()) }

    /// mbed TLS's answer for `path`, through the replacement libgit2 calls, outside start-up.
    static func parseCertificateFile(_ path: String) -> Int32 {
        evident_parse_certificate_file(nil, path)
    }
}
