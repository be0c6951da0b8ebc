import Crypto

/// An SSH public key as people.yaml's `signing_key` holds it (`ssh-ed25519 AAAA… comment`).
///
/// Its tag, the first four bytes of SHA-256 of the key's wire encoding, is what an age
/// `ssh-ed25519`/`ssh-rsa` stanza names, so who a file is sealed to can be checked
/// without any private key.
public struct SSHPublicKey: Sendable, Hashable {
    public enum Algorithm: String, Sendable {
        case ed25519 = "ssh-ed25519"
        case rsa = "ssh-rsa"
    }

    public let algorithm: Algorithm
    /// The SSH wire encoding: what the base64 field of the key line decodes to.
    public let wire: [UInt8]
    /// The 32-byte Ed25519 point, for ssh-ed25519 keys.
    let ed25519Point: [UInt8]?

    /// Parses `type base64 [comment]`. Throws for anything else, for key types age
    /// cannot encrypt to (ecdsa, security keys), and for a blob that does not match its type.
    public init(line: String) throws {
        let fields = Self.fields(of: line)
        guard fields.count >= 2 else {
            throw SealError(
                .recipient,
                "'\(SSHPublicKey.abbreviated(line))' is not an SSH public key line (expected 'ssh-ed25519 AAAA…')")
        }
        let type = String(fields[0])
        guard let blob = Base64.decode(fields[1].utf8, padded: true) else {
            throw SealError(
                .recipient,
                "the base64 of the \(SSHPublicKey.abbreviated(type)) key '\(SSHPublicKey.abbreviated(String(fields[1])))' is not valid"
            )
        }
        try self.init(wire: blob, expectedType: type)
    }

    /// The whitespace-separated fields of a key line. Split on bytes when the line is
    /// ASCII without "\r\n" (then each byte is one Character, and the fields are the
    /// same): a sealed check parses 10,000 people's keys, and splitting them into
    /// Characters was most of that.
    private static func fields(of line: String) -> [Substring] {
        var previous: UInt8 = 0
        for byte in line.utf8 {
            guard byte < 0x80, !(previous == 0x0D && byte == 0x0A) else {
                return line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" })
            }
            previous = byte
        }
        return line.utf8.split(whereSeparator: { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }).map {
            Substring($0)
        }
    }

    /// Parses a wire-encoded public key blob.
    public init(wire: [UInt8]) throws {
        try self.init(wire: wire, expectedType: nil)
    }

    private init(wire: [UInt8], expectedType: String?) throws {
        var reader = SSHWireReader(wire)
        guard let typeBytes = reader.readString() else {
            throw SealError(.recipient, "the SSH public key blob is truncated")
        }
        let type = String(decoding: typeBytes, as: UTF8.self)
        if let expectedType, expectedType != type {
            throw SealError(
                .recipient,
                "the key line says '\(SSHPublicKey.abbreviated(expectedType))' but its blob holds a '\(SSHPublicKey.abbreviated(type))' key"
            )
        }
        switch type {
        case Algorithm.ed25519.rawValue:
            guard let point = reader.readString(), point.count == 32, reader.isAtEnd else {
                throw SealError(.recipient, "the ssh-ed25519 public key blob is malformed (expected a 32-byte key)")
            }
            algorithm = .ed25519
            ed25519Point = point
        case Algorithm.rsa.rawValue:
            guard let exponent = reader.readString(), let modulus = reader.readString(), reader.isAtEnd,
                !exponent.isEmpty, modulus.count >= 128
            else {
                throw SealError(.recipient, "the ssh-rsa public key blob is malformed")
            }
            algorithm = .rsa
            ed25519Point = nil
        default:
            throw SealError(
                .unsupported,
                "'\(SSHPublicKey.abbreviated(type))' keys cannot be age recipients; use an ssh-ed25519 key (ssh-keygen -t ed25519)"
            )
        }
        self.wire = wire
    }

    /// The age stanza tag: unpadded base64 of SHA-256(wire)[0..<4], six characters.
    public var tag: String { SSHPublicKey.tag(ofWire: wire) }

    /// The key line without a comment.
    public var line: String { "\(algorithm.rawValue) \(Base64.encode(wire, padded: true))" }

    static func tag(ofWire wire: [UInt8]) -> String {
        Base64.encode(Array(SHA256.hash(data: wire)).prefix(4), padded: false)
    }

    /// A short, printable rendering of untrusted text for messages.
    static func abbreviated(_ text: String) -> String {
        let printable = String(text.unicodeScalars.filter { $0.value >= 0x20 && $0.value < 0x7F }.map(Character.init))
        return printable.count > 40 ? String(printable.prefix(37)) + "…" : printable
    }
}
