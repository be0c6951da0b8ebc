import ArgumentParser
import EvidentCore
import EvidentFilter
import Foundation

/// The entry point the `evident` executable calls.
///
/// Maps outcomes to the exit codes scripts rely on: 0 clean, 1 findings at error
/// severity, 2 usage or environment errors (ArgumentParser's own default would be 64).
public enum EvidentMain {
    public static func run(arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> Never {
        SealWorkTreeHook.install(environment: ProcessInfo.processInfo.environment)
        do {
            if arguments == ["check", "--staged"] {
                // The pre-commit hook's own command line, run as `CheckCommand.run` runs it
                // but without ArgumentParser, whose reflection over every subcommand's
                // options (Swift type metadata looked up by name) is about 4 ms of a hook
                // that must stay under 100 ms. Any other spelling is parsed as usual.
                try StagedCheck.perform(location: try RepositoryLocation.locate([])).emit(format: .text)
            } else {
                var command = try parse(arguments)
                try command.run()
            }
            exit(0)
        } catch let failure as FindingsFailure {
            exit(failure.code)
        } catch let exitCode as ExitCode {
            exit(exitCode.rawValue)
        } catch let error as SourceError {
            // A file the loader could not read (outside the root, a loop, unreadable):
            // every command reports it the same way, as an environment failure.
            Console.error(EnvironmentError(error.description).description)
            exit(2)
        } catch {
            let code = EvidentCommand.exitCode(for: error)
            let message = EvidentCommand.fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { print(message) }
                exit(0)
            }
            if let environment = error as? EnvironmentError {
                Console.error(environment.description)
            } else {
                Console.error(message)
            }
            exit(2)
        }
    }
}

extension EvidentMain {
    /// Parses `arguments` as the subcommand they name, so ArgumentParser reflects only that
    /// command's options rather than every subcommand's (a fifth of a `signoff`'s
    /// instructions went there). Whatever that subcommand alone does not accept (help,
    /// version, a mistake to report) is parsed again from the root, so usage, help and error
    /// messages read exactly as before.
    static func parse(_ arguments: [String]) throws -> ParsableCommand {
        // A sign-off's usual command line is read without ArgumentParser at all: its
        // reflection of even one command's options was an eighth of a sign-off's
        // instructions (`SignoffCommand.quickParse` declines anything unusual).
        if let signoff = SignoffCommand.quickParse(arguments) { return signoff }
        if let name = arguments.first,
            let subcommand = EvidentCommand.configuration.subcommands.first(where: {
                $0.configuration.commandName == name
            }),
            let command = try? subcommand.parseAsRoot(Array(arguments.dropFirst())),
            commands(under: subcommand).contains(where: { $0 == type(of: command) })
        {
            return command
        }
        return try EvidentCommand.parseAsRoot(arguments)
    }

    /// A command and its subcommands, at every depth. Anything else a parse returns (the
    /// help command ArgumentParser makes for `--help`) must come from the root, whose
    /// command stack names `evident`.
    private static func commands(under command: ParsableCommand.Type) -> [ParsableCommand.Type] {
        [command] + command.configuration.subcommands.flatMap { commands(under: $0) }
    }
}

/// Thrown by a command that ran fine but found errors: exit 1, nothing more to print.
struct FindingsFailure: Error {
    var code: Int32 = 1
}

/// A failure of the environment (no repository, unreadable file, git failure): exit 2.
struct EnvironmentError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = "error: " + description }
}

/// The root command.
struct EvidentCommand: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "evident",
        abstract: "Performance reviews as code: compile, calibrate and sign off a review repository.",
        version: version,
        subcommands: [
            CheckCommand.self, RulesCommand.self, ExplainCommand.self, InitCommand.self, NewCommand.self,
            LSPCommand.self,
            SignoffCommand.self, StatusCommand.self, AllowedSignersCommand.self, HooksCommand.self,
            CalibrateCommand.self, RecordCommand.self, HealthCommand.self, SealCommand.self, ResealCommand.self,
            ImportCommand.self,
        ])
}
