import XCTest

@testable import EvidentCore

/// cmark-gfm parses small bodies in a per-thread slab (`CmarkThreadArena`) instead of
/// malloc: the parse must give exactly what it gives with malloc, however bodies follow
/// one another on a thread or run on many threads at once, and the slab must keep
/// what cmark stored when it grows or moves an allocation.
final class CmarkThreadArenaTests: XCTestCase {
    /// Everything the parser extracts, as text to compare.
    private func summary(_ body: MarkdownBody) -> String {
        var lines: [String] = []
        for heading in body.headings {
            lines.append("h\(heading.level) \(heading.line):\(heading.column) \(heading.text) #\(heading.slug)")
        }
        for link in body.links { lines.append("link \(link.line):\(link.column) \(link.destination)") }
        for block in body.blocks {
            let citations = block.citations.map { "\($0.id)@\($0.line):\($0.column)" }
            lines.append("block \(block.firstLine) s\(block.section) \(block.lines) \(citations)")
        }
        for section in body.sections {
            lines.append(
                "section \(section.title) \(section.wordCount) \(section.blocks) \(section.firstLine)-\(section.lastLine)"
            )
        }
        for directive in body.directives {
            lines.append("directive \(directive.kind) \(directive.rules) \(directive.line):\(directive.column)")
        }
        lines.append("private \(body.privateLineRanges)")
        return lines.joined(separator: "\n")
    }

    /// Bodies of every shape the parser handles, small and (for a slab) large.
    private func bodies() -> [String] {
        let review = """
            Reviewed against the [eng-3 level guide](../../../levels/eng-3.md).

            ## Delivery impact

            Alice cut checkout p99 from 900 ms to 250 ms [@checkout-latency; @queue-design], see
            <https://github.com/acme/shop/pull/1> and www.example.com/x or bob@example.com.

            - a list item with `code [@hidden]` and [@listed]
            - ![an image](img.png) and **strong** _words_

            > a quote [@quoted]

            ```
            [@fenced]
            ```

            <!-- evident-disable-next-line vague-language -->
            | a | table |
            |---|---|
            | [@cell] | x |

            ## Private
            Calibrators only [@private-note]. Caf\u{E9} \u{1F600} words.
            """
        var result = [review, "", "plain", "## Only a heading", String(repeating: "word ", count: 3000)]
        // Past one 256 KB slab, below the 64 KB of cmark's own arena: 600 short sections
        // and links make a tree of more nodes than one slab holds.
        result.append(
            (0..<600).map { "## S\($0)\n[l\($0)](https://x.example/\($0)) [@i\($0)] *e* `c`\n" }.joined(separator: "\n")
        )
        result.append(String(repeating: "a [b](c) ", count: 6000))
        return result
    }

    func testTheSlabGivesWhatMallocGives() {
        let bodies = bodies()
        XCTAssertGreaterThan(bodies[5].utf8.count, 20_000)
        XCTAssertLessThan(bodies[5].utf8.count, CmarkArena.minimumBytes)
        let expected = bodies.map { summary(MarkdownParser.parseWhole($0, firstLine: 3, systemAllocator: true)) }
        XCTAssertTrue(expected[0].contains("link"))
        XCTAssertTrue(expected[0].contains("directive"))
        // Twice in a row and in both orders: what a body leaves in the slab must not
        // reach the next one.
        for body in bodies + bodies.reversed() {
            let index = bodies.firstIndex(of: body)!
            XCTAssertEqual(summary(MarkdownParser.parseWhole(body, firstLine: 3)), expected[index], "body \(index)")
        }
    }

    func testThreadsParseInTheirOwnSlabs() {
        let bodies = bodies()
        let expected = bodies.map { summary(MarkdownParser.parseWhole($0, firstLine: 1, systemAllocator: true)) }
        let indices = Array(0..<(bodies.count * 40))
        let results = parallelMap(indices) { index in
            MarkdownParser.parseWhole(bodies[index % bodies.count], firstLine: 1)
        }
        for (index, result) in zip(indices, results) {
            XCTAssertEqual(summary(result), expected[index % bodies.count], "run \(index)")
        }
    }

    /// cmark-gfm takes the autolink extension's characters out of a process-wide table at
    /// the end of each parse; on another thread that turned `www.` links into text.
    /// Every parse must find the same links, and every removal must be the kept one.
    func testParsesOnManyThreadsFindEveryAutolink() {
        let body = (0..<40).map { "Paragraph \($0) cites www.example.com/p\($0) and https://x.example/\($0) here." }
            .joined(separator: "\n\n")
        let before = MarkdownParser.keptInlineCharacters()
        let expected = MarkdownParser.parseWhole(body, firstLine: 1).links.map(\.destination)
        XCTAssertEqual(expected.count, 80)
        XCTAssertGreaterThan(MarkdownParser.keptInlineCharacters(), before, "cmark-gfm calls another function")
        let results = parallelMap(Array(0..<2000)) { _ in
            MarkdownParser.parseWhole(body, firstLine: 1).links.map(\.destination)
        }
        XCTAssertEqual(results.filter { $0 != expected }.count, 0)
    }

    func testAllocationsKeepTheirBytes() throws {
        let calloc = CmarkThreadArena.zeroedAllocation
        let realloc = CmarkThreadArena.reallocation
        // Dirty the slab, then rewind it: calloc must still hand out zeros.
        let dirty = try XCTUnwrap(realloc(nil, 4096))
        memset(dirty, 0xAB, 4096)
        CmarkThreadArena.reset()
        let zeroed = try XCTUnwrap(calloc(64, 64)).assumingMemoryBound(to: UInt8.self)
        XCTAssertTrue((0..<4096).allSatisfy { zeroed[$0] == 0 })
        // The last allocation grows in place; an earlier one moves, with its bytes.
        let first = try XCTUnwrap(realloc(nil, 10))
        memcpy(first, "0123456789", 10)
        let grown = try XCTUnwrap(realloc(first, 1000))
        XCTAssertEqual(grown, first)
        _ = try XCTUnwrap(calloc(1, 8))
        let moved = try XCTUnwrap(realloc(grown, 3 * CmarkThreadArena.slabBytes))
        XCTAssertNotEqual(moved, grown)
        XCTAssertEqual(String(decoding: UnsafeRawBufferPointer(start: moved, count: 10), as: UTF8.self), "0123456789")
        // Every pointer is aligned for any type; an impossible size is refused.
        XCTAssertEqual(Int(bitPattern: try XCTUnwrap(calloc(1, 3))) % 16, 0)
        XCTAssertEqual(Int(bitPattern: try XCTUnwrap(calloc(3, 7))) % 16, 0)
        XCTAssertNil(calloc(Int.max, 2))
        CmarkThreadArena.reset()
    }
}
