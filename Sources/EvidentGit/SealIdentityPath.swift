import EvidentSeal
import Foundation

/// Where this clone's sealing identity (an SSH private key) is, for the filter, `check`,
/// the sign-off ledger and the seal commands alike.
public enum SealIdentityPath {
    /// `EVIDENT_IDENTITY`, else git config `evident.identity`, else `~/.ssh/id_ed25519`
    /// (`isDefault`: nothing was named, so a missing file is no error).
    public static func resolve(environment: [String: String], repository: GitRepository?) -> (
        path: String, isDefault: Bool
    ) {
        let home = environment["HOME"] ?? NSHomeDirectory()
        func expand(_ path: String) -> String {
            path.hasPrefix("~/") ? home + path.dropFirst(1) : path
        }
        if let named = environment["EVIDENT_IDENTITY"], !named.isEmpty { return (expand(named), false) }
        if let configured = (try? repository?.configString("evident.identity")) ?? nil, !configured.isEmpty {
            return (expand(configured), false)
        }
        return (home + "/.ssh/id_ed25519", true)
    }
}

/// This clone's sealing identities, loaded once per command.
public enum SealIdentities {
    /// The identities at `SealIdentityPath`, or none with the reason (a named key that is
    /// missing, passphrase-protected, or not an ed25519 or age key). An unnamed default
    /// key that does not exist is no problem: the clone simply reads nothing sealed.
    public static func load(environment: [String: String], repository: GitRepository?) -> (
        identities: [AgeIdentity], problem: String?
    ) {
        let (path, isDefault) = SealIdentityPath.resolve(environment: environment, repository: repository)
        if isDefault && !FileManager.default.fileExists(atPath: path) { return ([], nil) }
        do {
            return (try AgeIdentity.load(contentsOf: path), nil)
        } catch {
            return ([], "\(error)")
        }
    }
}
