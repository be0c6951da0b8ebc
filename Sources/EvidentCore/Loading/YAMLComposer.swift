// libyaml's event API, declared as the system library CYAML (Debian's libyaml-dev, the
// same 0.2.5 release Yams vendors as its internal CYaml module, which is no product).
import CYAML

/// Builds a `YAMLNode` tree straight from libyaml's events: the fast path of
/// `YAMLParser.parse`.
///
/// Going through `Yams.compose` and converting its `Node` tree costs far more than the
/// parse itself, in a check that reads 50,000 front matters: every `Parser` reads the
/// process environment (its default encoding), every mapping checks duplicate keys by
/// hashing its keys with their resolved tags (a regular expression per key), and every
/// value is built twice, once as a `Node` and once as a `YAMLNode`. This composer builds
/// each `YAMLNode` once, from the same libyaml events and with the same marks.
///
/// It handles the common case only and says so otherwise: on any parse error, an
/// undefined alias, a repeated or non-scalar mapping key, a second document, or a tree
/// over the node or depth budget it returns `nil`, and the caller takes the Yams path,
/// whose errors and messages are the reference. So the result is always exactly what
/// `Yams.compose` followed by the conversion gives.
enum YAMLComposer {
    enum Outcome {
        /// The document's root (nil for an empty document).
        case composed(YAMLNode?)
        /// Something the fast path does not decide: ask Yams.
        case useYams
    }

    /// Composes `yaml`, whose line 1 is file line `lineOffset + 1`. The tree, aliases
    /// expanded, must have at most `budget` nodes and nodes at most `maximumDepth` levels
    /// below the root.
    static func compose(_ yaml: String, lineOffset: Int, budget: Int, maximumDepth: Int) -> Outcome {
        var text = yaml
        return text.withUTF8 { bytes in
            guard let base = bytes.baseAddress, !bytes.isEmpty else { return .composed(nil) }
            var composer = EventComposer(lineOffset: lineOffset, budget: budget, maximumDepth: maximumDepth)
            return composer.run(base, count: bytes.count)
        }
    }
}

/// One pass over libyaml's event stream with an explicit stack, so nesting never
/// recurses on a loader thread's small stack.
private struct EventComposer {
    /// A sequence or mapping whose end event has not come yet.
    struct Frame {
        var isMapping: Bool
        var line: Int
        var column: Int
        var anchor: String?
        var items: [YAMLNode] = []
        var pairs: [YAMLPair] = []
        var pendingKey: YAMLNode?
        /// Keys seen so far, only once the mapping is large enough for a scan to cost.
        var keySet: Set<String>?
        /// Nodes in the expanded subtree so far, this one included.
        var size = 1
        /// Levels below this node so far.
        var height = 0
    }

    /// A finished node with the size and height of its expanded subtree, as an anchor
    /// remembers it for the aliases that repeat it.
    struct Composed {
        var node: YAMLNode
        var size: Int
        var height: Int
    }

    let lineOffset: Int
    let budget: Int
    let maximumDepth: Int
    /// The innermost open collection, kept out of `parents` so that attaching a child
    /// (once per node) mutates a local value rather than an array element.
    var current: Frame?
    /// The open collections around `current`, outermost first.
    var parents: [Frame] = []
    var anchors: [String: Composed] = [:]
    var root: Composed?

    init(lineOffset: Int, budget: Int, maximumDepth: Int) {
        self.lineOffset = lineOffset
        self.budget = budget
        self.maximumDepth = maximumDepth
    }

    mutating func run(_ base: UnsafePointer<UInt8>, count: Int) -> YAMLComposer.Outcome {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return .useYams }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
        yaml_parser_set_input_string(&parser, base, count)

        var event = yaml_event_t()
        var documents = 0
        while true {
            guard yaml_parser_parse(&parser, &event) == 1 else { return .useYams }
            defer { yaml_event_delete(&event) }
            switch event.type {
            case YAML_STREAM_START_EVENT, YAML_DOCUMENT_END_EVENT:
                continue
            case YAML_STREAM_END_EVENT:
                guard let root, current == nil else { return documents == 0 ? .composed(nil) : .useYams }
                return .composed(root.node)
            case YAML_DOCUMENT_START_EVENT:
                documents += 1
                // Yams composes exactly one document and reports a second as an error.
                if documents > 1 { return .useYams }
            case YAML_SCALAR_EVENT:
                let scalar = event.data.scalar
                let value = String(
                    decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
                let node = YAMLNode(
                    .scalar(value, plain: scalar.style == YAML_PLAIN_SCALAR_STYLE), line: line(event.start_mark),
                    column: column(event.start_mark))
                let composed = Composed(node: node, size: 1, height: 0)
                if let anchor = scalar.anchor { anchors[string(anchor)] = composed }
                guard attach(composed) else { return .useYams }
            case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                let isMapping = event.type == YAML_MAPPING_START_EVENT
                let anchor = isMapping ? event.data.mapping_start.anchor : event.data.sequence_start.anchor
                if let current { parents.append(current) }
                current = Frame(
                    isMapping: isMapping, line: line(event.start_mark), column: column(event.start_mark),
                    anchor: anchor.map(string))
                // The open collection sits at depth `parents.count`.
                guard parents.count <= maximumDepth else { return .useYams }
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                guard let frame = current, frame.pendingKey == nil else { return .useYams }
                current = parents.popLast()
                let value: YAMLNode.Value = frame.isMapping ? .mapping(frame.pairs) : .sequence(frame.items)
                let composed = Composed(
                    node: YAMLNode(value, line: frame.line, column: frame.column), size: frame.size,
                    height: frame.height)
                if let anchor = frame.anchor { anchors[anchor] = composed }
                guard attach(composed) else { return .useYams }
            case YAML_ALIAS_EVENT:
                guard let anchor = event.data.alias.anchor, let target = anchors[string(anchor)],
                    attach(target)
                else { return .useYams }
            default:
                return .useYams
            }
        }
    }

    /// Adds a finished node to the collection being built, or makes it the root. False
    /// when the fast path must give up: a key that is not a unique scalar, or a tree
    /// over budget.
    private mutating func attach(_ child: Composed) -> Bool {
        guard var frame = current else {
            guard root == nil, child.size <= budget, child.height <= maximumDepth else { return false }
            root = child
            return true
        }
        // Moved out and back so the frame's arrays stay uniquely referenced (no copies).
        current = nil
        defer { current = frame }
        frame.size = min(frame.size + child.size, budget + 1)
        frame.height = max(frame.height, child.height + 1)
        guard frame.size <= budget, frame.height + parents.count <= maximumDepth else { return false }
        guard frame.isMapping else {
            frame.items.append(child.node)
            return true
        }
        guard let key = frame.pendingKey else {
            // Yams compares keys by value and resolved tag; two keys with the same text
            // may or may not be duplicates (`1` and `"1"` are not), so let it decide.
            guard case .scalar(let text, _) = child.node.value, isNewKey(text, in: &frame) else { return false }
            frame.pendingKey = child.node
            return true
        }
        frame.pairs.append(YAMLPair(key: key, value: child.node))
        frame.pendingKey = nil
        return true
    }

    /// Records `key` and tells whether the mapping had no key with that text yet. Small
    /// mappings (every front matter) are scanned; large ones (people.yaml's entries are
    /// small, but a mapping with thousands of keys is possible) use a set.
    private func isNewKey(_ key: String, in frame: inout Frame) -> Bool {
        if frame.keySet == nil {
            if frame.pairs.count < 16 {
                return !frame.pairs.contains { $0.key.scalar == key }
            }
            frame.keySet = Set(frame.pairs.compactMap { $0.key.scalar })
        }
        return frame.keySet!.insert(key).inserted
    }

    private func line(_ mark: yaml_mark_t) -> Int { Int(mark.line) + 1 + lineOffset }
    private func column(_ mark: yaml_mark_t) -> Int { Int(mark.column) + 1 }

    private func string(_ pointer: UnsafeMutablePointer<yaml_char_t>) -> String {
        String(cString: UnsafePointer(pointer))
    }
}
