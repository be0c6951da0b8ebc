// What a Markdown body holds for the rules: headings, links, citations, text blocks,
// sections and inline directives, with their file lines. `MarkdownParser` fills it.

/// A heading of a Markdown body, with its GitHub-style anchor slug.
public struct MarkdownHeading: Sendable, Equatable {
    public var level: Int
    public var text: String
    public var line: Int
    public var column: Int
    /// The anchor a git host generates for it (`## Growth plan` → `growth-plan`).
    public var slug: String
}

/// A link or image destination, with the position of the link itself.
public struct MarkdownLink: Sendable, Equatable {
    public var destination: String
    public var line: Int
    public var column: Int
}

/// A pandoc-style citation key: `@checkout-latency` in `[@checkout-latency]`.
public struct Citation: Sendable, Equatable, Hashable {
    public var id: String
    /// Position of the `@`.
    public var line: Int
    public var column: Int
}

/// A paragraph (or other leaf of prose) with inline code masked out, so language rules
/// and citation scanning never look inside code.
public struct TextBlock: Sendable {
    /// 1-based file line of `lines[0]`.
    public var firstLine: Int
    public var lines: [String]
    public var citations: [Citation]
    /// Index into `MarkdownBody.sections`.
    public var section: Int
}

/// A `##` section: a dimension, `Values`, `Growth plan`, `Private`, or the text before
/// the first `##` heading (which has no heading).
public struct MarkdownSection: Sendable {
    public var heading: MarkdownHeading?
    public var title: String { heading?.text ?? "" }
    public var wordCount: Int
    /// Its paragraphs: indices into `MarkdownBody.blocks`, whose citations are the
    /// section's (`MarkdownBody.citations(in:)`). Kept once, in the blocks, as a check
    /// holds every body of the organisation at the same time.
    public var blocks: Range<Int>
    /// 1-based file lines covered, heading included.
    public var firstLine: Int
    public var lastLine: Int

    /// `## Private` sections are for calibrators only. Private sections at other levels
    /// are in `MarkdownBody.privateLineRanges`, which covers these too.
    public var isPrivate: Bool { heading.map { PrivateSections.isPrivateTitle($0.text) } ?? false }
}

/// An inline switch for rules: `<!-- evident-disable rule-id -->`.
public struct Directive: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case disable, enable
        case disableNextLine = "disable-next-line"
    }
    public var kind: Kind
    public var rules: [String]
    public var line: Int
    public var column: Int

    public init(kind: Kind, rules: [String], line: Int, column: Int) {
        self.kind = kind
        self.rules = rules
        self.line = line
        self.column = column
    }
}

/// Everything Evident needs from a Markdown body, extracted in one cmark pass and
/// positioned in the whole file.
public struct MarkdownBody: Sendable {
    public var headings: [MarkdownHeading] = []
    public var links: [MarkdownLink] = []
    public var blocks: [TextBlock] = []
    public var sections: [MarkdownSection] = []
    public var directives: [Directive] = []
    /// File lines of private sections, heading included (see `PrivateSections`).
    public var privateLineRanges: [ClosedRange<Int>] = []

    public var wordCount: Int { sections.reduce(0) { $0 + $1.wordCount } }
    public var citations: [Citation] { blocks.flatMap(\.citations) }

    /// The citations of `section`, in the order of its paragraphs.
    public func citations(in section: MarkdownSection) -> some Sequence<Citation> {
        blocks[section.blocks].lazy.flatMap(\.citations)
    }

    /// Sets each section's `blocks` from the blocks' own section indices (blocks come in
    /// section order): once a body is complete, however it was assembled.
    mutating func indexBlocksBySection() {
        var next = 0
        for index in sections.indices {
            let start = next
            while next < blocks.count, blocks[next].section <= index { next += 1 }
            sections[index].blocks = start..<next
        }
    }
    /// Citations outside private sections: what the employee's decision record shows, and
    /// so the only ones a rating may rest on.
    public var publicCitations: [Citation] {
        privateLineRanges.isEmpty ? citations : citations.filter { !isPrivate(line: $0.line) }
    }
}
