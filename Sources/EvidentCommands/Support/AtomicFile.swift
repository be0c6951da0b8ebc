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
        guard descriptor >= 0 else {
            throw EnvironmentError("cannot write \(temporary): \(String(cString: strerror(errno)))")
        }
        defer { unlink(temporary) }
        try writeAll(Array(contents.utf8), to: descriptor, path: path)
        if link(temporary, path) != 0 {
            if errno == EEXIST { throw Exists(path: path) }
            throw EnvironmentError("cannot create \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Creates `relative` inside the folder `root` as `create(_:contents:)` does, without
    /// following a symbolic link anywhere below `root`: each folder is opened relative to
    /// its parent with `O_NOFOLLOW` (and created if missing), and the file is written and
    /// linked relative to the last one. A symlinked `cycles/<id>` pointing elsewhere would
    /// otherwise let `evident new` write outside the repository; checking the path first
    /// and writing after would leave a window in which the link could be swapped in.
    static func create(_ relative: String, under root: String, contents: String) throws {
        let components = relative.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard let name = components.last, !components.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." })
        else { throw EnvironmentError("refusing to write '\(relative)': not a plain path inside the repository") }
        // The root itself is where the user pointed (`init` may create it): only what lies
        // below it must not be reached through a link.
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        var folder = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard folder >= 0 else { throw EnvironmentError("cannot open \(root): \(String(cString: strerror(errno)))") }
        defer { close(folder) }
        var walked = ""
        for component in components.dropLast() {
            walked += (walked.isEmpty ? "" : "/") + component
            var next = openat(folder, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            if next < 0, errno == ENOENT {
                guard mkdirat(folder, component, 0o755) == 0 || errno == EEXIST else {
                    throw EnvironmentError("cannot create \(root)/\(walked): \(String(cString: strerror(errno)))")
                }
                next = openat(folder, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            }
            guard next >= 0 else {
                if errno == ELOOP || errno == ENOTDIR {
                    throw EnvironmentError(
                        "\(walked) is a symbolic link or not a folder; refusing to write \(relative) through it")
                }
                throw EnvironmentError("cannot open \(root)/\(walked): \(String(cString: strerror(errno)))")
            }
            close(folder)
            folder = next
        }
        let temporary = ".evident-\(UUID().uuidString).tmp"
        let descriptor = openat(folder, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw EnvironmentError("cannot write in \(root)/\(walked): \(String(cString: strerror(errno)))")
        }
        defer { unlinkat(folder, temporary, 0) }
        let path = root + "/" + relative
        try writeAll(Array(contents.utf8), to: descriptor, path: path)
        if linkat(folder, temporary, folder, name, 0) != 0 {
            if errno == EEXIST { throw Exists(path: path) }
            throw EnvironmentError("cannot create \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Writes, flushes and closes `descriptor`; closes it on failure too.
    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32, path: String) throws {
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
        guard fsync(descriptor) == 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw EnvironmentError("cannot write \(path): \(reason)")
        }
        guard close(descriptor) == 0 else {
            throw EnvironmentError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }
}
