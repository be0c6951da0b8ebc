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
                var command = try EvidentCommand.parseAsRoot(arguments)
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
