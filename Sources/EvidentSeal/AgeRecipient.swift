import Crypto
import Foundation

/// Someone a file can be sealed to: an SSH public key (people.yaml `signing_key`) or a
/// native age X25519 recipient (`age1…`).
public enum AgeRecipient: Sendable, Hashable {
    case ssh(SSHPublicKey)
    case x25519([UInt8])

    static let ed25519Label = Array("age-encryption.org/v1/ssh-ed25519".utf8)
    static let x25519Label = Array("age-encryption.org/v1/X25519".utf8)

    /// Parses `ssh-ed25519 AAAA…` (or `ssh-rsa …`) or `age1…`.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("age1") {
            guard let (hrp, data) = Bech32.decode(trimmed), hrp == "age", data.count == 32 else {
                throw SealError(
                    .recipient, "'\(SSHPublicKey.abbreviated(trimmed))' is not a valid age X25519 recipient")
            }
            self = .x25519(data)
        } else {
            self = .ssh(try SSHPublicKey(line: trimmed))
        }
    }

    /// The text form: the SSH key line, or `age1…`.
    public var text: String {
        switch self {
        case .ssh(let key): return key.line
        case .x25519(let point): return Bech32.encode(hrp: "age", data: point)
        }
    }

    /// Wraps `fileKey` in a fresh stanza (a new ephemeral key every call).
    func wrap(_ fileKey: [UInt8]) throws -> AgeStanza {
        switch self {
        case .x25519(let point):
            let ephemeral = Curve25519.KeyAgreement.PrivateKey()
            let share = Array(ephemeral.publicKey.rawRepresentation)
            let secret = try AgeCrypto.x25519(ephemeral, point)
            let key = AgeCrypto.hkdf(secret, salt: share + point, info: AgeRecipient.x25519Label)
            return AgeStanza(
                type: "X25519", arguments: [Base64.encode(share, padded: false)],
                body: try AgeCrypto.sealZeroNonce(fileKey, key: key))
        case .ssh(let publicKey):
            guard publicKey.algorithm == .ed25519, let edwards = publicKey.ed25519Point else {
                throw SealError(
                    .unsupported,
                    "sealing to ssh-rsa keys is not supported (swift-crypto offers no RSA-OAEP with a label); give this person an ssh-ed25519 key (ssh-keygen -t ed25519)"
                )
            }
            guard let montgomery = Montgomery.u(fromEdwards: edwards) else {
                throw SealError(.recipient, "the ssh-ed25519 key \(publicKey.tag) is not a valid curve point")
            }
            let ephemeral = Curve25519.KeyAgreement.PrivateKey()
            let share = Array(ephemeral.publicKey.rawRepresentation)
            var secret = try AgeCrypto.x25519(ephemeral, montgomery)
            secret = try AgeCrypto.tweak(secret, sshWire: publicKey.wire)
            let key = AgeCrypto.hkdf(secret, salt: share + montgomery, info: AgeRecipient.ed25519Label)
            return AgeStanza(
                type: "ssh-ed25519", arguments: [publicKey.tag, Base64.encode(share, padded: false)],
                body: try AgeCrypto.sealZeroNonce(fileKey, key: key))
        }
    }
}

/// The primitives every stanza type uses, all from swift-crypto.
enum AgeCrypto {
    static func hkdf(_ secret: [UInt8], salt: [UInt8], info: [UInt8]) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: secret), salt: salt, info: info, outputByteCount: 32)
    }

    static func bytes(_ key: SymmetricKey) -> [UInt8] {
        key.withUnsafeBytes { Array($0) }
    }

    /// X25519 of a private scalar and a public u-coordinate; throws when the result is
    /// all zeros (a low-order point), which age requires to abort.
    static func x25519(_ scalar: Curve25519.KeyAgreement.PrivateKey, _ point: [UInt8]) throws -> [UInt8] {
        do {
            let publicKey = try Curve25519.KeyAgreement.PublicKey(rawRepresentation: point)
            let shared = try scalar.sharedSecretFromKeyAgreement(with: publicKey)
            let out = shared.withUnsafeBytes { Array($0) }
            guard out.contains(where: { $0 != 0 }) else { throw SealError(.stanza, "") }
            return out
        } catch {
            throw SealError(
                .stanza, "an X25519 key agreement failed: the stanza's ephemeral key is invalid (a low-order point)")
        }
    }

    /// The ssh-ed25519 tweak: X25519 of the shared secret with a scalar derived from
    /// the recipient's SSH key, binding the stanza to that exact key.
    static func tweak(_ secret: [UInt8], sshWire: [UInt8]) throws -> [UInt8] {
        try x25519(try tweakKey(sshWire: sshWire), secret)
    }

    /// The tweak's scalar as a key: it depends on the SSH key only.
    static func tweakKey(sshWire: [UInt8]) throws -> Curve25519.KeyAgreement.PrivateKey {
        try Curve25519.KeyAgreement.PrivateKey(
            rawRepresentation: bytes(hkdf([], salt: sshWire, info: AgeRecipient.ed25519Label)))
    }

    static let zeroNonce = [UInt8](repeating: 0, count: 12)

    static func sealZeroNonce(_ plaintext: [UInt8], key: SymmetricKey) throws -> [UInt8] {
        let box = try ChaChaPoly.seal(plaintext, using: key, nonce: ChaChaPoly.Nonce(data: zeroNonce))
        return Array(box.ciphertext) + Array(box.tag)
    }

    static func openZeroNonce(_ sealed: [UInt8], key: SymmetricKey) throws -> [UInt8] {
        let box = try ChaChaPoly.SealedBox(
            nonce: ChaChaPoly.Nonce(data: zeroNonce),
            ciphertext: sealed.dropLast(16), tag: sealed.suffix(16))
        return Array(try ChaChaPoly.open(box, using: key))
    }
}
