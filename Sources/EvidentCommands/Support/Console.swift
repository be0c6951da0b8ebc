import Foundation

/// Writes to the standard streams. Diagnostics and reports go to stdout; errors about
/// the environment go to stderr so a JSON or SARIF stdout stays parseable.
enum Console {
    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }
}
