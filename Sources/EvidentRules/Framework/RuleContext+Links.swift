import EvidentCore
import Foundation

/// One link found in the repository: a Markdown link or image, or an evidence item's
/// `link:` field.
public struct LinkOccurrence: Sendable {
    public var destination: String
    /// The file the link is written in (relative links resolve from its folder).
    public var file: String
    public var location: SourceLocation
}

/// A link and what its destination is.
struct TargetedLink {
    var link: LinkOccurrence
    var target: LinkTarget
}

/// `repositoryLinks` with each destination read (`LinkTarget`), built by whichever link
/// rule asks first and shared with the other: each built the list of some 80,000 links
/// and read every destination itself.
final class LinkTable: @unchecked Sendable {
    private let lock = NSLock()
    private var links: [TargetedLink]?

    /// The table of `context`'s organisation; every context of one check has the same one.
    func links(of context: RuleContext) -> [TargetedLink] {
        lock.lock()
        defer { lock.unlock() }
        if let links { return links }
        let built = context.repositoryLinks.map { TargetedLink(link: $0, target: LinkTarget($0.destination)) }
        links = built
        return built
    }
}

extension RuleContext {
    /// `repositoryLinks` with their destinations read: from the check's table when there is one.
    var targetedLinks: [TargetedLink] {
        linkTable?.links(of: self)
            ?? repositoryLinks.map { TargetedLink(link: $0, target: LinkTarget($0.destination)) }
    }

    /// Every link of every loaded document: Markdown bodies of level guides, values,
    /// evidence logs, self reviews, peer feedback and reviews, and evidence items' `link:`.
    public var repositoryLinks: [LinkOccurrence] {
        var links: [LinkOccurrence] = []
        func add(_ body: MarkdownBody?, _ file: String) {
            for link in body?.links ?? [] {
                links.append(
                    LinkOccurrence(
                        destination: link.destination, file: file,
                        location: SourceLocation(file: file, line: link.line, column: link.column)))
            }
        }
        for file in organisation.files {
            switch file.document {
            case .level(let level)?:
                add(level.body, file.path)
            case .review(let document)?:
                add(document.body, file.path)
                for item in document.items {
                    guard let link = item.link else { continue }
                    links.append(LinkOccurrence(destination: link.value, file: file.path, location: link.location))
                }
            case .values?:
                // The values model keeps no body; read it again (one small file).
                add(markdownBody(of: file.path), file.path)
            default:
                continue
            }
        }
        return links
    }

    /// Reads and parses the Markdown body of a file from the source, front matter
    /// skipped, positioned in the whole file. Nil when the file cannot be read as text.
    public func markdownBody(of path: String) -> MarkdownBody? {
        guard let bytes = try? source.read(path), case .success(let text) = SourceText.decode(bytes) else {
            return nil
        }
        let split = FrontMatterSplit.split(text)
        if split.yaml == nil || split.unclosed { return MarkdownParser.parse(text) }
        return MarkdownParser.parse(split.body, firstLine: split.bodyFirstLine)
    }
}
