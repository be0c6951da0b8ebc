import EvidentCore
import EvidentGit
import EvidentSeal

/// Where each review file stands against the sealing policy (`evident seal status`):
/// judged on what git stores, the key tags of its header (no key needed) and, where this
/// clone's identity opens it, its private blocks.
public enum SealInventory {
    public enum State: String, Encodable, Sendable {
        /// Sealed to exactly its readers (and its private blocks to the private readers,
        /// as far as this identity can see).
        case sealed
        /// Sealed, but not to its readers (someone missing, someone extra).
        case wrongReaders = "wrong-readers"
        /// Stored in plaintext while sealing is on.
        case plaintext
        /// Sealed to its readers, none of whom is this identity: nothing more to see.
        case sealedToOthers = "sealed-to-others"
        /// Cannot be read or opened: a damaged, truncated or forged file.
        case damaged

        /// Whether the file needs someone to act (`seal status` exits 1).
        public var isProblem: Bool { self == .wrongReaders || self == .plaintext || self == .damaged }
    }

    public struct FileReport: Encodable, Sendable {
        public var path: String
        public var state: State
        public var readers: [String]
        /// Readers the file is not sealed to, and recipients who are no reader.
        public var missing: [String] = []
        public var extra: [String] = []
        /// The same for the `## Private` blocks (only when this identity opens the file).
        public var privateMissing: [String] = []
        public var privateExtra: [String] = []
        public var privatePlaintext = 0
        /// What is wrong, in words; nil for a file sealed right.
        public var message: String?
    }

    /// A plaintext copy of a review file in a commit reachable from HEAD.
    public struct HistoryCopy: Encodable, Sendable {
        public var path: String
        public var commit: String
        public var blob: String
    }

    /// Judges one stored file. `path` is review-relative; nil when it is never sealed.
    public static func judge(
        path: String, stored: [UInt8], organisation: Organisation, identities: [AgeIdentity]
    ) -> FileReport? {
        guard SealReaders.kind(of: path) != nil else { return nil }
        let outer = SealRecipients.of(path, in: organisation)
        var report = FileReport(path: path, state: .sealed, readers: outer.readers)
        guard Age.isAgeFile(stored) else {
            report.state = .plaintext
            report.message = "stored in plaintext; add it again through the filter (git add --renormalize) to seal it"
            return report
        }
        let recipients: [Age.Recipient]
        do {
            recipients = try Age.recipients(of: stored)
        } catch {
            report.state = .damaged
            report.message = "its age header cannot be read: \(error)"
            return report
        }
        (report.missing, report.extra) = compare(recipients, with: outer, in: organisation)
        if !report.missing.isEmpty || !report.extra.isEmpty {
            report.state = .wrongReaders
        }
        let opened: [UInt8]
        do {
            opened = try Age.open(stored, with: identities)
        } catch let error as SealError where error.kind == .noIdentity {
            if report.state == .sealed { report.state = .sealedToOthers }
            report.message = describe(report)
            return report
        } catch {
            report.state = .damaged
            report.message = "it does not open with this clone's key: \(error)"
            return report
        }
        let inner = SealRecipients.of(path, in: organisation, privateSection: true)
        for body in PrivateSections.bodyByteRanges(in: opened) {
            let block = opened[body]
            guard SealedDocument.isBlock(block) else {
                report.privatePlaintext += 1
                continue
            }
            guard let blockRecipients = try? Age.recipients(of: Array(block)) else {
                report.state = .damaged
                report.message = "a private block's age header cannot be read"
                return report
            }
            let (missing, extra) = compare(blockRecipients, with: inner, in: organisation)
            report.privateMissing = Array(Set(report.privateMissing + missing)).sorted()
            report.privateExtra = Array(Set(report.privateExtra + extra)).sorted()
        }
        if !report.privateMissing.isEmpty || !report.privateExtra.isEmpty || report.privatePlaintext > 0 {
            report.state = .wrongReaders
        }
        report.message = describe(report)
        return report
    }

    static func compare(_ recipients: [Age.Recipient], with expected: SealRecipients, in organisation: Organisation)
        -> (missing: [String], extra: [String])
    {
        let named = recipients.filter { !$0.type.hasSuffix("-grease") }
        let tags = Set(named.compactMap(\.sshTag))
        let missing = expected.readers.filter { reader in expected.tags[reader].map { !tags.contains($0) } ?? false }
        var personOfTag: [String: String] = [:]
        var allowed = Set(expected.tags.values)
        let readers = Set(expected.readers)
        for person in organisation.people {
            guard let line = person.signingKey, let key = try? SSHPublicKey(line: line) else { continue }
            personOfTag[key.tag] = person.id.value
            // A reader Evident cannot seal to (ssh-rsa) may still be a recipient (age sealed it).
            if readers.contains(person.id.value) { allowed.insert(key.tag) }
        }
        var extra = tags.subtracting(allowed).sorted().map { personOfTag[$0] ?? "an unknown key \($0)" }
        let untagged = named.filter { $0.sshTag == nil }.count
        if untagged > 0 { extra.append("\(untagged) recipient\(untagged == 1 ? "" : "s") naming no SSH key") }
        return (missing, extra)
    }

    static func describe(_ report: FileReport) -> String? {
        var parts: [String] = []
        if !report.missing.isEmpty {
            parts.append(
                "not sealed to \(report.missing.joined(separator: ", ")), who read\(report.missing.count == 1 ? "s" : "") it"
            )
        }
        if !report.extra.isEmpty { parts.append("sealed to \(report.extra.joined(separator: ", ")), not a reader") }
        if !report.privateMissing.isEmpty {
            parts.append("private sections not sealed to \(report.privateMissing.joined(separator: ", "))")
        }
        if !report.privateExtra.isEmpty {
            parts.append(
                "private sections sealed to \(report.privateExtra.joined(separator: ", ")), not a private reader")
        }
        if report.privatePlaintext > 0 {
            parts.append(
                "\(report.privatePlaintext) private section\(report.privatePlaintext == 1 ? "" : "s") in plaintext inside the sealed file"
            )
        }
        if report.state == .sealedToOthers && parts.isEmpty {
            return "sealed to its readers; this clone's key is not one of them"
        }
        return parts.isEmpty ? nil : parts.joined(separator: "; ") + " (evident reseal fixes reader changes)"
    }

    /// Plaintext blobs of review files in the commits reachable from HEAD, other than
    /// the ones in `current` (blob ids the status already reports): each blob once, at
    /// the newest commit that holds it (the walk is newest first, and a folder version
    /// seen before is not listed again, so that commit is the newest with that version). `prefix` is the review repository's folder in
    /// the git work tree ("" or "org/").
    public static func plaintextInHistory(
        repository: GitRepository, prefix: String, current: Set<String>
    ) throws -> [HistoryCopy] {
        var verdict: [String: Bool] = [:]
        var found: [HistoryCopy] = []
        var reported = Set<String>()
        var seenFolders = Set<String>()
        try repository.forEachCommit(from: "HEAD") { commit in
            // Sign-off commits and commits elsewhere leave cycles/ as it was: list each
            // version of the folder once.
            guard let folder = try repository.treeID(path: prefix + "cycles", atRevision: commit.id),
                seenFolders.insert(folder).inserted
            else { return true }
            for entry in try repository.listTree(revision: commit.id, under: prefix + "cycles")
            where entry.path.hasPrefix(prefix) {
                let path = String(entry.path.dropFirst(prefix.count))
                guard SealReaders.kind(of: path) != nil, !current.contains(entry.blobID) else { continue }
                let isPlain: Bool
                if let known = verdict[entry.blobID] {
                    isPlain = known
                } else {
                    isPlain = (try? repository.readBlob(id: entry.blobID)).map { !Age.isAgeFile(Array($0)) } ?? false
                    verdict[entry.blobID] = isPlain
                }
                if isPlain, reported.insert(entry.blobID + path).inserted {
                    found.append(HistoryCopy(path: path, commit: commit.id, blob: entry.blobID))
                }
            }
            return true
        }
        return found
    }
}

/// Re-seals stored files to their current readers (`evident reseal`).
public enum Resealer {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    /// The new stored bytes for a file whose readers changed, or nil when it is already
    /// sealed to its readers. The outer file keeps its file key and payload (only the
    /// header is new) unless its private blocks had to be re-wrapped too, which changes
    /// the text the outer payload holds; the blocks keep theirs. Throws, with what to do,
    /// when this identity cannot open what must be resealed.
    public static func reseal(
        path: String, stored: [UInt8], organisation: Organisation, identities: [AgeIdentity]
    ) throws -> [UInt8]? {
        guard SealReaders.kind(of: path) != nil else { return nil }
        guard Age.isAgeFile(stored) else {
            throw Failure(
                "stored in plaintext, so there is nothing to reseal: add it again through the filter (git add --renormalize) to seal it"
            )
        }
        let outer = SealRecipients.of(path, in: organisation)
        guard !outer.recipients.isEmpty else {
            throw Failure(
                "no reader (\(outer.readers.joined(separator: ", "))) has an ssh-ed25519 signing_key in people.yaml")
        }
        let recipients: [Age.Recipient]
        do {
            recipients = try Age.recipients(of: stored)
        } catch {
            throw Failure("its age header cannot be read: \(error)")
        }
        let (missing, extra) = SealInventory.compare(recipients, with: outer, in: organisation)
        let outerRight = missing.isEmpty && extra.isEmpty
        let text: [UInt8]
        do {
            text = try Age.open(stored, with: identities)
        } catch let error as SealError where error.kind == .noIdentity {
            if outerRight { return nil }  // nothing this identity can see or change
            throw Failure(
                "cannot reseal: this clone's key does not open it (\(error)); one of its current readers must run evident reseal"
            )
        } catch {
            throw Failure("it does not open (\(error)); a damaged or forged file is not given a new header")
        }
        let inner = SealRecipients.of(path, in: organisation, privateSection: true)
        var changedBlocks = false
        var out: [UInt8] = []
        var cursor = 0
        for body in PrivateSections.bodyByteRanges(in: text) where body.lowerBound >= cursor {
            out += text[cursor..<body.lowerBound]
            cursor = body.upperBound
            let block = Array(text[body])
            guard SealedDocument.isBlock(text[body]), let blockRecipients = try? Age.recipients(of: block) else {
                out += block
                continue
            }
            let (innerMissing, innerExtra) = SealInventory.compare(blockRecipients, with: inner, in: organisation)
            guard !innerMissing.isEmpty || !innerExtra.isEmpty else {
                out += block
                continue
            }
            guard !inner.recipients.isEmpty else {
                throw Failure(
                    "no private reader (\(inner.readers.joined(separator: ", "))) has an ssh-ed25519 signing_key in people.yaml"
                )
            }
            do {
                // Keep what followed the armour in the body (the blank line sealing adds).
                let end =
                    block.lastIndex { $0 != 0x0A && $0 != 0x0D && $0 != 0x20 && $0 != 0x09 }.map { $0 + 1 }
                    ?? block.count
                let after = block[end...].drop { $0 != 0x0A }.dropFirst()
                out += try Age.reseal(block, with: identities, to: inner.recipients) + after
                changedBlocks = true
            } catch let error as SealError where error.kind == .noIdentity {
                throw Failure(
                    "cannot reseal its private sections: this clone's key does not open them; a private reader "
                        + "(\(inner.readers.joined(separator: ", "))) must run evident reseal")
            } catch {
                throw Failure(
                    "a private block does not open (\(error)); a damaged or forged block is not given a new header")
            }
        }
        out += text[cursor...]
        if changedBlocks { return try Age.seal(out, to: outer.recipients) }
        if outerRight { return nil }
        do {
            return try Age.reseal(stored, with: identities, to: outer.recipients)
        } catch {
            throw Failure("cannot reseal: \(error)")
        }
    }
}
