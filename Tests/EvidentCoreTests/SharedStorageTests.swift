import XCTest

@testable import EvidentCore

/// A review document and an evidence item keep their fields in a shared box, and a
/// section's citations live in its paragraphs only (both to halve what a check holds):
/// the values must still behave as plain values, and a section must still answer with
/// exactly the citations of its own paragraphs.
final class SharedStorageTests: XCTestCase {
    struct NotAReview: Error {}

    static let review = """
        ---
        kind: review
        person: alice
        cycle: 2026-h2
        reviewer: dana
        level: eng-3
        rating: meets
        summary: Alice shipped the queue [@queue-design].
        promotion:
          readiness: next-cycle
        calibration:
          rating: meets
          evidence: [queue-design]
        items:
          - id: queue-design
            date: 2026-09-01
            type: design-doc
            summary: The retry queue
            dimensions: [technical-judgment]
        ---
        Before any heading [@intro].

        ## Delivery impact
        Alice cut p99 [@checkout-latency] and [@pager].

        Then again [@checkout-latency].

        ## Empty section

        ## Technical judgment
        She designed the retry queue [@queue-design].
        """

    func document() throws -> ReviewDocument {
        let file = RepositoryLoader.parse(Self.review, path: "cycles/2026-h2/alice/review.md", kind: .review)
        XCTAssertEqual(file.problems.map(\.text.text), [])
        guard case .review(let document)? = file.document else { throw NotAReview() }
        return document
    }

    func testChangingACopyLeavesTheOriginal() throws {
        let original = try document()
        var copy = original
        copy.summary = nil
        copy.rating = Located("exceeds", at: original.headerLocation)
        copy.promotion = nil
        copy.calibration = nil
        copy.items[0].summary = "changed"
        XCTAssertEqual(original.summary?.value, "Alice shipped the queue [@queue-design].")
        XCTAssertEqual(original.rating?.value, "meets")
        XCTAssertEqual(original.promotion?.readiness?.value, .nextCycle)
        XCTAssertEqual(original.calibration?.evidence.map(\.value), ["queue-design"])
        XCTAssertEqual(original.items.map(\.summary), ["The retry queue"])
        XCTAssertNil(copy.summary)
        XCTAssertEqual(copy.rating?.value, "exceeds")
        XCTAssertNil(copy.promotion)
        XCTAssertNil(copy.calibration)
        XCTAssertEqual(copy.items.map(\.summary), ["changed"])
        XCTAssertEqual(copy.items[0].id.value, "queue-design")
    }

    func testASectionHasTheCitationsOfItsParagraphs() throws {
        let body = try document().body
        XCTAssertEqual(body.sections.map(\.title), ["", "Delivery impact", "Empty section", "Technical judgment"])
        XCTAssertEqual(
            body.sections.map { body.citations(in: $0).map(\.id) },
            [["intro"], ["checkout-latency", "pager", "checkout-latency"], [], ["queue-design"]])
        XCTAssertEqual(
            body.citations.map(\.id), ["intro", "checkout-latency", "pager", "checkout-latency", "queue-design"])
        let lines = Self.review.split(separator: "\n", omittingEmptySubsequences: false)
        func line(of marker: String) -> Int { (lines.firstIndex { $0.contains(marker) } ?? -1) + 1 }
        XCTAssertEqual(
            body.sections.map { body.citations(in: $0).map(\.line) },
            [
                [line(of: "[@intro]")], [line(of: "[@pager]"), line(of: "[@pager]"), line(of: "Then again")], [],
                [line(of: "She designed")],
            ])
    }

    /// Where a string's bytes live: equal for two strings sharing one copy.
    static func storage(_ text: String) -> UnsafeRawPointer? {
        text.utf8.withContiguousStorageIfAvailable { UnsafeRawPointer($0.baseAddress) } ?? nil
    }

    func testTheInternerSharesEqualASCIIStringsOnly() {
        let interner = Interner()
        let first = interner.intern(String(["checkout", "latency", "2026"].joined(separator: "-")))
        let second = interner.intern(["checkout", "latency", "2026"].joined(separator: "-"))
        XCTAssertEqual(second, "checkout-latency-2026")
        XCTAssertNotNil(Self.storage(first))
        XCTAssertEqual(Self.storage(first), Self.storage(second))
        // Canonically equal to the first, and Swift's == says so, but other bytes.
        let composed = interner.intern("caf\u{E9}-checkout-latency")
        let decomposed = interner.intern("cafe\u{301}-checkout-latency")
        XCTAssertEqual(Array(composed.utf8), Array("caf\u{E9}-checkout-latency".utf8))
        XCTAssertEqual(Array(decomposed.utf8), Array("cafe\u{301}-checkout-latency".utf8))
    }

    func testInterningChangesNoValue() throws {
        let path = "cycles/2026-h2/alice/review.md"
        let interner = Interner()
        let shared = [
            RepositoryLoader.parse(Self.review, path: path, kind: .review, interner: interner),
            RepositoryLoader.parse(Self.review, path: path, kind: .review, interner: interner),
        ]
        let plain = RepositoryLoader.parse(Self.review, path: path, kind: .review)
        for file in shared {
            guard case .review(let document)? = file.document, case .review(let reference)? = plain.document else {
                throw NotAReview()
            }
            XCTAssertEqual(document.body.citations, reference.body.citations)
            XCTAssertEqual(document.body.headings, reference.body.headings)
            XCTAssertEqual(document.body.sections.map(\.heading), reference.body.sections.map(\.heading))
            XCTAssertEqual(document.items.map(\.id.value), reference.items.map(\.id.value))
            XCTAssertEqual(document.items.map { $0.dimensions.map(\.value) }, [["technical-judgment"]])
        }
        // The second file's ids are the first file's strings.
        guard case .review(let one)? = shared[0].document, case .review(let two)? = shared[1].document else {
            throw NotAReview()
        }
        XCTAssertEqual(Self.storage(one.body.citations[1].id), Self.storage(two.body.citations[1].id))
        XCTAssertEqual(Self.storage(one.items[0].dimensions[0].value), Self.storage(two.items[0].dimensions[0].value))
    }
}
