/// Path arithmetic for showing repository-relative locations to people.
///
/// Purely lexical (no file system access): diagnostics may name files that no longer
/// exist, and a reporter must not block on I/O. Paths use `/`, as the diagnostics do.
public enum PathDisplay {
    /// `file` (relative to `root`) as a path relative to `base`, both absolute.
    ///
    /// Gives `alice/review.md`, `../acme/cycles/2026-h2/alice/review.md` and so on.
    /// When the two share nothing but the file system root, the absolute path is
    /// clearer than a long run of `../`, so that is returned instead. Relative input
    /// (which the command layer should never pass) is returned joined but unchanged.
    public static func displayPath(of file: String, inRepository root: String, from base: String) -> String {
        let target = join(root, file)
        guard target.hasPrefix("/"), base.hasPrefix("/") else { return target }
        return relativePath(from: base, to: target)
    }

    /// `target` relative to the directory `base`; both must be absolute.
    public static func relativePath(from base: String, to target: String) -> String {
        let baseParts = components(of: base)
        let targetParts = components(of: target)
        let common = zip(baseParts, targetParts).prefix(while: { $0 == $1 }).count
        if common == 0 && !baseParts.isEmpty {
            return "/" + targetParts.joined(separator: "/")
        }
        let ups = Array(repeating: "..", count: baseParts.count - common)
        let parts = ups + targetParts[common...]
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }

    /// `relative` appended to `prefix`, normalised; an empty prefix leaves it as is.
    public static func join(_ prefix: String, _ relative: String) -> String {
        if relative.hasPrefix("/") || prefix.isEmpty { return normalize(relative) }
        return normalize(prefix + "/" + relative)
    }

    /// Removes empty and `.` components and resolves `..` lexically, keeping a leading `/`.
    public static func normalize(_ path: String) -> String {
        let parts = components(of: path)
        if path.hasPrefix("/") { return "/" + parts.joined(separator: "/") }
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }

    /// The components of `path` with `.` and empty ones dropped and `..` applied.
    /// A `..` that would climb above the start is kept for relative paths and
    /// dropped for absolute ones (the root's parent is the root).
    static func components(of path: String) -> [String] {
        let absolute = path.hasPrefix("/")
        var result: [String] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".":
                continue
            case "..":
                if let last = result.last, last != ".." {
                    result.removeLast()
                } else if !absolute {
                    result.append("..")
                }
            default:
                result.append(String(part))
            }
        }
        return result
    }
}
