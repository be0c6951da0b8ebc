import EvidentCore
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs the language server on the process's standard input and output.
///
/// A plain blocking loop on the main thread: read whatever bytes are available, hand
/// them to the server, repeat until `exit` or end of input. The editor is the only
/// producer and waits for answers, so nothing is gained from concurrency, and a
/// synchronous loop needs no locks under Swift 6's strict checking. Only protocol
/// messages go to stdout; the server logs through `window/logMessage`, and writes to
/// stderr only with `--trace` (some editors show anything on stderr as an error).
public enum LanguageServerMain {
    /// Serves until `exit` or end of input; returns the process exit code (0 after a
    /// proper `shutdown` then `exit`, else 1). `storedContent`: see `Workspace.storedContent`.
    public static func run(
        input: Int32 = STDIN_FILENO, output: Int32 = STDOUT_FILENO, trace: Bool = false,
        storedContent: @escaping (_ root: String) -> (any StoredContent)? = { _ in nil }
    ) -> Int32 {
        // A client that goes away must end the server with an exit code, not a signal.
        signal(SIGPIPE, SIG_IGN)
        var outputBroken = false
        let server = LanguageServer(
            output: { data in
                guard !outputBroken else { return }
                outputBroken = !writeAll(data, to: output)
            },
            log: { message in
                _ = writeAll(Data((message + "\n").utf8), to: STDERR_FILENO)
            },
            trace: trace)
        server.workspace.storedContent = storedContent
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while server.exitCode == nil, !outputBroken {
            let count = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                break
            }
            if count == 0 { break }  // end of input: the client is gone
            server.receive(buffer[0..<count])
        }
        return server.exitCode ?? (server.shutdownRequested ? 0 : 1)
    }

    /// Writes every byte, retrying short writes; false when the descriptor is closed.
    @discardableResult
    static func writeAll(_ data: Data, to descriptor: Int32) -> Bool {
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Bool in
            guard var pointer = raw.baseAddress else { return true }
            var remaining = raw.count
            while remaining > 0 {
                let written = write(descriptor, pointer, remaining)
                if written < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                pointer += written
                remaining -= written
            }
            return true
        }
    }
}
