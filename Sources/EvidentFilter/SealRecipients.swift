import EvidentCore
import EvidentSeal

/// The keys a file (or its private sections) is sealed to: its readers' `signing_key`s,
/// with a reason for each reader that cannot be one, so the filter, `reseal` and
/// `seal status` agree on who a file is for.
public struct SealRecipients {
    /// The readers, sorted (`SealReaders`).
    public var readers: [String]
    public var recipients: [AgeRecipient]
    /// The tag of each reader's key that can be sealed to (what a stanza names).
    public var tags: [String: String]
    /// Readers left out, each with why and the fix ("kofi, whose signing_key is ssh-rsa: …").
    public var problems: [String]

    public static func of(_ path: String, in organisation: Organisation, privateSection: Bool = false) -> SealRecipients
    {
        let readers = SealReaders.readers(of: path, in: organisation, privateSection: privateSection) ?? []
        var result = SealRecipients(readers: readers, recipients: [], tags: [:], problems: [])
        for reader in readers {
            guard let line = organisation.person(reader)?.signingKey else {
                result.problems.append(
                    "\(reader), who has no signing_key in people.yaml (add an ssh-ed25519 public key)")
                continue
            }
            guard let recipient = try? AgeRecipient(parsing: line), case .ssh(let key) = recipient else {
                result.problems.append(
                    "\(reader), whose signing_key cannot be read (it must be an ssh-ed25519 public key)")
                continue
            }
            guard key.algorithm == .ed25519 else {
                result.problems.append(
                    "\(reader), whose signing_key is ssh-rsa, which Evident cannot seal to "
                        + "(give \(reader) an ssh-ed25519 key: ssh-keygen -t ed25519, then set it as signing_key)")
                continue
            }
            result.recipients.append(recipient)
            result.tags[reader] = key.tag
        }
        return result
    }
}
