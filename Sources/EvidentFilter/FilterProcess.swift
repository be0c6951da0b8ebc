import Foundation

/// git's long-running filter protocol, version 2 (gitattributes(5), "Long Running
/// Filter Process"): one process per git command, so keys and people.yaml are read once
/// for thousands of files.
public enum FilterProcess {
    /// Serves git on `input`/`output` until git closes the pipe. A file that cannot be
    /// filtered gets `status=error` (with `filter.evident.required`, the git command
    /// fails); a broken conversation throws. Where git offers `delay` (clone, checkout),
    /// smudges are delayed and opened on every core (`DelayedSmudges`).
    public static func serve(_ filter: SealFilter, input: Int32 = 0, output: Int32 = 1) throws {
        let shared = SharedFilter(filter)
        let blobs = BlobIDs()
        try serve(
            clean: { try filter.clean(pathname: $0, content: $1) },
            smudge: { pathname, content in
                // Delayed files are opened on worker threads, which call only the smudge
                // path: it reads the identities loaded before the first file was delayed
                // and nothing else of the filter's state (`smudgeFacts` has its own lock).
                var warnings: [String] = []
                let bytes = shared.filter.smudge(pathname: pathname, content: content, blob: blobs.take(pathname)) {
                    warnings.append($0)
                }
                return DelayedSmudges.Outcome(result: .success(bytes), warnings: warnings)
            },
            beforeDelaying: { _ = filter.identities() },
            smudgeBlob: { blobs.set($1, for: $0) },
            warn: filter.warn, input: input, output: output)
        filter.saveFacts()
    }

    /// The conversation, with the filtering passed in (so tests can make a file fail).
    static func serve(
        clean: (String, [UInt8]) throws -> [UInt8],
        smudge: @escaping DelayedSmudges.Work,
        beforeDelaying: () -> Void,
        smudgeBlob: (_ pathname: String, _ blob: String) -> Void = { _, _ in },
        warn: (String) -> Void,
        workers: Int = ProcessInfo.processInfo.activeProcessorCount,
        input: Int32, output: Int32
    ) throws {
        var reader = PktLineReader(descriptor: input)
        let writer = PktLineWriter(descriptor: output)
        guard let hello = try reader.textList(), hello.contains("git-filter-client") else {
            throw FilterProtocolError("expected git-filter-client from git; run this only as filter.evident.process")
        }
        guard hello.contains("version=2") else {
            throw FilterProtocolError("git offers no filter protocol version 2")
        }
        try writer.text("git-filter-server")
        try writer.text("version=2")
        try writer.flush()
        guard let offered = try reader.textList() else {
            throw FilterProtocolError("git closed the pipe before sending its capabilities")
        }
        for capability in ["clean", "smudge", "delay"] where offered.contains("capability=\(capability)") {
            try writer.text("capability=\(capability)")
        }
        try writer.flush()

        let delays = offered.contains("capability=delay")
        let delayed = DelayedSmudges(workers: workers, work: smudge)
        defer { delayed.stop() }
        var preparedToDelay = false

        while let headers = try reader.textList() {
            var command = ""
            var pathname = ""
            var canDelay = false
            var blob: String?
            for header in headers {
                guard let equals = header.firstIndex(of: "=") else { continue }
                let key = header[..<equals]
                let value = String(header[header.index(after: equals)...])
                if key == "command" { command = value }
                if key == "pathname" { pathname = value }
                if key == "can-delay" { canDelay = value == "1" }
                if key == "blob" { blob = value }
            }
            if command == "list_available_blobs" {
                // No content follows this command. An empty list tells git nothing is left.
                for available in delayed.available() { try writer.text("pathname=\(available)") }
                try writer.flush()
                try writer.text("status=success")
                try writer.flush()
                continue
            }
            let content = try reader.content()
            // git names the blob it smudges (a clone, a checkout), but not when it asks
            // again for a delayed file, which comes with no content.
            if command == "smudge", !content.isEmpty, let blob, SmudgeFacts.isObjectID(blob) {
                smudgeBlob(pathname, blob)
            }
            if command == "smudge", delays, canDelay, !delayed.holds(pathname) {
                if !preparedToDelay {
                    beforeDelaying()
                    preparedToDelay = true
                }
                delayed.submit(pathname, content)
                try writer.text("status=delayed")
                try writer.flush()
                continue
            }
            let result: [UInt8]
            do {
                switch command {
                case "clean": result = try clean(pathname, content)
                case "smudge":
                    // git asks again, with no content, for a file it was told is ready.
                    let outcome = delayed.take(pathname) ?? smudge(pathname, content)
                    for warning in outcome.warnings { warn(warning) }
                    result = try outcome.result.get()
                default: throw SealFilterError("unknown filter command '\(command)'")
                }
            } catch {
                warn("evident: cannot \(command) \(pathname): \(error)")
                try writer.text("status=error")
                try writer.flush()
                continue
            }
            try writer.text("status=success")
            try writer.flush()
            try writer.content(result)
            // An empty list: the status stays success.
            try writer.flush()
        }
    }
}

/// git's blob id of each file handed over for smudging, until the smudge takes it.
private final class BlobIDs: @unchecked Sendable {
    private let lock = NSLock()
    private var ids: [String: String] = [:]

    func set(_ blob: String, for pathname: String) {
        lock.lock()
        ids[pathname] = blob
        lock.unlock()
    }

    func take(_ pathname: String) -> String? {
        lock.lock()
        defer { lock.unlock() }
        return ids.removeValue(forKey: pathname)
    }
}

/// The filter as the delayed smudges' workers see it; see `FilterProcess.serve`.
private final class SharedFilter: @unchecked Sendable {
    let filter: SealFilter
    init(_ filter: SealFilter) { self.filter = filter }
}
