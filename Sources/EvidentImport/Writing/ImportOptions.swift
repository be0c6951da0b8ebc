import Foundation

/// What the person importing decides, because the source cannot: each topic's aspect and
/// each level's balance. Evident requires both and an importer must not invent them.
public struct ImportOptions: Sendable, Equatable {
    public enum Aspect: String, Sendable, Equatable { case what, how }

    public struct Balance: Sendable, Equatable {
        public var what: Int
        public var how: Int
        public init(what: Int, how: Int) {
            self.what = what
            self.how = how
        }
    }

    /// Topic id → aspect (`--aspect communication=how`).
    public var aspects: [String: Aspect] = [:]
    /// The balance of every level not named in `levelBalances`.
    public var balance: Balance?
    /// Level id or grade (as text) → balance (`--balance 5:what=50,how=50`).
    public var levelBalances: [String: Balance] = [:]
    /// Write `grade`, `includes` and `examples` (false: plain guides for an older Evident,
    /// with included dimensions copied and examples listed in the report).
    public var extensions = true

    public init() {}

    /// Parses `topic=aspect[,topic=aspect…]`.
    public mutating func addAspects(_ argument: String) throws {
        for pair in argument.split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let aspect = Aspect(rawValue: parts[1].lowercased()), !Slug.make(parts[0]).isEmpty
            else { throw ImportError("--aspect '\(pair)': expected topic=what or topic=how") }
            aspects[Slug.make(parts[0])] = aspect
        }
    }

    /// Parses `what=W,how=H` or `LEVEL:what=W,how=H` (LEVEL a level id or a grade).
    public mutating func addBalance(_ argument: String) throws {
        var scope: String?
        var weights = Substring(argument)
        if let colon = argument.firstIndex(of: ":") {
            scope = argument[..<colon].trimmingCharacters(in: .whitespaces)
            weights = argument[argument.index(after: colon)...]
        }
        var what: Int?
        var how: Int?
        for pair in weights.split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let value = Int(parts[1]), (0...100).contains(value) else {
                throw ImportError("--balance '\(argument)': expected what=W,how=H with whole percentages")
            }
            switch parts[0].lowercased() {
            case "what": what = value
            case "how": how = value
            default: throw ImportError("--balance '\(argument)': '\(parts[0])' is neither what nor how")
            }
        }
        guard let what, let how else { throw ImportError("--balance '\(argument)': give both what= and how=") }
        guard what + how == 100 else {
            throw ImportError("--balance '\(argument)': what and how sum to \(what + how), not 100")
        }
        if let scope {
            guard !scope.isEmpty else { throw ImportError("--balance '\(argument)': nothing before ':'") }
            levelBalances[scope] = Balance(what: what, how: how)
        } else {
            balance = Balance(what: what, how: how)
        }
    }
}
