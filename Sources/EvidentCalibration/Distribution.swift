/// Rating distributions, shown for information and never enforced, with the
/// small-group suppression the privacy policy asks for.
///
/// Suppression is more than hiding small rows. A table that shows the group's total
/// and every row but one lets anyone subtract to find the hidden row; a row that
/// covers all but two people of the group reveals those two the same way. So a row is
/// shown only when it covers at least `minimum` people *and* the rest of the group is
/// either empty or at least `minimum` people; and when the hidden rows together cover
/// fewer than `minimum` people, more rows are hidden (smallest first) until they do.

/// Why an aggregate is not shown.
public enum Suppression: Sendable, Equatable {
    /// The aggregate covers fewer than `minimum` people.
    case fewerThan(Int)
    /// Subtracting it from the group would reveal fewer than `minimum` people.
    case restFewerThan(Int)
    /// Hidden so that the hidden rows together cover at least `minimum` people.
    case complementary(Int)

    public var message: String {
        switch self {
        case .fewerThan(let minimum): return "suppressed: fewer than \(minimum) people"
        case .restFewerThan(let minimum):
            return "suppressed: fewer than \(minimum) people in the rest of the group"
        case .complementary(let minimum):
            return "suppressed: would reveal a group of fewer than \(minimum) people"
        }
    }

    public var code: String {
        switch self {
        case .fewerThan: return "fewer-than-minimum"
        case .restFewerThan: return "rest-fewer-than-minimum"
        case .complementary: return "complementary"
        }
    }
}

/// How many people hold each rating. Ratings outside the scale are not counted (the
/// rating-unknown rule reports them).
public struct RatingDistribution: Sendable, Equatable {
    public private(set) var counts: [String: Int] = [:]
    public private(set) var total: Int = 0

    public init() {}

    public init(ratings: [String], scale: RatingScale) {
        for rating in ratings where scale.contains(rating) { add(rating) }
    }

    mutating func add(_ rating: String, count: Int = 1) {
        counts[rating, default: 0] += count
        total += count
    }

    public func count(_ rating: String) -> Int { counts[rating] ?? 0 }

    /// Share of `rating` in percent.
    public func share(_ rating: String) -> Double {
        total == 0 ? 0 : Double(count(rating)) * 100 / Double(total)
    }

    /// The mean position on the scale (lowest rating 0), for "how far apart" summaries.
    public func meanRank(_ scale: RatingScale) -> Double? {
        guard total > 0 else { return nil }
        var sum = 0
        for (rating, count) in counts { sum += (scale.rank(of: rating) ?? 0) * count }
        return Double(sum) / Double(total)
    }

    static func - (lhs: RatingDistribution, rhs: RatingDistribution) -> RatingDistribution {
        var result = RatingDistribution()
        for (rating, count) in lhs.counts {
            let remaining = count - rhs.count(rating)
            if remaining > 0 {
                result.counts[rating] = remaining
                result.total += remaining
            }
        }
        return result
    }
}

/// One reviewer's or one team's ratings next to the rest of the group.
public struct DistributionComparison: Sendable {
    public var key: String
    public var label: String
    /// People with a rating on the scale in this row.
    public var people: Int
    /// Set when the row is hidden; then `distribution` and the differences are nil.
    public var suppression: Suppression?
    public var distribution: RatingDistribution?
    /// Share of each rating minus its share in the rest of the group, in percentage
    /// points; nil when suppressed or when the row is the whole group.
    public var differences: [String: Double]?
    /// Mean scale position minus the rest's, in rating steps (+0.5: half a rating higher).
    public var meanShift: Double?
}

/// A distribution of the whole group plus its breakdown by reviewer or team.
public struct DistributionTable: Sendable {
    /// What the ratings are: "proposed" or "current (calibrated where present, else proposed)".
    public var basis: String
    public var group: RatingDistribution
    public var groupSuppression: Suppression?
    public var rows: [DistributionComparison]

    /// Builds the table from `(key, label, ratings)` rows that partition the group.
    static func build(
        basis: String, rows input: [(key: String, label: String, ratings: [String])], scale: RatingScale, minimum: Int
    ) -> DistributionTable {
        let distributions = input.map { RatingDistribution(ratings: $0.ratings, scale: scale) }
        var group = RatingDistribution()
        for distribution in distributions {
            for (rating, count) in distribution.counts { group.add(rating, count: count) }
        }
        let groupSuppression: Suppression? = group.total < minimum ? .fewerThan(minimum) : nil
        let suppressed = suppressions(counts: distributions.map(\.total), total: group.total, minimum: minimum)
        var rows: [DistributionComparison] = []
        for (index, row) in input.enumerated() {
            let distribution = distributions[index]
            var comparison = DistributionComparison(
                key: row.key, label: row.label, people: distribution.total, suppression: suppressed[index],
                distribution: nil, differences: nil, meanShift: nil)
            if comparison.suppression == nil {
                comparison.distribution = distribution
                let rest = group - distribution
                if rest.total > 0 {
                    var differences: [String: Double] = [:]
                    for rating in scale.ids { differences[rating] = distribution.share(rating) - rest.share(rating) }
                    comparison.differences = differences
                    if let mine = distribution.meanRank(scale), let theirs = rest.meanRank(scale) {
                        comparison.meanShift = mine - theirs
                    }
                }
            }
            rows.append(comparison)
        }
        return DistributionTable(basis: basis, group: group, groupSuppression: groupSuppression, rows: rows)
    }

    /// Which rows to hide, by index (see the file comment for why subtraction matters).
    static func suppressions(counts: [Int], total: Int, minimum: Int) -> [Suppression?] {
        var result: [Suppression?] = counts.map { count in
            if count < minimum { return .fewerThan(minimum) }
            let rest = total - count
            if rest > 0 && rest < minimum { return .restFewerThan(minimum) }
            return nil
        }
        var hidden = zip(counts, result).reduce(0) { $0 + ($1.1 == nil ? 0 : $1.0) }
        guard hidden > 0, hidden < minimum else { return result }
        let shown = counts.indices.filter { result[$0] == nil }.sorted { (counts[$0], $0) < (counts[$1], $1) }
        for index in shown where hidden < minimum {
            result[index] = .complementary(minimum)
            hidden += counts[index]
        }
        return result
    }
}
