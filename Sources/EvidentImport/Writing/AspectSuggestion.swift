import Foundation

/// A suggested aspect for a topic, from words common in ladders. Printed when an import
/// is refused, never applied: the mapping is the organisation's decision.
enum AspectSuggestion {
    static let what = [
        "impact", "delivery", "deliver", "execution", "mastery", "technical", "technology", "quality", "reliability",
        "system", "architecture", "coding", "code", "craft", "expertise", "results", "outcome", "scope", "product",
        "security", "testing", "operations", "design", "data", "performance", "customer", "skill", "knowledge",
    ]
    static let how = [
        "communication", "comms", "feedback", "leadership", "influence", "collaboration", "mentoring", "mentorship",
        "people", "team", "culture", "ownership", "judgement", "judgment", "process", "initiative", "values",
        "teaching", "coaching", "hiring", "stakeholder", "relationship", "accountability", "vision", "strategy",
    ]

    static func suggest(_ topicID: String) -> ImportOptions.Aspect? {
        let words = topicID.split(separator: "-").map(String.init)
        let whatHits = words.filter { word in what.contains { word.hasPrefix($0) } }.count
        let howHits = words.filter { word in how.contains { word.hasPrefix($0) } }.count
        if whatHits > howHits { return .what }
        if howHits > whatHits { return .how }
        return nil
    }
}
