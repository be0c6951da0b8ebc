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
    /// Strings by the FNV-1a hash of their bytes (`FNV1a`). A hash met again with other bytes (a
    /// collision) leaves the newcomer unshared: never wrong, only not smaller.
    private var table: [UInt64: String] = [:]
    private let lock = NSLock()

    public init() {}

    /// `text`, or the string with the same bytes seen first. Only ASCII text is shared:
    /// Swift compares strings by canonical equivalence, so bytes are compared here, and
    /// only for ASCII are equal bytes the whole story.
    func intern(_ text: String) -> String {
        lock.lock()
        defer { lock.unlock() }
        return internHoldingLock(text)
    }

    /// `body` with the ids of its citations and the texts of its headings shared.
    func intern(_ body: inout MarkdownBody) {
        lock.lock()
        defer { lock.unlock() }
        for block in body.blocks.indices {
            for citation in body.blocks[block].citations.indices {
                body.blocks[block].citations[citation].id = internHoldingLock(
                    body.blocks[block].citations[citation].id)
            }
        }
        for heading in body.headings.indices {
            body.headings[heading].text = internHoldingLock(body.headings[heading].text)
            body.headings[heading].slug = internHoldingLock(body.headings[heading].slug)
        }
        for section in body.sections.indices {
            guard var heading = body.sections[section].heading else { continue }
            heading.text = internHoldingLock(heading.text)
            heading.slug = internHoldingLock(heading.slug)
            body.sections[section].heading = heading
        }
    }

    private func internHoldingLock(_ text: String) -> String {
        // Up to 15 bytes a string is stored inline: there is nothing to share.
        guard text.utf8.count > 15 else { return text }
        var text = text
        let key = text.withUTF8 { bytes -> UInt64? in
            var hash = FNV1a()
            for byte in bytes {
                guard byte < 0x80 else { return nil }
                hash.add(byte)
            }
            return hash.value
        }
        guard let key else { return text }
        guard var existing = table[key] else {
            table[key] = text
            return text
        }
        let same = existing.withUTF8 { old in
            text.withUTF8 { new in
                old.count == new.count && (old.count == 0 || memcmp(old.baseAddress!, new.baseAddress!, old.count) == 0)
            }
        }
        return same ? existing : text
    }
}
