#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reading a whole regular file in a few system calls, shared by the repository reader
/// and the git module's caches and index.
///
/// The open is non-blocking, so a named pipe where a file is expected is refused instead
/// of stalling the caller, and the size comes from `fstat` of the open file, so a file
/// replaced meanwhile is read whole in its new version.
public enum RegularFile {
    /// A failed `read(2)`, with its `errno`.
    public struct ReadFailure: Error {
        public let code: Int32
    }

    /// The bytes of the regular file at `absolutePath`; nil when it does not open, is not
    /// a regular file, is larger than `maximumBytes` or cannot be read. With
    /// `followingLinks: false` a link is not opened at all. A relative path is taken from
    /// the open folder `directory`: the kernel then walks only the path inside it.
    public static func read(
        _ absolutePath: String, followingLinks: Bool = true, maximumBytes: Int = .max, in directory: Int32 = AT_FDCWD
    ) -> [UInt8]? {
        let descriptor = openat(
            directory, absolutePath, O_RDONLY | O_NONBLOCK | O_CLOEXEC | (followingLinks ? 0 : O_NOFOLLOW))
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG, Int(info.st_size) <= maximumBytes
        else { return nil }
        return try? readAll(descriptor, size: Int(info.st_size))
    }

    /// Reads the `size` bytes `fstat` reported from an open file; a file that shrinks
    /// meanwhile gives what is there, one that grows is cut at `size`.
    ///
    /// The buffer is not zero-filled first: `read` fills it, and only the bytes it filled
    /// count. (Filling a 6 MB git index with zeros before reading it cost a pre-commit
    /// check a few milliseconds.)
    public static func readAll(_ descriptor: Int32, size: Int) throws(ReadFailure) -> [UInt8] {
        var failure: Int32?
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            var total = 0
            while total < size {
                let count = Glibc.read(descriptor, buffer.baseAddress! + total, size - total)
                if count < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    break
                }
                if count == 0 { break }
                total += count
            }
            initialized = total
        }
        if let failure { throw ReadFailure(code: failure) }
        return bytes
    }
}

/// An open folder, closed when the last holder lets go: files below it are opened
/// relative to it (`openat`), so the kernel does not walk the folder's own path again
/// for each of them (a fifth of the path lookups of a check at 10,000 people).
public final class DirectoryHandle: Sendable {
    public let descriptor: Int32

    /// Nil when `path` does not open as a folder.
    public init?(_ path: String) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }
}
