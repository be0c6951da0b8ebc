/// Whether text output may use colour.
///
/// The decision belongs to the command (it knows whether standard output is a
/// terminal); this keeps the policy in one tested place.
public enum TerminalCapabilities {
    /// Colour only on a terminal, never when `NO_COLOR` is set to anything non-empty
    /// (https://no-color.org), and never on a terminal that declares itself `dumb`.
    public static func shouldColor(environment: [String: String], isTTY: Bool) -> Bool {
        guard isTTY else { return false }
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
        if environment["TERM"] == "dumb" { return false }
        return true
    }
}
