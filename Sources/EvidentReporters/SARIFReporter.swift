import EvidentCore
import EvidentRules

/// SARIF 2.1.0, for code-scanning dashboards (GitHub, Azure DevOps, IDE viewers).
///
/// One run. `tool.driver.rules` carries the whole catalogue passed in, so a viewer can
/// explain a rule without running `evident`; results point at it by `ruleId` and
/// `ruleIndex`. Locations are repository-relative URIs against the `SRCROOT` base,
/// whose absolute value is recorded in `originalUriBaseIds`, so a log made on one
/// machine reads the same on another.
public struct SARIFReporter: DiagnosticReporter {
    public static let schemaURI = "https://json.schemastore.org/sarif-2.1.0.json"
    public static let informationURI = "https://evident.example/"
    /// The `uriBaseId` every location is relative to.
    public static let sourceRootID = "SRCROOT"

    /// The rule catalogue, usually every registered rule.
    public var rules: [RuleDescription]

    public init(rules: [RuleDescription]) {
        self.rules = rules
    }

    public func render(_ diagnostics: [Diagnostic], context: ReportContext) -> String {
        let catalogue = Catalogue(rules: rules, diagnostics: diagnostics)
        let run = Run(
            tool: Tool(
                driver: Driver(
                    name: "evident", informationUri: Self.informationURI,
                    semanticVersion: context.toolVersion, rules: catalogue.descriptors)),
            originalUriBaseIds: [
                Self.sourceRootID: BaseLocation(uri: URIEncoding.fileURI(forDirectory: context.repositoryRoot))
            ],
            columnKind: "unicodeCodePoints",
            results: diagnostics.map { Result($0, ruleIndex: catalogue.index(of: $0.ruleID)) })
        return StableJSON.encode(Log(schema: Self.schemaURI, version: "2.1.0", runs: [run]))
    }
}

extension SARIFReporter {
    /// The rules as listed in the log, plus a bare entry for any rule id a diagnostic
    /// uses that the catalogue lacks, because every `ruleId` must resolve to a rule.
    struct Catalogue {
        private(set) var descriptors: [ReportingDescriptor] = []
        private var indices: [String: Int] = [:]

        init(rules: [RuleDescription], diagnostics: [Diagnostic]) {
            for rule in rules { add(ReportingDescriptor(rule)) }
            for diagnostic in diagnostics where indices[diagnostic.ruleID] == nil {
                add(ReportingDescriptor(undescribed: diagnostic.ruleID, level: diagnostic.severity))
            }
        }

        /// Every diagnostic's rule was added in `init`, so the lookup always succeeds
        /// for the diagnostics the catalogue was built from.
        func index(of ruleID: String) -> Int {
            guard let index = indices[ruleID] else {
                preconditionFailure("rule \(ruleID) was not added to the SARIF catalogue")
            }
            return index
        }

        private mutating func add(_ descriptor: ReportingDescriptor) {
            guard indices[descriptor.id] == nil else { return }
            indices[descriptor.id] = descriptors.count
            descriptors.append(descriptor)
        }
    }

    /// `citation-unknown` → `CitationUnknown`: SARIF's `name` is an identifier-like
    /// rendering of the id, as other tools use.
    static func upperCamelCase(_ id: String) -> String {
        id.split(whereSeparator: { !$0.isLetter && !$0.isNumber })
            .map { $0.prefix(1).uppercased() + $0.dropFirst() }
            .joined()
    }
}

// MARK: - The subset of the SARIF object model that evident writes

extension SARIFReporter {
    struct Log: Encodable {
        let schema: String
        let version: String
        let runs: [Run]

        enum CodingKeys: String, CodingKey {
            case schema = "$schema"
            case version, runs
        }
    }

    struct Run: Encodable {
        let tool: Tool
        let originalUriBaseIds: [String: BaseLocation]
        let columnKind: String
        let results: [Result]
    }

    struct Tool: Encodable {
        let driver: Driver
    }

    struct Driver: Encodable {
        let name: String
        let informationUri: String
        let semanticVersion: String
        let rules: [ReportingDescriptor]
    }

    struct BaseLocation: Encodable {
        let uri: String
    }

    struct Message: Encodable {
        let text: String
    }

    struct MultiformatMessage: Encodable {
        let text: String
        let markdown: String
    }

    struct Configuration: Encodable {
        let level: Severity
    }

    struct ReportingDescriptor: Encodable {
        let id: String
        let name: String
        let shortDescription: Message
        let fullDescription: Message
        let help: MultiformatMessage
        let defaultConfiguration: Configuration

        init(_ rule: RuleDescription) {
            id = rule.id
            name = SARIFReporter.upperCamelCase(rule.id)
            shortDescription = Message(text: rule.summary)
            fullDescription = Message(text: rule.rationale)
            help = MultiformatMessage(
                text: rule.rationale + "\n\n" + Self.silencingHelp(rule.id, code: { $0 }),
                markdown: rule.rationale + "\n\n" + Self.silencingHelp(rule.id, code: { "`\($0)`" }))
            defaultConfiguration = Configuration(level: rule.defaultSeverity)
        }

        init(undescribed id: String, level: Severity) {
            self.id = id
            name = SARIFReporter.upperCamelCase(id)
            let text = "Reported by evident; no description was supplied for this rule."
            shortDescription = Message(text: id)
            fullDescription = Message(text: text)
            help = MultiformatMessage(
                text: text + "\n\n" + Self.silencingHelp(id, code: { $0 }),
                markdown: text + "\n\n" + Self.silencingHelp(id, code: { "`\($0)`" }))
            defaultConfiguration = Configuration(level: level)
        }

        /// How to turn the rule down, where a dashboard shows it next to the finding.
        static func silencingHelp(_ id: String, code: (String) -> String) -> String {
            "To change its severity or turn it off for a repository, set "
                + code("rules: { \(id): off }") + " (or " + code("warning") + ") in "
                + code("evident.yaml") + ". To silence one place, put "
                + code("<!-- evident-disable-next-line \(id) -->") + " on the line before it. "
                + code("evident explain \(id)") + " shows examples."
        }
    }

    struct Result: Encodable {
        let ruleId: String
        let ruleIndex: Int
        let level: Severity
        let message: Message
        let locations: [Location]
        /// Left out when no note has a location.
        let relatedLocations: [Location]?

        /// Notes with a location become related locations (numbered from 1, as
        /// SARIF message links expect); the others are appended to the message.
        init(_ diagnostic: Diagnostic, ruleIndex: Int) {
            ruleId = diagnostic.ruleID
            self.ruleIndex = ruleIndex
            level = diagnostic.severity
            let plainNotes = diagnostic.notes.filter { $0.location == nil }.map(\.message)
            message = Message(text: ([diagnostic.message] + plainNotes).joined(separator: "\n"))
            locations = [Location(id: nil, at: diagnostic.location, message: nil)]
            let related = diagnostic.notes.compactMap { note in
                note.location.map { (location: $0, message: note.message) }
            }
            relatedLocations =
                related.isEmpty
                ? nil
                : related.enumerated().map { offset, note in
                    Location(id: offset + 1, at: note.location, message: Message(text: note.message))
                }
        }
    }

    struct Location: Encodable {
        let id: Int?
        let physicalLocation: PhysicalLocation
        let message: Message?

        init(id: Int?, at location: SourceLocation, message: Message?) {
            self.id = id
            physicalLocation = PhysicalLocation(
                artifactLocation: ArtifactLocation(
                    uri: URIEncoding.percentEncodePath(PathDisplay.normalize(location.file)),
                    uriBaseId: SARIFReporter.sourceRootID),
                region: Region(startLine: location.line, startColumn: location.column))
            self.message = message
        }
    }

    struct PhysicalLocation: Encodable {
        let artifactLocation: ArtifactLocation
        let region: Region
    }

    struct ArtifactLocation: Encodable {
        let uri: String
        let uriBaseId: String
    }

    struct Region: Encodable {
        let startLine: Int
        let startColumn: Int
    }
}
