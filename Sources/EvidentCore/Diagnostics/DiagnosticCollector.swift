import Foundation

/// Gathers diagnostics from every pass so one run shows every problem.
///
/// Rules run in parallel over people, so the collector is a lock-protected reference
/// that any thread may report into. `diagnostics` returns them sorted and de-duplicated.
public final class DiagnosticCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [Diagnostic] = []

    public init() {}

    public func report(_ diagnostic: Diagnostic) {
        lock.lock()
        storage.append(diagnostic)
        lock.unlock()
    }

    public func report(contentsOf diagnostics: [Diagnostic]) {
        guard !diagnostics.isEmpty else { return }
        lock.lock()
        storage.append(contentsOf: diagnostics)
        lock.unlock()
    }

    /// Every diagnostic reported so far, sorted by file, line, column and rule.
    public var diagnostics: [Diagnostic] {
        lock.lock()
        let copy = storage
        lock.unlock()
        var seen = Set<Diagnostic>()
        return copy.sorted().filter { seen.insert($0).inserted }
    }
}

extension Array where Element == Diagnostic {
    public var errorCount: Int { count(where: { $0.severity == .error }) }
    public var warningCount: Int { count(where: { $0.severity == .warning }) }
}
