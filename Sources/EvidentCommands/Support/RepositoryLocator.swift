import EvidentCore
import Foundation

/// Finds the review repository (the folder holding `evident.yaml`) for the paths a user
/// named, and which of its files those paths select.
struct RepositoryLocation {
    /// Absolute path of the folder holding `evident.yaml`.
    var root: String
    /// Repository-relative files to report on; nil means the whole repository.
    var files: Set<String>?

    /// `paths` may be the repository, folders inside it, or files; empty means the
    /// current directory. All must belong to one repository.
    static func locate(_ paths: [String], currentDirectory: String = FileManager.default.currentDirectoryPath) throws
        -> RepositoryLocation
    {
        let targets = (paths.isEmpty ? ["."] : paths).map { absolute($0, from: currentDirectory) }
        var root: String?
        var files: Set<String> = []
        var wholeRepository = false
        for target in targets {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory) else {
                throw EnvironmentError("no such file or directory: \(target)")
            }
            let start = isDirectory.boolValue ? target : (target as NSString).deletingLastPathComponent
            guard let found = findRoot(from: start) else {
                throw EnvironmentError(
                    "no evident.yaml found in \(start) or any folder above it; run 'evident init' to create a review repository"
                )
            }
            if let root, root != found {
                throw EnvironmentError("paths belong to different review repositories: \(root) and \(found)")
            }
            root = found
            let relative = relativePath(of: target, in: found)
            if relative.isEmpty {
                wholeRepository = true
            } else if isDirectory.boolValue {
                files.insert(relative + "/")
            } else {
                files.insert(relative)
            }
        }
        guard let root else { throw EnvironmentError("no path to check") }
        return RepositoryLocation(root: root, files: wholeRepository ? nil : files)
    }

    /// Whether a repository-relative path is selected (folders select what they contain).
    func selects(_ path: String) -> Bool {
        guard let files else { return true }
        return files.contains(path) || files.contains { $0.hasSuffix("/") && path.hasPrefix($0) }
    }

    static func findRoot(from directory: String) -> String? {
        var current = URL(fileURLWithPath: directory).standardizedFileURL.resolvingSymlinksInPath().path
        while true {
            if FileManager.default.fileExists(atPath: current + "/evident.yaml") { return current }
            let parent = (current as NSString).deletingLastPathComponent
            if parent == current || parent.isEmpty { return nil }
            current = parent
        }
    }

    static func absolute(_ path: String, from base: String) -> String {
        let joined = path.hasPrefix("/") ? path : base + "/" + path
        return URL(fileURLWithPath: joined).standardizedFileURL.resolvingSymlinksInPath().path
    }

    static func relativePath(of path: String, in root: String) -> String {
        if path == root { return "" }
        return path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : path
    }
}
