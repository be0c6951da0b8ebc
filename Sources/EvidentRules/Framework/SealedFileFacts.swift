import EvidentCore
import EvidentSeal

/// What `seal-readers` needs to know about one stored file, none of its text: whether it
/// is sealed, to which key tags, and (where this clone's identity opens it) where its
/// `## Private` sections are and to whom each is sealed.
///
/// A function of the stored bytes and the identity alone, never of people.yaml or the
/// policy, so storage may remember it by blob id (`StoredContent.derived`) and a check
/// reads and opens only the files it has not seen; the readers are compared afresh every
/// time. Encoded as one line of tokens, so what was remembered and what was just computed
/// go through the same decoding.
struct SealedFileFacts: Equatable {
    /// The `kind` under which storage remembers facts; a change to what they hold or how
    /// they are encoded needs a new one, so no older answer is read.
    static let kind = "seal-readers-1"

    enum Stored: Equatable {
        case plaintext
        case unreadableHeader(String)
        case sealed([Age.Recipient], inside: Inside)
    }

    /// The file as this clone's identity opens it.
    enum Inside: Equatable {
        /// No identity, or one that is no reader.
        case notOpened
        case fails(String)
        case opened([PrivateBody])
    }

    struct PrivateBody: Equatable {
        /// The line of its heading, 1-based.
        let line: Int
        let block: Block
    }

    enum Block: Equatable {
        case plaintext
        case unreadable
        case sealed([Age.Recipient], opens: BlockOpening)
    }

    enum BlockOpening: Equatable {
        case opens
        case notReader
        case fails(String)
    }

    let stored: Stored

    /// The facts of `bytes`, opening with `open` (this clone's identity).
    static func of(_ bytes: [UInt8], open: StoredContentOpener) -> SealedFileFacts {
        guard Age.isAgeFile(bytes) else { return SealedFileFacts(stored: .plaintext) }
        let recipients: [Age.Recipient]
        do {
            recipients = try Age.recipients(of: bytes)
        } catch {
            return SealedFileFacts(stored: .unreadableHeader("\(error)"))
        }
        return SealedFileFacts(stored: .sealed(recipients, inside: inside(bytes, open: open)))
    }

    private static func inside(_ bytes: [UInt8], open: StoredContentOpener) -> Inside {
        guard let opened = open(bytes) else { return .notOpened }
        let text: [UInt8]
        switch opened {
        case .failure(let error): return .fails(String(describing: error))
        case .success(let value): text = value
        }
        var bodies: [PrivateBody] = []
        // Lines counted once, forward across the bodies (in order), not from the start for each.
        var counted = 0
        var lineAtCounted = 1
        for body in PrivateSections.bodyByteRanges(in: text) {
            if body.lowerBound < counted { (counted, lineAtCounted) = (0, 1) }  // never expected: count anew
            lineAtCounted += ASCIIScan.lineFeeds(in: text[counted..<body.lowerBound])
            counted = body.lowerBound
            let line = max(1, lineAtCounted - 1)
            let block = text[body]
            guard SealedDocument.isBlock(block) else {
                bodies.append(PrivateBody(line: line, block: .plaintext))
                continue
            }
            guard let recipients = try? Age.recipients(of: Array(block)) else {
                bodies.append(PrivateBody(line: line, block: .unreadable))
                continue
            }
            let opening: BlockOpening
            switch open(Array(block)) {
            case nil: opening = .notReader
            case .success?: opening = .opens
            case .failure(let error)?: opening = .fails(String(describing: error))
            }
            bodies.append(PrivateBody(line: line, block: .sealed(recipients, opens: opening)))
        }
        return .opened(bodies)
    }

    // MARK: Encoding

    /// Tokens joined by U+001F, each with `\` and U+001F escaped.
    var encoded: String {
        var tokens: [String] = []
        func recipients(_ list: [Age.Recipient]) {
            tokens.append(String(list.count))
            for recipient in list { tokens += [recipient.type, recipient.sshTag ?? ""] }
        }
        switch stored {
        case .plaintext: tokens.append("P")
        case .unreadableHeader(let message): tokens += ["U", message]
        case .sealed(let list, let inside):
            tokens.append("S")
            recipients(list)
            switch inside {
            case .notOpened: tokens.append("N")
            case .fails(let message): tokens += ["F", message]
            case .opened(let bodies):
                tokens += ["O", String(bodies.count)]
                for body in bodies {
                    tokens.append(String(body.line))
                    switch body.block {
                    case .plaintext: tokens.append("P")
                    case .unreadable: tokens.append("U")
                    case .sealed(let list, let opening):
                        tokens.append("S")
                        recipients(list)
                        switch opening {
                        case .opens: tokens.append("Y")
                        case .notReader: tokens.append("N")
                        case .fails(let message): tokens += ["F", message]
                        }
                    }
                }
            }
        }
        return tokens.map(Self.escape).joined(separator: "\u{1F}")
    }

    /// The facts `encoded` wrote; nil for anything else (then they are computed again).
    init?(encoded: String) {
        // Split on the separator's byte: a check decodes one of these per sealed file, and
        // splitting into Characters was most of the decoding.
        var tokens = encoded.utf8.split(separator: 0x1F, omittingEmptySubsequences: false)
            .map { Self.unescape(Substring($0)) }[...]
        func next() -> String? { tokens.popFirst() }
        func count() -> Int? { next().flatMap(Int.init).flatMap { $0 >= 0 && $0 <= tokens.count ? $0 : nil } }
        func recipients() -> [Age.Recipient]? {
            guard let n = count() else { return nil }
            var list: [Age.Recipient] = []
            for _ in 0..<n {
                guard let type = next(), let tag = next() else { return nil }
                list.append(Age.Recipient(type: type, sshTag: tag.isEmpty ? nil : tag))
            }
            return list
        }
        func inside() -> Inside? {
            switch next() {
            case "N": return .notOpened
            case "F": return next().map { .fails($0) }
            case "O":
                guard let n = count() else { return nil }
                var bodies: [PrivateBody] = []
                for _ in 0..<n {
                    guard let line = next().flatMap(Int.init), line >= 1 else { return nil }
                    switch next() {
                    case "P": bodies.append(PrivateBody(line: line, block: .plaintext))
                    case "U": bodies.append(PrivateBody(line: line, block: .unreadable))
                    case "S":
                        guard let list = recipients() else { return nil }
                        let opening: BlockOpening
                        switch next() {
                        case "Y": opening = .opens
                        case "N": opening = .notReader
                        case "F":
                            guard let message = next() else { return nil }
                            opening = .fails(message)
                        default: return nil
                        }
                        bodies.append(PrivateBody(line: line, block: .sealed(list, opens: opening)))
                    default: return nil
                    }
                }
                return .opened(bodies)
            default: return nil
            }
        }
        let stored: Stored
        switch next() {
        case "P": stored = .plaintext
        case "U":
            guard let message = next() else { return nil }
            stored = .unreadableHeader(message)
        case "S":
            guard let list = recipients(), let inside = inside() else { return nil }
            stored = .sealed(list, inside: inside)
        default: return nil
        }
        guard tokens.isEmpty else { return nil }
        self.stored = stored
    }

    init(stored: Stored) { self.stored = stored }

    private static func escape(_ token: String) -> String {
        guard token.utf8.contains(where: { $0 == 0x5C || $0 == 0x1F }) else { return token }
        var out = ""
        for character in token {
            switch character {
            case "\\": out += "\\\\"
            case "\u{1F}": out += "\\u"
            default: out.append(character)
            }
        }
        return out
    }

    private static func unescape(_ token: Substring) -> String {
        guard token.utf8.contains(0x5C) else { return String(token) }
        var out = ""
        var escaping = false
        for character in token {
            if escaping {
                out.append(character == "u" ? "\u{1F}" : character)
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                out.append(character)
            }
        }
        return out
    }
}
