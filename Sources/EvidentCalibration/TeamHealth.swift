import EvidentCore
import Foundation

/// Team health beside performance (principle 7): the load managers and reviewers
/// carry, who absorbs the incidents, and what the teams' own signals say.
///
/// Counts of work (reports, reviews written, incidents handled) are not judgments of
/// people and are shown at any size. Team survey signals (attrition risk, engagement)
/// are aggregates over the team's members, so they are suppressed for teams smaller
/// than `privacy.min_group_size`, like rating distributions.
public struct TeamHealthReport: Sendable, Codable {
    public struct Span: Sendable, Codable {
        public var manager: String
        public var name: String
        public var directReports: Int
        public var overLimit: Bool
    }

    public struct ReviewLoad: Sendable, Codable {
        public var person: String
        public var name: String
        /// Manager reviews (review.md with this reviewer) in the cycle.
        public var reviews: Int
        /// Peer feedback files written in the cycle.
        public var peerFeedback: Int
        public var total: Int
        public var overLimit: Bool
    }

    public struct PersonIncidents: Sendable, Codable {
        public var person: String
        public var name: String
        public var incidents: Int
    }

    public struct TeamIncidents: Sendable, Codable {
        public var team: String
        public var name: String
        public var members: Int
        /// Distinct incident-type evidence items of the team's members in the cycle.
        public var incidents: Int
        public var byPerson: [PersonIncidents]
    }

    public struct EngagementPoint: Sendable, Codable {
        public var date: String
        public var score: Double
    }

    public struct TeamSignals: Sendable, Codable {
        public var team: String
        public var name: String
        public var members: Int
        /// Whether teams/<id>.yaml exists.
        public var hasTeamFile: Bool
        /// Set when the signals are hidden because the team is too small.
        public var suppressed: String?
        public var attritionRisk: String?
        public var engagement: [EngagementPoint]
        /// Latest score minus the earliest, in points.
        public var engagementChange: Double?
        public var onCallPeople: Int?
        public var pagesPerWeek: Double?
    }

    public struct Warning: Sendable, Codable, Equatable {
        /// span-of-control | review-load | incident-concentration | attrition-risk | engagement-decline
        public var kind: String
        public var subject: String
        public var message: String
    }

    public var cycle: String
    public var maxSpan: Int
    public var maxReviewsPerReviewer: Int
    public var minGroupSize: Int
    public var spans: [Span]
    public var reviewLoad: [ReviewLoad]
    public var incidents: [TeamIncidents]
    public var teams: [TeamSignals]
    public var warnings: [Warning]
}

public enum TeamHealth {
    /// Engagement falling by at least this many points over the recorded period is a warning.
    public static let engagementDeclineWarning: Double = 5
    /// A team with at least this many incidents, where one person handled more than
    /// `incidentConcentrationShare` of them, gets a warning: the on-call load is not shared.
    public static let incidentConcentrationMinimum = 3
    public static let incidentConcentrationShare = 0.5

    /// Builds the report for `cycle`, for the people of `teams` (nil: everyone).
    public static func build(organisation: Organisation, cycle: Cycle, teams scope: Set<String>? = nil)
        -> TeamHealthReport
    {
        let policy = organisation.policy ?? Policy()
        func inScope(_ person: String) -> Bool {
            guard let scope else { return true }
            guard let team = organisation.person(person)?.team.value else { return false }
            return scope.contains(team)
        }
        var warnings: [TeamHealthReport.Warning] = []

        // Span of control: every manager of someone in scope, or in scope themselves.
        var spans: [TeamHealthReport.Span] = []
        var seenManagers: Set<String> = []
        let reportsByManager = organisation.directReportsByManager()
        for person in organisation.people where seenManagers.insert(person.id.value).inserted {
            let reports = Set(reportsByManager[person.id.value] ?? [])
            guard !reports.isEmpty, inScope(person.id.value) || reports.contains(where: inScope) else { continue }
            let over = reports.count > policy.maxSpan
            spans.append(
                .init(
                    manager: person.id.value, name: organisation.displayName(of: person.id.value),
                    directReports: reports.count, overLimit: over))
            if over {
                warnings.append(
                    .init(
                        kind: "span-of-control", subject: person.id.value,
                        message:
                            "\(organisation.displayName(of: person.id.value)) manages \(reports.count) people directly; team_health.max_span is \(policy.maxSpan)"
                    ))
            }
        }
        spans.sort { ($0.directReports, $1.manager) > ($1.directReports, $0.manager) }

        // Review load and incidents, from the cycle's folders.
        var reviews: [String: Int] = [:]
        var peers: [String: Int] = [:]
        var incidentsByPerson: [String: Int] = [:]
        for personCycle in organisation.personCycles where personCycle.cycleFolder == cycle.folder {
            if let reviewer = personCycle.review?.author?.value { reviews[reviewer, default: 0] += 1 }
            for feedback in personCycle.peerFeedback {
                if let author = feedback.author?.value { peers[author, default: 0] += 1 }
            }
            var seen: Set<String> = []
            for item in personCycle.items where item.type == .incident && seen.insert(item.id.value).inserted {
                incidentsByPerson[personCycle.personFolder, default: 0] += 1
            }
        }
        var load: [TeamHealthReport.ReviewLoad] = []
        for writer in Set(reviews.keys).union(peers.keys) where inScope(writer) {
            let total = (reviews[writer] ?? 0) + (peers[writer] ?? 0)
            let over = total > policy.maxReviewsPerReviewer
            load.append(
                .init(
                    person: writer, name: organisation.displayName(of: writer), reviews: reviews[writer] ?? 0,
                    peerFeedback: peers[writer] ?? 0, total: total, overLimit: over))
            if over {
                warnings.append(
                    .init(
                        kind: "review-load", subject: writer,
                        message:
                            "\(organisation.displayName(of: writer)) wrote \(total) reviews and peer feedback this cycle; team_health.max_reviews_per_reviewer is \(policy.maxReviewsPerReviewer)"
                    ))
            }
        }
        load.sort { ($0.total, $1.person) > ($1.total, $0.person) }

        // Teams: every team someone in scope belongs to, plus scoped team files.
        var members: [String: Int] = [:]
        var teamOrder: [String] = []
        for person in organisation.people where scope == nil || scope?.contains(person.team.value) == true {
            if members[person.team.value] == nil { teamOrder.append(person.team.value) }
            members[person.team.value, default: 0] += 1
        }
        for team in organisation.teams where scope == nil || scope?.contains(team.id.value) == true {
            if members[team.id.value] == nil {
                teamOrder.append(team.id.value)
                members[team.id.value] = 0
            }
        }
        teamOrder.sort()

        var peopleByTeam: [String: [String]] = [:]
        var seenPeople: Set<String> = []
        for person in organisation.people where seenPeople.insert(person.id.value).inserted {
            peopleByTeam[person.team.value, default: []].append(person.id.value)
        }

        var incidents: [TeamHealthReport.TeamIncidents] = []
        var signals: [TeamHealthReport.TeamSignals] = []
        for teamID in teamOrder {
            let team = organisation.team(teamID)
            let name = team?.name ?? teamID
            let count = members[teamID] ?? 0
            let byPerson = (peopleByTeam[teamID] ?? []).compactMap { person -> TeamHealthReport.PersonIncidents? in
                guard let incidents = incidentsByPerson[person], incidents > 0 else { return nil }
                return .init(person: person, name: organisation.displayName(of: person), incidents: incidents)
            }.sorted { ($0.incidents, $1.person) > ($1.incidents, $0.person) }
            let total = byPerson.reduce(0) { $0 + $1.incidents }
            incidents.append(.init(team: teamID, name: name, members: count, incidents: total, byPerson: byPerson))
            if total >= incidentConcentrationMinimum, let top = byPerson.first,
                Double(top.incidents) > Double(total) * incidentConcentrationShare
            {
                warnings.append(
                    .init(
                        kind: "incident-concentration", subject: teamID,
                        message: "\(top.name) handled \(top.incidents) of \(name)'s \(total) incidents this cycle"))
            }

            var signal = TeamHealthReport.TeamSignals(
                team: teamID, name: name, members: count, hasTeamFile: team != nil, suppressed: nil,
                attritionRisk: nil, engagement: [], engagementChange: nil, onCallPeople: team?.onCallPeople,
                pagesPerWeek: team?.pagesPerWeek)
            if let team {
                if count < policy.minGroupSize {
                    signal.suppressed = Suppression.fewerThan(policy.minGroupSize).message
                } else {
                    signal.attritionRisk = team.attritionRisk?.rawValue
                    let points = team.engagement.sorted { $0.date < $1.date }
                    signal.engagement = points.map { .init(date: $0.date.description, score: $0.score) }
                    if let first = points.first, let last = points.last, points.count > 1 {
                        let change = last.score - first.score
                        signal.engagementChange = change
                        if change <= -engagementDeclineWarning {
                            warnings.append(
                                .init(
                                    kind: "engagement-decline", subject: teamID,
                                    message:
                                        "\(name) engagement fell from \(score(first.score)) to \(score(last.score)) between \(first.date) and \(last.date)"
                                ))
                        }
                    }
                    if team.attritionRisk == .high {
                        warnings.append(
                            .init(
                                kind: "attrition-risk", subject: teamID, message: "\(name) reports high attrition risk")
                        )
                    }
                }
            }
            signals.append(signal)
        }

        return TeamHealthReport(
            cycle: cycle.id.value, maxSpan: policy.maxSpan, maxReviewsPerReviewer: policy.maxReviewsPerReviewer,
            minGroupSize: policy.minGroupSize, spans: spans, reviewLoad: load, incidents: incidents, teams: signals,
            warnings: warnings)
    }

    /// A survey score without a needless ".0".
    static func score(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e9 ? String(Int(value)) : String(format: "%.1f", value)
    }
}
