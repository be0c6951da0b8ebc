import Crypto
import Foundation

/// Why an SSH signature did not verify, in words a person can act on.
///
/// The reason is kept apart from the message so callers (and the differential tests)
/// can tell a deliberate refusal of something odd-but-harmless, such as text after the
/// armour, from a signature that is simply wrong.
public struct SSHSignatureError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        /// Not the `-----BEGIN SSH SIGNATURE-----` … `-----END SSH SIGNATURE-----` form.
        case armour
        /// Text before the header line or after the footer line.
        case textAroundArmour
        /// The armour's body is not canonical, padded base64.
        case base64
        /// Longer than any real SSH signature.
        case tooLong
        /// A field of the SSHSIG blob is cut short, or bytes follow its last field.
        case blobFormat
        /// The blob's version is not 1 (PROTOCOL.sshsig knows no other).
        case version(UInt32)
        /// The reserved field is not empty: an extension this verifier does not know.
        case reservedNotEmpty
        /// Signed for another purpose than the expected namespace (`git`).
        case namespace
        /// A hash algorithm other than sha512 and sha256.
        case hashAlgorithm
        /// Made by another key than the one expected.
        case keyMismatch
        /// The signature field is not an `ssh-ed25519` signature of 64 bytes.
        case signatureFormat
        /// The signature's S half is not reduced below the group order (a malleated copy).
        case nonCanonicalSignature
        /// Well formed, right key, but the bytes do not verify.
        case invalidSignature
    }

    public let reason: Reason
    public let message: String
    public var description: String { message }

    init(_ reason: Reason, _ message: String) {
        self.reason = reason
        self.message = message
    }
}

/// The fields of an SSHSIG blob (openssh PROTOCOL.sshsig): parsed with every length
/// checked against what is left, nothing verified yet.
public struct SSHSignatureBlob: Sendable, Equatable {
    public var version: UInt32
    /// The signer's public key in SSH wire encoding.
    public var publicKey: Data
    public var namespace: Data
    public var reserved: Data
    public var hashAlgorithm: Data
    /// The key type's own signature encoding (for ed25519: string type, string 64 bytes).
    public var signature: Data

    static let magic = Array("SSHSIG".utf8)
    static let header = "-----BEGIN SSH SIGNATURE-----"
    static let footer = "-----END SSH SIGNATURE-----"
    /// A 16,384-bit RSA signature armours to under 6 KB; anything far beyond is not one.
    public static let maximumArmourLength = 32 * 1024

    /// Parses the armoured form git stores in a commit's `gpgsig` header: the header
    /// line, base64 lines, the footer line, and at most one final newline. Anything
    /// else (text around the armour, blank or carriage-return lines, spaces) is refused
    /// rather than skipped, so one signature has one spelling.
    public init(armoured text: String) throws {
        var bytes = Array(text.utf8)
        guard bytes.count <= Self.maximumArmourLength else {
            throw SSHSignatureError(.tooLong, "the signature is \(bytes.count) bytes long, more than any SSH signature")
        }
        if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
        let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        let header = Array(Self.header.utf8)
        let footer = Array(Self.footer.utf8)
        guard let first = lines.first, Array(first) == header else {
            if bytes.starts(with: header) || text.contains(Self.header) {
                throw SSHSignatureError(.textAroundArmour, "the signature has text before \(Self.header)")
            }
            throw SSHSignatureError(.armour, "the signature does not start with \(Self.header)")
        }
        guard lines.count >= 2, let last = lines.last, Array(last) == footer else {
            if lines.dropFirst().contains(where: { Array($0) == footer }) {
                throw SSHSignatureError(.textAroundArmour, "the signature has text after \(Self.footer)")
            }
            throw SSHSignatureError(.armour, "the signature has no \(Self.footer) line (cut short?)")
        }
        guard lines.count >= 3 else {
            throw SSHSignatureError(.armour, "the signature has no body between its header and footer")
        }
        var body: [UInt8] = []
        for (index, line) in lines.dropFirst().dropLast().enumerated() {
            guard !line.isEmpty, line.allSatisfy({ Base64.value(of: $0) != nil || $0 == UInt8(ascii: "=") }) else {
                throw SSHSignatureError(
                    .armour, "line \(index + 2) of the signature is empty or holds a character that is not base64")
            }
            body.append(contentsOf: line)
        }
        guard let blob = Base64.decode(body) else {
            throw SSHSignatureError(.base64, "the signature's body is not canonical padded base64")
        }
        try self.init(decoding: blob)
    }

    /// Parses a decoded blob; every field must be there in full and nothing may follow.
    public init(decoding blob: Data) throws {
        var reader = SSHWireReader(blob)
        guard let magic = reader.take(Self.magic.count), Array(magic) == Self.magic else {
            throw SSHSignatureError(.blobFormat, "the signature does not start with the SSHSIG magic bytes")
        }
        guard let version = reader.uint32() else {
            throw SSHSignatureError(.blobFormat, "the signature is cut short before its version")
        }
        func field(_ name: String) throws -> Data {
            guard let value = reader.string() else {
                throw SSHSignatureError(
                    .blobFormat, "the signature's \(name) field is missing or longer than the signature")
            }
            return value
        }
        self.version = version
        publicKey = try field("public key")
        namespace = try field("namespace")
        reserved = try field("reserved")
        hashAlgorithm = try field("hash algorithm")
        signature = try field("signature")
        guard reader.isAtEnd else {
            throw SSHSignatureError(.blobFormat, "\(reader.remaining) bytes follow the signature's last field")
        }
    }
}

/// An `ssh-ed25519` public key as people.yaml's `signing_key` gives it
/// ("ssh-ed25519 AAAA… comment"; the comment is ignored).
public struct SSHEd25519PublicKey: Sendable, Equatable {
    public static let typeName = "ssh-ed25519"
    /// The key in SSH wire encoding: string "ssh-ed25519", string 32 bytes.
    public let wire: Data
    /// The 32-byte Ed25519 point.
    public let raw: Data

    /// Whether `line` names an ed25519 key (its first word is `ssh-ed25519`), the kind
    /// verified in process.
    public static func isEd25519(_ line: String) -> Bool {
        line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0.isNewline }).first == Substring(typeName)
    }

    /// Throws `GitError` (`.invalidArgument`) for anything but one line holding the type,
    /// canonical base64 of exactly that type's wire encoding, and an optional comment.
    public init(line: String) throws {
        func refuse(_ why: String) -> GitError {
            GitError(
                kind: .invalidArgument, message: "the public key is not a usable ssh-ed25519 key: \(why)",
                operation: "read SSH public key")
        }
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.contains(where: \.isNewline), !trimmed.utf8.contains(0) else {
            throw refuse("it is not a single line")
        }
        let words = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard words.count >= 2, words[0] == Substring(Self.typeName) else {
            throw refuse("it does not start with '\(Self.typeName) ' and the base64 key")
        }
        guard let wire = Base64.decode(Array(words[1].utf8)) else {
            throw refuse("its key is not canonical padded base64")
        }
        var reader = SSHWireReader(wire)
        guard let type = reader.string(), type == Data(Self.typeName.utf8) else {
            throw refuse("the encoded key is of another type than the line says")
        }
        guard let raw = reader.string(), raw.count == 32, reader.isAtEnd else {
            throw refuse("the encoded key is not 32 bytes with nothing after it")
        }
        self.wire = wire
        self.raw = raw
    }
}

/// Checks SSHSIG signatures by ed25519 keys in process, the way `ssh-keygen -Y verify`
/// does (PROTOCOL.sshsig), in microseconds and without a child process, so no verdict
/// ever needs caching.
///
/// Trust comes only from the expected key (people.yaml's `signing_key` for the person a
/// sign-off claims); the key inside the signature must be byte-for-byte that key. Where
/// ssh-keygen tolerates an odd spelling (text after the armour, spaces in the base64, a
/// version 0 blob, a non-empty reserved field, a final NUL after the namespace or hash
/// name, a malleated S) this refuses it: such a signature is never made by ssh-keygen or
/// git, so refusing it costs nobody anything.
public enum SSHSignatureVerification {
    /// The namespace git signs commits and tags in.
    public static let gitNamespace = "git"

    /// Returns when `armoured` is a valid `namespace` signature of `signedData` by
    /// `publicKey`. Throws `SSHSignatureError` saying why it is not, and `GitError`
    /// (`.invalidArgument`) when `publicKey` is not a usable ssh-ed25519 key line.
    public static func checkEd25519(
        signature armoured: String, signedData: Data, publicKey: String,
        namespace: String = gitNamespace
    ) throws {
        let key = try SSHEd25519PublicKey(line: publicKey)
        let blob = try SSHSignatureBlob(armoured: armoured)
        guard blob.version == 1 else {
            throw SSHSignatureError(
                .version(blob.version), "the signature is SSHSIG version \(blob.version); only version 1 exists")
        }
        guard blob.publicKey == key.wire else {
            throw SSHSignatureError(
                .keyMismatch,
                "the signature was made by another key than the expected \(SSHEd25519PublicKey.typeName) key")
        }
        guard blob.namespace == Data(namespace.utf8) else {
            let got = String(decoding: blob.namespace.prefix(64), as: UTF8.self)
            throw SSHSignatureError(.namespace, "the signature is for namespace '\(got)', not '\(namespace)'")
        }
        guard blob.reserved.isEmpty else {
            throw SSHSignatureError(.reservedNotEmpty, "the signature's reserved field is not empty")
        }
        let digest: Data
        switch blob.hashAlgorithm {
        case Data("sha512".utf8): digest = Data(SHA512.hash(data: signedData))
        case Data("sha256".utf8): digest = Data(SHA256.hash(data: signedData))
        default:
            let got = String(decoding: blob.hashAlgorithm.prefix(32), as: UTF8.self)
            throw SSHSignatureError(.hashAlgorithm, "the signature uses hash algorithm '\(got)', not sha512 or sha256")
        }
        var reader = SSHWireReader(blob.signature)
        guard let type = reader.string(), type == Data(SSHEd25519PublicKey.typeName.utf8),
            let bytes = reader.string(), bytes.count == 64, reader.isAtEnd
        else {
            throw SSHSignatureError(
                .signatureFormat, "the signature field is not an \(SSHEd25519PublicKey.typeName) signature of 64 bytes")
        }
        guard isCanonicalScalar(bytes.suffix(32)) else {
            throw SSHSignatureError(
                .nonCanonicalSignature, "the signature's S value is not below the group order (a malleated signature)")
        }
        // What was signed (PROTOCOL.sshsig §3): the expected namespace, an empty reserved
        // field and the hash, never fields copied from the blob beyond the hash name.
        var message = Data(SSHSignatureBlob.magic)
        message.appendSSHString(Data(namespace.utf8))
        message.appendSSHString(Data())
        message.appendSSHString(blob.hashAlgorithm)
        message.appendSSHString(digest)
        let verifies: Bool
        do {
            verifies = try Curve25519.Signing.PublicKey(rawRepresentation: key.raw).isValidSignature(
                bytes, for: message)
        } catch {
            verifies = false
        }
        guard verifies else {
            throw SSHSignatureError(.invalidSignature, "the signature does not match the signed data and key")
        }
    }

    /// `checkEd25519` as a yes or no: false for any signature that does not verify,
    /// malformed ones included; throws only for an unusable expected key.
    public static func verifyEd25519(
        signature armoured: String, signedData: Data, publicKey: String,
        namespace: String = gitNamespace
    ) throws -> Bool {
        do {
            try checkEd25519(signature: armoured, signedData: signedData, publicKey: publicKey, namespace: namespace)
            return true
        } catch is SSHSignatureError {
            return false
        }
    }

    /// The Ed25519 group order L = 2^252 + 27742317777372353535851937790883648493, little endian.
    private static let groupOrder: [UInt8] = [
        0xED, 0xD3, 0xF5, 0x5C, 0x1A, 0x63, 0x12, 0x58, 0xD6, 0x9C, 0xF7, 0xA2, 0xDE, 0xF9, 0xDE, 0x14,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
    ]

    /// Whether the little-endian 32-byte scalar is below L (RFC 8032 §5.1.7 requires it).
    static func isCanonicalScalar(_ scalar: Data) -> Bool {
        let s = Array(scalar)
        guard s.count == 32 else { return false }
        for index in stride(from: 31, through: 0, by: -1) where s[index] != groupOrder[index] {
            return s[index] < groupOrder[index]
        }
        return false
    }
}

/// Reads SSH wire types (RFC 4251 §5) from bytes, answering nil instead of reading past
/// the end, whatever a length field claims.
struct SSHWireReader {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ data: Data) { bytes = Array(data) }

    var remaining: Int { bytes.count - offset }
    var isAtEnd: Bool { offset == bytes.count }

    mutating func take(_ count: Int) -> ArraySlice<UInt8>? {
        guard count >= 0, count <= remaining else { return nil }
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    mutating func uint32() -> UInt32? {
        guard let four = take(4) else { return nil }
        return four.reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// A uint32 length and that many bytes.
    mutating func string() -> Data? {
        let start = offset
        guard let length = uint32(), UInt64(length) <= UInt64(remaining), let value = take(Int(length)) else {
            offset = start
            return nil
        }
        return Data(value)
    }
}

extension Data {
    /// Appends an SSH wire string: a big-endian uint32 length, then the bytes.
    mutating func appendSSHString(_ value: Data) {
        let length = UInt32(value.count)
        append(contentsOf: [
            UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF),
        ])
        append(value)
    }
}

/// Standard base64 with padding, decoded strictly: one spelling per byte string, so a
/// signature or key cannot be re-spelled (unused low bits set, missing padding) unnoticed.
enum Base64 {
    static func value(of byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return byte - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return byte - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"): return 62
        case UInt8(ascii: "/"): return 63
        default: return nil
        }
    }

    static func decode(_ text: [UInt8]) -> Data? {
        guard !text.isEmpty, text.count % 4 == 0 else { return nil }
        let pad = UInt8(ascii: "=")
        let padding = text.reversed().prefix(while: { $0 == pad }).count
        guard padding <= 2 else { return nil }
        var out = Data()
        out.reserveCapacity(text.count / 4 * 3)
        var index = 0
        while index < text.count {
            let isLast = index + 4 == text.count
            let quantumPadding = isLast ? padding : 0
            var accumulator: UInt32 = 0
            for offset in 0..<4 {
                let byte = text[index + offset]
                let sextet: UInt8
                if offset >= 4 - quantumPadding {
                    sextet = 0
                } else if let v = value(of: byte) {
                    sextet = v
                } else {
                    return nil
                }
                accumulator = accumulator << 6 | UInt32(sextet)
            }
            let produced = 3 - quantumPadding
            // Canonical: the bits a padded quantum does not use must be zero.
            if quantumPadding == 1, accumulator & 0xFF != 0 { return nil }
            if quantumPadding == 2, accumulator & 0xFFFF != 0 { return nil }
            let three = [UInt8(accumulator >> 16 & 0xFF), UInt8(accumulator >> 8 & 0xFF), UInt8(accumulator & 0xFF)]
            out.append(contentsOf: three.prefix(produced))
            index += 4
        }
        return out
    }
}
