import Crypto

extension Age {
    /// The payload of an age file: everything after the header (the 16-byte nonce and the
    /// encrypted chunks). Two files with equal payloads hold the same text: a header
    /// that opens a payload must carry the payload's file key, which only someone who
    /// could already open the file knows. Needs no key; throws when the header is damaged.
    public static func payload(of file: [UInt8]) throws -> [UInt8] {
        let binary = try binaryForm(file)
        let header = try AgeHeader.parse(binary)
        return Array(binary[header.payloadOffset...])
    }

    /// Re-seals an age file to `recipients` without re-encrypting it: the file key and
    /// the payload stay byte for byte, only the stanzas and the header MAC are written
    /// anew. So the text is provably unchanged (see `payload(of:)`), and sign-offs of it
    /// stay valid. Opening it first (header MAC and every chunk) makes sure nothing
    /// damaged is given a fresh header. Armoured in, armoured out.
    public static func reseal(_ file: [UInt8], with identities: [AgeIdentity], to recipients: [AgeRecipient]) throws
        -> [UInt8]
    {
        let binary = try binaryForm(file)
        let header = try AgeHeader.parse(binary)
        var fileKey: [UInt8]?
        search: for identity in identities {
            for stanza in header.stanzas {
                if let key = try identity.unwrap(stanza) {
                    fileKey = key
                    break search
                }
            }
        }
        guard let fileKey else {
            throw SealError(.noIdentity, noIdentityMessage(header.stanzas, identities))
        }
        guard
            HMAC<SHA256>.isValidAuthenticationCode(
                header.mac, authenticating: header.macInput, using: headerKey(fileKey))
        else {
            throw SealError(.headerMAC, "the age header's MAC does not verify: the header was altered")
        }
        _ = try decryptPayload(binary[header.payloadOffset...], fileKey: fileKey)
        var seen = Set<AgeRecipient>()
        let unique = recipients.filter { seen.insert($0).inserted }
        guard !unique.isEmpty else {
            throw SealError(.recipient, "a file cannot be sealed to no one")
        }
        let stanzas = try unique.map { try $0.wrap(fileKey) }
        var out = AgeHeader.encodeWithoutMAC(stanzas)
        let mac = HMAC<SHA256>.authenticationCode(for: out, using: headerKey(fileKey))
        out += Array(" \(Base64.encode(Array(mac), padded: false))\n".utf8)
        out += binary[header.payloadOffset...]
        return AgeArmor.looksArmored(file) ? AgeArmor.encode(out) : out
    }

    /// The tags of the ssh stanzas of an age file (what `seal-readers` compares), or nil
    /// when its header cannot be read.
    public static func sshTags(of file: [UInt8]) -> Set<String>? {
        guard let recipients = try? recipients(of: file) else { return nil }
        return Set(recipients.filter { !$0.type.hasSuffix("-grease") }.compactMap(\.sshTag))
    }
}
