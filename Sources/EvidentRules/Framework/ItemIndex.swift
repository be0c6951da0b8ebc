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
