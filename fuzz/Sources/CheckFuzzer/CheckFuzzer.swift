import EvidentCore
import EvidentReporters
import EvidentRules
import Foundation

/// libFuzzer entry point for a whole check: one kind byte and one file, as for the
/// loader fuzzer, put in place of that kind's file in the example organisation
/// (examples/acme, read once), then loaded, resolved, checked by every rule and
/// rendered by every reporter.
///
/// Findings: a crash, a hang, an address-sanitizer report, a diagnostic positioned
/// before line 1 or column 1, a control character or bidi override reaching text or
/// GitHub output raw, a GitHub annotation split over lines, or JSON/SARIF output that
/// does not parse.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneCheck(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data, size > 0 else { return 0 }
    let kind = Int(data[0]) % CheckTarget.paths.count
    CheckTarget.run(Array(UnsafeBufferPointer(start: data + 1, count: size - 1)), kind: kind)
    return 0
}

/// SwiftPM links an executable target's entry point as `<Target>_main`; hand control to
/// libFuzzer's driver from there (see LoaderFuzzer).
@_cdecl("CheckFuzzer_main")
public func checkFuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments, fuzzOneCheck)
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

enum CheckTarget {
    /// The file each kind byte replaces (same order as the loader fuzzer's kinds).
    static let paths: [(DocumentKind, String)] = [
        (.policy, "evident.yaml"), (.people, "people.yaml"), (.values, "values.md"), (.metrics, "metrics.yaml"),
        (.level, "levels/eng-3.md"), (.team, "teams/payments.yaml"), (.cycle, "cycles/2026-h2/cycle.yaml"),
        (.evidence, "cycles/2026-h2/alice/evidence.md"), (.selfReview, "cycles/2026-h2/alice/self.md"),
        (.peerFeedback, "cycles/2026-h2/alice/peer-ben.md"), (.review, "cycles/2026-h2/alice/review.md"),
    ]

    static let root = "/fuzz/acme"

    /// The example organisation's files, read once.
    static let acme: [String: [UInt8]] = {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("examples/acme")
        var files: [String: [UInt8]] = [:]
        let enumerator = FileManager.default.enumerator(atPath: folder.path)
        while let path = enumerator?.nextObject() as? String {
            if let data = FileManager.default.contents(atPath: folder.path + "/" + path), !data.isEmpty,
                DocumentKind.classify(path) != nil
            {
                files[path] = Array(data)
            }
        }
        precondition(files.count > 20, "examples/acme not found beside fuzz/")
        return files
    }()

    /// The example's files parsed once: each input re-parses only the file it replaces.
    static let loaded: [LoadedFile] = {
        let source = MemorySource(root: root, files: acme)
        return acme.keys.sorted().map { RepositoryLoader.loadFile($0, kind: DocumentKind.classify($0), from: source) }
    }()

    static let reporters: [(ReportFormat, any DiagnosticReporter)] = ReportFormat.allCases.map {
        ($0, $0.reporter(color: false, rules: RuleRegistry.descriptions, pathPrefix: "reviews"))
    }

    static func run(_ bytes: [UInt8], kind index: Int) {
        let (kind, path) = paths[index]
        var files = acme
        files[path] = bytes
        let source = MemorySource(root: root, files: files)
        let file = RepositoryLoader.loadFile(path, kind: kind, from: source)
        let organisation = RepositoryLoader.assemble(
            root: root, files: loaded.map { $0.path == path ? file : $0 })
        let diagnostics = RuleEngine().check(organisation, source: source, files: [path])
        for diagnostic in diagnostics {
            precondition(
                diagnostic.location.line >= 1 && diagnostic.location.column >= 1,
                "\(diagnostic.ruleID) at \(diagnostic.location.line):\(diagnostic.location.column)")
        }
        let context = ReportContext(
            repositoryRoot: root, displayBase: root, name: "Acme", toolVersion: "fuzz",
            summary: CheckSummary(
                files: organisation.files.count, people: organisation.people.count, reviews: 0, evidenceItems: 0,
                diagnostics: diagnostics))
        for (format, reporter) in reporters {
            let output = reporter.render(diagnostics, context: context)
            switch format {
            case .text:
                precondition(!containsTerminalControl(output), "raw control character in text output")
            case .github:
                precondition(!containsTerminalControl(output), "raw control character in GitHub output")
                let lines = output.split(separator: "\n")
                precondition(lines.count == diagnostics.count + 1, "a GitHub annotation spans lines")
            case .json, .sarif:
                precondition(
                    (try? JSONSerialization.jsonObject(with: Data(output.utf8))) != nil, "\(format) output does not parse")
            }
        }
    }

    /// C0 (but newline), DEL, C1, bidi embeddings, overrides and isolates, line and
    /// paragraph separators: what `TerminalSanitizer` must have escaped.
    static func containsTerminalControl(_ text: String) -> Bool {
        text.unicodeScalars.contains { scalar in
            switch scalar.value {
            case 0x0A: false
            case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069, 0x2028, 0x2029: true
            default: false
            }
        }
    }
}
