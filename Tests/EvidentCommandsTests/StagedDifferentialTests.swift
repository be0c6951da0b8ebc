import EvidentTestSupport
import Foundation
import XCTest

/// `evident check --staged` against the full `evident check` of the staged tree, on an
/// organisation made by `Benchmarks/generate.py` and changed at random: staged edits,
/// renames, deletions and additions of review files, organisation files, attachments and
/// hidden files, with unstaged edits left in the work tree.
///
/// Each round checks two things. The staged check reports exactly the full check's
/// diagnostics of the affected files (the dependency rules written down in
/// `ChangeScope`, implemented again here as the test's own oracle). And those rules miss
/// nothing: every file outside the affected set has the same diagnostics before and
/// after the change. The full check runs on `git checkout-index -a --prefix=<tmp>/`, a
/// copy of the index that is not a git repository.
///
/// The seed is random per run (set `EVIDENT_TEST_SEED` to repeat one) and is printed
/// in every failure; `EVIDENT_STAGED_ROUNDS` sets the number of rounds.
final class StagedDifferentialTests: XCTestCase {
    func testStagedCheckEqualsTheFullCheckOfTheStagedTree() throws {
        let environment = ProcessInfo.processInfo.environment
        let seed = SeededGenerator.forTest(self).seed
        let rounds = environment["EVIDENT_STAGED_ROUNDS"].flatMap { Int($0) } ?? 20
        print("StagedDifferentialTests: seed \(seed) (repeat with EVIDENT_TEST_SEED=\(SeededGenerator.runSeed))")
        let repo = try DifferentialRepo(self, seed: seed)
        let base = try repo.gitOutput(["rev-parse", "HEAD"])
        let baseDiagnostics = try repo.fullCheckOfIndex()
        XCTAssertFalse(baseDiagnostics.isEmpty, "the base organisation carries committed problems (seed \(seed))")
        var headDiagnostics = baseDiagnostics
        var random = repo.random
        var statusesSeen: Set<Int32> = []
        for round in 1...rounds {
            var done: [String] = []
            for _ in 0..<random.int(1...3) { done.append(try repo.mutate(&random)) }
            if random.chance(0.5) { done.append(try repo.leaveUnstagedEdit(&random)) }
            let changed = try repo.gitOutput(["diff", "--cached", "--name-only", "--no-renames"])
                .split(separator: "\n").map(String.init)
            let scope = AffectedFiles(changed)
            let staged = try repo.stagedCheck()
            let full = try repo.fullCheckOfIndex()
            let context =
                "seed \(seed), round \(round) (EVIDENT_TEST_SEED=\(SeededGenerator.runSeed)): \(done.joined(separator: "; "))\nstaged paths: \(changed)"
            statusesSeen.insert(staged.status)
            // The caches (people.yaml decoded, organisation blobs) never change a result:
            // damaged, swapped or gone, the check says the same and rebuilds them.
            if random.chance(0.3) {
                let damage = try repo.damageCaches(&random)
                XCTAssertEqual(
                    try repo.stagedCheck().diagnostics, staged.diagnostics,
                    "the staged check after the caches were \(damage), seed \(seed), round \(round)")
            }
            XCTAssertEqual(
                staged.status, staged.diagnostics.contains { $0.contains("] error ") } ? 1 : 0,
                "exit status of the staged check, \(context)")
            let expected = full.filter { scope.includes($0.file) }
            if staged.diagnostics != expected.map(\.text) {
                let missing = expected.map(\.text).filter { !staged.diagnostics.contains($0) }
                let extra = staged.diagnostics.filter { !expected.map(\.text).contains($0) }
                XCTFail("staged check differs from the full check, \(context)\nmissing: \(missing)\nextra: \(extra)")
                return
            }
            // The rules miss nothing: unaffected files keep their diagnostics.
            let before = headDiagnostics.filter { !scope.includes($0.file) }.map(\.text)
            let after = full.filter { !scope.includes($0.file) }.map(\.text)
            if before != after {
                XCTFail(
                    "a file outside the affected set changed its diagnostics, \(context)\nbefore: \(before.filter { !after.contains($0) })\nafter: \(after.filter { !before.contains($0) })"
                )
                return
            }
            if random.chance(0.25) {
                try repo.git(["reset", "-q", "--hard", base])
                headDiagnostics = baseDiagnostics
            } else {
                try repo.git(["commit", "-q", "--no-verify", "--allow-empty", "-m", "round \(round)"])
                headDiagnostics = full
            }
            try repo.git(["reset", "-q", "--hard"])
            try repo.git(["clean", "-q", "-f", "-d"])
        }
        XCTAssertTrue(statusesSeen.contains(1), "no round staged an error (seed \(seed)): the test proves little")
    }

    /// `check --changed-since <base>` against the full check of the work tree: changes
    /// committed, staged, unstaged and untracked since the base, with the same rules.
    func testChangedSinceEqualsTheFullCheckOfTheWorkTree() throws {
        let environment = ProcessInfo.processInfo.environment
        let seed = SeededGenerator.forTest(self).seed
        let rounds = environment["EVIDENT_STAGED_ROUNDS"].flatMap { Int($0) } ?? 12
        print(
            "StagedDifferentialTests (changed-since): seed \(seed) (repeat with EVIDENT_TEST_SEED=\(SeededGenerator.runSeed))"
        )
        let repo = try DifferentialRepo(self, seed: seed)
        let base = try repo.gitOutput(["rev-parse", "HEAD"])
        let baseDiagnostics = try repo.fullCheckOfIndex()
        // Ignored files are no change: a folder and a pattern, as `git status` leaves them out.
        try repo.write(".git/info/exclude", "scratch/\n*.tmp\n")
        var random = repo.random
        var statusesSeen: Set<Int32> = []
        for round in 1...rounds {
            var done: [String] = []
            for _ in 0..<random.int(1...4) {
                done.append(try repo.mutate(&random))
                if random.chance(0.3) {
                    try repo.git(["commit", "-q", "--no-verify", "--allow-empty", "-m", "round \(round)"])
                    done.append("committed")
                }
            }
            // A change committed (or staged) since the base and then undone is no change.
            if random.chance(0.4) { done.append(try repo.undoOneChange(since: base, &random)) }
            if random.chance(0.5) { done.append(try repo.leaveUnstagedEdit(&random)) }
            if random.chance(0.2) { done.append(try repo.leaveUnstagedDeletion(&random)) }
            if random.chance(0.4) { done.append(try repo.leaveIgnoredFiles(&random)) }
            if random.chance(0.3) {
                let path = "cycles/2026-h2/\(random.int(1...9))-newcomer/self.md"
                try repo.write(path, "---\nkind: self-review\n---\nUntracked.\n")
                done.append("left untracked \(path)")
            }
            let changed =
                try repo.gitOutput(["diff", "--name-only", "--no-renames", base]).split(separator: "\n").map(
                    String.init)
                + repo.gitOutput(["ls-files", "--others", "--exclude-standard"]).split(separator: "\n").map(String.init)
            let scope = AffectedFiles(changed)
            let result = try EvidentProcess.run(["check", "--changed-since", base, "--format", "json"], in: repo.root)
            let partial = try DifferentialRepo.parse(result).map(\.text)
            let full = try DifferentialRepo.parse(try EvidentProcess.run(["check", "--format", "json"], in: repo.root))
            let context =
                "seed \(seed), round \(round) (EVIDENT_TEST_SEED=\(SeededGenerator.runSeed)): \(done.joined(separator: "; "))\nchanged paths: \(changed)"
            statusesSeen.insert(result.status)
            let expected = full.filter { scope.includes($0.file) }.map(\.text)
            if partial != expected {
                XCTFail(
                    "--changed-since differs from the full check, \(context)\nmissing: \(expected.filter { !partial.contains($0) })\nextra: \(partial.filter { !expected.contains($0) })"
                )
                return
            }
            let before = baseDiagnostics.filter { !scope.includes($0.file) }.map(\.text)
            let after = full.filter { !scope.includes($0.file) }.map(\.text)
            if before != after {
                XCTFail(
                    "a file outside the affected set changed its diagnostics, \(context)\nbefore: \(before.filter { !after.contains($0) })\nafter: \(after.filter { !before.contains($0) })"
                )
                return
            }
            try repo.git(["reset", "-q", "--hard", base])
            try repo.git(["clean", "-q", "-f", "-d"])
        }
        XCTAssertTrue(statusesSeen.contains(1), "no round changed anything into an error (seed \(seed))")
        let usage = try EvidentProcess.run(["check", "--staged", "--changed-since", base], in: repo.root)
        XCTAssertEqual(usage.status, 2, usage.stderr)
        let unknown = try EvidentProcess.run(["check", "--changed-since", "no-such-revision"], in: repo.root)
        XCTAssertEqual(unknown.status, 2, unknown.stderr)
        XCTAssertTrue(unknown.stderr.contains("no-such-revision"), unknown.stderr)
    }

    /// The oracle's rules on their own, on paths whose answer is known.
    func testAffectedFilesRules() {
        let review = AffectedFiles(["cycles/2026-h2/alice/review.md"])
        XCTAssertTrue(review.includes("cycles/2026-h2/alice/evidence.md"))
        XCTAssertFalse(review.includes("cycles/2026-h2/bob/review.md"))
        XCTAssertFalse(review.includes("people.yaml"))
        let team = AffectedFiles(["teams/payments.yaml"])
        XCTAssertTrue(team.includes("people.yaml"))
        XCTAssertFalse(team.includes("cycles/2026-h2/alice/review.md"))
        XCTAssertTrue(AffectedFiles(["cycles/2026-h2/cycle.yaml"]).includes("cycles/2026-h2/bob/self.md"))
        XCTAssertTrue(AffectedFiles(["artifacts/design.md"]).includes("cycles/2026-h2/bob/self.md"))
        XCTAssertTrue(AffectedFiles([".notes/todo.md"]).includes("cycles/2026-h2/bob/self.md"))
        XCTAssertTrue(AffectedFiles(["cycles/2026-h2/alice/notes/x.md"]).includes("cycles/2026-h2/alice/review.md"))
    }
}

/// The dependency rules, written again from their documentation (README, "Checking"):
/// a person folder's file affects that folder; a team file the organisation files; any
/// other organisation file or any other path (hidden ones included) everything.
struct AffectedFiles {
    var everything = false
    var organisationFiles = false
    var folders: Set<String> = []

    init(_ changed: [String]) {
        for path in changed {
            let parts = path.split(separator: "/", omittingEmptySubsequences: false)
            if parts.count >= 4, parts[0] == "cycles" {
                folders.insert(parts[0...2].joined(separator: "/"))
            } else if parts.count == 2, parts[0] == "teams", parts[1].hasSuffix(".yaml") || parts[1].hasSuffix(".yml") {
                organisationFiles = true
            } else {
                everything = true
            }
        }
    }

    func includes(_ file: String) -> Bool {
        if everything { return true }
        let parts = file.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count >= 4, parts[0] == "cycles" { return folders.contains(parts[0...2].joined(separator: "/")) }
        return organisationFiles
    }
}

/// The draws the differential tests make, on the suite's one seeded generator
/// (`SeededGenerator`, SplitMix64), so a seed repeats a run exactly.
extension SeededGenerator {
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    mutating func chance(_ probability: Double) -> Bool { Double(next() % 1_000_000) / 1_000_000 < probability }

    mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }
}

/// The generated organisation in a git repository, and the ways it is changed.
final class DifferentialRepo {
    struct Finding {
        var file: String
        var text: String
    }

    let root: URL
    let scratch: URL
    var random: SeededGenerator
    private var counter = 0

    init(_ test: XCTestCase, seed: UInt64) throws {
        scratch = try EvidentProcess.temporaryDirectory(test, "evident-staged-diff")
        root = scratch.appendingPathComponent("org")
        random = SeededGenerator(seed: seed)
        let python = EvidentProcess.projectRoot.appendingPathComponent(".venv/bin/python")
        guard FileManager.default.isExecutableFile(atPath: python.path) else {
            XCTFail("\(python.path) is missing: run scripts/setup.sh")
            throw CocoaError(.fileNoSuchFile)
        }
        let people = 12 + random.int(0...8)
        let generated = try EvidentProcess.runTool(
            python,
            [
                EvidentProcess.projectRoot.appendingPathComponent("Benchmarks/generate.py").path, "--people",
                "\(people)", "--out", root.path, "--seed", "\(seed)",
            ], environment: Self.gitEnvironment)
        XCTAssertEqual(generated.status, 0, generated.stderr)
        try git(["config", "user.name", "Differential Test"])
        try git(["config", "user.email", "differential@example.com"])
        try git(["config", "commit.gpgsign", "false"])
        // Attachments with headings, linked with anchors from reviews (root-relative and
        // relative), and committed problems in a few files that later rounds leave alone.
        let reviews = try files().filter { $0.hasSuffix("/review.md") }
        for review in reviews.prefix(4) {
            let person = review.split(separator: "/")[2]
            try write(
                "artifacts/\(person)/design.md",
                "# Design\n\n## Risks accepted\n\nRetries may duplicate.\n\n## Alternatives rejected\n\nA queue.\n")
            try write(
                review,
                try read(review)
                    + "\nThe design is in [the risks](/artifacts/\(person)/design.md#risks-accepted) and [the alternatives](../../../artifacts/\(person)/design.md#alternatives-rejected).\n"
            )
        }
        // Links through a chain of symbolic links, and to a hidden file, both resolved
        // in the index as on disk.
        if let review = reviews.first {
            let person = review.split(separator: "/")[2]
            try FileManager.default.createSymbolicLink(
                atPath: root.appendingPathComponent("artifacts/\(person)/latest.md").path,
                withDestinationPath: "design.md")
            try FileManager.default.createSymbolicLink(
                atPath: root.appendingPathComponent("artifacts/\(person)/current.md").path,
                withDestinationPath: "latest.md")
            try write(".github/owners.md", "# Owners\n\nThe people team.\n")
            try write(
                review,
                try read(review)
                    + "\nCurrent: [design](/artifacts/\(person)/current.md#risks-accepted), [owners](/.github/owners.md#owners).\n"
            )
        }
        if let peer = try files().first(where: { $0.contains("/peer-") }) {
            try write(peer, try read(peer).replacingOccurrences(of: "---\nkind:", with: "---\nkind: [peer\nkindx:"))
        }
        try git(["add", "-A"])
        try git(["commit", "-q", "-m", "Attachments and a broken peer file"])
    }

    static let gitEnvironment = [
        "GIT_CONFIG_NOSYSTEM": "1", "GIT_AUTHOR_NAME": "Differential Test",
        "GIT_AUTHOR_EMAIL": "differential@example.com", "GIT_COMMITTER_NAME": "Differential Test",
        "GIT_COMMITTER_EMAIL": "differential@example.com",
    ]

    // MARK: Running

    @discardableResult
    func git(_ arguments: [String]) throws -> EvidentProcess.Result {
        let result = try EvidentProcess.runTool(
            URL(fileURLWithPath: "/usr/bin/git"), arguments, in: root, environment: Self.gitEnvironment)
        XCTAssertEqual(result.status, 0, "git \(arguments.joined(separator: " ")): \(result.stderr)")
        return result
    }

    func gitOutput(_ arguments: [String]) throws -> String {
        try git(arguments).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Tracked files (the index).
    func files() throws -> [String] {
        try gitOutput(["ls-files"]).split(separator: "\n").map(String.init)
    }

    func stagedCheck() throws -> (status: Int32, diagnostics: [String]) {
        let result = try EvidentProcess.run(["check", "--staged", "--format", "json"], in: root)
        return (result.status, try Self.parse(result).map(\.text))
    }

    /// `evident check` of a copy of the index.
    func fullCheckOfIndex() throws -> [Finding] {
        counter += 1
        let copy = scratch.appendingPathComponent("index-\(counter)")
        try git(["checkout-index", "-a", "--prefix=\(copy.path)/"])
        defer { try? FileManager.default.removeItem(at: copy) }
        return try Self.parse(try EvidentProcess.run(["check", "--format", "json"], in: copy))
    }

    /// Diagnostics as comparable lines: place, rule, severity, message and notes.
    static func parse(_ result: EvidentProcess.Result) throws -> [Finding] {
        XCTAssertTrue(result.status == 0 || result.status == 1, "evident failed: \(result.stderr)")
        let json = try XCTUnwrap(
            try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
            "no JSON: \(result.stdout) \(result.stderr)")
        let diagnostics = try XCTUnwrap(json["diagnostics"] as? [[String: Any]])
        return try diagnostics.map { d in
            let file = d["file"] as? String ?? ""
            let notes = try JSONSerialization.data(withJSONObject: d["notes"] ?? [], options: [.sortedKeys])
            let text =
                "\(file):\(d["line"] ?? ""):\(d["column"] ?? "") [\(d["rule"] ?? "")] \(d["severity"] ?? "") \(d["message"] ?? "") \(String(decoding: notes, as: UTF8.self))"
            return Finding(file: file, text: text)
        }
    }

    // MARK: Changing

    func read(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    func write(_ path: String, _ text: String) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    /// One random staged change; returns what it did.
    func mutate(_ random: inout SeededGenerator) throws -> String {
        let all = try files()
        let personFiles = all.filter { $0.split(separator: "/").count == 4 && $0.hasPrefix("cycles/") }
        // Attachments that are files (the symbolic links to them are left alone: reading
        // one whose target a round removed would fail).
        let attachments = all.filter {
            $0.hasPrefix("artifacts/")
                && (try? FileManager.default.destinationOfSymbolicLink(atPath: root.appendingPathComponent($0).path))
                    == nil
        }
        let organisation = all.filter { !$0.hasPrefix("artifacts/") && !$0.hasPrefix(".") && !personFiles.contains($0) }
        let folders = Array(Set(personFiles.map { $0.split(separator: "/").prefix(3).joined(separator: "/") })).sorted()
        switch random.int(0...15) {
        case 0...5 where !personFiles.isEmpty:
            let path = random.pick(personFiles)
            try write(path, edit(try read(path), &random))
            try git(["add", path])
            return "edited \(path)"
        case 6 where !personFiles.isEmpty:
            let path = random.pick(personFiles)
            try git(["rm", "-q", "-f", path])
            return "removed \(path)"
        case 7 where !personFiles.isEmpty:
            let path = random.pick(personFiles)
            let name = path.split(separator: "/").last!
            var target = "\(random.pick(folders))/\(name)"
            if all.contains(target) || target == path {
                target = path.replacingOccurrences(of: String(name), with: "notes.md")
            }
            guard !all.contains(target) else { return "no rename for \(path)" }
            try git(["mv", path, target])
            return "renamed \(path) to \(target)"
        case 8 where !personFiles.isEmpty:
            let source = random.pick(personFiles.filter { $0.contains("/peer-") } + personFiles)
            let target = "\(random.pick(folders))/peer-extra-\(random.int(1...99)).md"
            guard !all.contains(target) else { return "no copy to \(target)" }
            try write(target, try read(source))
            try git(["add", target])
            return "copied \(source) to \(target)"
        case 9...10 where !organisation.isEmpty:
            let path = random.pick(organisation)
            try write(path, edit(try read(path), &random))
            try git(["add", path])
            return "edited \(path)"
        case 11:
            let teams = organisation.filter { $0.hasPrefix("teams/") }
            guard !teams.isEmpty else { return "no team" }
            let path = random.pick(teams)
            try write(path, try read(path) + (random.chance(0.5) ? "attrition_risk: sky-high\n" : "# reviewed\n"))
            try git(["add", path])
            return "edited team \(path)"
        case 12...13:
            guard !attachments.isEmpty else { return "no attachment" }
            let path = random.pick(attachments)
            switch random.int(0...2) {
            case 0:
                try write(path, try read(path).replacingOccurrences(of: "## Risks accepted", with: "## Risks"))
                try git(["add", path])
                return "renamed a heading of \(path)"
            case 1:
                try git(["rm", "-q", "-f", path])
                return "removed \(path)"
            default:
                let target = path.replacingOccurrences(of: "design.md", with: "design-v2.md")
                guard !all.contains(target) else { return "no rename for \(path)" }
                try git(["mv", path, target])
                return "renamed \(path) to \(target)"
            }
        case 14:
            if random.chance(0.5), all.contains(".github/owners.md") {
                try write(".github/owners.md", "# Maintainers\n")
                try git(["add", ".github/owners.md"])
                return "renamed the heading of .github/owners.md"
            }
            let path = ".notes/todo-\(random.int(1...99)).md"
            try write(path, "# To do\n")
            try git(["add", path])
            return "added hidden \(path)"
        default:
            // A file that restores what an earlier round removed, or a new attachment.
            let person = random.pick(folders).split(separator: "/").last!
            let path = "artifacts/\(person)/design.md"
            try write(path, "# Design\n\n## Risks accepted\n\nNone.\n\n## Alternatives rejected\n\nNone.\n")
            try git(["add", path])
            return "wrote \(path)"
        }
    }

    /// Damages the caches under `.git/evident/` as an attacker or a crash might: a byte
    /// flipped, one cache copied over another, or removed.
    func damageCaches(_ random: inout SeededGenerator) throws -> String {
        let folder = root.appendingPathComponent(".git/evident")
        let people = folder.appendingPathComponent("people-decoded-v2")
        let blobs = folder.appendingPathComponent("blobs-v1")
        guard var bytes = try? Data(contentsOf: people), !bytes.isEmpty else { return "left alone (no people cache)" }
        switch random.int(0...2) {
        case 0:
            bytes[random.int(0...(bytes.count - 1))] ^= 0x20
            try bytes.write(to: people)
            return "damaged (a byte flipped)"
        case 1:
            try? FileManager.default.removeItem(at: people)
            try? FileManager.default.copyItem(at: blobs, to: people)
            return "swapped (the blob cache copied over the people cache)"
        default:
            try? FileManager.default.removeItem(at: people)
            try? FileManager.default.removeItem(at: blobs)
            return "removed"
        }
    }

    /// An edit that leaves the work tree different from the index, never staged.
    func leaveUnstagedEdit(_ random: inout SeededGenerator) throws -> String {
        let path = random.pick(try files().filter { !$0.hasPrefix(".") })
        guard FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path) else {
            return "no unstaged edit"
        }
        try write(path, "not front matter at all\n")
        return "left an unstaged edit in \(path)"
    }

    /// One path changed since `base` given back its content at `base`, in the index and
    /// the work tree, with nothing committed.
    func undoOneChange(since base: String, _ random: inout SeededGenerator) throws -> String {
        let changed = try gitOutput(["diff", "--name-only", "--no-renames", base]).split(separator: "\n").map(
            String.init)
        guard !changed.isEmpty else { return "nothing to undo" }
        let path = random.pick(changed)
        if try gitOutput(["ls-tree", "--name-only", base, "--", path]).isEmpty {
            try git(["rm", "-q", "-f", "--ignore-unmatch", path])
            return "undid the addition of \(path)"
        }
        try git(["checkout", base, "--", path])
        return "gave \(path) back its content at the base"
    }

    /// A tracked file removed from the work tree only.
    func leaveUnstagedDeletion(_ random: inout SeededGenerator) throws -> String {
        let path = random.pick(try files().filter { !$0.hasPrefix(".") })
        guard FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path) else {
            return "no unstaged deletion"
        }
        try FileManager.default.removeItem(at: root.appendingPathComponent(path))
        return "deleted \(path) in the work tree only"
    }

    /// Untracked files the ignore rules cover (`.git/info/exclude`): in an ignored folder
    /// at the top, and by pattern inside a person folder.
    func leaveIgnoredFiles(_ random: inout SeededGenerator) throws -> String {
        let folders = Array(
            Set(
                try files().filter { $0.hasPrefix("cycles/") && $0.split(separator: "/").count == 4 }
                    .map { $0.split(separator: "/").prefix(3).joined(separator: "/") })
        ).sorted()
        try write("scratch/notes-\(random.int(1...9)).md", "# Scratch\n")
        guard !folders.isEmpty else { return "left scratch/ notes" }
        let path = "\(random.pick(folders))/draft-\(random.int(1...9)).tmp"
        try write(path, "draft\n")
        return "left ignored scratch/ notes and \(path)"
    }

    /// A random text edit: a line dropped or repeated, a citation or heading renamed, a
    /// biased sentence added, or front matter broken.
    private func edit(_ text: String, _ random: inout SeededGenerator) -> String {
        var lines = text.components(separatedBy: "\n")
        switch random.int(0...5) {
        case 0 where lines.count > 2:
            lines.remove(at: random.int(1...(lines.count - 2)))
        case 1 where lines.count > 2:
            let index = random.int(1...(lines.count - 2))
            lines.insert(lines[index], at: index)
        case 2:
            let citing = lines.indices.filter { lines[$0].contains("[@") }
            if let index = citing.isEmpty ? nil : random.pick(citing) {
                lines[index] = lines[index].replacingOccurrences(of: "[@", with: "[@gone-")
            }
        case 3:
            let headings = lines.indices.filter { lines[$0].hasPrefix("## ") || lines[$0].hasPrefix("# ") }
            if let index = headings.isEmpty ? nil : random.pick(headings) { lines[index] = "## Something else" }
        case 4:
            lines.append("She is abrasive in meetings.")
        default:
            if let index = lines.firstIndex(where: { $0.contains(": ") }) {
                lines[index] = lines[index].replacingOccurrences(of: ": ", with: ": [")
            }
        }
        return lines.joined(separator: "\n")
    }
}
