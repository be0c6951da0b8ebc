import EvidentCore

/// libFuzzer entry point. An input is one kind byte and one file: the byte picks the
/// document kind (its value modulo the number of kinds, in `FuzzTarget.paths` order),
/// the rest is the file's bytes, loaded the way `evident check` loads a file (bytes →
/// text → front matter + YAML + Markdown → typed model), then assembled and resolved
/// with a small policy so that the cross-file passes see what it decoded.
///
/// A crash, a hang (libFuzzer's -timeout), an address-sanitizer report or a problem
/// positioned outside the file is a finding; diagnostics are the expected outcome.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data, size > 0 else { return 0 }
    let kind = Int(data[0]) % FuzzTarget.paths.count
    FuzzTarget.run(Array(UnsafeBufferPointer(start: data + 1, count: size - 1)), kind: kind)
    return 0
}

/// SwiftPM links an executable target's entry point as `<Target>_main`, which would
/// replace libFuzzer's own `main`; hand control to libFuzzer's driver from there.
@_cdecl("LoaderFuzzer_main")
public func loaderFuzzerMain(
    _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments, fuzzOneInput)
}

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

enum FuzzTarget {
    /// Where each kind of file lives, so `DocumentKind.classify` agrees with the kind.
    static let paths: [(DocumentKind, String)] = [
        (.policy, "evident.yaml"), (.people, "people.yaml"), (.values, "values.md"), (.metrics, "metrics.yaml"),
        (.level, "levels/eng-3.md"), (.team, "teams/payments.yaml"), (.cycle, "cycles/2026-h2/cycle.yaml"),
        (.evidence, "cycles/2026-h2/alice/evidence.md"), (.selfReview, "cycles/2026-h2/alice/self.md"),
        (.peerFeedback, "cycles/2026-h2/alice/peer-ben.md"), (.review, "cycles/2026-h2/alice/review.md"),
    ]

    static let policy = Array("evident: 1\norganization: F\nratings: [{ id: meets, label: Meets }]\n".utf8)

    static func run(_ bytes: [UInt8], kind index: Int) {
        let (kind, path) = paths[index]
        var files = ["evident.yaml": policy]
        files[path] = bytes
        let source = MemorySource(root: "/fuzz", files: files)
        let file = RepositoryLoader.loadFile(path, kind: kind, from: source)
        check(file)
        let policyFile = RepositoryLoader.loadFile("evident.yaml", kind: .policy, from: source)
        _ = RepositoryLoader.assemble(root: "/fuzz", files: [policyFile, file])
    }

    /// Every position must point into the file: a line and column of at least 1.
    static func check(_ file: LoadedFile) {
        for problem in file.problems {
            precondition(problem.location.line >= 1, "line \(problem.location.line) for \(problem.message)")
            precondition(problem.location.column >= 1, "column \(problem.location.column) for \(problem.message)")
        }
        for heading in file.headings {
            precondition(heading.line >= 1 && heading.column >= 1, "heading at \(heading.line):\(heading.column)")
        }
        for directive in file.directives {
            precondition(directive.line >= 1 && directive.column >= 1, "directive at \(directive.line):\(directive.column)")
        }
    }
}
