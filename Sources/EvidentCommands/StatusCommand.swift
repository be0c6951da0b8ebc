import ArgumentParser
import EvidentCore
import EvidentGit
import EvidentReporters
import Foundation

/// `evident status [--cycle C] [--format text|json]`: the sign-off state of every review;
/// with `--missing`, who still owes what in the cycle and by when.
///
/// A report, like `git status`: it exits 0 whatever it finds (2 when it cannot run). CI
/// should gate on `evident check`, where unauthorised sign-offs and signature problems are
/// errors (exit 1) and stale ones warnings.
struct StatusCommand: ParsableCommand {
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Per review: valid, stale, missing, unauthorised and badly signed sign-offs.",
        discussion: """
            Sign-offs are read from the git history; a sign-off is valid while the review's content on disk \
            is the blob it approved, the signer holds the role, and its signature meets signoff.require_signature. \
            Missing roles are those of signoff.required with no valid or stale sign-off. Always exits 0: use \
            evident check to fail a build.

            With --missing: the cycle's calendar instead. Per person and per owner, every self review, peer \
            feedback, review and sign-off still owed, with its deadline from cycle.yaml (deadlines:) and how \
            late it is (today in UTC, or EVIDENT_TODAY). The JSON form is meant for reminder jobs.
            """)

    @Argument(help: "The review repository or a folder in it (default: the current folder).")
    var paths: [String] = []

    @Option(help: "Only reviews of this cycle (id or folder).")
    var cycle: String?

    @Option(help: "Output format: text or json.")
    var format: Format = .text

    @Flag(help: "List who still owes what in the cycle (default: the latest) and by when.")
    var missing = false

    func run() throws {
        let location = try RepositoryLocation.locate(paths)
        let source: DiskSource
        source = try DiskSource(root: location.root)
        let organisation: Organisation
        organisation = try RepositoryLoader.load(from: source)
        if missing {
            let chosen = try CycleOption.choose(cycle, in: organisation)
            // Without git the writing is still listed; only sign-offs need history.
            let ledger = try GitContext.find(reviewRoot: location.root).map {
                try GitContext.ledger($0, organisation: organisation, content: .workTree)
            }
            let report = MissingReport.build(
                organisation: organisation, cycle: chosen, ledger: ledger, today: Day.today(),
                signoffsRead: ledger != nil)
            Console.out(format == .json ? try report.json() : report.text())
            return
        }
        var cycleFolder: String?
        if let cycle {
            guard let found = organisation.cycle(cycle) else {
                let known = organisation.cycles.map(\.id.value).joined(separator: ", ")
                throw EnvironmentError("no cycle \(cycle) (cycles: \(known.isEmpty ? "none" : known))")
            }
            cycleFolder = found.folder
        }
        let git = try GitContext.require(reviewRoot: location.root, for: "sign-offs are read from git history")
        let ledger = try GitContext.ledger(git, organisation: organisation, content: .workTree)
        let report = StatusReport.build(organisation: organisation, ledger: ledger, cycleFolder: cycleFolder)
        switch format {
        case .text:
            Console.out(
                report.text(
                    color: TerminalCapabilities.shouldColor(
                        environment: ProcessInfo.processInfo.environment, isTTY: Console.stdoutIsTerminal)))
        case .json:
            Console.out(try report.json())
        }
    }
}

/// The status of every review, as plain values (the JSON shape is this structure).
struct StatusReport: Encodable {
    struct Signoff: Encodable {
        var role: String
        var signer: String
        var email: String
        var person: String?
        /// Who committed it; present only when it differs from the claimed signer.
        var committer: String?
        var commit: String
        var date: String
        var blob: String
        var rating: String?
        /// approve, dissent, withdraw or void.
        var position: String
        /// The dissent's, withdrawal's or void's reason.
        var positionReason: String?
        /// For a void: the commit it cancels.
        var voids: String?
        var signed: Bool
        var verified: Bool?
        /// "verified" when a signature proves who signed; "unverified" otherwise (every
        /// sign-off of a repository that does not require signatures).
        var identity: String
        var standing: String
        /// Why it does not count (unauthorised, signature, superseded, voided), when it does not.
        var reason: String?
    }

    struct Review: Encodable {
        var file: String
        var person: String
        var cycle: String
        var rating: String?
        var valid: [Signoff]
        var stale: [Signoff]
        var superseded: [Signoff]
        var withdrawn: [Signoff]
        var voided: [Signoff]
        var voids: [Signoff]
        var missing: [String]
        var unauthorized: [Signoff]
        var signature: [Signoff]
        var complete: Bool
    }

    struct Summary: Encodable {
        var reviews: Int
        var complete: Int
        var withStale: Int
        var withMissing: Int
        var withUnauthorized: Int
        var withSignatureProblems: Int
        var withDissent: Int
        /// False when evident.yaml does not require signatures: no sign-off then proves who wrote it.
        var signaturesRequired: Bool
    }

    var reviews: [Review]
    var summary: Summary

    static func build(organisation: Organisation, ledger: SignoffLedger, cycleFolder: String?) -> StatusReport {
        let judged = SignoffAssessment.assess(ledger, organisation: organisation)
        let policy = organisation.policy ?? Policy()
        let required = policy.requiredSignoffs
        var reviews: [Review] = []
        for personCycle in organisation.personCycles {
            guard let review = personCycle.review else { continue }
            if let cycleFolder, personCycle.cycleFolder != cycleFolder { continue }
            let cycleName = organisation.cycle(personCycle.cycleFolder)?.id.value ?? personCycle.cycleFolder
            let signoffs = judged[review.file]
            let rows = { (items: [ReviewSignoffs.Judged]?) in items?.map(row) ?? [] }
            let valid = rows(signoffs?.valid)
            let stale = rows(signoffs?.stale)
            let missing = (signoffs?.missing(required: required) ?? required).map(\.rawValue)
            let unauthorized = rows(signoffs?.unauthorized)
            let signature = rows(signoffs?.signatureProblems)
            reviews.append(
                Review(
                    file: review.file, person: personCycle.personFolder, cycle: cycleName,
                    rating: organisation.signoffRating(of: review), valid: valid, stale: stale,
                    superseded: rows(signoffs?.superseded), withdrawn: rows(signoffs?.withdrawn),
                    voided: rows(signoffs?.voided), voids: rows(signoffs?.voids), missing: missing,
                    unauthorized: unauthorized, signature: signature,
                    complete: stale.isEmpty && missing.isEmpty && unauthorized.isEmpty && signature.isEmpty))
        }
        reviews.sort { $0.file < $1.file }
        let summary = Summary(
            reviews: reviews.count, complete: reviews.filter(\.complete).count,
            withStale: reviews.filter { !$0.stale.isEmpty }.count,
            withMissing: reviews.filter { !$0.missing.isEmpty }.count,
            withUnauthorized: reviews.filter { !$0.unauthorized.isEmpty }.count,
            withSignatureProblems: reviews.filter { !$0.signature.isEmpty }.count,
            withDissent: reviews.filter { $0.valid.contains { $0.position == SignoffPosition.dissent.rawValue } }.count,
            signaturesRequired: policy.requireSignature)
        return StatusReport(reviews: reviews, summary: summary)
    }

    static func row(_ item: ReviewSignoffs.Judged) -> Signoff {
        let e = item.entry
        let reason: String?
        switch item.standing {
        case .unauthorized: reason = item.refusal
        case .signatureProblem: reason = item.signatureProblem
        case .superseded:
            reason = item.supersededBy.map {
                "replaced by the same signer's sign-off \($0.commitID.prefix(12)) of \($0.date.prefix(10))"
            }
        case .voided:
            reason = item.voidedBy.map { "voided by \($0.signerName) in \($0.commitID.prefix(12)): \($0.reason ?? "")" }
        case .stale: reason = e.currentBlob == nil ? "the file no longer exists" : "approved an earlier version"
        default: reason = nil
        }
        return Signoff(
            role: e.role, signer: e.signerName, email: e.signerEmail, person: item.signer,
            committer: !item.isVerified && e.committedBySomeoneElse ? "\(e.committerName) <\(e.committerEmail)>" : nil,
            commit: e.commitID, date: e.date, blob: e.blob, rating: e.rating, position: e.position.rawValue,
            positionReason: e.reason, voids: e.voids, signed: e.isSigned, verified: e.signatureVerified,
            identity: item.isVerified ? "verified" : "unverified", standing: item.standing.rawValue, reason: reason)
    }

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }

    /// One block per review; every name that came from a commit or a file is sanitised,
    /// because a forged trailer may carry terminal escape sequences.
    func text(color: Bool) -> String {
        func paint(_ text: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
        func clean(_ text: String) -> String { TerminalSanitizer.sanitize(text) }
        func describe(_ s: Signoff) -> String {
            var facts = [String(s.commit.prefix(7)), String(s.date.prefix(10))]
            if s.identity == "verified" {
                facts.append("signature verified")
            } else {
                facts.append(s.signed ? "signed, unverified" : "unverified")
            }
            if let committer = s.committer { facts.append("committed by \(clean(committer))") }
            return "\(clean(s.role)) by \(clean(s.signer)) (\(facts.joined(separator: ", ")))"
        }
        var out = ""
        if !summary.signaturesRequired {
            out +=
                paint("Signatures are not required (evident.yaml signoff.require_signature: false):", "33")
                + " a sign-off only claims who wrote it; every one below is unverified.\n"
        }
        for review in reviews {
            var heading = "\(clean(review.file)) (\(clean(review.person)), \(clean(review.cycle))"
            if let rating = review.rating { heading += ", rating \(clean(rating))" }
            heading += ")"
            out += (review.complete ? paint(heading, "1") : paint(heading, "1;33")) + "\n"
            let listed =
                review.valid + review.stale + review.superseded + review.withdrawn + review.voided
                + review.voids + review.unauthorized + review.signature
            if listed.isEmpty && review.missing.isEmpty {
                out += "  no sign-offs required or recorded\n"
            }
            func line(_ label: String, _ code: String, _ text: String) -> String {
                "  " + paint(label, code) + String(repeating: " ", count: max(1, 14 - label.count)) + text + "\n"
            }
            for s in review.valid {
                if s.position == SignoffPosition.dissent.rawValue {
                    out += line("dissent", "35", describe(s) + ": signs, disagreeing: " + clean(s.positionReason ?? ""))
                } else {
                    out += line("signed off", "32", describe(s))
                }
            }
            for s in review.stale { out += line("stale", "33", describe(s) + ": " + clean(s.reason ?? "")) }
            for s in review.superseded { out += line("superseded", "33", describe(s) + ": " + clean(s.reason ?? "")) }
            for s in review.withdrawn {
                out += line("withdrawn", "33", describe(s) + (s.positionReason.map { ": " + clean($0) } ?? ""))
            }
            if !review.missing.isEmpty { out += line("missing", "33", review.missing.joined(separator: ", ")) }
            for s in review.unauthorized {
                out += line("unauthorised", "31", describe(s) + ": " + clean(s.reason ?? ""))
            }
            for s in review.signature { out += line("bad signature", "31", describe(s) + ": " + clean(s.reason ?? "")) }
            for s in review.voided { out += line("voided", "2", describe(s) + ": " + clean(s.reason ?? "")) }
            for s in review.voids {
                out += line(
                    "void", "2",
                    describe(s) + ": cancels \(clean(String((s.voids ?? "").prefix(12)))): "
                        + clean(s.positionReason ?? ""))
            }
        }
        let s = summary
        var parts = ["\(s.complete) fully signed off"]
        if s.withMissing > 0 { parts.append("\(s.withMissing) missing sign-offs") }
        if s.withStale > 0 { parts.append("\(s.withStale) with stale sign-offs") }
        if s.withUnauthorized > 0 { parts.append("\(s.withUnauthorized) with unauthorised sign-offs") }
        if s.withSignatureProblems > 0 { parts.append("\(s.withSignatureProblems) with signature problems") }
        if s.withDissent > 0 { parts.append("\(s.withDissent) with dissent") }
        out += "\(s.reviews) review\(s.reviews == 1 ? "" : "s"): \(parts.joined(separator: ", "))\n"
        return out
    }
}
