import EvidentCore
import XCTest

@testable import EvidentRules

/// Runs every rule's documented examples from the registry: triggering examples must
/// report exactly at their markers, non-triggering ones must report nothing.
final class RuleExampleTests: XCTestCase {
    private func diagnostics(for example: RuleExample) throws -> [Diagnostic] {
        let source = MemorySource(root: "/example", texts: example.repositoryFiles)
        let organisation = try RepositoryLoader.load(from: source)
        let ledger = example.signoffs.isEmpty ? nil : SignoffLedger(entries: example.signoffs)
        return RuleEngine().check(organisation, source: source, signoffs: ledger)
    }

    func testExampleRepositoryIsClean() throws {
        let source = MemorySource(root: "/example", texts: ExampleRepository.files)
        let organisation = try RepositoryLoader.load(from: source)
        let found = RuleEngine().check(organisation, source: source)
        XCTAssertEqual(found.map { "\($0.location.file):\($0.location.line): \($0.message) [\($0.ruleID)]" }, [])
        XCTAssertEqual(organisation.people.count, 6)
        XCTAssertEqual(organisation.personCycles.count, 1)
    }

    func testEveryRuleHasBothKindsOfExample() {
        for rule in RuleRegistry.all {
            let description = rule.description
            XCTAssertFalse(description.triggeringExamples.isEmpty, "\(description.id) has no triggering example")
            XCTAssertFalse(description.nonTriggeringExamples.isEmpty, "\(description.id) has no passing example")
            for example in description.triggeringExamples {
                XCTAssertFalse(example.expectedLocations.isEmpty, "\(description.id): example without a marker")
            }
        }
    }

    func testTriggeringExamplesReportAtTheirMarkers() throws {
        for rule in RuleRegistry.all {
            let id = rule.description.id
            for (index, example) in rule.description.triggeringExamples.enumerated() {
                let found = try diagnostics(for: example).filter { $0.ruleID == id }
                let locations = found.map(\.location).sorted()
                XCTAssertEqual(
                    locations, example.expectedLocations,
                    "\(id) triggering example \(index + 1) (\(example.caption)): \(found.map(\.message))")
            }
        }
    }

    func testNonTriggeringExamplesAreSilent() throws {
        for rule in RuleRegistry.all {
            let id = rule.description.id
            for (index, example) in rule.description.nonTriggeringExamples.enumerated() {
                let found = try diagnostics(for: example).filter { $0.ruleID == id }
                XCTAssertEqual(
                    found.map(\.message), [], "\(id) non-triggering example \(index + 1) (\(example.caption))")
            }
        }
    }

    func testRuleIDsAreUniqueAndKebabCase() {
        let ids = RuleRegistry.all.map { $0.description.id }
        XCTAssertEqual(Set(ids).count, ids.count)
        for id in ids { XCTAssertNotNil(id.range(of: "^[a-z]+(-[a-z0-9]+)*$", options: .regularExpression), id) }
    }

    func testSummariesAreLowercaseWithoutFinalPeriod() {
        for rule in RuleRegistry.all {
            let summary = rule.description.summary
            XCTAssertEqual(summary.first.map { String($0).lowercased() }, summary.first.map(String.init), summary)
            XCTAssertFalse(summary.hasSuffix("."), summary)
        }
    }
}
