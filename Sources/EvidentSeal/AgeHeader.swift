/// One recipient stanza of an age header: `-> type args…` and a binary body.
public struct AgeStanza: Sendable, Equatable {
    public var type: String
    public var arguments: [String]
    public var body: [UInt8]

    public init(type: String, arguments: [String], body: [UInt8]) {
        self.type = type
        self.arguments = arguments
        self.body = body
    }
}

/// The text header of an age v1 file, parsed strictly by the grammar of age-encryption.org/v1.
struct AgeHeader {
    static let versionLine = Array("age-encryption.org/v1\n".utf8)
    static let magic = Array("age-encryption.org/".utf8)
    /// Headers are a few hundred bytes per reader; anything bigger is refused before work
    /// grows with it (stanza parsing, key agreement attempts).
    static let maxBytes = 256 * 1024

    var stanzas: [AgeStanza]
    var mac: [UInt8]
    /// The bytes the MAC covers: the whole header up to and including `---`.
    var macInput: ArraySlice<UInt8>
    /// Where the payload (nonce, then chunks) starts in the file.
    var payloadOffset: Int

    /// Serialises stanzas and the version line, up to and including `---` (the MAC input).
    static func encodeWithoutMAC(_ stanzas: [AgeStanza]) -> [UInt8] {
        var out = versionLine
        for stanza in stanzas {
            out += Array("-> \(([stanza.type] + stanza.arguments).joined(separator: " "))\n".utf8)
            let body = Array(Base64.encode(stanza.body, padded: false).utf8)
            var index = 0
            // Full 64-column lines, then one shorter line (possibly empty) ends the body.
            while body.count - index >= 64 {
                out += body[index..<index + 64]
                out.append(0x0A)
                index += 64
            }
            out += body[index...]
            out.append(0x0A)
        }
        out += Array("---".utf8)
        return out
    }

    static func parse(_ file: [UInt8]) throws -> AgeHeader {
        guard file.starts(with: magic) else {
            throw SealError(.notAgeFile, "not an age file (it does not start with 'age-encryption.org/')")
        }
        guard file.starts(with: versionLine) else {
            let line = file.prefix(64).prefix { $0 != 0x0A }
            throw SealError(
                .header,
                "unsupported age version '\(SSHPublicKey.abbreviated(String(decoding: line, as: UTF8.self)))' (only age-encryption.org/v1 is known)"
            )
        }
        var offset = versionLine.count
        var stanzas = [AgeStanza]()

        /// The next line without its LF; the header must end within `maxBytes`.
        func nextLine() throws -> ArraySlice<UInt8> {
            let limit = min(file.count, maxBytes)
            guard offset < limit else {
                if file.count > maxBytes {
                    throw SealError(.header, "the age header is larger than \(maxBytes / 1024) KiB")
                }
                throw SealError(.header, "the age header is truncated (no '---' MAC line)")
            }
            guard let end = file[offset..<limit].firstIndex(of: 0x0A) else {
                if file.count > maxBytes {
                    throw SealError(.header, "the age header is larger than \(maxBytes / 1024) KiB")
                }
                throw SealError(.header, "the age header is truncated (a line has no end)")
            }
            let line = file[offset..<end]
            offset = end + 1
            return line
        }

        while true {
            let lineStart = offset
            let line = try nextLine()
            if line.starts(with: Array("-> ".utf8)) {
                let fields = line.dropFirst(3).split(separator: 0x20, omittingEmptySubsequences: false)
                guard !fields.isEmpty, fields.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0 >= 0x21 && $0 <= 0x7E } })
                else {
                    throw SealError(
                        .header,
                        "malformed stanza line in the age header: arguments must be printable and separated by single spaces"
                    )
                }
                var bodyText = [UInt8]()
                while true {
                    let bodyLine = try nextLine()
                    guard bodyLine.count <= 64, bodyLine.allSatisfy(Base64.isAlphabet) else {
                        throw SealError(
                            .header, "malformed stanza body in the age header (lines of at most 64 base64 characters)")
                    }
                    bodyText += bodyLine
                    if bodyLine.count < 64 { break }
                }
                guard let body = Base64.decode(bodyText, padded: false) else {
                    throw SealError(.header, "a stanza body in the age header is not canonical base64")
                }
                let strings = fields.map { String(decoding: $0, as: UTF8.self) }
                stanzas.append(AgeStanza(type: strings[0], arguments: Array(strings.dropFirst()), body: body))
            } else if line.starts(with: Array("---".utf8)) {
                guard !stanzas.isEmpty else {
                    throw SealError(.header, "the age header has no recipient stanza")
                }
                let encoded = line.dropFirst(3)
                guard encoded.first == 0x20, encoded.count == 44,
                    let mac = Base64.decode(encoded.dropFirst(), padded: false), mac.count == 32
                else {
                    throw SealError(
                        .header, "malformed MAC line in the age header (expected '--- ' and 43 base64 characters)")
                }
                return AgeHeader(stanzas: stanzas, mac: mac, macInput: file[0..<lineStart + 3], payloadOffset: offset)
            } else {
                throw SealError(.header, "unexpected line in the age header (expected '-> ' or '---')")
            }
        }
    }
}
