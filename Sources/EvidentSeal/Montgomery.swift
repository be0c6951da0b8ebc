import BigInt
import Foundation

/// The birational map from an Ed25519 public key (Edwards y) to the X25519 public key
/// (Montgomery u) of the same secret, u = (1 + y) / (1 − y) mod p, p = 2^255 − 19.
///
/// Only public values go through it, so a general big-integer type (not constant time)
/// is fine; the inverse is Fermat's, z^(p−2) mod p.
enum Montgomery {
    static let prime: BigUInt = (BigUInt(1) << 255) - 19

    /// Conversions already made, by Edwards point. The exponentiation is the costliest step
    /// of sealing (a file is sealed to each of its 5 to 10 readers, and a repository has
    /// thousands of files but only as many keys as people), so the sealing filter pays it
    /// once per key instead of once per file and reader. Public values only.
    private nonisolated(unsafe) static var cache: [[UInt8]: [UInt8]] = [:]
    private static let cacheLock = NSLock()
    private static let cacheLimit = 100_000

    /// - Parameter edwards: 32 bytes, little-endian y with the sign of x in the top bit.
    /// - Returns: 32 bytes, little-endian u; nil for y = 1 (the identity point, no u).
    static func u(fromEdwards edwards: [UInt8]) -> [UInt8]? {
        cacheLock.lock()
        let known = cache[edwards]
        cacheLock.unlock()
        if let known { return known }
        guard let u = compute(edwards) else { return nil }
        cacheLock.lock()
        if cache.count >= cacheLimit { cache.removeAll() }
        cache[edwards] = u
        cacheLock.unlock()
        return u
    }

    private static func compute(_ edwards: [UInt8]) -> [UInt8]? {
        guard edwards.count == 32 else { return nil }
        var bigEndian = Array(edwards.reversed())
        bigEndian[0] &= 0x7F
        let y = BigUInt(Data(bigEndian)) % prime
        let denominator = (prime + 1 - y) % prime
        guard !denominator.isZero else { return nil }
        let inverse = denominator.power(prime - 2, modulus: prime)
        let u = ((y + 1) * inverse) % prime
        var out = Array(u.serialize().reversed())
        out += [UInt8](repeating: 0, count: 32 - out.count)
        return out
    }
}
