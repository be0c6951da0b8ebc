/// Why an import cannot go ahead. Every case is the user's to fix (exit 2), and none is
/// raised after a file was written.
public struct ImportError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
