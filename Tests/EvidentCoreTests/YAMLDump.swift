@testable import EvidentCore

/// Every node's value, style and position, as one comparable text: how the YAML readers'
/// differential tests compare trees.
func yamlDump(_ node: YAMLNode?) -> String {
    guard let node else { return "nil" }
    let position = "@\(node.line):\(node.column)"
    switch node.value {
    case .scalar(let text, let plain): return "\(plain ? "plain" : "styled")(\(text.debugDescription))\(position)"
    case .sequence(let items): return "[" + items.map(yamlDump).joined(separator: ", ") + "]\(position)"
    case .mapping(let pairs):
        return "{" + pairs.map { yamlDump($0.key) + ": " + yamlDump($0.value) }.joined(separator: ", ") + "}\(position)"
    }
}
