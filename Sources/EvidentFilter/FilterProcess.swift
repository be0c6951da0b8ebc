/// git's long-running filter protocol, version 2 (gitattributes(5), "Long Running
/// Filter Process"): one process per git command, so keys and people.yaml are read once
/// for thousands of files.
public enum FilterProcess {
    /// Serves git on `input`/`output` until git closes the pipe. A file that cannot be
    /// filtered gets `status=error` (with `filter.evident.required`, the git command
    /// fails); a broken conversation throws.
    public static func serve(_ filter: SealFilter, input: Int32 = 0, output: Int32 = 1) throws {
        var reader = PktLineReader(descriptor: input)
        let writer = PktLineWriter(descriptor: output)
        guard let hello = try reader.textList(), hello.contains("git-filter-client") else {
            throw FilterProtocolError("expected git-filter-client from git; run this only as filter.evident.process")
        }
        guard hello.contains("version=2") else {
            throw FilterProtocolError("git offers no filter protocol version 2")
        }
        try writer.text("git-filter-server")
        try writer.text("version=2")
        try writer.flush()
        guard let offered = try reader.textList() else {
            throw FilterProtocolError("git closed the pipe before sending its capabilities")
        }
        for capability in ["clean", "smudge"] where offered.contains("capability=\(capability)") {
            try writer.text("capability=\(capability)")
        }
        try writer.flush()

        while let headers = try reader.textList() {
            var command = ""
            var pathname = ""
            for header in headers {
                guard let equals = header.firstIndex(of: "=") else { continue }
                let key = header[..<equals]
                let value = String(header[header.index(after: equals)...])
                if key == "command" { command = value }
                if key == "pathname" { pathname = value }
            }
            let content = try reader.content()
            let result: [UInt8]
            do {
                switch command {
                case "clean": result = try filter.clean(pathname: pathname, content: content)
                case "smudge": result = filter.smudge(pathname: pathname, content: content)
                default: throw SealFilterError("unknown filter command '\(command)'")
                }
            } catch {
                filter.warn("evident: cannot \(command) \(pathname): \(error)")
                try writer.text("status=error")
                try writer.flush()
                continue
            }
            try writer.text("status=success")
            try writer.flush()
            try writer.content(result)
            // An empty list: the status stays success.
            try writer.flush()
        }
    }
}
