/// Makes user-controlled text safe to print on a terminal.
///
/// File names, ids and review text come from whoever can push to the review
/// repository. Printed raw, an escape sequence could recolour or retitle the terminal,
/// hide a line or fake a clean run; a newline could forge a diagnostic; bidi overrides
/// could make text read differently from what it is ("Trojan Source"). Each such
/// character is replaced by a visible Swift-style escape such as `\u{1B}`; a tab
/// becomes a space, since it is harmless but breaks column alignment.
public enum TerminalSanitizer {
    public static func sanitize(_ text: String) -> String {
        // Most text is clean: return it untouched without building a new string.
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            if scalar == "\t" {
                result.append(" ")
            } else if needsEscape(scalar) {
                result.append(escape(scalar))
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// C0 controls, DEL, C1 controls (U+0080–U+009F, including the 8-bit CSI U+009B),
    /// the bidi embeddings, overrides and isolates, and the Unicode line and paragraph
    /// separators (which some terminals treat as line breaks).
    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x202A...0x202E, 0x2066...0x2069: true
        case 0x2028, 0x2029: true
        default: false
        }
    }

    /// `\u{1B}`: uppercase hex, at least two digits.
    static func escape(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        let padded = hex.count < 2 ? "0" + hex : hex
        return "\\u{" + padded + "}"
    }

    /// Neutralises lines that a GitHub Actions runner would execute as workflow commands.
    ///
    /// The runner reads every line of a step's output and runs one that starts, after
    /// leading whitespace, with `::` (`::add-mask::`, `::error::`, `::stop-commands::`)
    /// or `##[`. A file or an organisation named `::error::…` would otherwise start a
    /// line of text output and forge an annotation or mask the log. The first character
    /// of such a line's command prefix is escaped (`\u{3A}:error::…`), as other controls
    /// are; only the GitHub format, which escapes its own values, writes commands.
    public static func neutraliseWorkflowCommands(_ text: String) -> String {
        let utf8 = Array(text.utf8)
        var changed = false
        var index = 0
        var result: [UInt8] = []
        while index < utf8.count {
            var start = index
            while start < utf8.count, utf8[start] == 0x20 || utf8[start] == 0x09 { start += 1 }
            let rest = utf8.count - start
            let colons = rest >= 2 && utf8[start] == 0x3A && utf8[start + 1] == 0x3A
            let hashes = rest >= 3 && utf8[start] == 0x23 && utf8[start + 1] == 0x23 && utf8[start + 2] == 0x5B
            var end = start
            while end < utf8.count, utf8[end] != 0x0A { end += 1 }
            if end < utf8.count { end += 1 }
            if colons || hashes {
                if !changed {
                    result.reserveCapacity(utf8.count + 16)
                    result += utf8[0..<index]
                    changed = true
                }
                result += utf8[index..<start]
                result += Array(escape(Unicode.Scalar(utf8[start])).utf8)
                result += utf8[(start + 1)..<end]
            } else if changed {
                result += utf8[index..<end]
            }
            index = end
        }
        guard changed else { return text }
        return String(decoding: result, as: UTF8.self)
    }
}
