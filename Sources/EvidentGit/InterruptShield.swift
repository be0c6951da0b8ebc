import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Holds off Ctrl-C, `kill` and hang-ups while a branch moves, so an interrupted
/// `evident signoff` leaves the branch at its old tip or at the new commit, never a
/// `refs/heads/<branch>.lock` behind.
///
/// libgit2 moves a ref by creating `<ref>.lock`, writing the reflog and renaming the lock
/// into place: a few milliseconds in which a signal's default action (exit) would leave
/// the lock, and every later git command would then refuse to move the branch. A signal
/// that arrives inside the shield is remembered and delivered, with its default action,
/// as soon as the ref update has finished. SIGKILL cannot be caught; against it (`kill -9`,
/// the out-of-memory killer) the lock can remain, as it can for git itself.
enum InterruptShield {
    private static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]
    /// Written from the signal handler: only async-signal-safe stores of a plain integer.
    nonisolated(unsafe) private static var pending: sig_atomic_t = 0

    static func run<T>(_ body: () throws -> T) rethrows -> T {
        var previous: [sigaction] = []
        for signal in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { received in InterruptShield.pending = received }
            sigemptyset(&action.sa_mask)
            var old = sigaction()
            sigaction(signal, &action, &old)
            previous.append(old)
        }
        defer {
            for (index, signal) in signals.enumerated() {
                var old = previous[index]
                sigaction(signal, &old, nil)
            }
            // Delivered under the disposition the process had before: its default action
            // (exit), a handler of the caller's, or nothing where it was ignored (nohup).
            let received = pending
            if received != 0 {
                pending = 0
                raise(received)
            }
        }
        return try body()
    }
}
