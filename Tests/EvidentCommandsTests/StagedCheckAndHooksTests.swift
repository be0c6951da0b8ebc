import Foundation
import XCTest

/// `evident check --staged` reads the index, not the work tree; `evident hooks install`
/// wires it into `git commit`.
final class StagedCheckAndHooksTests: XCTestCase {
    /// A review whose front matter no longer parses.
    static func broken(_ text: String) -> String {
        text.replacingOccurrences(of: "rating: meets", with: "rating: [meets")
    }

    /// A valid change: a longer growth plan.
    static func edited(_ text: String) -> String {
        text.replacingOccurrences(
            of: "Take a cross-team project next half.", with: "Take a cross-team project next half, with a mentor.")
    }

    func testStagedBadWithWorkTreeFixedFails() throws {
        let repo = try SignoffRepo(self)
        let original = try repo.read(SignoffRepo.review)
        try repo.write(SignoffRepo.review, Self.broken(original))
        try repo.git(["add", SignoffRepo.review])
        try repo.write(SignoffRepo.review, original)  // fixed on disk, still broken in the index

        let staged = try repo.checkFindings(["--staged"])
        XCTAssertEqual(staged.status, 1)
        XCTAssertEqual(staged.findings, ["cycles/2026-h2/alice/review.md:7 [front-matter-syntax] error"])
        let text = try repo.evident(["check", "--staged"])
        XCTAssertEqual(text.status, 1)
        XCTAssertTrue(text.stdout.contains("cycles/2026-h2/alice/review.md:7:"), text.stdout)
        XCTAssertEqual(try repo.checkFindings().status, 0, "the work tree itself is fine")
    }

    /// `check --staged` exactly (the hook's command line) skips ArgumentParser; it must
    /// answer as the parsed spelling does, clean, with errors, and from a subfolder.
    func testTheHooksCommandLineAnswersAsTheParsedOne() throws {
        let repo = try SignoffRepo(self)
        func compare(_ situation: String, in directory: URL? = nil) throws {
            let fast = try repo.evident(["check", "--staged"], in: directory)
            let parsed = try repo.evident(["check", "--format", "text", "--staged"], in: directory)
            XCTAssertEqual(fast.status, parsed.status, situation)
            XCTAssertEqual(fast.stdout, parsed.stdout, situation)
            XCTAssertEqual(fast.stderr, parsed.stderr, situation)
        }
        try compare("nothing staged")
        let original = try repo.read(SignoffRepo.review)
        try repo.write(SignoffRepo.review, Self.broken(original))
        try repo.git(["add", SignoffRepo.review])
        try compare("a broken review staged")
        XCTAssertEqual(try repo.evident(["check", "--staged"]).status, 1)
        try compare("from a subfolder", in: repo.reviewRoot.appendingPathComponent("cycles"))
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent(
            "evident-no-repo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: outside) }
        try compare("outside any repository", in: outside)
        XCTAssertEqual(try repo.evident(["check", "--staged"], in: outside).status, 2)
    }

    func testStagedGoodWithWorkTreeBrokenPasses() throws {
        let repo = try SignoffRepo(self)
        let original = try repo.read(SignoffRepo.review)
        try repo.write(SignoffRepo.review, Self.edited(original))
        try repo.git(["add", SignoffRepo.review])
        try repo.write(SignoffRepo.review, Self.broken(original))  // broken on disk only
        try repo.write("values.md", "not front matter\n")  // unstaged, also broken

        let staged = try repo.checkFindings(["--staged"])
        XCTAssertEqual(staged.status, 0, "\(staged.messages)")
        XCTAssertEqual(staged.findings, [])
        XCTAssertEqual(try repo.checkFindings().status, 1, "the work tree is broken")
    }

    func testStagedReportsOnlyStagedFiles() throws {
        let repo = try SignoffRepo(self)
        // Committed problems elsewhere are not this commit's business.
        try repo.write("cycles/2026-h2/alice/peer-bob.md", "no front matter\n")
        try repo.git(["commit", "-qam", "Broken peer feedback"])
        var staged = try repo.checkFindings(["--staged"])
        XCTAssertEqual(staged.status, 0, "nothing staged: \(staged.messages)")
        XCTAssertEqual(staged.findings, [])

        try repo.write("teams/payments.yaml", try repo.read("teams/payments.yaml") + "attrition_risk: sky-high\n")
        try repo.git(["add", "teams/payments.yaml"])
        staged = try repo.checkFindings(["--staged"])
        XCTAssertEqual(staged.status, 1)
        XCTAssertTrue(staged.findings.allSatisfy { $0.hasPrefix("teams/payments.yaml:") }, "\(staged.findings)")
    }

    func testStagedChangeToASignedReviewWarns() throws {
        let repo = try SignoffRepo(self)
        XCTAssertEqual(
            try repo.evident(["signoff", SignoffRepo.review, "--as", "manager"], as: "dana@example.com").status, 0)
        try repo.write(SignoffRepo.review, Self.edited(try repo.read(SignoffRepo.review)))
        try repo.git(["add", SignoffRepo.review])
        let staged = try repo.checkFindings(["--staged"])
        XCTAssertEqual(staged.status, 0)
        XCTAssertEqual(staged.findings, ["cycles/2026-h2/alice/review.md:7 [signoff-stale] warning"])
    }

    /// Links from a staged review to files the partial check does not load are looked up
    /// in the index: a staged target resolves, a missing one is reported.
    func testStagedLinksResolveAgainstTheIndex() throws {
        let repo = try SignoffRepo(self, subfolder: "org")
        try repo.write("guides/calibration.md", "# Calibration guide\n")
        try repo.git(["add", "-A"])  // staged, not committed, and not a file evident loads
        let review = try repo.read(SignoffRepo.review)
        try repo.write(
            SignoffRepo.review,
            review.replacingOccurrences(
                of: "## Growth plan\nTake a cross-team project next half.",
                with:
                    "## Growth plan\nTake a cross-team project next half ([guide](/guides/calibration.md), [folder](/guides/))."
            ))
        try repo.git(["add", "-A"])
        var staged = try repo.checkFindings(["--staged"])
        XCTAssertEqual(staged.findings, [], "\(staged.messages)")
        XCTAssertEqual(staged.status, 0)

        try repo.write(
            SignoffRepo.review,
            review.replacingOccurrences(
                of: "## Growth plan\nTake a cross-team project next half.",
                with: "## Growth plan\nTake a cross-team project next half ([guide](/guides/missing.md))."))
        try repo.git(["add", "-A"])
        staged = try repo.checkFindings(["--staged"])
        XCTAssertEqual(staged.status, 1)
        XCTAssertTrue(staged.findings.contains { $0.contains("[evidence-link-broken]") }, "\(staged.findings)")
    }

    /// Anchors into a committed file the partial check does not load (issue 14): the
    /// target is read from the index for its headings, root-relative or relative.
    func testStagedAnchorsIntoAnUnloadedFileResolve() throws {
        let repo = try SignoffRepo(self)
        try repo.write(
            "artifacts/checkout/retry-design.md",
            "# Retry design\n\n## Risks accepted\n\nDuplicates.\n\n## Alternatives rejected\n\nA queue.\n")
        try repo.git(["add", "-A"])
        try repo.git(["commit", "-q", "-m", "Design"])
        let review = try repo.read(SignoffRepo.review)
        func link(_ first: String, _ second: String) throws {
            try repo.write(
                SignoffRepo.review,
                review.replacingOccurrences(
                    of: "## Growth plan\nTake a cross-team project next half.",
                    with:
                        "## Growth plan\nTake a cross-team project next half ([risks](/artifacts/checkout/retry-design.md#\(first)), [alternatives](../../../artifacts/checkout/retry-design.md#\(second)))."
                ))
            try repo.git(["add", SignoffRepo.review])
        }
        try link("risks-accepted", "alternatives-rejected")
        var staged = try repo.checkFindings(["--staged"])
        XCTAssertEqual(staged.findings, [], "\(staged.messages)")
        XCTAssertEqual(staged.status, 0)
        XCTAssertEqual(try repo.checkFindings().findings, [], "the full check agrees")

        try link("risks-accepted", "alternatives-considered")
        staged = try repo.checkFindings(["--staged"])
        XCTAssertEqual(staged.status, 1)
        XCTAssertEqual(
            staged.messages, ["'#alternatives-considered' names no heading of 'artifacts/checkout/retry-design.md'"])
        XCTAssertEqual(try repo.checkFindings().messages, staged.messages, "the full check agrees")
    }

    /// Link targets resolve in the index as on disk: through a chain of symbolic links, to
    /// a hidden file, and a link to nowhere is missing (not "outside the repository").
    func testStagedLinksThroughSymlinksAndToHiddenFilesAgreeWithTheFullCheck() throws {
        let repo = try SignoffRepo(self)
        try repo.write("artifacts/design.md", "# Design\n\n## Risks accepted\n")
        try repo.write(".github/owners.md", "# Owners\n")
        for (link, target) in [("latest.md", "design.md"), ("current.md", "latest.md"), ("dangling.md", "nowhere.md")] {
            try FileManager.default.createSymbolicLink(
                atPath: repo.url("artifacts/\(link)").path, withDestinationPath: target)
        }
        try repo.git(["add", "-A"])
        try repo.git(["commit", "-q", "-m", "Attachments"])
        try repo.write(
            SignoffRepo.review,
            try repo.read(SignoffRepo.review).replacingOccurrences(
                of: "## Growth plan\nTake a cross-team project next half.",
                with:
                    "## Growth plan\nTake a cross-team project next half ([design](/artifacts/current.md#risks-accepted), [owners](/.github/owners.md#owners), [old](/artifacts/dangling.md))."
            ))
        try repo.git(["add", SignoffRepo.review])
        let staged = try repo.checkFindings(["--staged"])
        XCTAssertEqual(staged.messages, ["link target 'artifacts/dangling.md' does not exist"])
        XCTAssertEqual(try repo.checkFindings().messages, staged.messages, "the full check agrees")
    }

    /// `git rm` of an evidence log (issue 14): the rest of the folder, unstaged, cites it.
    func testStagedDeletionChecksTheWholeFolder() throws {
        let repo = try SignoffRepo(self)
        try repo.git(["rm", "-q", "cycles/2026-h2/alice/evidence.md"])
        let staged = try repo.checkFindings(["--staged"])
        XCTAssertEqual(staged.status, 1)
        let files = Set(staged.findings.map { String($0.prefix { $0 != ":" }) })
        XCTAssertTrue(files.contains(SignoffRepo.review), "\(staged.findings)")
        XCTAssertTrue(files.contains("cycles/2026-h2/alice/self.md"), "\(staged.findings)")
        XCTAssertTrue(staged.findings.contains { $0.contains("[citation-unknown]") }, "\(staged.findings)")
        let text = try repo.evident(["check", "--staged"])
        XCTAssertEqual(text.status, 1)
        XCTAssertTrue(text.stdout.contains("Example: "), "the summary names the organisation: \(text.stdout)")
        XCTAssertFalse(text.stdout.contains(" 0 people"), text.stdout)
    }

    /// One item removed from the evidence log while unstaged files still cite it.
    func testStagedRemovalOfACitedItemIsReportedInUnstagedFiles() throws {
        let repo = try SignoffRepo(self)
        let path = "cycles/2026-h2/alice/evidence.md"
        let evidence = try repo.read(path)
        let start = try XCTUnwrap(evidence.range(of: "  - id: queue-design"))
        let end = evidence[start.upperBound...].range(of: "\n---")?.lowerBound ?? evidence.endIndex
        try repo.write(path, String(evidence[..<start.lowerBound]) + String(evidence[end...]).dropFirst())
        try repo.git(["add", path])
        let staged = try repo.checkFindings(["--staged"])
        XCTAssertEqual(staged.status, 1, "\(staged.messages)")
        XCTAssertTrue(
            staged.findings.contains { $0.hasPrefix(SignoffRepo.review) && $0.contains("[citation-unknown]") },
            "\(staged.findings)")
        XCTAssertEqual(
            Set(staged.findings), Set(try repo.checkFindings().findings), "the full check of the same tree agrees")
    }

    /// A staged people.yaml affects every person's files, unstaged ones included.
    func testStagedOrganisationFileChecksEveryone() throws {
        let repo = try SignoffRepo(self)
        // Alice leaves the registry: her unstaged files now name an unknown person.
        let people = try repo.read("people.yaml").split(separator: "\n", omittingEmptySubsequences: false)
        try repo.write("people.yaml", people.filter { !$0.contains("id: alice,") }.joined(separator: "\n"))
        try repo.git(["add", "people.yaml"])
        let staged = try repo.checkFindings(["--staged"])
        XCTAssertEqual(staged.status, 1)
        XCTAssertEqual(Set(staged.findings), Set(try repo.checkFindings().findings))
        XCTAssertTrue(staged.findings.contains { $0.hasPrefix("cycles/2026-h2/alice/") }, "\(staged.findings)")
    }

    func testStagedInASubfolder() throws {
        let repo = try SignoffRepo(self, subfolder: "hr/reviews")
        try repo.write(SignoffRepo.review, Self.broken(try repo.read(SignoffRepo.review)))
        try repo.git(["add", "-A"])
        let staged = try repo.evident(["check", "--staged", "--format", "json"])
        XCTAssertEqual(staged.status, 1, staged.output)
        XCTAssertTrue(staged.stdout.contains("front-matter-syntax"), staged.stdout)
    }

    // MARK: Hooks

    func testHooksInstallWritesAnExecutableHookAndRefusesToOverwrite() throws {
        let repo = try SignoffRepo(self)
        let hook = repo.root.appendingPathComponent(".git/hooks/pre-commit")
        try? FileManager.default.removeItem(at: hook)
        var result = try repo.evident(["hooks", "install"])
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: hook.path))
        let script = try String(contentsOf: hook, encoding: .utf8)
        XCTAssertTrue(script.hasPrefix("#!/bin/sh\n"), script)
        XCTAssertTrue(script.contains("check --staged"), script)

        try Data("#!/bin/sh\necho mine\n".utf8).write(to: hook)
        result = try repo.evident(["hooks", "install"])
        XCTAssertEqual(result.status, 2, result.output)
        XCTAssertTrue(result.stderr.contains("--force"), result.stderr)
        XCTAssertEqual(try String(contentsOf: hook, encoding: .utf8), "#!/bin/sh\necho mine\n")
        result = try repo.evident(["hooks", "install", "--force"])
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertTrue(try String(contentsOf: hook, encoding: .utf8).contains("check --staged"))
    }

    func testHooksInstallRespectsCoreHooksPath() throws {
        let repo = try SignoffRepo(self)
        try repo.git(["config", "core.hooksPath", "tools/hooks"])
        let result = try repo.evident(["hooks", "install"], in: repo.url("cycles"))
        XCTAssertEqual(result.status, 0, result.output)
        let hook = repo.root.appendingPathComponent("tools/hooks/pre-commit")
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: hook.path), result.output)
        XCTAssertFalse(
            FileManager.default.fileExists(atPath: repo.root.appendingPathComponent(".git/hooks/pre-commit").path))
    }

    /// The installed hook, run by `git commit` itself: a broken review is blocked with its
    /// diagnostic shown, a fixed one goes through, and `git commit -a` (which checks a
    /// temporary index named by GIT_INDEX_FILE) is judged on what it commits.
    func testInstalledHookBlocksABrokenCommit() throws {
        for subfolder in [nil, "reviews"] as [String?] {
            let repo = try SignoffRepo(self, subfolder: subfolder)
            XCTAssertEqual(try repo.evident(["hooks", "install", "--force"]).status, 0)
            let original = try repo.read(SignoffRepo.review)
            try repo.write(SignoffRepo.review, Self.broken(original))
            try repo.git(["add", "-A"])
            let before = repo.head
            var commit = try repo.git(["commit", "-q", "-m", "Broken review"])
            XCTAssertNotEqual(commit.status, 0, "the hook must block the commit")
            XCTAssertTrue(commit.output.contains("front-matter-syntax"), commit.output)
            XCTAssertTrue(commit.output.contains("cycles/2026-h2/alice/review.md:7:"), commit.output)
            XCTAssertEqual(repo.head, before)

            try repo.write(SignoffRepo.review, Self.edited(original))
            try repo.git(["add", "-A"])
            commit = try repo.git(["commit", "-q", "-m", "Good review"])
            XCTAssertEqual(commit.status, 0, commit.output)
            XCTAssertNotEqual(repo.head, before)

            // `git commit -a` with a broken work tree: blocked, because the hook reads
            // the temporary index that holds what -a is about to commit.
            try repo.write(SignoffRepo.review, Self.broken(original))
            let head = repo.head
            commit = try repo.git(["commit", "-qam", "Broken through -a"])
            XCTAssertNotEqual(commit.status, 0, "commit -a must be checked on what it commits: \(commit.output)")
            XCTAssertTrue(commit.output.contains("front-matter-syntax"), commit.output)
            XCTAssertEqual(repo.head, head)
        }
    }
}
