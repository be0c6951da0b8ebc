import EvidentCore
import EvidentGit
import Foundation
import XCTest

@testable import EvidentCalibration

final class RecordTests: XCTestCase {
    /// A ladder's grade, its examples and a specialism's dimension reach the record and
    /// the packet: the employee sees the criteria they are judged on, no others.
    func testRecordAndPacketShowTheGradeExamplesAndOnlyTheirSpecialism() throws {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("acme-ladder-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: URL(fileURLWithPath: acmeRoot), to: copy)
        defer { try? FileManager.default.removeItem(at: copy) }
        let guide = copy.appendingPathComponent("levels/eng-3.md")
        var text = try String(contentsOf: guide, encoding: .utf8)
        text = text.replacingOccurrences(of: "next: eng-4\n", with: "next: eng-4\ngrade: 3\n")
        text = text.replacingOccurrences(
            of: "      - Plans milestones so that value lands incrementally, not in one late drop\n",
            with: """
                      - Plans milestones so that value lands incrementally, not in one late drop
                    examples: [A latency project in three shippable milestones]
                  - id: analytics
                    name: Analytics
                    aspect: what
                    specialism: analytics
                    expectations: [Designs experiments whose results change a product decision]

                """)
        try text.write(to: guide, atomically: true, encoding: .utf8)
        let source = try DiskSource(root: copy.path)
        let organisation = try RepositoryLoader.load(from: source)
        let record = try DecisionRecordBuilder.build(
            organisation: organisation, person: "alice", cycle: "2026-h2", source: source, signoffs: nil)
        XCTAssertEqual(record.levelGrade, 3)
        XCTAssertFalse(record.dimensions.contains { $0.id == "analytics" }, "Alice has no analytics specialism")
        XCTAssertEqual(
            record.dimensions.first { $0.id == "delivery" }?.examples,
            ["A latency project in three shippable milestones"])
        for output in [RecordRenderer.markdown(record), RecordRenderer.html(record)] {
            XCTAssertTrue(output.contains("grade 3"), "the grade is shown")
            XCTAssertTrue(output.contains("A latency project in three shippable milestones"), "examples are shown")
            XCTAssertTrue(output.contains("not a requirement"), "as illustrations")
            XCTAssertFalse(output.contains("Designs experiments"), "another specialism's criteria are not")
        }
        let packet = try PacketBuilder.build(
            organisation: organisation, cycle: "2026-h2", group: "eng", diagnostics: [], signoffs: nil)
        XCTAssertEqual(packet.members.first { $0.id == "alice" }?.levelGrade, 3)
        XCTAssertTrue(PacketRenderer.markdown(packet).contains("(grade 3)"))
    }

    func testIvansRecordExplainsTheCalibrationChange() throws {
        let (organisation, source) = try loadAcme()
        let record = try DecisionRecordBuilder.build(
            organisation: organisation, person: "ivan", cycle: "2026-h2", source: source, signoffs: nil)
        XCTAssertEqual(record.outcome.rating, "meets")
        XCTAssertEqual(record.outcome.ratingLabel, "Meets expectations")
        XCTAssertEqual(record.outcome.proposed, "exceeds")
        let change = try XCTUnwrap(record.calibration)
        XCTAssertTrue(change.changed)
        XCTAssertEqual(change.from, "exceeds")
        XCTAssertEqual(change.to, "meets")
        XCTAssertEqual(change.evidence.map(\.id), ["payout-scheduler", "recon-report", "webhook-actions"])
        XCTAssertTrue(change.rationale?.hasPrefix("The scheduler shipped on time") == true)
        XCTAssertEqual(
            record.dimensions.map(\.id),
            ["delivery", "reliability", "technical-judgment", "collaboration", "mentoring"])
        XCTAssertEqual(record.evidence.count, 8)
        XCTAssertEqual(record.evidence.map(\.date), record.evidence.map(\.date).sorted { ($0 ?? "") < ($1 ?? "") })
        XCTAssertEqual(record.growthPlans.map(\.source), ["Manager's review"])

        let markdown = RecordRenderer.markdown(record)
        XCTAssertTrue(markdown.contains("Calibration changed the rating from exceeds to meets."))
        XCTAssertTrue(markdown.contains("## Expectations of your level"))
        XCTAssertTrue(markdown.contains("Ships multi-week projects that move a team-level metric"))
        XCTAssertTrue(markdown.contains("It is kept apart from the rating"))
        XCTAssertTrue(markdown.contains("Sign-offs could not be read"))
        // Calibration-only material stays out.
        XCTAssertFalse(markdown.contains("Findings"))
        XCTAssertFalse(markdown.contains("distribution"))
        XCTAssertFalse(markdown.contains("Platform team in the spring"))
    }

    func testGrowthPlanCitationsBecomeReadable() throws {
        let (organisation, source) = try loadAcme()
        let record = try DecisionRecordBuilder.build(
            organisation: organisation, person: "alice", cycle: "2026-h2", source: source, signoffs: nil)
        XCTAssertEqual(record.growthPlans.map(\.source), ["Manager's review", "Self review"])
        let plan = try XCTUnwrap(record.growthPlans.first)
        XCTAssertTrue(plan.paragraphs.joined().contains("payouts-ledger consolidation design"))
        XCTAssertEqual(
            Prose.replacingCitations(in: "as agreed [@a; @b-c] and [a link](x)"),
            "as agreed (evidence: a, b-c) and [a link](x)")
    }

    func testUnknownPersonIsAnError() throws {
        let (organisation, source) = try loadAcme()
        XCTAssertThrowsError(
            try DecisionRecordBuilder.build(
                organisation: organisation, person: "nobody", cycle: "2026-h2", source: source, signoffs: nil))
    }

    func testPersonWithoutAReviewGetsCriteriaAndNoOutcome() throws {
        let (organisation, source) = try loadAcme()
        let record = try DecisionRecordBuilder.build(
            organisation: organisation, person: "vera", cycle: "2026-h2", source: source, signoffs: .init(entries: []))
        XCTAssertFalse(record.hasReview)
        XCTAssertFalse(record.dimensions.isEmpty)
        let markdown = RecordRenderer.markdown(record)
        // Vera is excluded from the example's cycle: her record says so instead of waiting.
        XCTAssertTrue(
            markdown.contains("You are not reviewed in this cycle (excluded in cycle.yaml): there is no rating."))
        XCTAssertFalse(record.isDraft)
        XCTAssertTrue(markdown.contains("No sign-offs yet."))
    }

    // MARK: - Privacy

    /// Every sentence of every `## Private` section of the example organisation and of a
    /// fixture that hides private text in awkward places; none may occur in any record,
    /// in Markdown or HTML.
    func testNoPrivateSentenceReachesAnyRecord() throws {
        var checked = 0
        for (organisation, source) in try fixtures() {
            let sentences = try privateSentences(organisation, source: source)
            XCTAssertFalse(sentences.isEmpty)
            for person in organisation.people {
                for cycle in organisation.cycles {
                    let record = try DecisionRecordBuilder.build(
                        organisation: organisation, person: person.id.value, cycle: cycle.id.value, source: source,
                        signoffs: nil)
                    let outputs = [
                        ("markdown", normalise(RecordRenderer.markdown(record))),
                        ("html", normalise(unescapeHTML(RecordRenderer.html(record)))),
                        ("markdown-unescaped", normalise(unescapeMarkdown(RecordRenderer.markdown(record)))),
                    ]
                    for sentence in sentences {
                        for (format, output) in outputs {
                            XCTAssertFalse(
                                output.contains(sentence), "\(person.id.value)'s \(format) record leaks: \(sentence)")
                        }
                    }
                    checked += 1
                }
            }
        }
        XCTAssertGreaterThan(checked, 12)
    }

    /// The fixture's private text is really found by the sentence collector, and the
    /// growth plan stops at the first private heading of any style.
    func testPrivateFixtureIsWhatThePrivacyTestThinks() throws {
        let (organisation, source) = try privateFixture()
        let sentences = try privateSentences(organisation, source: source).joined(separator: " | ")
        for marker in ["zebra", "quokka", "narwhal", "axolotl", "pangolin", "capybara", "wombat", "okapi", "gecko"] {
            XCTAssertTrue(sentences.contains(marker), "\(marker) missing from \(sentences)")
        }
        let record = try DecisionRecordBuilder.build(
            organisation: organisation, person: "pat", cycle: "c1", source: source, signoffs: nil)
        XCTAssertEqual(
            record.growthPlans.map(\.paragraphs),
            [
                ["Lead the next importer design and present it at the review."], ["I want to lead a design."],
            ])
        // A leak would be caught: the collector's sentences are substrings of the source.
        let leaked = normalise(
            RecordRenderer.markdown(record) + " Pat is negotiating a counter offer with the zebra fund")
        XCTAssertTrue(leaked.contains("Pat is negotiating a counter offer with the zebra fund"))
    }

    /// The packet is a report too: no private sentence appears in it either.
    func testNoPrivateSentenceReachesThePacket() throws {
        for (organisation, source) in try fixtures() {
            let sentences = try privateSentences(organisation, source: source)
            for cycle in organisation.cycles {
                for group in cycle.groups {
                    let packet = try PacketBuilder.build(
                        organisation: organisation, cycle: cycle.id.value, group: group.id.value, diagnostics: [],
                        source: source)
                    let markdown = normalise(unescapeMarkdown(PacketRenderer.markdown(packet)))
                    let html = normalise(unescapeHTML(PacketRenderer.html(packet)))
                    for sentence in sentences {
                        XCTAssertFalse(markdown.contains(sentence), "packet leaks: \(sentence)")
                        XCTAssertFalse(html.contains(sentence), "packet leaks: \(sentence)")
                    }
                }
            }
        }
    }

    func fixtures() throws -> [(Organisation, any RepositorySource)] {
        let acme = try loadAcme()
        let fixture = try privateFixture()
        return [(acme.0, acme.1), (fixture.0, fixture.1)]
    }

    func privateFixture() throws -> (Organisation, MemorySource) {
        let review = """
            ---
            kind: review
            person: pat
            cycle: c1
            reviewer: boss
            level: eng
            rating: meets
            ---
            ## Delivery

            Shipped the importer [@a1].

            ## Private

            Pat is negotiating a counter offer with the zebra fund. Keep this between calibrators.

            ## Collaboration

            Paired with two teams [@a1].

            ## Growth plan

            Lead the next importer design and present it at the review.

            ### Private

            Pat's partner is unwell and the quokka schedule may slip. Do not repeat this.

            # Private

            Level one private heading with the narwhal detail inside it.

            Private
            =======

            Setext private heading hiding the axolotl remark in growth.

            ## PRIVATE

            <script>alert('the pangolin secret')</script> stays hidden as well.

            ## Values

            Wrote it down [@a1].
            """
        let selfReview = """
            ---
            kind: self-review
            person: pat
            cycle: c1
            ---
            ## Delivery

            I shipped the importer [@a1].

            ## Growth plan

            I want to lead a design.

            ## Private

            I am thinking about the capybara transfer next spring.
            """
        let peer = """
            ---
            kind: peer-feedback
            person: pat
            cycle: c1
            author: sam
            ---
            ## Collaboration

            Pat helped me [@a1].

            ## Private

            Between us, the wombat reorganisation worries me a lot.
            """
        // The person's own files: a private note under a bold heading in the response, and
        // a setext one in the appeal, whose text the record and the packet show.
        let response = """
            ---
            kind: response
            person: pat
            cycle: c1
            position: disagree
            ---
            The importer shipped on time [@a1].

            ### **Private**

            My manager does not know about the okapi offer I am weighing.

            ## Next

            I will write the design down first.
            """
        let appeal = """
            ---
            kind: appeal
            person: pat
            cycle: c1
            to: hr
            opened: 2026-11-02
            ---
            The importer is missing from delivery [@a1].

            Private
            =======

            The gecko team lead shouted at me in the retro.
            """
        return try Fixture.load([
            "cycles/c1/pat/response.md": response,
            "cycles/c1/pat/appeal.md": appeal,
            "people.yaml": Fixture.people([
                .init(id: "boss", team: "red"), .init(id: "pat", team: "red", manager: "boss"),
                .init(id: "sam", team: "red", manager: "boss"),
            ]),
            "cycles/c1/pat/evidence.md": Fixture.evidence("pat", [.init(id: "a1")]),
            "cycles/c1/pat/review.md": review,
            "cycles/c1/pat/self.md": selfReview,
            "cycles/c1/pat/peer-sam.md": peer,
        ])
    }

    /// Sentences of private parts: `## Private` sections as the parser sees them, plus
    /// any part under a heading or setext title named Private inside another section.
    func privateSentences(_ organisation: Organisation, source: any RepositorySource) throws -> [String] {
        var sentences: [String] = []
        for personCycle in organisation.personCycles {
            for document in personCycle.writtenDocuments + personCycle.voiceDocuments {
                let text = String(decoding: try source.read(document.file), as: UTF8.self)
                let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                var ranges = document.privateLineRanges
                // Nested or differently styled private headings, up to the next `##`.
                for (index, line) in lines.enumerated() {
                    let trimmed = line.trimmingCharacters(in: .whitespaces).lowercased()
                    let isHeading =
                        trimmed.hasPrefix("#")
                        && trimmed.drop(while: { $0 == "#" }).trimmingCharacters(in: .whitespaces) == "private"
                    let isSetext = trimmed == "private" && index + 1 < lines.count && lines[index + 1].hasPrefix("===")
                    if isHeading || isSetext {
                        var end = index + 1
                        while end + 1 < lines.count, !lines[end + 1].hasPrefix("## ") { end += 1 }
                        ranges.append((index + 1)...(end + 1))
                    }
                }
                for range in ranges {
                    let body = range.compactMap { $0 - 1 < lines.count ? lines[$0 - 1] : nil }
                        .filter { !$0.hasPrefix("#") && !$0.hasPrefix("===") && $0.lowercased() != "private" }
                        .joined(separator: " ")
                    for sentence in body.split(whereSeparator: { ".!?".contains($0) }) {
                        let normalised = normalise(String(sentence))
                        if normalised.split(separator: " ").count >= 3 { sentences.append(normalised) }
                    }
                }
            }
        }
        return sentences
    }

    func normalise(_ text: String) -> String {
        text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).joined(separator: " ")
    }

    func unescapeHTML(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    func unescapeMarkdown(_ text: String) -> String {
        var result = ""
        var escaping = false
        for character in text {
            if escaping || character != "\\" {
                result.append(character)
                escaping = false
            } else {
                escaping = true
            }
        }
        return result
    }

    // MARK: - Sign-offs

    func testSignoffTrailFromRealCommits() throws {
        let repository = try ScratchGitRepository()
        try repository.copy(acmeRoot, to: "reviews")
        try repository.git("add", "-A")
        try repository.git("commit", "-q", "-m", "Acme reviews")
        let file = "cycles/2026-h2/alice/review.md"
        let blob = try repository.git("rev-parse", "HEAD:reviews/\(file)")
        func signoff(_ role: String, _ name: String, _ email: String) throws {
            try repository.git(
                "commit", "-q", "--allow-empty", "-m",
                "Sign off alice's review as \(role)\n\nEvident-Signoff: \(role)\nEvident-File: reviews/\(file)\nEvident-Blob: \(blob)\nEvident-Rating: exceeds\nSigned-off-by: \(name) <\(email)>",
                as: (name, email))
        }
        try signoff("manager", "Dana Okafor", "dana@acme.example")
        try signoff("calibrator", "Omar Haddad", "omar@acme.example")

        let root = repository.path + "/reviews"
        let source = try DiskSource(root: root)
        let organisation = try RepositoryLoader.load(from: source)
        let location = try XCTUnwrap(try GitReviewLocation.find(reviewRoot: root, environment: [:]))
        let ledger = try SignoffHistory.ledger(
            location: location, organisation: organisation, content: .head, useCache: false)
        var record = try DecisionRecordBuilder.build(
            organisation: organisation, person: "alice", cycle: "2026-h2", source: source, signoffs: ledger)
        guard case .read(let entries, let missing) = record.signoffs else { return XCTFail("sign-offs not read") }
        XCTAssertEqual(entries.map(\.role).sorted(), ["calibrator", "manager"])
        XCTAssertEqual(entries.first { $0.role == "manager" }?.status, .valid)
        XCTAssertEqual(entries.first { $0.role == "calibrator" }?.status, .unauthorized)
        XCTAssertEqual(missing, ["skip-level", "calibrator"])

        // Change the review after the sign-off: the manager's sign-off goes stale.
        try repository.write("reviews/\(file)", try repository.read("reviews/\(file)") + "\nOne more line.\n")
        try repository.git("commit", "-q", "-am", "Edit alice's review")
        let later = try SignoffHistory.ledger(
            location: location, organisation: organisation, content: .head, useCache: false)
        record = try DecisionRecordBuilder.build(
            organisation: organisation, person: "alice", cycle: "2026-h2", source: source, signoffs: later)
        guard case .read(let staleEntries, _) = record.signoffs else { return XCTFail("sign-offs not read") }
        XCTAssertEqual(staleEntries.first { $0.role == "manager" }?.status, .stale)
        let markdown = RecordRenderer.markdown(record)
        XCTAssertTrue(markdown.contains("| manager | Dana Okafor |"))
        XCTAssertTrue(markdown.contains("stale: the file changed after this sign-off"))
        XCTAssertTrue(RecordRenderer.html(record).contains("<span class=\"warning\">stale</span>"))
    }
}
