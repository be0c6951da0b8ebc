import Foundation
import XCTest

@testable import EvidentCore

/// docs/reference.md states the default of every optional policy field; this loads an
/// evident.yaml holding only the required fields and compares what the loader made of
/// it with the documented defaults, so neither can change alone.
final class ReferenceDefaultsTests: XCTestCase {
    func testDocumentedPolicyDefaultsAreTheLoadersDefaults() throws {
        let minimal = """
            evident: 1
            organization: T
            ratings: [{ id: meets, label: Meets }]

            """
        let organisation = try RepositoryLoader.load(from: MemorySource(root: "/t", texts: ["evident.yaml": minimal]))
        let policy = try XCTUnwrap(organisation.policy)
        func list(_ items: [String]) -> String { "`[\(items.joined(separator: ", "))]`" }
        let actual: [String: String] = [
            "ratings[].min_evidence": "`\(try XCTUnwrap(policy.ratings.first).minEvidence)`",
            "evidence.allowed_links": list(policy.allowedLinks),
            "evidence.min_per_dimension": "`\(policy.minPerDimension)`",
            "evidence.recency.last_weeks": "`\(policy.recencyLastWeeks)`",
            "evidence.recency.max_share": "`\(policy.recencyMaxShare)`",
            "reviews.min_peer_feedback": "`\(policy.minPeerFeedback)`",
            "reviews.max_words.self": "`\(policy.maxWordsSelf)`",
            "reviews.max_words.review": "`\(policy.maxWordsReview)`",
            "reviews.max_words.peer": "`\(policy.maxWordsPeer)`",
            "reviews.max_words.summary": "`\(policy.maxWordsSummary)`",
            "reviews.appeal_days": "`\(policy.appealDays)`",
            "signoff.required": list(policy.requiredSignoffs.map(\.rawValue)),
            "signoff.require_signature": "`\(policy.requireSignature)`",
            "privacy.min_group_size": "`\(policy.minGroupSize)`",
            "team_health.max_span": "`\(policy.maxSpan)`",
            "team_health.max_reviews_per_reviewer": "`\(policy.maxReviewsPerReviewer)`",
            "language.vague": list(policy.vaguePhrases),
            "language.allow": list(policy.allowedPhrases),
            "rules": policy.ruleSettings.isEmpty ? "`{}`" : "not empty",
            "sealing.enabled": "`\(policy.sealing.enabled)`",
            "sealing.readers.evidence": list(policy.sealing.terms(for: .evidence).map(termName)),
            "sealing.readers.self": list(policy.sealing.terms(for: .selfReview).map(termName)),
            "sealing.readers.peer": list(policy.sealing.terms(for: .peer).map(termName)),
            "sealing.readers.review": list(policy.sealing.terms(for: .review).map(termName)),
            "sealing.readers.private": list(policy.sealing.terms(for: .privateSection).map(termName)),
        ]
        XCTAssertEqual(try documentedPolicyDefaults(), actual)
    }

    /// Field path → default column of the `evident.yaml` table, for rows with a default.
    /// A reader term as evident.yaml spells it.
    private func termName(_ term: SealingPolicy.Term) -> String {
        switch term {
        case .person: "person"
        case .author: "author"
        case .manager: "manager"
        case .skipLevel: "skip-level"
        case .managerChain: "manager-chain"
        case .calibrators: "calibrators"
        case .named(let name): name
        }
    }

    private func documentedPolicyDefaults() throws -> [String: String] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("docs/reference.md"), encoding: .utf8)
        let start = try XCTUnwrap(text.range(of: "## `evident.yaml`: policy"))
        let section = text[start.upperBound...]
        let end = section.range(of: "\n## ")?.lowerBound ?? section.endIndex
        var defaults: [String: String] = [:]
        for line in section[..<end].split(separator: "\n") where line.hasPrefix("| `") {
            // Cells are split on " | "; an escaped "\|" inside a cell stays in it.
            let cells = line.replacingOccurrences(of: "\\|", with: "\u{1}").split(
                separator: "|", omittingEmptySubsequences: false
            )
            .map { $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "\u{1}", with: "\\|") }
            guard cells.count >= 6 else { continue }
            let field = cells[1].trimmingCharacters(in: CharacterSet(charactersIn: "`"))
            if !cells[4].isEmpty { defaults[field] = cells[4] }
        }
        XCTAssertGreaterThan(defaults.count, 10, "expected the evident.yaml table's defaults")
        return defaults
    }
}
