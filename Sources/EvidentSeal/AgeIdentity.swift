import Crypto
import Foundation

/// A private key that can open age files: an unencrypted OpenSSH ed25519 key (the
/// private half of a people.yaml `signing_key`), or a native `AGE-SECRET-KEY-1…`.
///
/// Messages about a key file name the file and never quote it: it is a secret.
public struct AgeIdentity: Sendable {
    enum Kind: Sendable {
        case sshEd25519(publicKey: SSHPublicKey, montgomery: [UInt8])
        case x25519(publicKey: [UInt8])
    }

    /// The X25519 scalar (swift-crypto's key type is not Sendable, so the bytes are kept).
    let scalarBytes: [UInt8]
    /// swift-crypto's keys for this identity, made once (see `PreparedKeys`).
    let prepared: PreparedKeys
    let kind: Kind
    /// Where the key came from, for messages (a path, or a description).
    public let source: String

    /// Private key files are small; a larger file is not one.
    static let maxFileBytes = 64 * 1024

    /// The recipient whose files this identity opens.
    public var recipient: AgeRecipient {
        switch kind {
        case .sshEd25519(let publicKey, _): return .ssh(publicKey)
        case .x25519(let publicKey): return .x25519(publicKey)
        }
    }

    /// Loads every identity in a key file: one OpenSSH key, or the `AGE-SECRET-KEY-1…`
    /// lines of an age identity file (`#` comments allowed).
    public static func load(contentsOf path: String) throws -> [AgeIdentity] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw SealError(
                .identity,
                "no identity at \(path): set EVIDENT_IDENTITY or git config evident.identity to your SSH private key (ssh-keygen -t ed25519 makes one)"
            )
        }
        guard !isDirectory.boolValue else {
            throw SealError(
                .identity,
                "the identity \(path) is a directory; point EVIDENT_IDENTITY or evident.identity at an SSH private key file"
            )
        }
        // A FIFO or a device would block the read (and a git filter with it) or never end.
        let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        guard (try? FileManager.default.attributesOfItem(atPath: resolved)[.type] as? FileAttributeType) == .typeRegular
        else {
            throw SealError(
                .identity,
                "the identity \(path) is not a regular file; point EVIDENT_IDENTITY or evident.identity at an SSH private key file"
            )
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw SealError(.identity, "cannot read the identity \(path): \(error.localizedDescription)")
        }
        guard data.count <= maxFileBytes, let text = String(data: data, encoding: .utf8) else {
            throw SealError(
                .identity, "\(path) is not an SSH private key (expected '-----BEGIN OPENSSH PRIVATE KEY-----')")
        }
        if text.contains("-----BEGIN OPENSSH PRIVATE KEY-----") {
            return [try AgeIdentity(openSSHPrivateKey: text, source: path)]
        }
        if text.contains("AGE-SECRET-KEY-1") {
            var identities = [AgeIdentity]()
            for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
                if line.isEmpty || line.hasPrefix("#") { continue }
                do {
                    identities.append(try AgeIdentity(ageSecretKey: line, source: path))
                } catch {
                    throw SealError(
                        .identity, "\(path):\(number + 1): not an age secret key (expected 'AGE-SECRET-KEY-1…')")
                }
            }
            return identities
        }
        if text.contains("PRIVATE KEY-----") {
            throw SealError(
                .unsupported,
                "\(path) is a PEM private key; Evident reads OpenSSH ed25519 keys ('-----BEGIN OPENSSH PRIVATE KEY-----', as ssh-keygen -t ed25519 writes)"
            )
        }
        if text.hasPrefix("ssh-") {
            throw SealError(
                .identity,
                "\(path) is a public key; point EVIDENT_IDENTITY or evident.identity at the private key (the same name without .pub)"
            )
        }
        throw SealError(.identity, "\(path) is not an SSH private key (expected '-----BEGIN OPENSSH PRIVATE KEY-----')")
    }

    /// Parses a native age identity, `AGE-SECRET-KEY-1…`.
    public init(ageSecretKey text: String, source: String = "an age secret key") throws {
        guard let (hrp, data) = Bech32.decode(text), hrp == "age-secret-key-", data.count == 32,
            text == text.uppercased()
        else {
            throw SealError(.identity, "\(source) holds a malformed age secret key")
        }
        let scalar = try Curve25519.KeyAgreement.PrivateKey(rawRepresentation: data)
        scalarBytes = data
        kind = .x25519(publicKey: Array(scalar.publicKey.rawRepresentation))
        prepared = PreparedKeys(scalar: scalar, tweak: nil)
        self.source = source
    }

    /// Parses an OpenSSH private key file (PROTOCOL.key format) holding one unencrypted
    /// ed25519 key, and checks that its halves agree.
    public init(openSSHPrivateKey text: String, source: String) throws {
        func malformed(_ why: String) -> SealError {
            SealError(
                .identity,
                "\(source) is not a valid OpenSSH private key (\(why)); make a new one with ssh-keygen -t ed25519")
        }
        let begin = "-----BEGIN OPENSSH PRIVATE KEY-----"
        let end = "-----END OPENSSH PRIVATE KEY-----"
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.hasPrefix(begin), trimmed.hasSuffix(end), trimmed.count >= begin.count + end.count else {
            throw malformed("text outside the BEGIN/END lines")
        }
        let inner = trimmed.dropFirst(begin.count).dropLast(end.count)
        let base64 = inner.filter { !$0.isWhitespace }
        guard let blob = Base64.decode(Array(base64.utf8), padded: true) else {
            throw malformed("its base64 is damaged")
        }
        var reader = SSHWireReader(blob)
        guard reader.readBytes(15) == Array("openssh-key-v1\0".utf8) else { throw malformed("no openssh-key-v1 magic") }
        guard let cipher = reader.readString(), let kdf = reader.readString(), reader.readString() != nil,
            let count = reader.readUInt32()
        else {
            throw malformed("truncated")
        }
        if cipher != Array("none".utf8) || kdf != Array("none".utf8) {
            throw SealError(
                .identity,
                """
                \(source) is protected by a passphrase, which Evident cannot ask for (and ssh-agent cannot do the \
                key agreement sealing needs). Use a key without a passphrase for sealing: make an unprotected copy \
                (cp \(source) \(source).evident && ssh-keygen -p -N '' -f \(source).evident, then chmod 600 it) and \
                point EVIDENT_IDENTITY or git config evident.identity at it
                """)
        }
        guard count == 1 else { throw malformed("it holds \(count) keys; Evident reads files with exactly one") }
        guard let publicBlob = reader.readString(), let privateSection = reader.readString(), reader.isAtEnd else {
            throw malformed("truncated")
        }
        let publicKey: SSHPublicKey
        do {
            publicKey = try SSHPublicKey(wire: publicBlob)
        } catch let error as SealError where error.kind == .unsupported {
            throw SealError(
                .unsupported,
                "\(source) is not an ed25519 key; Evident opens sealed files with ssh-ed25519 keys only (ssh-keygen -t ed25519)"
            )
        } catch {
            throw malformed("its public key is damaged")
        }
        guard publicKey.algorithm == .ed25519, let point = publicKey.ed25519Point else {
            throw SealError(
                .unsupported,
                "\(source) is an ssh-rsa key; Evident opens sealed files with ssh-ed25519 keys only (ssh-keygen -t ed25519)"
            )
        }
        var secret = SSHWireReader(privateSection)
        guard let check1 = secret.readUInt32(), let check2 = secret.readUInt32(), check1 == check2 else {
            throw malformed("its check words differ")
        }
        guard secret.readString() == Array("ssh-ed25519".utf8), let innerPublic = secret.readString(),
            let innerPrivate = secret.readString(), secret.readString() != nil
        else {
            throw malformed("its private section is truncated")
        }
        let padding = secret.readRest()
        guard padding.count < 256, padding.enumerated().allSatisfy({ $0.element == UInt8($0.offset + 1) }) else {
            throw malformed("its padding is wrong")
        }
        guard innerPublic == point, innerPrivate.count == 64, Array(innerPrivate[32...]) == point else {
            throw malformed("its private and public halves do not match")
        }
        let seed = Array(innerPrivate[..<32])
        // The seed must give the public key the file claims: otherwise the file is damaged
        // and the key would silently open nothing.
        guard let signing = try? Curve25519.Signing.PrivateKey(rawRepresentation: seed),
            Array(signing.publicKey.rawRepresentation) == point
        else {
            throw malformed("its private key does not give its public key")
        }
        let hashed = Array(SHA512.hash(data: seed)).prefix(32)
        let scalar = try Curve25519.KeyAgreement.PrivateKey(rawRepresentation: Array(hashed))
        scalarBytes = Array(hashed)
        guard let montgomery = Montgomery.u(fromEdwards: point),
            Array(scalar.publicKey.rawRepresentation) == montgomery
        else {
            throw malformed("its key does not map to X25519")
        }
        kind = .sshEd25519(publicKey: publicKey, montgomery: montgomery)
        prepared = PreparedKeys(scalar: scalar, tweak: try AgeCrypto.tweakKey(sshWire: publicKey.wire))
        self.source = source
    }

    /// The file key from `stanza`, or nil when the stanza is not addressed to this
    /// identity. Throws when the stanza is addressed to it (or cannot be told apart) and
    /// is malformed or does not decrypt.
    func unwrap(_ stanza: AgeStanza) throws -> [UInt8]? {
        switch kind {
        case .sshEd25519(let publicKey, let montgomery):
            guard stanza.type == "ssh-ed25519" else { return nil }
            guard stanza.arguments.count == 2 else {
                throw SealError(.stanza, "malformed ssh-ed25519 stanza (expected a key tag and an ephemeral key)")
            }
            guard stanza.arguments[0] == publicKey.tag else { return nil }
            guard let share = Base64.decode(Array(stanza.arguments[1].utf8), padded: false), share.count == 32,
                stanza.body.count == 32
            else {
                throw SealError(.stanza, "malformed ssh-ed25519 stanza for key \(publicKey.tag)")
            }
            guard let tweak = prepared.tweak else { return nil }
            var secret = try AgeCrypto.x25519(prepared.scalar, share)
            secret = try AgeCrypto.x25519(tweak, secret)
            let key = AgeCrypto.hkdf(secret, salt: share + montgomery, info: AgeRecipient.ed25519Label)
            guard let fileKey = try? AgeCrypto.openZeroNonce(stanza.body, key: key), fileKey.count == 16 else {
                throw SealError(
                    .stanza, "the ssh-ed25519 stanza for key \(publicKey.tag) does not decrypt: the file was altered")
            }
            return fileKey
        case .x25519(let ownPublic):
            guard stanza.type == "X25519" else { return nil }
            guard stanza.arguments.count == 1,
                let share = Base64.decode(Array(stanza.arguments[0].utf8), padded: false), share.count == 32,
                stanza.body.count == 32
            else {
                throw SealError(.stanza, "malformed X25519 stanza")
            }
            let secret = try AgeCrypto.x25519(prepared.scalar, share)
            let key = AgeCrypto.hkdf(secret, salt: share + ownPublic, info: AgeRecipient.x25519Label)
            // X25519 stanzas carry no tag: one that does not decrypt is someone else's.
            guard let fileKey = try? AgeCrypto.openZeroNonce(stanza.body, key: key), fileKey.count == 16 else {
                return nil
            }
            return fileKey
        }
    }

    /// A short description for messages: the key type and tag, and where it came from.
    public var summary: String {
        switch kind {
        case .sshEd25519(let publicKey, _): return "ssh-ed25519 key \(publicKey.tag) from \(source)"
        case .x25519: return "age X25519 key from \(source)"
        }
    }
}

/// swift-crypto's key objects for an identity: its X25519 scalar and, for an ssh-ed25519
/// key, the tweak scalar age derives from the public key. Building a key from raw bytes
/// computes its public half (a scalar multiplication) and the tweak costs an HKDF; made
/// per file, they were a sixth of opening one. Never changed after `init`, and the keys
/// are only read, so one value is shared by the threads of the filter process.
final class PreparedKeys: @unchecked Sendable {
    let scalar: Curve25519.KeyAgreement.PrivateKey
    let tweak: Curve25519.KeyAgreement.PrivateKey?

    init(scalar: Curve25519.KeyAgreement.PrivateKey, tweak: Curve25519.KeyAgreement.PrivateKey?) {
        self.scalar = scalar
        self.tweak = tweak
    }
}
