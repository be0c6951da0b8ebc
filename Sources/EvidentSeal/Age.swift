import Crypto
import Foundation

/// age-encryption.org/v1 files: sealing to recipients, opening with identities, and
/// reading who a file is sealed to without any key.
///
/// Whole files in memory: review files are small, and opening verifies every chunk
/// before returning anything, so a damaged file never yields part of its plaintext.
public enum Age {
    static let chunkSize = 64 * 1024
    static let tagSize = 16

    /// One stanza of a sealed file's header, as anyone can read it.
    public struct Recipient: Sendable, Equatable {
        /// The stanza type: `ssh-ed25519`, `ssh-rsa`, `X25519`, or anything else.
        public let type: String
        /// For `ssh-ed25519` and `ssh-rsa` stanzas, the tag of the recipient's key (see
        /// `SSHPublicKey.tag`); nil for stanza types that name no key.
        public let sshTag: String?

        public init(type: String, sshTag: String?) {
            self.type = type
            self.sshTag = sshTag
        }
    }

    /// Whether `bytes` is an age file, armoured or binary (by its first line only).
    public static func isAgeFile(_ bytes: [UInt8]) -> Bool {
        AgeArmor.looksArmored(bytes) || bytes.starts(with: AgeHeader.magic)
    }

    /// Seals `plaintext` to every recipient (duplicates once), armoured by default, the
    /// way `git` will store it.
    public static func seal(_ plaintext: [UInt8], to recipients: [AgeRecipient], armored: Bool = true) throws -> [UInt8]
    {
        var seen = Set<AgeRecipient>()
        let unique = recipients.filter { seen.insert($0).inserted }
        guard !unique.isEmpty else {
            throw SealError(.recipient, "a file cannot be sealed to no one")
        }
        let fileKey = randomBytes(16)
        let stanzas = try unique.map { try $0.wrap(fileKey) }
        var binary = AgeHeader.encodeWithoutMAC(stanzas)
        let mac = HMAC<SHA256>.authenticationCode(for: binary, using: headerKey(fileKey))
        binary += Array(" \(Base64.encode(Array(mac), padded: false))\n".utf8)
        let nonce = randomBytes(16)
        binary += nonce
        try encryptPayload(plaintext, fileKey: fileKey, nonce: nonce, into: &binary)
        return armored ? AgeArmor.encode(binary) : binary
    }

    public static func seal(_ plaintext: Data, to recipients: [AgeRecipient], armored: Bool = true) throws -> Data {
        Data(try seal(Array(plaintext), to: recipients, armored: armored))
    }

    /// Opens an armoured or binary age file with the first identity that a stanza is
    /// addressed to. Throws, returning nothing, for any damage anywhere in the file.
    public static func open(_ file: [UInt8], with identities: [AgeIdentity]) throws -> [UInt8] {
        let binary = try binaryForm(file)
        let header = try AgeHeader.parse(binary)
        if header.stanzas.contains(where: { $0.type == "scrypt" }) {
            throw SealError(
                .unsupported, "this file is sealed with a passphrase (scrypt); Evident opens files sealed to keys")
        }
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
        return try decryptPayload(binary[header.payloadOffset...], fileKey: fileKey)
    }

    public static func open(_ file: Data, with identities: [AgeIdentity]) throws -> Data {
        Data(try open(Array(file), with: identities))
    }

    /// The stanzas of a sealed file's header, readable without any key (the header is
    /// not authenticated until a reader opens the file, so this is what the file claims).
    public static func recipients(of file: [UInt8]) throws -> [Recipient] {
        let header = try AgeHeader.parse(try binaryForm(file))
        return try header.stanzas.map { stanza in
            guard stanza.type == "ssh-ed25519" || stanza.type == "ssh-rsa" else {
                return Recipient(type: stanza.type, sshTag: nil)
            }
            guard let tag = stanza.arguments.first, let bytes = Base64.decode(Array(tag.utf8), padded: false),
                bytes.count == 4
            else {
                throw SealError(.stanza, "malformed \(stanza.type) stanza (its key tag is not 4 bytes of base64)")
            }
            return Recipient(type: stanza.type, sshTag: tag)
        }
    }

    // MARK: - Internals

    static func binaryForm(_ file: [UInt8]) throws -> [UInt8] {
        if AgeArmor.looksArmored(file) { return try AgeArmor.decode(file) }
        if file.starts(with: AgeHeader.magic) { return file }
        throw SealError(.notAgeFile, "not an age file (neither '\(AgeArmor.beginLine)' nor 'age-encryption.org/')")
    }

    static func randomBytes(_ count: Int) -> [UInt8] {
        AgeCrypto.bytes(SymmetricKey(size: SymmetricKeySize(bitCount: count * 8)))
    }

    static func headerKey(_ fileKey: [UInt8]) -> SymmetricKey {
        AgeCrypto.hkdf(fileKey, salt: [], info: Array("header".utf8))
    }

    static func payloadKey(_ fileKey: [UInt8], nonce: [UInt8]) -> SymmetricKey {
        AgeCrypto.hkdf(fileKey, salt: nonce, info: Array("payload".utf8))
    }

    /// The STREAM nonce: an 11-byte big-endian counter and the last-chunk flag.
    static func chunkNonce(_ counter: UInt64, last: Bool) throws -> ChaChaPoly.Nonce {
        var bytes = [UInt8](repeating: 0, count: 12)
        for index in 0..<8 { bytes[10 - index] = UInt8(truncatingIfNeeded: counter >> UInt64(8 * index)) }
        bytes[11] = last ? 1 : 0
        return try ChaChaPoly.Nonce(data: bytes)
    }

    static func encryptPayload(_ plaintext: [UInt8], fileKey: [UInt8], nonce: [UInt8], into out: inout [UInt8]) throws {
        let key = payloadKey(fileKey, nonce: nonce)
        out.reserveCapacity(out.count + plaintext.count + (plaintext.count / chunkSize + 1) * tagSize)
        var offset = 0
        var counter: UInt64 = 0
        repeat {
            let end = min(offset + chunkSize, plaintext.count)
            let last = end == plaintext.count
            let box = try ChaChaPoly.seal(plaintext[offset..<end], using: key, nonce: chunkNonce(counter, last: last))
            box.ciphertext.withUnsafeBytes { out.append(contentsOf: $0) }
            box.tag.withUnsafeBytes { out.append(contentsOf: $0) }
            offset = end
            counter += 1
        } while offset < plaintext.count
    }

    static func decryptPayload(_ payload: ArraySlice<UInt8>, fileKey: [UInt8]) throws -> [UInt8] {
        guard payload.count >= 16 else {
            throw SealError(.payload, "the age payload is truncated (no nonce)")
        }
        let nonceEnd = payload.startIndex + 16
        let key = payloadKey(fileKey, nonce: Array(payload[payload.startIndex..<nonceEnd]))
        var offset = nonceEnd
        var counter: UInt64 = 0
        var plaintext = [UInt8]()
        plaintext.reserveCapacity(payload.count)
        while true {
            let remaining = payload.endIndex - offset
            guard remaining >= tagSize else {
                throw SealError(.payload, "the age payload is truncated (chunk \(counter) is incomplete)")
            }
            // A chunk is final exactly when it is the last in the file; a full-size final
            // chunk and a truncated file are told apart by the flag the tag authenticates.
            let last = remaining <= chunkSize + tagSize
            let length = last ? remaining : chunkSize + tagSize
            let sealed = payload[offset..<offset + length]
            let opened: Data
            do {
                let box = try ChaChaPoly.SealedBox(
                    nonce: chunkNonce(counter, last: last),
                    ciphertext: sealed.dropLast(tagSize), tag: sealed.suffix(tagSize))
                opened = try ChaChaPoly.open(box, using: key)
            } catch {
                throw SealError(
                    .payload,
                    "the age payload does not authenticate at chunk \(counter): the file was truncated, altered or reordered"
                )
            }
            if last && opened.isEmpty && counter > 0 {
                throw SealError(.payload, "the age payload ends with an empty chunk, which age forbids")
            }
            opened.withUnsafeBytes { plaintext.append(contentsOf: $0) }
            offset += length
            counter += 1
            if last { return plaintext }
        }
    }

    static func noIdentityMessage(_ stanzas: [AgeStanza], _ identities: [AgeIdentity]) -> String {
        let tags = stanzas.compactMap { stanza -> String? in
            guard stanza.type == "ssh-ed25519" || stanza.type == "ssh-rsa", let tag = stanza.arguments.first else {
                return nil
            }
            return "\(stanza.type) \(SSHPublicKey.abbreviated(tag))"
        }
        let others = stanzas.count - tags.count
        var sealedTo = tags.joined(separator: ", ")
        if others > 0 {
            sealedTo += (sealedTo.isEmpty ? "" : " and ") + "\(others) other recipient\(others == 1 ? "" : "s")"
        }
        let yours =
            identities.isEmpty ? "no identity was given" : "not to " + identities.map(\.summary).joined(separator: ", ")
        return "this file is sealed to \(sealedTo), \(yours)"
    }
}
