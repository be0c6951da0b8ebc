import EvidentCore
import Foundation

/// JSON-RPC and LSP error codes the server answers with.
public enum ErrorCode: Int, Sendable {
    case parseError = -32700
    case invalidRequest = -32600
    case methodNotFound = -32601
    case invalidParams = -32602
    case internalError = -32603
    case serverNotInitialized = -32002
}

/// The Evident language server: a JSON-RPC message handler over a byte stream.
///
/// It is transport-free (bytes in through `receive`, framed messages out through the
/// `output` closure) so tests drive it directly and `LanguageServerMain` connects it to
/// stdin and stdout. Everything runs on one thread: a message is handled to completion
/// before the next is read, which is what the protocol's ordering needs anyway (a
/// completion must see the edit sent before it), and keeps the server free of locks.
///
/// Diagnostics are published once per batch of input: when several `didChange`
/// notifications arrive in one read, the buffer is checked once, at its latest version.
public final class LanguageServer {
    public typealias Output = (Data) -> Void

    enum State { case uninitialized, running, shutDown }

    private let output: Output
    /// Where `--trace` lines also go (standard error); nothing else is written there.
    private let traceLog: (String) -> Void
    private var framer = MessageFramer()
    public let workspace = Workspace()
    private var state = State.uninitialized
    /// Set by `exit`: 0 when `shutdown` came first, else 1 (the protocol's rule).
    public private(set) var exitCode: Int32?
    public var shutdownRequested: Bool { state == .shutDown }

    /// Documents whose diagnostics must be recomputed before the next read.
    private var dirty: Set<String> = []
    /// Bumped on every change to any buffer or file; snapshots remember the generation
    /// they were loaded at, so completion and hover after one edit share one load.
    /// (Diagnostics of a person folder do not use these snapshots: they check an
    /// organisation cut down to the folder's people, see `Workspace.folderDiagnostics`.)
    private var generation = 0
    private var snapshots: [SnapshotKey: (generation: Int, snapshot: Snapshot)] = [:]
    private var markdownHover = false
    private var markdownDocumentation = false
    private let trace: Bool
    /// Milliseconds spent computing and publishing diagnostics in the last flush.
    public private(set) var lastDiagnosticsMilliseconds: Double = 0

    struct SnapshotKey: Hashable {
        var root: String
        var scope: LoadScope
    }

    public init(output: @escaping Output, log: @escaping (String) -> Void = { _ in }, trace: Bool = false) {
        self.output = output
        self.traceLog = log
        self.trace = trace
    }

    /// `window/logMessage` types.
    enum LogType: Int {
        case error = 1
        case warning, info, log
    }

    /// Logs through the protocol, which editors file under the server's output at the
    /// level given, instead of standard error, which some editors show as errors
    /// whatever it says. Problems with the client's messages are warnings.
    private func log(_ message: String, _ type: LogType = .warning) {
        send([
            "jsonrpc": "2.0", "method": "window/logMessage",
            "params": ["type": .integer(type.rawValue), "message": .string(message)],
        ])
    }

    /// Timing lines, only with `--trace`: to the protocol log (type Log) and to stderr.
    private func traceLine(_ message: String) {
        guard trace else { return }
        log(message, .log)
        traceLog(message)
    }

    // MARK: Input

    /// Feeds bytes from the client: handles every complete message, then publishes the
    /// diagnostics the messages made stale. Incomplete messages wait for more bytes.
    public func receive<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        framer.append(bytes)
        while exitCode == nil, let frame = framer.next() {
            switch frame {
            case .message(let body):
                handle(body)
            case .invalidHeader(let problem):
                sendError(id: .null, code: .parseError, message: "invalid message header: \(problem)")
                log("evident lsp: invalid message header: \(problem)")
            }
        }
        if exitCode == nil { flushDiagnostics() }
    }

    func handle(_ body: Data) {
        let message: JSON
        do {
            message = try JSON.parse(body)
        } catch {
            sendError(id: .null, code: .parseError, message: "message is not valid JSON")
            log("evident lsp: message is not JSON: \(error)")
            return
        }
        guard case .object = message else {
            sendError(id: .null, code: .invalidRequest, message: "a message must be a JSON object")
            return
        }
        let id = message["id"]
        guard let method = message["method"]?.stringValue else {
            // A response to a request of ours (the server sends none), or junk.
            if id != nil, message["result"] != nil || message["error"] != nil { return }
            sendError(id: validID(id) ?? .null, code: .invalidRequest, message: "a request needs a 'method' string")
            return
        }
        let params = message["params"] ?? .null
        if let id {
            guard let requestID = validID(id) else {
                sendError(id: .null, code: .invalidRequest, message: "a request id must be a number or a string")
                return
            }
            request(method, id: requestID, params: params)
        } else {
            notification(method, params: params)
        }
    }

    private func validID(_ id: JSON?) -> JSON? {
        switch id {
        case .integer?, .string?, .double?, .null?: return id
        default: return nil
        }
    }

    // MARK: Requests

    private func request(_ method: String, id: JSON, params: JSON) {
        switch state {
        case .uninitialized where method != "initialize":
            sendError(id: id, code: .serverNotInitialized, message: "the server is not initialized yet")
            return
        case .running where method == "initialize":
            sendError(id: id, code: .invalidRequest, message: "the server is already initialized")
            return
        case .shutDown:
            sendError(id: id, code: .invalidRequest, message: "the server is shutting down")
            return
        default:
            break
        }
        switch method {
        case "initialize":
            respond(id: id, result: initialize(params))
        case "shutdown":
            state = .shutDown
            respond(id: id, result: .null)
        case "textDocument/completion":
            guard let (document, position) = documentPosition(params) else {
                sendError(id: id, code: .invalidParams, message: "completion needs an open textDocument and a position")
                return
            }
            respond(id: id, result: completion(document, at: position))
        case "textDocument/hover":
            guard let (document, position) = documentPosition(params) else {
                sendError(id: id, code: .invalidParams, message: "hover needs an open textDocument and a position")
                return
            }
            respond(id: id, result: hover(document, at: position))
        default:
            sendError(id: id, code: .methodNotFound, message: "method not supported: \(method)")
        }
    }

    private func initialize(_ params: JSON) -> JSON {
        state = .running
        let textDocument = params.at("capabilities", "textDocument")
        markdownHover = (textDocument?.at("hover", "contentFormat")?.arrayValue ?? []).contains("markdown")
        markdownDocumentation =
            (textDocument?.at("completion", "completionItem", "documentationFormat")?.arrayValue ?? []).contains(
                "markdown")
        var roots: [String] = []
        for folder in params["workspaceFolders"]?.arrayValue ?? [] {
            if let path = folder["uri"]?.stringValue.flatMap(Workspace.filePath(fromURI:)) { roots.append(path) }
        }
        if let path = params["rootUri"]?.stringValue.flatMap(Workspace.filePath(fromURI:)) {
            roots.append(path)
        } else if let path = params["rootPath"]?.stringValue, !path.isEmpty {
            roots.append(path)
        }
        workspace.workspaceRoots = roots
        return [
            "capabilities": [
                "positionEncoding": "utf-16",
                "textDocumentSync": [
                    "openClose": true, "change": 1, "save": ["includeText": true],
                ],
                "completionProvider": [
                    "triggerCharacters": ["@", "#", " ", ":"], "resolveProvider": false,
                ],
                "hoverProvider": true,
            ],
            "serverInfo": ["name": "evident", "version": .string(LanguageServer.version)],
        ]
    }

    public static let version = "0.1.0"

    // MARK: Notifications

    private func notification(_ method: String, params: JSON) {
        if method == "exit" {
            exitCode = state == .shutDown ? 0 : 1
            return
        }
        // Before `initialize` only `exit` counts; notifications are dropped (the protocol's rule).
        guard state != .uninitialized else { return }
        switch method {
        case "initialized":
            preload()
        case "textDocument/didOpen":
            guard let uri = params.at("textDocument", "uri")?.stringValue,
                let text = params.at("textDocument", "text")?.stringValue
            else { return log("evident lsp: didOpen without a uri and text") }
            let document = workspace.open(uri: uri, text: text, version: params.at("textDocument", "version")?.intValue)
            changed(document)
        case "textDocument/didChange":
            guard let uri = params.at("textDocument", "uri")?.stringValue,
                let changes = params["contentChanges"]?.arrayValue
            else { return log("evident lsp: didChange without a uri and changes") }
            // Full sync: the last change carrying whole text wins. A ranged change (a
            // client that ignored `change: 1`) is applied too rather than dropped.
            guard var text = workspace.documents[uri]?.text else {
                return log("evident lsp: didChange of \(uri), which is not open")
            }
            for change in changes {
                guard let newText = change["text"]?.stringValue else { continue }
                if let range = change["range"], !range.isNull {
                    text = LanguageServer.apply(newText, range: range, to: text)
                } else {
                    text = newText
                }
            }
            if let document = workspace.change(
                uri: uri, text: text, version: params.at("textDocument", "version")?.intValue)
            {
                changed(document)
            }
        case "textDocument/didSave":
            guard let uri = params.at("textDocument", "uri")?.stringValue, let document = workspace.documents[uri]
            else { return }
            // A save is when formatters and hooks rewrite files: list them again.
            workspace.forgetOrganisationFiles()
            if let text = params["text"]?.stringValue, text != document.text {
                if let updated = workspace.change(uri: uri, text: text, version: nil) { changed(updated) }
            } else {
                // The file on disk changed under the buffer: other scopes may read it.
                changed(document)
            }
        case "textDocument/didClose":
            guard let uri = params.at("textDocument", "uri")?.stringValue,
                let document = workspace.close(uri: uri)
            else { return }
            dirty.remove(uri)
            publish(uri: uri, version: nil, diagnostics: [])
            changed(document, includeSelf: false)
        case "workspace/didChangeWatchedFiles":
            generation += 1
            workspace.forgetDiskParses()
            dirty.formUnion(workspace.documents.keys)
        default:
            break  // `$/cancelRequest`, `$/setTrace`, and anything unknown: ignored.
        }
    }

    /// Marks what a change to `document` makes stale. An edit in a person's folder can
    /// change diagnostics of that folder's other open files (a removed evidence item
    /// breaks a citation in the review); an edit of an organisation file (a level guide,
    /// people.yaml) can change any open file of the repository.
    private func changed(_ document: OpenDocument, includeSelf: Bool = true) {
        generation += 1
        if includeSelf { dirty.insert(document.uri) }
        guard let location = document.location else { return }
        let scope = LoadScope(path: location.path)
        for other in workspace.documents(in: location.root) where other.uri != document.uri {
            guard let path = other.location?.path else { continue }
            if scope == .all || LoadScope(path: path) == scope { dirty.insert(other.uri) }
        }
    }

    /// Loads the organisation files of the workspace's repositories at start-up.
    private func preload() {
        var seen = Set<String>()
        for folder in workspace.workspaceRoots {
            guard let location = workspace.locate(path: folder + "/evident.yaml"), seen.insert(location.root).inserted
            else { continue }
            let start = DispatchTime.now()
            _ = try? snapshot(root: location.root, scope: .organisation)
            traceLine("evident lsp: preloaded \(location.root) in \(milliseconds(since: start)) ms")
        }
    }

    // MARK: Diagnostics

    /// Recomputes and publishes diagnostics of every stale open document: one load and
    /// one rule run per repository scope, however many documents share it.
    func flushDiagnostics() {
        guard !dirty.isEmpty else { return }
        let start = DispatchTime.now()
        let uris = dirty
        dirty.removeAll()
        var groups: [SnapshotKey: [OpenDocument]] = [:]
        for uri in uris.sorted() {
            guard let document = workspace.documents[uri] else { continue }
            guard let location = document.location,
                DocumentKind.classify(location.path) != nil || RepositoryLoader.isReportedUnknownFile(location.path)
            else {
                publish(uri: uri, version: document.version, diagnostics: [])
                continue
            }
            groups[SnapshotKey(root: location.root, scope: LoadScope(path: location.path)), default: []].append(
                document)
        }
        var loadMilliseconds = 0.0
        var checkMilliseconds = 0.0
        var folderMilliseconds = 0.0
        for (key, documents) in groups.sorted(by: { $0.key.root < $1.key.root }) {
            let paths = Set(documents.compactMap { $0.location?.path })
            let diagnostics: [Diagnostic]
            let groupStart = DispatchTime.now()
            do {
                if case .personFolder(let folder) = key.scope {
                    // The common case, a keystroke in a review: loading and checking
                    // are one step that does only that folder's work.
                    diagnostics = try workspace.folderDiagnostics(root: key.root, folder: folder, paths: paths)
                    folderMilliseconds += milliseconds(since: groupStart)
                } else {
                    let snapshot = try self.snapshot(root: key.root, scope: key.scope)
                    loadMilliseconds += milliseconds(since: groupStart)
                    let checkStart = DispatchTime.now()
                    diagnostics = workspace.check(snapshot, paths: paths)
                    checkMilliseconds += milliseconds(since: checkStart)
                }
            } catch {
                log("evident lsp: cannot load \(key.root): \(error)", .error)
                for document in documents { publish(uri: document.uri, version: document.version, diagnostics: []) }
                continue
            }
            var byFile: [String: [Diagnostic]] = [:]
            for diagnostic in diagnostics { byFile[diagnostic.location.file, default: []].append(diagnostic) }
            for document in documents {
                guard let location = document.location else { continue }
                let lines = LineText(document.text)
                let converted = (byFile[location.path] ?? []).map {
                    diagnosticJSON($0, lines: lines, location: location)
                }
                publish(uri: document.uri, version: document.version, diagnostics: converted)
            }
        }
        lastDiagnosticsMilliseconds = milliseconds(since: start)
        if trace {
            traceLine(
                "evident lsp: diagnostics for \(uris.count) document(s) in \(lastDiagnosticsMilliseconds) ms: person folders (load and rules) \(folderMilliseconds) ms, other load \(loadMilliseconds) ms, other rules \(checkMilliseconds) ms (last load parsed \(workspace.lastLoad.parsed) files, reused \(workspace.lastLoad.reused))"
            )
        }
    }

    /// The snapshot of a scope at the current generation, loading it if needed.
    private func snapshot(root: String, scope: LoadScope) throws -> Snapshot {
        let key = SnapshotKey(root: root, scope: scope)
        if let cached = snapshots[key], cached.generation == generation { return cached.snapshot }
        let snapshot = try workspace.snapshot(root: root, scope: scope)
        // Older generations are useless: keep only current snapshots.
        snapshots = snapshots.filter { $0.value.generation == generation }
        snapshots[key] = (generation, snapshot)
        return snapshot
    }

    func diagnosticJSON(_ diagnostic: Diagnostic, lines: LineText, location documentLocation: RepositoryPath) -> JSON {
        let range = lines.diagnosticRange(line: diagnostic.location.line, column: diagnostic.location.column)
        var message = diagnostic.message
        var related: [JSON] = []
        for note in diagnostic.notes {
            if let location = note.location {
                // In this buffer the column converts exactly; in another file (not read
                // here, to keep an edit cheap) the scalar column is used as is, which is
                // exact for text in the Basic Multilingual Plane.
                let position =
                    location.file == documentLocation.path
                    ? lines.position(line: location.line, column: location.column)
                    : LSPPosition(line: max(0, location.line - 1), character: max(0, location.column - 1))
                related.append([
                    "location": [
                        "uri": .string(Workspace.uri(forPath: documentLocation.root + "/" + location.file)),
                        "range": LSPRange(start: position, end: position).json,
                    ],
                    "message": .string(note.message),
                ])
            } else {
                message += "\nnote: " + note.message
            }
        }
        var object: [String: JSON] = [
            "range": range.json,
            "severity": .integer(diagnostic.severity == .error ? 1 : 2),
            "code": .string(diagnostic.ruleID),
            "source": "evident",
            "message": .string(message),
        ]
        if !related.isEmpty { object["relatedInformation"] = .array(related) }
        return .object(object)
    }

    private func publish(uri: String, version: Int?, diagnostics: [JSON]) {
        var params: [String: JSON] = ["uri": .string(uri), "diagnostics": .array(diagnostics)]
        if let version { params["version"] = .integer(version) }
        send(["jsonrpc": "2.0", "method": "textDocument/publishDiagnostics", "params": .object(params)])
    }

    // MARK: Completion and hover

    private func documentPosition(_ params: JSON) -> (OpenDocument, LSPPosition)? {
        guard let uri = params.at("textDocument", "uri")?.stringValue, let document = workspace.documents[uri],
            let position = LSPPosition(params["position"])
        else { return nil }
        return (document, position)
    }

    /// The document seen against its loaded organisation, or nil outside a repository.
    private func scope(of document: OpenDocument) -> DocumentScope? {
        guard let location = document.location else { return nil }
        do {
            let snapshot = try self.snapshot(root: location.root, scope: LoadScope(path: location.path))
            return DocumentScope(organisation: snapshot.organisation, path: location.path)
        } catch {
            log("evident lsp: cannot load \(location.root): \(error)", .error)
            return nil
        }
    }

    func completion(_ document: OpenDocument, at position: LSPPosition) -> JSON {
        let kind = document.location.flatMap { DocumentKind.classify($0.path) }
        let context = DocumentContext(document.text, kind: kind)
        let completionContext = context.completionContext(at: position)
        guard completionContext != .none else { return ["isIncomplete": false, "items": []] }
        let result = CompletionProvider.complete(
            completionContext, at: position, scope: scope(of: document), document: context)
        return [
            "isIncomplete": .bool(result.isIncomplete),
            "items": .array(result.items.map { $0.json(markdown: markdownDocumentation) }),
        ]
    }

    func hover(_ document: OpenDocument, at position: LSPPosition) -> JSON {
        let kind = document.location.flatMap { DocumentKind.classify($0.path) }
        let target = DocumentContext(document.text, kind: kind).hoverTarget(at: position)
        guard target != .none, let hover = HoverProvider.hover(target, scope: scope(of: document)) else { return .null }
        return [
            "contents": [
                "kind": .string(markdownHover ? "markdown" : "plaintext"),
                "value": .string(markdownHover ? hover.markdown : hover.plainText),
            ],
            "range": hover.range.json,
        ]
    }

    // MARK: Output

    private func respond(id: JSON, result: JSON) {
        send(["jsonrpc": "2.0", "id": id, "result": result])
    }

    private func sendError(id: JSON, code: ErrorCode, message: String) {
        send(["jsonrpc": "2.0", "id": id, "error": ["code": .integer(code.rawValue), "message": .string(message)]])
    }

    private func send(_ message: JSON) {
        output(MessageFramer.frame(message.serialized))
    }

    // MARK: Helpers

    /// Applies an incremental change (`range` + `text`) to a document.
    static func apply(_ newText: String, range: JSON, to text: String) -> String {
        guard let start = LSPPosition(range["start"]), let end = LSPPosition(range["end"]) else { return text }
        let lines = LineText(text)
        func index(_ position: LSPPosition) -> String.Index {
            guard position.line < lines.lineCount else { return text.endIndex }
            let line = lines.line(position.line)
            let count = LineText.scalarIndex(ofUTF16: position.character, in: line)
            let scalars = line.unicodeScalars
            return scalars.index(scalars.startIndex, offsetBy: count, limitedBy: scalars.endIndex) ?? scalars.endIndex
        }
        let lower = index(start)
        let upper = max(lower, index(end))
        var result = String(text.unicodeScalars[..<lower])
        result += newText
        result += String(text.unicodeScalars[upper...])
        return result
    }

    private func milliseconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1_000_000
    }
}
