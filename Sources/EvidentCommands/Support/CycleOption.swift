import EvidentCore

/// `--cycle` and `--group` as every command reads them: optional, defaulting to the
/// latest cycle and to the cycle's only calibration group, with the same error (exit 2)
/// everywhere when the choice is ambiguous or unknown.
enum CycleOption {
    static func choose(_ requested: String?, in organisation: Organisation) throws -> Cycle {
        switch organisation.chooseCycle(requested) {
        case .success(let cycle): return cycle
        case .failure(let error): throw EnvironmentError(error.description)
        }
    }

    static func chooseGroup(_ requested: String?, in cycle: Cycle) throws -> String {
        if let requested { return requested }
        let groups = cycle.groups.map(\.id.value)
        switch groups.count {
        case 1: return groups[0]
        case 0: throw EnvironmentError("cycle \(cycle.id.value) defines no calibration_groups")
        default:
            throw EnvironmentError(
                "cycle \(cycle.id.value) has \(groups.count) calibration groups; choose one with --group (\(groups.joined(separator: ", ")))"
            )
        }
    }
}
