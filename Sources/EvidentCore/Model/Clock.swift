import Foundation

extension Day {
    /// Today in UTC, or the day `EVIDENT_TODAY` names (`YYYY-MM-DD`). Rules that count
    /// days (an appeal waiting for its answer) need a clock, and tests and a CI run that
    /// must be reproducible need to fix it; an unreadable `EVIDENT_TODAY` is ignored.
    public static func today(environment: [String: String] = ProcessInfo.processInfo.environment) -> Day {
        if let fixed = environment["EVIDENT_TODAY"], let day = Day(fixed) { return day }
        let seconds = Int(Date().timeIntervalSince1970.rounded(.down))
        return Day(daysSinceEpoch: seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
    }
}
