/// Every rule Evident knows, in catalogue order. `evident rules`, `evident explain`,
/// SARIF's rule list and the example tests all read this one list.
public enum RuleRegistry {
    public static let all: [any Rule.Type] = [
        FrontMatterSyntaxRule.self,
        FrontMatterSchemaRule.self,
        ConfigInvalidRule.self,
        UnknownReferenceRule.self,
        DuplicateIDRule.self,
        // Evidence, citation, rating and calibration rules:
        EvidenceLinkBrokenRule.self,
        EvidenceLinkDisallowedRule.self,
        EvidenceDateOutsideCycleRule.self,
        CitationUnknownRule.self,
        EvidenceUncitedRule.self,
        RatingUnknownRule.self,
        RatingEvidenceRule.self,
        MetricOnlyRule.self,
        CalibrationUncitedRule.self,
        RecencyBiasRule.self,
        // Rubric, input and language rules:
        RubricCoverageRule.self,
        RubricUnknownSectionRule.self,
        PrivateHeadingUnrecognisedRule.self,
        SummaryMissingRule.self,
        AppealUnansweredRule.self,
        CalibratorConflictRule.self,
        PeerFeedbackMissingRule.self,
        DeadlineMissedRule.self,
        VagueLanguageRule.self,
        BiasedLanguageRule.self,
        WordLimitRule.self,
        ValuesCountRule.self,
        BalanceRule.self,
        // Sign-off rules:
        SignoffStaleRule.self,
        SignoffUnauthorizedRule.self,
        SignoffSignatureRule.self,
        // Sealing rules:
        SealReadersRule.self,
        SealNoKeyRule.self,
    ]

    public static var descriptions: [RuleDescription] { all.map { $0.description } }

    public static let allIDs: Set<String> = Set(all.map { $0.description.id })

    public static func rule(_ id: String) -> (any Rule.Type)? {
        all.first { $0.description.id == id }
    }
}
