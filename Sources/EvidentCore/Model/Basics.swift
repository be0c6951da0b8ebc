import Foundation

/// A value read from a file, with the position of the text it came from, so any later
/// pass (resolution, a rule, the language server) can point back at it.
public struct Located<Value: Sendable>: Sendable {
    public var value: Value
    public var location: SourceLocation

    public init(_ value: Value, at location: SourceLocation) {
        self.value = value
        self.location = location
    }
}

extension Located: Equatable where Value: Equatable {}
extension Located: Hashable where Value: Hashable {}

/// A calendar day (`YYYY-MM-DD`), the only time unit review files use.
///
/// A plain value rather than `Foundation.Date` so comparisons and week arithmetic are
/// cheap and free of time zones.
public struct Day: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Parses `YYYY-MM-DD`, rejecting impossible dates such as `2026-02-30`.
    public init?(_ text: String) {
        // Nearly every date is exactly `DDDD-DD-DD` in ASCII digits, read by Loading from
        // the bytes (a check reads some 100,000 of them); anything else takes the general path.
        if let (year, month, day) = ASCIIScan.isoDate(text) {
            guard (1...12).contains(month), day >= 1, day <= Day.daysIn(month: month, year: year) else { return nil }
            self.year = year
            self.month = month
            self.day = day
            return
        }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (1...12).contains(month), day >= 1, day <= Day.daysIn(month: month, year: year)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    public init(daysSinceEpoch days: Int) {
        // Howard Hinnant's civil-from-days algorithm.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        self.month = m
        self.day = d
    }

    /// Days since 1970-01-01.
    public var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public func adding(days: Int) -> Day { Day(daysSinceEpoch: daysSinceEpoch + days) }

    public var description: String {
        let m = month < 10 ? "0\(month)" : "\(month)"
        let d = day < 10 ? "0\(day)" : "\(day)"
        return "\(year)-\(m)-\(d)"
    }

    public static func < (lhs: Day, rhs: Day) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

/// The roles that can sign off a review (spec section 4).
public enum SignoffRole: String, Sendable, CaseIterable, Codable {
    case manager
    case skipLevel = "skip-level"
    case calibrator
    case hr
    case `self`
}

extension Day {
    /// Today in UTC, or `EVIDENT_TODAY` (`YYYY-MM-DD`) when it is set: deadlines are
    /// judged against one day for a whole run, and tests and reruns of an old CI job can
    /// pin it.
    public static func today(environment: [String: String] = ProcessInfo.processInfo.environment) -> Day {
        if let pinned = environment["EVIDENT_TODAY"], let day = Day(pinned) { return day }
        return Day(daysSinceEpoch: Int((Date().timeIntervalSince1970 / 86_400).rounded(.down)))
    }
}
