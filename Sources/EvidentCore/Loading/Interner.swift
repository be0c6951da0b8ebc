import Foundation

/// One copy of each identifier read in one load of a repository.
///
/// Item ids, dimension and value names and section titles recur across a whole
/// organisation (every citation repeats an item's id, every item names its dimensions,
/// every review has the same headings), and a string of more than 15 bytes is an
/// allocation of its own: kept for the whole check, the copies were about a tenth of its
/// memory. Scoped to one load, so a long-lived language server keeps nothing, and shared
/// by the loader's threads behind a lock.
public final class Interner: @unchecked Sendable {
    private var table: Set<String> = []
    private let lock = NSLock()

    public init() {}

    /// `text`, or the equal string seen first. Only ASCII text is shared: Swift compares
    /// strings by canonical equivalence, and two spellings of one accented name must keep
    /// their own bytes.
    func intern(_ text: String) -> String {
        // Up to 15 bytes a string is stored inline: there is nothing to share.
        guard text.utf8.count > 15, text.utf8.allSatisfy({ $0 < 0x80 }) else { return text }
        lock.lock()
        defer { lock.unlock() }
        return table.insert(text).memberAfterInsert
    }

    /// `body` with the ids of its citations and the texts of its headings shared.
    func intern(_ body: inout MarkdownBody) {
        for block in body.blocks.indices {
            for citation in body.blocks[block].citations.indices {
                body.blocks[block].citations[citation].id = intern(body.blocks[block].citations[citation].id)
            }
        }
        for heading in body.headings.indices {
            body.headings[heading].text = intern(body.headings[heading].text)
            body.headings[heading].slug = intern(body.headings[heading].slug)
        }
        for section in body.sections.indices {
            guard var heading = body.sections[section].heading else { continue }
            heading.text = intern(heading.text)
            heading.slug = intern(heading.slug)
            body.sections[section].heading = heading
        }
    }
}
