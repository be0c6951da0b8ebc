/// Everything that can go wrong reading, writing or opening an age file, or loading a key.
///
/// Every malformed input ends here as a thrown value with a message a person can act on:
/// the sealing code never traps on hostile bytes and never hands back part of a plaintext.
public struct SealError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// Not an age file at all (neither armoured nor binary age).
        case notAgeFile
        /// The ASCII armour is not strict PEM (line lengths, padding, junk around it).
        case armor
        /// The text header breaks the age v1 grammar, or is larger than the limit.
        case header
        /// The header MAC does not verify: the header was altered, or the key is wrong.
        case headerMAC
        /// A recipient stanza of a known type is malformed.
        case stanza
        /// No identity given can open any of the file's stanzas.
        case noIdentity
        /// The payload is cut short, altered, reordered, or has bytes after its end.
        case payload
        /// A public key line that cannot be a recipient.
        case recipient
        /// A private key file that cannot be used as an identity.
        case identity
        /// A key type age supports but this implementation refuses (ssh-rsa).
        case unsupported
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
