// Times SSH signature verification of N signed commits three ways in one run: in process
// (GitRepository.verifyCommitSignature with an ed25519 key), through `ssh-keygen -Y verify`
// (the path every key type took before, SSHSigner.verify), and with `git verify-commit`
// (the real client, one process per commit). Run by Benchmarks/sshsig.sh.
import Dispatch
import EvidentGit
import Foundation

struct Options {
    var commits = 200
    var runs = 5

    init(_ arguments: [String]) {
        var rest = arguments.dropFirst()
        while let flag = rest.popFirst() {
            guard let value = rest.popFirst().flatMap(Int.init), value > 0 else { Self.usage() }
            switch flag {
            case "--commits": commits = value
            case "--runs": runs = value
            default: Self.usage()
            }
        }
    }

    static func usage() -> Never {
        FileHandle.standardError.write(Data("usage: evident-sshsig-benchmark [--commits N] [--runs R]\n".utf8))
        exit(2)
    }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    exit(1)
}

@discardableResult
func run(_ program: String, _ arguments: [String], in directory: String? = nil) -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: program)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch { fail("cannot run \(program): \(error)") }
    process.waitUntilExit()
    return process.terminationStatus
}

func which(_ name: String) -> String {
    for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
        let path = "\(dir)/\(name)"
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    fail("\(name) is not on PATH")
}

/// Median wall time in seconds of `runs` calls of `body`, which must return true.
func time(_ runs: Int, _ body: () throws -> Bool) rethrows -> Double {
    var samples: [Double] = []
    for _ in 0..<runs {
        let start = DispatchTime.now().uptimeNanoseconds
        guard try body() else { fail("a verification failed: the benchmark would time the wrong thing") }
        samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    samples.sort()
    return samples[samples.count / 2]
}

let options = Options(CommandLine.arguments)
let git = which("git")
let sshKeygen = which("ssh-keygen")
let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("evident-sshsig-bench-\(UUID().uuidString)")
    .path
try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: scratch) }
let repoPath = scratch + "/repo"
let keyPath = scratch + "/erin"
guard run(git, ["init", "-q", "-b", "main", repoPath]) == 0,
    run(sshKeygen, ["-q", "-t", "ed25519", "-N", "", "-C", "erin", "-f", keyPath]) == 0
else {
    fail("cannot create the repository or key")
}
let publicKey = try String(contentsOfFile: keyPath + ".pub", encoding: .utf8).trimmingCharacters(
    in: .whitespacesAndNewlines)
let principal = "erin@acme.example"
let allowedSigners = scratch + "/allowed_signers"
try Data("\(principal) \(publicKey)\n".utf8).write(to: URL(fileURLWithPath: allowedSigners))

let repository = try GitRepository.open(path: repoPath)
let signer = SSHSigner(keyPath: keyPath)
let author = GitSignature(name: "Erin Park", email: principal)
var ids: [String] = []
for index in 0..<options.commits {
    ids.append(
        try repository.createEmptyCommit(
            message: "Sign off review \(index)\n\nEvident-Signoff: calibrator\n",
            author: author, signer: signer.sign))
}

let extract = try time(options.runs) { try ids.allSatisfy { try repository.commitSignature(id: $0) != nil } }
let extracted = try ids.map { try repository.commitSignature(id: $0)! }
let verifyOnly = try time(options.runs) {
    try extracted.allSatisfy {
        try SSHSignatureVerification.verifyEd25519(
            signature: $0.signature, signedData: $0.signedData, publicKey: publicKey)
    }
}
let inProcess = try time(options.runs) {
    try ids.allSatisfy { try repository.verifyCommitSignature(id: $0, publicKey: publicKey, principal: principal) }
}
let viaSSHKeygen = try time(max(1, options.runs / 2)) {
    try ids.allSatisfy { id in
        guard let signed = try repository.commitSignature(id: id) else { return false }
        return try SSHSigner.verify(
            signature: signed.signature, signedData: signed.signedData, publicKey: publicKey, principal: principal)
    }
}
let gitVerify = time(1) {
    ids.allSatisfy {
        run(
            git, ["-c", "gpg.format=ssh", "-c", "gpg.ssh.allowedSignersFile=\(allowedSigners)", "verify-commit", $0],
            in: repoPath) == 0
    }
}

func row(_ name: String, _ seconds: Double, runs: Int) -> String {
    let perCommit = seconds / Double(options.commits) * 1e6
    let ratio = seconds / inProcess
    return "| \(name) | \(runs) | \(String(format: "%.1f", seconds * 1000)) | \(String(format: "%.1f", perCommit)) | "
        + "\(String(format: ratio < 10 ? "%.2f" : "%.0f", ratio))× |"
}
print(
    """
    Verifying \(options.commits) ssh-ed25519-signed commits (median of the runs; ratio against in process)

    | How | Runs | Total (ms) | Per commit (µs) | × in process |
    |---|---:|---:|---:|---:|
    \(row("libgit2 extraction only (git_commit_extract_signature)", extract, runs: options.runs))
    \(row("in process, verification only (SSHSignatureVerification)", verifyOnly, runs: options.runs))
    \(row("in process (verifyCommitSignature: extraction + verification)", inProcess, runs: options.runs))
    \(row("ssh-keygen -Y verify, one process per commit (extraction included)", viaSSHKeygen, runs: max(1, options.runs / 2)))
    \(row("git verify-commit, one process per commit", gitVerify, runs: 1))

    In process is \(String(format: "%.0f", viaSSHKeygen / inProcess)) times faster than ssh-keygen.
    """)
