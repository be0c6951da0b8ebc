import Foundation

/// How many diagnostics one file may show, as compilers cap their error output: past
/// the cap, findings are counted, not kept, and one summary diagnostic per rule says how
/// many were left out and where the first of them is.
///
/// The cap is what keeps hostile input cheap: a 6 MB review with 300,000 unknown
/// citations would otherwise cost 600,000 diagnostics in memory, in sorting and in
/// output, and no reader gets past the first screen of them anyway.
public struct DiagnosticLimits: Hashable, Sendable {
    /// At most this many diagnostics of one rule in one file.
    public var perRuleAndFile: Int
    /// At most this many diagnostics in one file, over all rules (summaries not counted).
    public var perFile: Int

    public init(perRuleAndFile: Int = 100, perFile: Int = 500) {
        self.perRuleAndFile = max(1, perRuleAndFile)
        self.perFile = max(1, perFile)
    }

    public static let standard = DiagnosticLimits()
}

/// Gathers diagnostics from every pass so one run shows every problem, up to the limits.
///
/// Rules run in parallel, so the collector is a lock-protected reference that any thread
/// may report into. Each (file, rule) keeps only its first `perRuleAndFile` diagnostics in
/// sort order, whatever order they arrive in, so the result does not depend on thread
/// timing and memory does not grow with the number of findings past the cap. `admit`
/// runs first (settings, inline `evident-disable` comments): what it drops never takes a
/// place under the cap, and a summary never stands for findings that were switched off.
public final class DiagnosticCollector: @unchecked Sendable {
    /// Decides whether a finding of `ruleID` at `location` is reported and at which
    /// severity (nil: dropped), before its message is built.
    public typealias Admission =
        @Sendable (_ ruleID: String, _ severity: Severity, _ location: SourceLocation) ->
        Severity?

    public let limits: DiagnosticLimits
    private let admit: Admission?
    private let lock = NSLock()
    private var buckets: [BucketKey: Bucket] = [:]

    struct BucketKey: Hashable {
        var file: String
        var rule: String
    }

    /// The kept diagnostics of one rule in one file, sorted, and what was left out.
    struct Bucket {
        var kept: [Diagnostic] = []
        var hidden = 0
        /// The first diagnostic left out, in sort order: where the summary points.
        var firstHidden: SourceLocation?
        var hiddenSeverity = Severity.warning

        mutating func hide(_ location: SourceLocation, _ severity: Severity, count: Int = 1) {
            hidden += count
            if firstHidden.map({ location < $0 }) ?? true { firstHidden = location }
            hiddenSeverity = max(hiddenSeverity, severity)
        }

        /// Keeps the finding if it is among the first `cap` in sort order, else counts it.
        mutating func add(
            ruleID: String, severity: Severity, at location: SourceLocation, cap: Int,
            _ content: () -> (message: DiagnosticMessage, notes: [DiagnosticNote])
        ) {
            // Full, and this finding sorts after every kept one by position alone: count it.
            if kept.count >= cap, let last = kept.last, last.location < location {
                hide(location, severity)
                return
            }
            let (message, notes) = content()
            add(
                Diagnostic(ruleID: ruleID, severity: severity, message: message, location: location, notes: notes),
                cap: cap)
        }

        /// Keeps an already built finding if it is among the first `cap` in sort order.
        mutating func add(_ diagnostic: Diagnostic, cap: Int) {
            let location = diagnostic.location
            let severity = diagnostic.severity
            // Binary search for its place; an equal diagnostic already kept is a repeat.
            var low = 0
            var high = kept.count
            while low < high {
                let middle = (low + high) / 2
                if kept[middle] < diagnostic { low = middle + 1 } else { high = middle }
            }
            var probe = low
            while probe < kept.count, !(diagnostic < kept[probe]) {
                if kept[probe] == diagnostic { return }
                probe += 1
            }
            if kept.count >= cap {
                guard low < cap else {
                    hide(location, severity)
                    return
                }
                let evicted = kept.removeLast()
                hide(evicted.location, evicted.severity)
            }
            kept.insert(diagnostic, at: low)
        }
    }

    public init(limits: DiagnosticLimits = .standard, admit: Admission? = nil) {
        self.limits = limits
        self.admit = admit
    }

    public func report(_ diagnostic: Diagnostic) {
        guard
            let severity = admit.map({ $0(diagnostic.ruleID, diagnostic.severity, diagnostic.location) })
                ?? diagnostic.severity
        else { return }
        var admitted = diagnostic
        admitted.severity = severity
        let key = BucketKey(file: diagnostic.location.file, rule: diagnostic.ruleID)
        lock.lock()
        buckets[key, default: Bucket()].add(admitted, cap: limits.perRuleAndFile)
        lock.unlock()
    }

    public func report(contentsOf diagnostics: [Diagnostic]) {
        for diagnostic in diagnostics { report(diagnostic) }
    }

    /// Reports a finding whose message and notes are built only if it is kept: past the
    /// cap a finding costs a comparison and a count.
    public func report(
        ruleID: String, severity reported: Severity, at location: SourceLocation,
        _ content: () -> (message: DiagnosticMessage, notes: [DiagnosticNote])
    ) {
        guard let severity = admit.map({ $0(ruleID, reported, location) }) ?? reported else { return }
        let key = BucketKey(file: location.file, rule: ruleID)
        lock.lock()
        buckets[key, default: Bucket()].add(
            ruleID: ruleID, severity: severity, at: location, cap: limits.perRuleAndFile, content)
        lock.unlock()
    }

    /// Every diagnostic kept, sorted by file, line, column and rule, with one summary
    /// diagnostic per (file, rule) that lost findings to a cap, at the first of them.
    public var diagnostics: [Diagnostic] {
        lock.lock()
        let buckets = self.buckets
        lock.unlock()
        var byFile: [String: [BucketKey]] = [:]
        for key in buckets.keys { byFile[key.file, default: []].append(key) }
        var result: [Diagnostic] = []
        for (_, keys) in byFile {
            var fileBuckets = keys.map { ($0, buckets[$0]!) }
            var shown = fileBuckets.flatMap { $0.1.kept }.sorted()
            if shown.count > limits.perFile {
                // The per-file cap keeps the first diagnostics of the file in order; what it
                // drops joins its rule's summary.
                let dropped = shown[limits.perFile...]
                shown.removeSubrange(limits.perFile...)
                var droppedByRule: [String: [Diagnostic]] = [:]
                for diagnostic in dropped { droppedByRule[diagnostic.ruleID, default: []].append(diagnostic) }
                for index in fileBuckets.indices {
                    for diagnostic in droppedByRule[fileBuckets[index].0.rule] ?? [] {
                        fileBuckets[index].1.hide(diagnostic.location, diagnostic.severity)
                    }
                }
            }
            result += shown
            for (key, bucket) in fileBuckets where bucket.hidden > 0 {
                guard let location = bucket.firstHidden else { continue }
                result.append(
                    DiagnosticCollector.summary(
                        rule: key.rule, severity: bucket.hiddenSeverity, hidden: bucket.hidden, at: location,
                        limits: limits))
            }
        }
        return result.sorted()
    }

    /// The diagnostic standing for `hidden` findings of `rule` left out of one file.
    public static func summary(
        rule: String, severity: Severity, hidden: Int, at location: SourceLocation, limits: DiagnosticLimits
    ) -> Diagnostic {
        let findings = hidden == 1 ? "finding" : "findings"
        return Diagnostic(
            ruleID: rule, severity: severity,
            message:
                "\(hidden) more \(public: rule) \(public: findings) in this file not shown, the first of them here: at most \(limits.perRuleAndFile) per rule and \(limits.perFile) per file are shown",
            location: location)
    }
}

extension Array where Element == Diagnostic {
    public var errorCount: Int { count(where: { $0.severity == .error }) }
    public var warningCount: Int { count(where: { $0.severity == .warning }) }
}
