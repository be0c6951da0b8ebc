import EvidentCore

/// Ids that name nothing: a manager who is not in people.yaml, a level with no guide, a
/// dimension the person's level does not have, a value or metric not in the catalogue.
struct UnknownReferenceRule: Rule {
    static let description = RuleDescription(
        id: "unknown-reference",
        defaultSeverity: .error,
        cost: .slow(rank: 6),
        summary: "a person, level, cycle, team, dimension, value or metric id that does not exist",
        rationale: """
            Reviews are only comparable when they are judged against the same named criteria. An evidence \
            item tagged with a dimension the level does not define, or a review against a level with no \
            guide, cannot be checked for coverage and cannot be calibrated. Misspelt ids are the usual cause.
            """,
        triggeringExamples: [
            RuleExample(
                """
                ---
                kind: review
                person: alice
                cycle: 2026-h2
                reviewer: 1️⃣dania
                level: eng-3
                rating: meets
                ---
                ## Delivery impact
                Alice cut checkout p99 from 900 ms to 250 ms [@checkout-latency].

                ## Technical judgment
                She designed the retry queue with its failure modes first [@queue-design].
                """, caption: "a reviewer who is not in people.yaml"),
            RuleExample(
                """
                ---
                kind: evidence
                person: alice
                cycle: 2026-h2
                items:
                  - id: checkout-latency
                    date: 2026-08-14
                    type: pull-request
                    summary: Cut checkout p99 from 900 ms to 250 ms
                    dimensions: [delivery, 1️⃣speed]
                    values: [2️⃣hustle]
                    metric: 3️⃣p99
                  - id: queue-design
                    date: 2026-09-02
                    type: design-doc
                    summary: Retry queue design
                    dimensions: [technical-judgment]
                ---
                """, file: "cycles/2026-h2/alice/evidence.md",
                caption: "a dimension, value and metric that do not exist"),
        ],
        nonTriggeringExamples: [
            RuleExample(ExampleRepository.files[RuleExample.defaultFile] ?? "", caption: "every id resolves"),
            RuleExample(
                "---\nkind: values\nvalues: [\n---\n", file: "values.md",
                caption: "values.md does not parse: its syntax error is reported, not every value it would have defined"
            ),
        ])

    func check(_ context: RuleContext) {
        let organisation = context.organisation
        let teamIDs = Set(organisation.teams.map(\.id.value))
        let checkTeams = !organisation.isIncomplete(.team)
        let checkPeople = !organisation.isIncomplete(.people)
        let checkLevels = !organisation.isIncomplete(.level)
        let checkValues = !organisation.isIncomplete(.values)
        let checkMetrics = !organisation.isIncomplete(.metrics)
        let checkCycles = !organisation.isIncomplete(.cycle)
        func checkTeam(_ team: Located<String>) {
            // Team files are optional; team ids are checked only once any exist.
            if checkTeams, !teamIDs.isEmpty, !teamIDs.contains(team.value) {
                context.report("unknown team '\(team.value)': no teams/\(team.value).yaml", at: team.location)
            }
        }
        func checkPerson(_ id: Located<String>?, as role: String) {
            guard checkPeople, let id, organisation.person(id.value) == nil else { return }
            context.report("unknown \(public: role) '\(id.value)': not in people.yaml", at: id.location)
        }
        func checkLevel(_ id: Located<String>?, as role: String = "level") {
            guard checkLevels, let id, organisation.level(id.value) == nil else { return }
            context.report(
                "unknown \(public: role) '\(id.value)': no level guide levels/\(id.value).md", at: id.location)
        }

        // Findings about a person's manager, level and team lie in the file declaring the
        // person: skipped whole when that file is not reported on (a staged review).
        let people = context.reportsAny(of: organisation.people) ? organisation.people : []
        for person in people {
            checkPerson(person.manager, as: "manager")
            checkLevel(person.level)
            checkTeam(person.team)
        }
        for level in organisation.levels {
            checkLevel(level.next, as: "next level")
            checkLevel(level.includes, as: "included level")
            if let cycle = level.includeCycle, let includes = level.includes {
                context.report(
                    "includes: leads back to \(public: level.id.value) (\(public: cycle.joined(separator: " → "))): a level cannot inherit from itself",
                    at: includes.location)
            }
        }
        if checkLevels {
            // A misspelt specialism would silently require nothing extra of the person.
            for person in organisation.people {
                guard let specialism = person.specialism, let level = organisation.level(person.level.value) else {
                    continue
                }
                let known = Set(level.dimensions.compactMap { $0.specialism?.value })
                if !known.contains(specialism.value) {
                    let list = known.sorted().joined(separator: ", ")
                    let detail = list.isEmpty ? "the level has no specialism dimensions" : "its specialisms: \(list)"
                    context.report(
                        "unknown specialism '\(public: specialism.value)': no dimension of level \(public: level.id.value) is for it (\(public: detail))",
                        at: specialism.location)
                }
            }
        }
        for cycle in organisation.cycles {
            for group in cycle.groups {
                for calibrator in group.calibrators { checkPerson(calibrator, as: "calibrator") }
                for team in group.teams { checkTeam(team) }
            }
            for team in cycle.participants?.teams ?? [] { checkTeam(team) }
            for participant in cycle.participants?.people ?? [] { checkPerson(participant, as: "participant") }
            for excluded in cycle.exclude { checkPerson(excluded, as: "excluded person") }
        }
        var cycleIDs = CycleIDs()
        for personCycle in organisation.personCycles {
            let level = organisation.level(for: personCycle)
            let documents = personCycle.writtenDocuments
            for document in documents {
                checkFolder(
                    document, personCycle, context, &cycleIDs, checkPeople: checkPeople, checkCycles: checkCycles)
                checkPerson(document.author, as: document.kind == .review ? "reviewer" : "author")
                checkLevel(document.level)
                checkLevel(document.promotion?.target, as: "promotion target")
            }
            for document in personCycle.voiceDocuments {
                checkFolder(
                    document, personCycle, context, &cycleIDs, checkPeople: checkPeople, checkCycles: checkCycles)
                checkPerson(document.appeal?.answer?.by, as: "answerer")
            }
            if let evidenceFile = personCycle.evidenceFile, let file = organisation.file(evidenceFile),
                case .review(let log)? = file.document
            {
                checkFolder(log, personCycle, context, &cycleIDs, checkPeople: checkPeople, checkCycles: checkCycles)
            }
            for item in personCycle.items {
                if let level {
                    for dimension in item.dimensions where level.dimension(dimension.value) == nil {
                        context.report(
                            "unknown dimension '\(dimension.value)': level \(public: level.id.value) has \(public: level.dimensions.map(\.id.value).joined(separator: ", "))",
                            at: dimension.location)
                    }
                }
                for value in item.values where checkValues && !organisation.hasValue(value.value) {
                    context.report("unknown value '\(value.value)': not in values.md", at: value.location)
                }
                if checkMetrics, let metric = item.metric, !organisation.hasMetric(metric.value) {
                    context.report("unknown metric '\(metric.value)': not in metrics.yaml", at: metric.location)
                }
            }
        }
    }

    /// A document's `person:` and `cycle:` must name the folder it sits in.
    private func checkFolder(
        _ document: ReviewDocument, _ personCycle: PersonCycle, _ context: RuleContext, _ cycleIDs: inout CycleIDs,
        checkPeople: Bool, checkCycles: Bool
    ) {
        let organisation = context.organisation
        if let person = document.person {
            if organisation.person(person.value) == nil {
                if checkPeople {
                    context.report("unknown person '\(person.value)': not in people.yaml", at: person.location)
                }
            } else if person.value != personCycle.personFolder {
                context.report(
                    "the file is in \(public: personCycle.personFolder)'s folder but names person '\(person.value)'",
                    at: person.location)
            }
        }
        if let cycle = document.cycle {
            if cycleIDs.id(of: cycle.value, in: organisation) == nil {
                if checkCycles {
                    context.report(
                        "unknown cycle '\(cycle.value)': no cycles/\(cycle.value)/cycle.yaml", at: cycle.location)
                }
            } else if cycleIDs.id(of: personCycle.cycleFolder, in: organisation) != cycle.value,
                personCycle.cycleFolder != cycle.value
            {
                context.report(
                    "the file is in cycle folder '\(public: personCycle.cycleFolder)' but names cycle '\(cycle.value)'",
                    at: cycle.location)
            }
        }
    }
}

/// `organisation.cycle(name)?.id.value` by name, remembered: a check asks it for every
/// review file, about the same one or two cycles, and each `cycle(_:)` copies a whole cycle
/// (its groups and participants) out of the organisation.
private struct CycleIDs {
    private var known: [String: String?] = [:]

    mutating func id(of name: String, in organisation: Organisation) -> String? {
        if let id = known[name] { return id }
        let id = organisation.cycle(name)?.id.value
        known[name] = .some(id)
        return id
    }
}
