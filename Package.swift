// swift-tools-version:6.0
import PackageDescription

// Layers, lowest first. Each depends only on the layers above it in this list:
//   CCmarkGFM, CGit2, CYAML   C libraries, each imported by exactly one Swift module (CYAML is
//                             libyaml, the parser under Yams, whose events EvidentCore reads directly)
//   CGit2Startup              C, for EvidentGit: libgit2's start-up without decoding the CA bundle
//   CCmarkInlines             C, for EvidentCore: cmark-gfm's inline characters kept, so parses on
//                             several threads see the same table
//   CMappedFile               C, for EvidentGit: read-only file mappings that survive the file shrinking
//   EvidentSeal               the age format (age-encryption.org/v1): seal, open, recipient tags,
//                             SSH keys as recipients and identities (swift-crypto, BigInt)
//   EvidentCore               model, loading (front matter, YAML, Markdown), diagnostics
//   EvidentGit                libgit2: blobs, trees, index, history, trailers, sign-off commits,
//                             and repository sources read from a revision or the index
//   EvidentRules              the rule catalogue and the engine that runs it (it does not see git:
//                             what git stores reaches the sealing rules as EvidentCore's StoredContent)
//   EvidentReporters          text, JSON, SARIF and GitHub output of diagnostics
//   EvidentCalibration        packet, semantic diff, decision record, team health
//   EvidentLanguageServer     `evident lsp`
//   EvidentFilter             the git filter that seals and opens review files (pkt-line protocol v2)
//   EvidentImport             `evident import`: foreign ladders (Monzo, CSV, Markdown tables) → a ladder
//                             model → level guides (reads YAML through EvidentCore's bounded parser)
//   EvidentCommands           the command line (the only importer of ArgumentParser)
//   evident                   a stub executable that calls EvidentCommands
let package = Package(
    name: "Evident",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "evident", targets: ["evident"]),
        // For the fuzzers in fuzz/ (a separate package built with -sanitize=fuzzer).
        .library(name: "EvidentCore", targets: ["EvidentCore"]),
        .library(name: "EvidentRules", targets: ["EvidentRules"]),
        .library(name: "EvidentReporters", targets: ["EvidentReporters"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/attaswift/BigInt.git", from: "6.0.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CCmarkGFM",
            pkgConfig: "libcmark-gfm",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]
        ),
        .systemLibrary(
            name: "CGit2",
            pkgConfig: "libgit2",
            providers: [.apt(["libgit2-dev"])]
        ),
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        .target(name: "CGit2Startup", linkerSettings: [.linkedLibrary("dl")]),
        .target(name: "CCmarkInlines", linkerSettings: [.linkedLibrary("dl")]),
        .target(name: "CMappedFile"),
        .target(
            name: "EvidentSeal",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "BigInt", package: "BigInt"),
            ]
        ),
        .target(
            name: "EvidentCore",
            dependencies: ["CCmarkGFM", "CCmarkInlines", "CYAML", .product(name: "Yams", package: "Yams")]
        ),
        .target(
            name: "EvidentGit",
            dependencies: [
                "CGit2", "CGit2Startup", "CMappedFile", "EvidentCore", "EvidentSeal",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(name: "EvidentRules", dependencies: ["EvidentCore", "EvidentSeal"]),
        .target(name: "EvidentReporters", dependencies: ["EvidentCore", "EvidentRules"]),
        .target(name: "EvidentCalibration", dependencies: ["EvidentCore", "EvidentGit"]),
        .target(name: "EvidentLanguageServer", dependencies: ["EvidentCore", "EvidentRules"]),
        .target(name: "EvidentFilter", dependencies: ["EvidentCore", "EvidentGit", "EvidentSeal"]),
        .target(name: "EvidentImport", dependencies: ["EvidentCore"]),
        .target(
            name: "EvidentCommands",
            dependencies: [
                "EvidentCore", "EvidentGit", "EvidentRules", "EvidentReporters",
                "EvidentCalibration", "EvidentLanguageServer", "EvidentFilter", "EvidentSeal", "EvidentImport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            resources: []
        ),
        .executableTarget(name: "evident", dependencies: ["EvidentCommands"]),
        // Benchmarks/sshsig.sh: in-process SSH signature verification against ssh-keygen.
        .executableTarget(name: "evident-sshsig-benchmark", dependencies: ["EvidentGit"], path: "Benchmarks/SSHSig"),
        // The test suite's one seeded random generator (its seed printed on failure).
        .target(name: "EvidentTestSupport", path: "Tests/EvidentTestSupport"),
        .testTarget(
            name: "EvidentSealTests", dependencies: ["EvidentSeal", .product(name: "Crypto", package: "swift-crypto")]),
        .testTarget(name: "EvidentCoreTests", dependencies: ["EvidentCore", "EvidentTestSupport"]),
        .testTarget(name: "EvidentFilterTests", dependencies: ["EvidentFilter", "EvidentSeal", "EvidentCore"]),
        .testTarget(name: "EvidentGitTests", dependencies: ["EvidentGit", "EvidentCore", "EvidentTestSupport"]),
        .testTarget(
            name: "EvidentRulesTests",
            dependencies: ["EvidentRules", "EvidentCore", "EvidentSeal", "EvidentTestSupport"]),
        .testTarget(name: "EvidentReportersTests", dependencies: ["EvidentReporters", "EvidentRules", "EvidentCore"]),
        .testTarget(
            name: "EvidentCalibrationTests",
            dependencies: ["EvidentCalibration", "EvidentCore", "EvidentGit", "EvidentRules"]),
        .testTarget(name: "EvidentLanguageServerTests", dependencies: ["EvidentLanguageServer", "EvidentCore"]),
        .testTarget(
            name: "EvidentImportTests", dependencies: ["EvidentImport", .product(name: "Yams", package: "Yams")]),
        .testTarget(
            name: "EvidentCommandsTests",
            dependencies: ["EvidentCommands", "EvidentRules", "EvidentCore", "EvidentTestSupport"]),
    ]
)
