import EvidentCore
import EvidentImport

/// A level guide that fails to load because it is really a ladder in another format (a
/// Monzo framework file copied into levels/, say) gets accurate but unhelpful errors
/// about every field; this adds one note to its first diagnostic naming the import that
/// converts it.
enum ForeignLadderNote {
    static func annotate(_ diagnostics: [Diagnostic], source: any RepositorySource) -> [Diagnostic] {
        var result = diagnostics
        var firstOfFile: [String: Int] = [:]
        for (index, diagnostic) in diagnostics.enumerated() {
            let file = diagnostic.location.file
            guard file.hasPrefix("levels/"), file.hasSuffix(".md"),
                diagnostic.ruleID == "front-matter-schema" || diagnostic.ruleID == "front-matter-syntax"
            else { continue }
            if let current = firstOfFile[file], diagnostics[current].location <= diagnostic.location { continue }
            firstOfFile[file] = index
        }
        for (file, index) in firstOfFile {
            guard let bytes = try? source.read(file), bytes.count <= 8 * 1024 * 1024,
                let format = ForeignLadder.detect(String(decoding: bytes, as: UTF8.self))
            else { continue }
            let kind = format == .monzo ? "a Monzo progression framework file" : "a ladder written as a Markdown table"
            result[index].notes.append(
                DiagnosticNote(
                    DiagnosticMessage(
                        public: "\(file) looks like \(kind), not a level guide: move it out of levels/ and run "
                            + "'evident import \(format.rawValue) <file> --aspect TOPIC=what|how --balance what=W,how=H' "
                            + "to write level guides from it (see docs/import.md)")))
        }
        return result
    }
}
