import EvidentCore
import XCTest

@testable import EvidentLanguageServer

final class DocumentContextTests: XCTestCase {
    private let review = """
        ---
        kind: review
        person: alice
        reviewer: da
        values: [ownership, wr
        calibration:
          rating: meets
          evidence: [checkout-latency, led
        promotion: { readiness: next-cycle, target: en
        calibrators:
          - erin
          -\u{20}
        ---
        ## Delivery impact

        She shipped it [@checkout-latency; @le
        Closed [see @ref] and [@
        Not a citation: alice@example.com and [link](x) @x
        ##\u{20}
        #
        # Title
        """

    private func context(_ line: Int, _ character: Int, in text: String? = nil, kind: DocumentKind = .review)
        -> CompletionContext
    {
        DocumentContext(text ?? review, kind: kind).completionContext(at: LSPPosition(line: line, character: character))
    }

    private func position(_ line: Int, _ character: Int) -> LSPPosition {
        LSPPosition(line: line, character: character)
    }

    func testRegions() {
        let document = DocumentContext(review, kind: .review)
        XCTAssertEqual(document.frontMatterLines, 1..<12)
        XCTAssertFalse(document.isBody(12))
        XCTAssertTrue(document.isBody(13))
        XCTAssertNil(DocumentContext("## No front matter", kind: .review).frontMatterLines)
        XCTAssertTrue(DocumentContext("## No front matter", kind: .review).isBody(0))
        // While the closing fence is not typed yet, everything after `---` is YAML.
        XCTAssertEqual(DocumentContext("---\nkind: review\nperson: ", kind: .review).frontMatterLines, 1..<3)
        XCTAssertTrue(DocumentContext("people:\n  - id: a", kind: .people).isFrontMatter(1))
    }

    func testCitationAfterBracketAt() {
        XCTAssertEqual(context(16, 24), .citation(partial: "", replaceFrom: position(16, 24)))
    }

    func testCitationAfterSemicolonAt() {
        XCTAssertEqual(context(15, 38), .citation(partial: "le", replaceFrom: position(15, 36)))
        XCTAssertEqual(context(15, 36), .citation(partial: "", replaceFrom: position(15, 36)))
    }

    func testCitationWithPrefixText() {
        // `[see @ref]`: the cursor after `@re`.
        XCTAssertEqual(context(16, 15), .citation(partial: "re", replaceFrom: position(16, 13)))
    }

    func testNoCitationOutsideBrackets() {
        XCTAssertEqual(context(16, 18), .none)  // after the closing bracket
        XCTAssertEqual(context(17, 24), .none)  // an email address
        XCTAssertEqual(context(17, 50), .none)  // after a link
    }

    func testHeadings() {
        XCTAssertEqual(context(18, 3), .heading(partial: "", replaceFrom: position(18, 0)))
        XCTAssertEqual(context(12, 8), .none)  // the closing fence is not body
        XCTAssertEqual(context(13, 6), .heading(partial: "Del", replaceFrom: position(13, 0)))
        XCTAssertEqual(context(19, 1), .heading(partial: "", replaceFrom: position(19, 0)))
        XCTAssertEqual(context(20, 7), .none)  // a `# ` title is not a section
    }

    func testFieldValueAfterKey() {
        XCTAssertEqual(
            context(3, 12), .fieldValue(key: "reviewer", partial: "da", replaceFrom: position(3, 10), needsSpace: false)
        )
        XCTAssertEqual(
            context(2, 7), .fieldValue(key: "person", partial: "", replaceFrom: position(2, 7), needsSpace: true))
        XCTAssertEqual(context(2, 3), .none)  // typing the key itself
    }

    func testFieldValueInFlowSequences() {
        XCTAssertEqual(
            context(4, 22), .fieldValue(key: "values", partial: "wr", replaceFrom: position(4, 20), needsSpace: false))
        XCTAssertEqual(
            context(7, 34),
            .fieldValue(key: "evidence", partial: "led", replaceFrom: position(7, 31), needsSpace: false))
    }

    func testFieldValueInFlowMapping() {
        XCTAssertEqual(
            context(8, 46), .fieldValue(key: "target", partial: "en", replaceFrom: position(8, 44), needsSpace: false))
    }

    func testFieldValueInBlockSequence() {
        XCTAssertEqual(
            context(11, 4),
            .fieldValue(key: "calibrators", partial: "", replaceFrom: position(11, 4), needsSpace: false))
        XCTAssertEqual(
            context(10, 6),
            .fieldValue(key: "calibrators", partial: "er", replaceFrom: position(10, 4), needsSpace: false))
    }

    func testFieldValueInAYAMLFile() {
        let people = "people:\n  - id: ann\n    manager: \n    level: eng-"
        XCTAssertEqual(
            context(2, 13, in: people, kind: .people),
            .fieldValue(key: "manager", partial: "", replaceFrom: position(2, 13), needsSpace: false))
        XCTAssertEqual(
            context(3, 15, in: people, kind: .people),
            .fieldValue(key: "level", partial: "eng-", replaceFrom: position(3, 11), needsSpace: false))
    }

    func testBlockSequenceUnderANestedKey() {
        let cycle = "id: c\ncalibration_groups:\n  - id: eng\n    calibrators:\n      - erin\n      - f"
        XCTAssertEqual(
            context(5, 9, in: cycle, kind: .cycle),
            .fieldValue(key: "calibrators", partial: "f", replaceFrom: position(5, 8), needsSpace: false))
    }

    func testPositionsCountUTF16() {
        let text = "---\nkind: review\n---\n😀 [@ch"
        XCTAssertEqual(context(3, 7, in: text), .citation(partial: "ch", replaceFrom: position(3, 5)))
    }

    func testHoverTargets() {
        let document = DocumentContext(review, kind: .review)
        XCTAssertEqual(
            document.hoverTarget(at: position(13, 5)),
            .heading(title: "Delivery impact", range: LSPRange(start: position(13, 0), end: position(13, 18))))
        XCTAssertEqual(
            document.hoverTarget(at: position(15, 20)),
            .citation(id: "checkout-latency", range: LSPRange(start: position(15, 16), end: position(15, 33))))
        // On the `@` itself.
        XCTAssertEqual(
            document.hoverTarget(at: position(15, 16)),
            .citation(id: "checkout-latency", range: LSPRange(start: position(15, 16), end: position(15, 33))))
        XCTAssertEqual(
            document.hoverTarget(at: position(2, 9)),
            .fieldValue(key: "person", value: "alice", range: LSPRange(start: position(2, 8), end: position(2, 13))))
        XCTAssertEqual(document.hoverTarget(at: position(2, 2)), .none)  // a key
        XCTAssertEqual(document.hoverTarget(at: position(17, 22)), .none)  // an email address
    }

    func testSectionTitles() {
        XCTAssertEqual(DocumentContext.sectionTitle("## Delivery impact ##"), "Delivery impact")
        XCTAssertEqual(DocumentContext.sectionTitle("   ## Values"), "Values")
        XCTAssertNil(DocumentContext.sectionTitle("### Sub"))
        XCTAssertNil(DocumentContext.sectionTitle("##"))
        XCTAssertNil(DocumentContext.sectionTitle("##NoSpace"))
    }

    /// The fields of response.md, appeal.md and cycle.yaml's participants complete like
    /// the others: people ids, and the words of their enums.
    func testVoiceAndParticipantFieldsHaveTargets() {
        XCTAssertEqual(FieldTarget.forKey("by", in: .appeal), .person)
        XCTAssertEqual(FieldTarget.forKey("to", in: .appeal), .choices(["skip-level", "hr"]))
        XCTAssertNil(FieldTarget.forKey("to", in: .review))
        XCTAssertEqual(FieldTarget.forKey("outcome", in: .appeal), .choices(["upheld", "changed"]))
        XCTAssertEqual(FieldTarget.forKey("position", in: .response), .choices(["agree", "disagree"]))
        XCTAssertEqual(FieldTarget.forKey("exclude", in: .cycle), .person)
        XCTAssertEqual(FieldTarget.forKey("people", in: .cycle), .person)
        XCTAssertNil(FieldTarget.forKey("people", in: .people))
    }
}
