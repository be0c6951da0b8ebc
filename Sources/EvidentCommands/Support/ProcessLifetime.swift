import Foundation

/// Values kept alive until the process exits, instead of being freed when a command returns.
///
/// A command that has written its output is about to exit, and the operating system takes
/// back all of its memory at once. Freeing a loaded 10,000-person organisation object by
/// object (millions of strings and arrays) took half a second of a check's wall time for
/// nothing. Only for values that live until the end of the command anyway.
enum ProcessLifetime {
    private static let kept = KeptValues()

    static func keepUntilExit(_ value: Any) {
        kept.append(value)
    }

    private final class KeptValues: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [Any] = []

        func append(_ value: Any) {
            lock.lock()
            defer { lock.unlock() }
            values.append(value)
        }
    }
}
