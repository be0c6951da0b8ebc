import EvidentReporters
import Foundation

/// Writes to the standard streams. Diagnostics and reports go to stdout; errors about
/// the environment go to stderr so a JSON or SARIF stdout stays parseable.
enum Console {
    /// Writes to standard output. A line that a GitHub Actions runner would run as a
    /// workflow command (user text such as a file name starting with `::`) is
    /// neutralised, unless `workflowCommands` is set: only `--format github` emits them.
    static func out(_ text: String, workflowCommands: Bool = false) {
        let safe = workflowCommands ? text : TerminalSanitizer.neutraliseWorkflowCommands(text)
        FileHandle.standardOutput.write(Data(safe.utf8))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }
}
