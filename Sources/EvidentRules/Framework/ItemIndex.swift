import EvidentCore

extension PersonCycle {
    /// The position in `items` of each item id, the first declaration winning (duplicates
    /// are reported separately): the same lookup as `evidenceItemsByID()`, for rules that
    /// read a field or two of the items cited. Positions rather than copies of the items
    /// keep building the index from retaining every string and array of every item.
    func itemPositionsByID() -> [String: Int] {
        var index: [String: Int] = [:]
        index.reserveCapacity(items.count)
        for position in items.indices where index[items[position].id.value] == nil {
            index[items[position].id.value] = position
        }
        return index
    }
}

/// `itemPositionsByID()` of every person folder, built once per check on every core:
/// five rules look citations up in it, and each built its own copy for each folder
/// (hashing and retaining every item id five times, 1.7 % of a check's CPU time).
final class ItemPositionTable: Sendable {
    private let positions: [[String: Int]]

    init(_ organisation: Organisation) {
        positions = parallelMap(Array(organisation.personCycles.indices)) { index in
            organisation.personCycles[index].itemPositionsByID()
        }
    }

    /// The positions of `personCycle`, which is `personCycles[index]` of the organisation
    /// the table was built from.
    func positions(at index: Int) -> [String: Int] { positions[index] }

    var count: Int { positions.count }
}

extension RuleContext {
    /// `personCycle.itemPositionsByID()`, where `personCycle` is
    /// `organisation.personCycles[index]`: from the check's table when there is one.
    func itemPositions(at index: Int, of personCycle: PersonCycle) -> [String: Int] {
        guard let itemPositionTable, index < itemPositionTable.count else { return personCycle.itemPositionsByID() }
        return itemPositionTable.positions(at: index)
    }
}
