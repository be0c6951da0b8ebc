import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Writes files so that a crash or a full disk never leaves half a file behind: the
/// content goes to a temporary file in the same folder, is flushed to disk, and is then
/// linked into place. Linking fails if the target exists, so nothing is overwritten even
/// when two writers race.
enum AtomicFile {
    struct Exists: Error { var path: String }

    static func create(_ path: String, contents: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let temporary = folder + "/.evident-\(UUID().uuidString).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard descriptor >= 0 else { throw EnvironmentError("cannot write \(temporary): \(String(cString: strerror(errno)))") }
        defer { unlink(temporary) }
        let bytes = Array(contents.utf8)
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                close(descriptor)
                throw EnvironmentError("cannot write \(path): \(reason)")
            }
            written += count
        }
        guard fsync(descriptor) == 0, close(descriptor) == 0 else {
            throw EnvironmentError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
        if link(temporary, path) != 0 {
            if errno == EEXIST { throw Exists(path: path) }
            throw EnvironmentError("cannot create \(path): \(String(cString: strerror(errno)))")
        }
    }
}
