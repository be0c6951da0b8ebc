import ArgumentParser
import EvidentGit
import EvidentLanguageServer
import Foundation

/// `evident lsp`: the language server on stdin and stdout, for editors.
struct LSPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lsp",
        abstract: "Run the language server over stdio: diagnostics while typing, completion of ids, hover.",
        discussion: """
            Speaks the Language Server Protocol (JSON-RPC with Content-Length framing) on standard input \
            and output; start it from an editor's LSP client. Logs go to the client as window/logMessage; \
            standard error stays silent unless --trace is given.
            """)

    @Flag(name: .long, help: "Log how long each diagnostics run takes (to the client's log and to standard error).")
    var trace = false

    /// Accepted and ignored: many LSP clients pass `--stdio` to every server they start.
    @Flag(name: .long, help: .hidden)
    var stdio = false

    func run() throws {
        let traceRequested = trace || ProcessInfo.processInfo.environment["EVIDENT_LSP_TRACE"] == "1"
        let code = LanguageServerMain.run(trace: traceRequested) { GitStoredContent(root: $0) }
        throw ExitCode(code)
    }
}
