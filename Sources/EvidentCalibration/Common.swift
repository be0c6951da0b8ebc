import EvidentCore
import Foundation

/// A request the repository cannot answer: an unknown cycle, group or person. The
/// command line turns it into a usage error (exit 2), not a finding.
public struct CalibrationError: Error, CustomStringConvertible, Sendable, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// The organisation's rating scale, indexed once so lookups are constant time.
public struct RatingScale: Sendable {
    public struct Entry: Sendable, Codable, Equatable {
        public var id: String
        public var label: String
    }
    public let entries: [Entry]
    private let ranks: [String: Int]

    public init(policy: Policy?) {
        var entries: [Entry] = []
        var ranks: [String: Int] = [:]
        for rating in policy?.ratings ?? [] where ranks[rating.id.value] == nil {
            ranks[rating.id.value] = entries.count
            entries.append(Entry(id: rating.id.value, label: rating.label.isEmpty ? rating.id.value : rating.label))
        }
        self.entries = entries
        self.ranks = ranks
    }

    public var ids: [String] { entries.map(\.id) }
    /// Position in the scale, lowest first; nil for a rating the policy does not define.
    public func rank(of id: String) -> Int? { ranks[id] }
    public func contains(_ id: String) -> Bool { ranks[id] != nil }
    public func label(of id: String) -> String {
        ranks[id].map { entries[$0].label } ?? id
    }
}

extension ReviewDocument {
    /// The manager's proposal.
    var proposedRating: String? { nonEmpty(rating?.value) }
    /// The rating calibration settled on, when it wrote one.
    var calibratedRating: String? { nonEmpty(calibration?.rating?.value) }
    /// The outcome: the calibrated rating when present, else the proposal.
    var finalRating: String? { calibratedRating ?? proposedRating }

    /// File lines of private sections, heading included (the parser's one definition).
    var privateLineRanges: [ClosedRange<Int>] { body.privateLineRanges }
}

func nonEmpty(_ text: String?) -> String? {
    guard let text else { return nil }
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    return trimmed.isEmpty ? nil : trimmed
}

extension Organisation {
    /// The cycle named `id` (its `id:` or folder), or an error listing the known ones.
    func requireCycle(_ id: String) throws -> Cycle {
        if let cycle = cycle(id) { return cycle }
        let known = cycles.map(\.id.value).sorted()
        throw CalibrationError(
            "unknown cycle '\(SafeText.line(id))'"
                + (known.isEmpty
                    ? "; the repository has no cycles" : "; known cycles: \(known.joined(separator: ", "))"))
    }

    /// People whose team is one of `teams`, in `people.yaml` order, first entry of an id only.
    func members(ofTeams teams: Set<String>) -> [Person] {
        var seen: Set<String> = []
        return people.filter { teams.contains($0.team.value) && seen.insert($0.id.value).inserted }
    }

    /// A person's display name: the name when given, else the id.
    func displayName(of id: String) -> String {
        guard let person = person(id), !person.name.isEmpty else { return id }
        return person.name
    }
}

/// Formats a share as a whole percentage.
func percent(_ part: Int, of whole: Int) -> String {
    guard whole > 0 else { return "–" }
    return "\(Int((Double(part) * 100 / Double(whole)).rounded()))%"
}

/// Formats a difference in percentage points with its sign.
func points(_ value: Double) -> String {
    let rounded = Int(value.rounded())
    return rounded > 0 ? "+\(rounded) pp" : rounded == 0 ? "±0 pp" : "\(rounded) pp"
}
