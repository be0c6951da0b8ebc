import Foundation

#if canImport(XCTest)
    import XCTest
#endif

/// The test suite's one random number generator (SplitMix64): small, fast, and fully
/// determined by its seed, so any randomised test can be replayed exactly.
///
/// Randomised tests take theirs from `forTest(_:)`: one seed per test process, chosen at
/// random or taken from `EVIDENT_TEST_SEED`, and printed when the test fails so the run
/// can be repeated with that variable set. Fixed-seed tests use `init(seed:)`.
public struct SeededGenerator: RandomNumberGenerator {
    /// The variable that replays a run: `EVIDENT_TEST_SEED=<seed> swift test --filter …`.
    public static let environmentVariable = "EVIDENT_TEST_SEED"

    /// This process's seed: `EVIDENT_TEST_SEED` when it is set, else drawn once at random.
    public static let runSeed: UInt64 = {
        if let text = ProcessInfo.processInfo.environment[environmentVariable], let value = UInt64(text) {
            return value
        }
        var system = SystemRandomNumberGenerator()
        return system.next()
    }()

    /// What this generator was started from.
    public let seed: UInt64
    private var state: UInt64

    public init(seed: UInt64) {
        self.seed = seed
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

// `swift build` builds every target, this one included, and a release build finds no
// XCTest: the test hook exists only where tests can be built.
#if canImport(XCTest)
    extension SeededGenerator {
        /// A generator for a randomised test, seeded from the run's seed and the test's name
        /// (so tests draw different streams, each the same on replay); when the test fails,
        /// the run's seed and how to replay it are printed after its failures.
        public static func forTest(_ test: XCTestCase) -> SeededGenerator {
            let seed = runSeed
            let name = test.name
            // FNV-1a of the name: stable across processes, unlike `hashValue`.
            let salt = name.utf8.reduce(0xCBF2_9CE4_8422_2325 as UInt64) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 }
            test.addTeardownBlock { [weak test] in
                guard let run = test?.testRun, run.totalFailureCount > 0 else { return }
                print("\(name) failed with random seed \(seed); replay with \(environmentVariable)=\(seed)")
            }
            return SeededGenerator(seed: seed ^ salt)
        }
    }
#endif
