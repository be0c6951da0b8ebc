import Foundation

/// Smudges that git let the filter delay (the `delay` capability of the long-running
/// filter protocol), opened on worker threads while git goes on with other files.
///
/// git talks to a filter process one file at a time, so without delay a clone waits for
/// every file to be opened in turn and the filter uses one core. With delay, git hands
/// over each file's content, gets `status=delayed`, and asks for the opened files at the
/// end of its checkout (`list_available_blobs`, then one smudge per file with empty
/// content); meanwhile every core opens files.
final class DelayedSmudges: @unchecked Sendable {
    /// What opening one file gave: its work-tree bytes or an error, and the warnings to
    /// print when git collects it (printed then, from the thread that talks to git).
    struct Outcome {
        let result: Result<[UInt8], Error>
        let warnings: [String]
    }

    typealias Work = @Sendable (_ pathname: String, _ content: [UInt8]) -> Outcome

    private let condition = NSCondition()
    private let work: Work
    private let workers: Int
    /// Files waiting for a worker, at most `queueLimit`: beyond it the thread talking to
    /// git waits, so a clone of 50,000 files never holds all their sealed text at once.
    private let queueLimit: Int
    private var queue: [(pathname: String, content: [UInt8])] = []
    private var queueHead = 0
    /// Pathnames queued or being opened.
    private var running: Set<String> = []
    /// Opened files git has not collected yet, and which of them it has not been told of.
    private var finished: [String: Outcome] = [:]
    private var unlisted: [String] = []
    private var started = false
    private var stopped = false
    /// Who waits, so a change wakes threads only when one of them waits for it: waking
    /// every thread for each of 50,000 files cost more system time than the files' I/O.
    private var idleWorkers = 0
    private var submitterWaits = false
    private var collectorWaits = false

    init(workers: Int = ProcessInfo.processInfo.activeProcessorCount, queueLimit: Int = 256, work: @escaping Work) {
        self.workers = max(1, workers)
        self.queueLimit = max(1, queueLimit)
        self.work = work
    }

    /// Whether `pathname` is queued, being opened, or waiting to be collected: a second
    /// request for it is answered without delay rather than confusing the two.
    func holds(_ pathname: String) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        return running.contains(pathname) || finished[pathname] != nil
    }

    /// Queues one file, waiting while the queue is full; starts the workers the first time.
    func submit(_ pathname: String, _ content: [UInt8]) {
        condition.lock()
        defer { condition.unlock() }
        if !started {
            started = true
            for _ in 0..<workers {
                let thread = Thread { [self] in self.serveQueue() }
                thread.stackSize = 1 << 20
                thread.start()
            }
        }
        while queue.count - queueHead >= queueLimit {
            submitterWaits = true
            condition.wait()
        }
        submitterWaits = false
        queue.append((pathname, content))
        running.insert(pathname)
        if idleWorkers > 0 { condition.broadcast() }
    }

    /// The pathnames opened since the last call, waiting until there is at least one while
    /// files are still being opened; empty when every delayed file has been listed (git
    /// then stops asking).
    func available() -> [String] {
        condition.lock()
        defer { condition.unlock() }
        while unlisted.isEmpty && !running.isEmpty {
            collectorWaits = true
            condition.wait()
        }
        collectorWaits = false
        let out = unlisted
        unlisted = []
        return out
    }

    /// The outcome of a delayed file, removed: git collects each file once.
    func take(_ pathname: String) -> Outcome? {
        condition.lock()
        defer { condition.unlock() }
        return finished.removeValue(forKey: pathname)
    }

    /// Lets the workers end (git closed the pipe).
    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    private func serveQueue() {
        while true {
            condition.lock()
            while queueHead == queue.count && !stopped {
                idleWorkers += 1
                condition.wait()
                idleWorkers -= 1
            }
            if stopped {
                condition.unlock()
                return
            }
            let job = queue[queueHead]
            queue[queueHead] = ("", [])
            queueHead += 1
            // Drop what the workers took, now and then (the queue itself stays short).
            if queueHead == queue.count || queueHead >= 1024 {
                queue.removeFirst(queueHead)
                queueHead = 0
            }
            // Room in the queue: the thread talking to git may go on.
            if submitterWaits { condition.broadcast() }
            condition.unlock()

            let outcome = work(job.pathname, job.content)

            condition.lock()
            running.remove(job.pathname)
            finished[job.pathname] = outcome
            unlisted.append(job.pathname)
            if collectorWaits { condition.broadcast() }
            condition.unlock()
        }
    }
}
