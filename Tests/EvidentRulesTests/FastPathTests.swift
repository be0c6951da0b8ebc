import EvidentCore
import Foundation
import XCTest

@testable import EvidentRules

/// The rules' byte-level fast paths give the answers of the general code they stand in
/// for, on ASCII and on the non-ASCII text that takes the general path.
final class FastPathTests: XCTestCase {
    /// Titles around the word "private": cases, blanks of every kind, markup left over,
    /// the word inside other words, and non-ASCII look-alikes that take the general path.
    static let privateTitles = [
        "Private", "private", "PRIVATE", "PrIvAtE", " Private ", "\tPrivate\n", "\u{0B}Private\u{0C}", "\r\nprivate\r",
        "Private:", "Private notes", "Notes (private)", "privately", "unprivate", "Priv ate", "Privat", "Privatee",
        "", " ", "\u{00A0}Private\u{00A0}", "\u{2003}Private", "Private\u{0085}", "PRİVATE", "Priv\u{0131}te",
        "Privat\u{00E9}", "private\u{301}", "\u{212A}private", "Private 🙂", "p-r-i-v-a-t-e", "a private b",
        "PrivatePrivate",
        "x", "privat", "rivate", "Private\u{0000}", "\u{001F}Private",
    ]

    func testPrivateTitlesAgreeWithFoundation() {
        for title in Self.privateTitles {
            XCTAssertEqual(
                PrivateSections.isPrivateTitle(title),
                title.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() == "private", title.debugDescription)
        }
    }

    func testMentionsOfPrivateAgreeWithTheWordSplit() {
        for title in Self.privateTitles {
            XCTAssertEqual(
                PrivateHeadingUnrecognisedRule.mentionsPrivate(title),
                title.lowercased().split(whereSeparator: { !$0.isLetter }).contains("private"), title.debugDescription)
        }
    }

    func testPeerFileNamesAgreeWithClassify() {
        let paths = [
            "cycles/2026-h2/alice/peer-bob.md", "cycles/2026-h2/alice/peer-.md", "cycles/2026-h2/alice/peer-b.md",
            "cycles/2026-h2/alice/self.md", "cycles/2026-h2/alice/review.md", "cycles/2026-h2/alice/peer-bob.txt",
            "cycles/2026-h2/alice/x/peer-bob.md", "cycles/alice/peer-bob.md", "other/2026-h2/alice/peer-bob.md",
            "cycles/2026-h2/alice/peer-\r\n.md", "cycles/2026-h2/alice/peer-\r\nx.md",
            "cycles/2026-h2/alice/Peer-bob.md",
            "cycles/2026-h2/zoë/peer-bob.md", "cycles/2026-h2/alice/peer-zoë.md",
            "cycles/2026-h2/alice/peer-e\u{301}.md",
            "cycles/2026-h2/alice/peer-bob.md\u{301}", "cycles//alice/peer-bob.md", "cycles/2026-h2/alice/",
        ]
        for path in paths {
            let expected =
                DocumentKind.classify(path) == .peerFeedback
                ? path.split(separator: "/").last.map(String.init) ?? path : nil
            XCTAssertEqual(PeerFeedbackMissingRule.peerFileName(path), expected, path.debugDescription)
        }
    }

    func testDimensionNamesAgreeWithIsNamed() throws {
        let organisation = try RepositoryLoader.load(from: MemorySource(root: "/repo", texts: ExampleRepository.files))
        var level = try XCTUnwrap(organisation.levels.first)
        let template = try XCTUnwrap(level.dimensions.first)
        func dimension(_ id: String, _ name: String) -> EvidentCore.Dimension {
            var dimension = template
            dimension.id.value = id
            dimension.name = name
            return dimension
        }
        let dimensions = [
            dimension("delivery", "Delivery impact"), dimension("technical-judgment", "Technical judgment"),
            dimension(" padded", "Padded "), dimension("qualité", "Qualité du code"), dimension("ux", "Straße"),
        ]
        level.dimensions = dimensions
        let names = DimensionNames(level)
        let titles = [
            "Delivery impact", "delivery", " DELIVERY\t", "Delivery  impact", "technical-judgment",
            "Technical Judgement",
            "padded", " padded", "Padded", "QUALITÉ", "qualité du code", "qualite\u{301}", "strasse", "STRASSE",
            "straße",
            "Values", "", "\u{00A0}delivery",
        ]
        for title in titles {
            let ascii = SectionTitle.asciiNormalised(title)
            for index in dimensions.indices {
                XCTAssertEqual(
                    names.dimension(index, isNamedBy: title, normalised: ascii), dimensions[index].isNamed(by: title),
                    "\(title.debugDescription) and \(dimensions[index].id.value)")
            }
            XCTAssertEqual(
                names.anyDimension(isNamedBy: title, normalised: ascii), level.dimension(namedBy: title) != nil,
                title.debugDescription)
        }
    }

    func testUnreadableFilesAgreeWithTheOrganisation() throws {
        var texts = ExampleRepository.files
        texts["cycles/2026-h2/alice/peer-bob.md"] = "---\nkind: peer-feedback\nperson: [unclosed\n---\nText.\n"
        texts["cycles/2026-h2/alice/notes.txt"] = "not a review file"
        let source = MemorySource(root: "/repo", texts: texts)
        let organisation = try RepositoryLoader.load(from: source)
        let unreadable = UnreadableFiles(organisation)
        XCTAssertFalse(organisation.personCycles.isEmpty)
        for personCycle in organisation.personCycles {
            XCTAssertEqual(
                unreadable.any(in: personCycle), organisation.hasUnreadableFile(personCycle), personCycle.folder)
        }
        XCTAssertTrue(organisation.personCycles.contains { unreadable.any(in: $0) })
    }

}
