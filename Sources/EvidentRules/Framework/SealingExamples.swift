import EvidentCore

/// Files shared by the examples of the sealing rules: a policy with sealing on, the
/// example people with SSH keys, and review files sealed by the `age` CLI to those keys.
///
/// Only public keys appear here; the rules never need a private key.
enum SealingExamples {
    static let policy = (ExampleRepository.files["evident.yaml"] ?? "") + "sealing: { enabled: true }\n"

    static let keys: [String: String] = [
        "vera": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOWmJD2LaTNNzoIMVSFn9M7KDyURvBOxlUX8HEVsBl1q",
        "dana": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINCx9uURFM1mYJWJSqfjfphQpI8jhRJJ9XOPkLWxAwYH",
        "alice": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAII5KjS5Y6Io8yqSJCrKRPy1rGUi/XysVPZ11wf8x3tL1",
        "bob": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFcWzXHQ1j0iPZQhZfBZjC5aF3SHzB+qV6Y7H7QeSdP+",
        "carol": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGqxVxTrbkGiyZWejUisR1N5/keDQ8Xt7FyJf/sUzS2m",
        "erin": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFP1GyCRLLx1y+CnqEFe4Wf7P2JmVUM153WfG7zSBhL+",
    ]

    /// people.yaml of the example repository, every person with a key except `without`.
    static func people(without: Set<String> = [], marking marked: String? = nil) -> String {
        let entries: [(String, String, String, String?)] = [
            ("vera", "Vera Lind", "mgr-1", nil), ("dana", "Dana Okafor", "mgr-1", "vera"),
            ("alice", "Alice Chen", "eng-3", "dana"), ("bob", "Bob Marsh", "eng-3", "dana"),
            ("carol", "Carol Diaz", "eng-3", "dana"), ("erin", "Erin Park", "mgr-1", "vera"),
        ]
        var text = "people:\n"
        for (id, name, level, manager) in entries {
            text +=
                "  - { id: \(id == marked ? "1️⃣" : "")\(id), name: \(name), email: \(id)@example.com, level: \(level), team: payments"
            if let manager { text += ", manager: \(manager)" }
            if !without.contains(id), let key = keys[id] { text += ", signing_key: \"\(key)\"" }
            text += " }\n"
        }
        return text
    }

    /// Alice's files other than her review, removed by examples about one sealed review.
    static let otherFilesOfAlice = [
        "cycles/2026-h2/alice/evidence.md", "cycles/2026-h2/alice/self.md",
        "cycles/2026-h2/alice/peer-bob.md", "cycles/2026-h2/alice/peer-carol.md",
    ]

    /// Alice's review sealed by `age -R` to dana, vera and erin: her manager chain and
    /// the calibrator of her team, exactly its readers.
    static let reviewSealedToReaders = """
        -----BEGIN AGE ENCRYPTED FILE-----
        YWdlLWVuY3J5cHRpb24ub3JnL3YxCi0+IHNzaC1lZDI1NTE5IGthMlg0QSAwRGtQ
        WnI0QWhIVi84SzViMHhEZXgrbDYyKzlZam1ZRHgwUGw2MXNXdGwwCm1mMHNLbkxH
        RVgzRy9DQ09mVENOWVBDU1RUQmg0ZHFNWnB0WnROVitYc2cKLT4gc3NoLWVkMjU1
        MTkgbjBGYWxBIEFKQWtjVE1jT3NHaHlIU0hQc01iRE1GRlRSV1J4dy9lU0x6WU5l
        WDU1U0EKb0tpRUNzaFdjdG9tbnh6MTkwWXhOOTdUaGdzTHBHVFpwdldOd3Z0enpF
        awotPiBzc2gtZWQyNTUxOSBNQWVXd0EgdVpoVEVIUTBKLzgyTTV4cUtsazExMHUv
        WWkrc1NnYW5Nb1dTbHhqc0FrVQpTOGxTZzNiVUdiRm1iaWJrMlFrTkxqN0FKREJF
        QVRCTDZZWklOcERJUUVVCi0tLSBBZlJQblVTaXZlUHlId3NjeXJJZGtQZldlT0NE
        UDhmQnlBeW5paXFrc0Q4CkG+j9mX98mOW6D58sz82RcVnYPZE6ubATFXlNdWBfMe
        OWX+QPHmK+fiEJrlBVGfYWg=
        -----END AGE ENCRYPTED FILE-----
        """

    /// Alice's review sealed to dana and bob: bob is no reader, vera and erin are missing.
    static let reviewSealedToOthers = """
        -----BEGIN AGE ENCRYPTED FILE-----
        YWdlLWVuY3J5cHRpb24ub3JnL3YxCi0+IHNzaC1lZDI1NTE5IGthMlg0QSBEYTlR
        NSs3am1pcHJlWk5jQ1l2U09KNEMvOWc0OGwvYUxFVHpVNzlTZzJFCkc5aWtubnds
        aEx5eEQ2R3ZHN0M5Q1BlcWZYR0w5dFExckllOXlpV2p4bVEKLT4gc3NoLWVkMjU1
        MTkgd01lKy9nIElKZFRoNHRSUFcwMytGL1JCQ1NPZnFiaEZpSzRPWDUySTVZM1JT
        WGRRME0KQ2JZLzVrOFU3RGdFQlgycnV4cCtCZU5OeVl2ZlVUU2FxcGU0djBKMk9s
        WQotLS0gOUYyRXY2SlI5MTFoeWdjcVg4UnJHVUdlV2lnR3d6eitXTnBsKzRnZklk
        TQqkGqoQgTy7su9fErt/o+uOzUffMoU+BP4hR2a2+/0O/aXSB+1/k8tz+LbIEFsF
        6YJO
        -----END AGE ENCRYPTED FILE-----
        """
}
