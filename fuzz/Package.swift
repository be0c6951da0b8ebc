// swift-tools-version:6.0
import Foundation
import PackageDescription

// The fuzzers: libFuzzer executables over EvidentCore's document loader (front matter,
// YAML and Markdown together) and over a whole check (loader, rules and reporters).
// Built by run.sh with -sanitize=fuzzer,address; see README.md. Not part of the main
// package, so a normal build never needs libFuzzer.
//
// A package found by path is named after its folder, which is whatever the checkout is
// called, so the parent's name is read rather than written down.
let evident = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent().lastPathComponent.lowercased()

let package = Package(
    name: "EvidentFuzz",
    platforms: [.macOS(.v13)],
    dependencies: [.package(path: "..")],
    targets: [
        .executableTarget(
            name: "LoaderFuzzer",
            dependencies: [.product(name: "EvidentCore", package: evident)],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
        .executableTarget(
            name: "CheckFuzzer",
            dependencies: [
                .product(name: "EvidentCore", package: evident),
                .product(name: "EvidentRules", package: evident),
                .product(name: "EvidentReporters", package: evident),
            ],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
    ]
)
