extension Organisation {
    /// The cycle a command means when none is named: the one that ends last (by folder
    /// name on a tie), as `evident signoff` has always chosen. Every command that takes
    /// `--cycle` defaults to it, so a repository with one cycle never needs the flag.
    public var latestCycle: Cycle? {
        cycles.max { ($0.end, $0.folder) < ($1.end, $1.folder) }
    }

    /// The cycle `requested` names (id or folder), or the latest one when nil; the error
    /// lists the cycles there are.
    public func chooseCycle(_ requested: String?) -> Result<Cycle, CycleChoiceError> {
        if let requested {
            if let found = cycle(requested) { return .success(found) }
            let known = cycles.map(\.id.value).sorted().joined(separator: ", ")
            return .failure(CycleChoiceError("no cycle '\(requested)' (cycles: \(known.isEmpty ? "none" : known))"))
        }
        guard let latest = latestCycle else {
            return .failure(
                CycleChoiceError(
                    "the repository has no cycle yet (cycles/<cycle>/cycle.yaml); create one with 'evident new cycle'"))
        }
        return .success(latest)
    }
}

/// Why no cycle could be chosen; commands turn it into a usage error (exit 2).
public struct CycleChoiceError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension Organisation {
    /// The metric of metrics.yaml with this id (a handful exist: a scan is enough).
    public func metric(_ id: String) -> Metric? { metrics.first { $0.id.value == id } }
}
