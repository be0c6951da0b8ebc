import Foundation

/// Turns a foreign name ("🛠️ Backend Engineering", "Comms & Feedback") into an Evident
/// id (`[a-z0-9-]+`), which level and dimension ids must be.
enum Slug {
    static func make(_ text: String) -> String {
        var out = ""
        var pendingDash = false
        for scalar in text.lowercased().unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                if pendingDash, !out.isEmpty { out.append("-") }
                pendingDash = false
                out.unicodeScalars.append(scalar)
            } else {
                pendingDash = true
            }
        }
        return out
    }

    /// The name without leading emoji, symbols and spaces ("🛠️ Mastery" → "Mastery").
    static func plainName(_ text: String) -> String {
        let scalars = text.unicodeScalars.drop { !($0.properties.isAlphabetic || ("0"..."9").contains($0)) }
        return String(String.UnicodeScalarView(scalars)).trimmingCharacters(in: .whitespaces)
    }
}
