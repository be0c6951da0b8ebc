import ArgumentParser
import EvidentGit
import Foundation

/// `evident hooks install [--force]`.
struct HooksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hooks",
        abstract: "Install git hooks that run evident.",
        subcommands: [HooksInstallCommand.self])
}

/// Writes a pre-commit hook that runs `evident check --staged`.
struct HooksInstallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Install a pre-commit hook that runs evident check --staged.",
        discussion: """
            The hook goes to core.hooksPath when it is set (relative to the work tree, as git reads it), else \
            to .git/hooks. An existing pre-commit hook is never replaced without --force. With the pre-commit \
            framework, use the shipped .pre-commit-hooks.yaml instead (see docs/signoffs.md).
            """)

    @Flag(help: "Replace an existing pre-commit hook.")
    var force = false

    @Argument(help: "The review repository (default: the one containing the current folder).")
    var path: String = "."

    func run() throws {
        let location = try RepositoryLocation.locate([path])
        let git = try GitContext.require(reviewRoot: location.root, for: "hooks are git hooks")
        guard let workdir = git.repository.workdir else {
            throw EnvironmentError("a bare repository has no hooks to run")
        }
        let hooksFolder = try HooksInstallCommand.hooksFolder(git.repository, workdir: workdir)
        let hook = hooksFolder + "/pre-commit"
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: hook, isDirectory: &isDirectory)
        if exists && isDirectory.boolValue { throw EnvironmentError("\(hook) is a folder") }
        if exists && !force {
            throw EnvironmentError(
                "\(hook) already exists; rerun with --force to replace it (or add evident check --staged to it)")
        }
        let script = HooksInstallCommand.script(evident: HooksInstallCommand.evidentCommand(), reviewFolder: git.prefix)
        do {
            try FileManager.default.createDirectory(atPath: hooksFolder, withIntermediateDirectories: true)
            let temporary = hooksFolder + "/.pre-commit.evident-\(UUID().uuidString).tmp"
            guard
                FileManager.default.createFile(
                    atPath: temporary, contents: Data(script.utf8), attributes: [.posixPermissions: 0o755])
            else { throw EnvironmentError("cannot write \(temporary)") }
            // chmod again: createFile's permissions are filtered by the umask.
            chmod(temporary, 0o755)
            if rename(temporary, hook) != 0 {
                let reason = String(cString: strerror(errno))
                unlink(temporary)
                throw EnvironmentError("cannot install \(hook): \(reason)")
            }
        } catch let error as EnvironmentError {
            throw error
        } catch {
            throw EnvironmentError("cannot install \(hook): \(error.localizedDescription)")
        }
        Console.out("Installed \(hook): runs evident check --staged before each commit.\n")
    }

    /// `core.hooksPath` (relative paths are relative to the work tree, `~` expanded), or
    /// the common git directory's `hooks` (shared by linked work trees, as git does).
    static func hooksFolder(_ repository: GitRepository, workdir: String) throws -> String {
        let configured: String?
        do {
            configured = try repository.configString("core.hooksPath")
        } catch let error as GitError {
            throw EnvironmentError("git: \(error.message)")
        }
        guard var path = configured?.trimmingCharacters(in: .whitespaces), !path.isEmpty else {
            return repository.commonDir + "/hooks"
        }
        if path == "~" || path.hasPrefix("~/") {
            path = (ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()) + path.dropFirst()
        }
        let absolute = path.hasPrefix("/") ? path : workdir + "/" + path
        return URL(fileURLWithPath: absolute).standardizedFileURL.path
    }

    /// `evident` when the one on PATH is this binary (so upgrades apply), else this
    /// binary's absolute path.
    static func evidentCommand() -> String {
        let running = runningBinary()
        if let onPath = findOnPath("evident"), let running, realPath(onPath) == realPath(running) { return "evident" }
        if running == nil, findOnPath("evident") != nil { return "evident" }
        return running ?? "evident"
    }

    static func runningBinary() -> String? {
        if let path = realPath("/proc/self/exe") { return path }
        let argument = CommandLine.arguments.first ?? ""
        guard argument.contains("/") else { return findOnPath(argument) }
        return realPath(argument)
    }

    static func findOnPath(_ name: String) -> String? {
        guard !name.isEmpty else { return nil }
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") where !folder.isEmpty {
            let candidate = String(folder) + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The hook: POSIX sh, the review folder passed explicitly because git runs hooks at
    /// the top of the work tree, which may be above the review repository.
    static func script(evident: String, reviewFolder: String) -> String {
        let folder = reviewFolder.isEmpty ? "." : reviewFolder
        return """
            #!/bin/sh
            # Installed by `evident hooks install`. Checks what is staged (not the work tree)
            # so the commit holds exactly what was checked. Skip once with: git commit --no-verify
            evident=\(shellQuote(evident))
            if [ "$evident" = evident ] && ! command -v evident >/dev/null 2>&1; then
              echo "pre-commit: evident is not on PATH; install it or run evident hooks install --force again" >&2
              exit 1
            fi
            exec "$evident" check --staged \(shellQuote(folder))

            """
    }

    static func shellQuote(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
