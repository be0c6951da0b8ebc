import ArgumentParser
import EvidentCore
import Foundation

/// `evident new …`: one file from its template, never overwriting.
struct NewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract:
            "Create one file from its template (a cycle, review, self review, peer feedback, evidence log, response or appeal).",
        subcommands: [
            NewCycle.self, NewReview.self, NewSelf.self, NewPeer.self, NewEvidence.self, NewResponse.self,
            NewAppeal.self,
        ])
}

/// Options shared by the per-person templates.
struct PersonFileOptions: ParsableArguments {
    @Argument(help: "The person's id from people.yaml.")
    var person: String

    @Option(help: "The cycle id.")
    var cycle: String

    @Option(help: "The review repository (default: the one containing the current folder).")
    var repository: String = "."
}

/// Loads the organisation, validates the person and cycle, and writes one file.
private func writePersonFile(
    _ options: PersonFileOptions, fileName: String, template: String, extra: [String: String] = [:],
    prompt: String
) throws {
    let location = try RepositoryLocation.locate([options.repository])
    let organisation = try RepositoryLoader.load(from: DiskSource(root: location.root))
    guard let person = organisation.person(options.person) else {
        throw EnvironmentError("unknown person '\(options.person)': not in people.yaml")
    }
    guard let cycle = organisation.cycle(options.cycle) else {
        throw EnvironmentError("unknown cycle '\(options.cycle)': create it with 'evident new cycle \(options.cycle)'")
    }
    let level = organisation.level(person.level.value)
    var values = extra
    values["person"] = person.id.value
    values["cycle"] = cycle.id.value
    values["level"] = person.level.value
    values["sections"] = Templates.sections(for: level, specialism: person.specialism?.value, prompt: prompt)
    let text = Templates.fill(try Templates.text("templates/new/\(template)"), values)
    let relative = "cycles/\(cycle.folder)/\(person.id.value)/\(fileName)"
    try create(relative, under: location.root, text)
}

/// Writes `relative` inside the repository, never through a symbolic link.
private func create(_ relative: String, under root: String, _ text: String) throws {
    let shown = relative
    do {
        try AtomicFile.create(relative, under: root, contents: text)
    } catch is AtomicFile.Exists {
        throw EnvironmentError("\(shown) already exists; refusing to overwrite it")
    }
    Console.out("Created \(shown)\n")
}

struct NewCycle: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cycle", abstract: "Create cycles/<id>/cycle.yaml.")

    @Argument(help: "The cycle id, e.g. 2026-h2.")
    var id: String
    @Option(help: "First day of the period (YYYY-MM-DD).")
    var start: String
    @Option(help: "Last day of the period (YYYY-MM-DD).")
    var end: String
    @Option(help: "Evidence dated after this day is flagged (default: the period's end).")
    var freeze: String?
    @Option(help: "The review repository (default: the one containing the current folder).")
    var repository: String = "."

    func validate() throws {
        guard id.range(of: "^[a-z0-9][a-z0-9-]*$", options: .regularExpression) != nil else {
            throw ValidationError("a cycle id uses lowercase letters, digits and hyphens")
        }
        for (name, value) in [("start", start), ("end", end), ("freeze", freeze ?? end)] where Day(value) == nil {
            throw ValidationError("--\(name) must be a date written YYYY-MM-DD")
        }
        // The same checks `check` makes of cycle.yaml, made before anything is written.
        if let start = Day(start), let end = Day(end), end < start {
            throw ValidationError("--end (\(end)) is before --start (\(start)): the period would be empty")
        }
        if let freeze, let day = Day(freeze), let start = Day(start), let end = Day(end), day < start || day > end {
            throw ValidationError("--freeze (\(day)) must lie inside the period (\(start) to \(end))")
        }
    }

    func run() throws {
        let location = try RepositoryLocation.locate([repository])
        let text = Templates.fill(
            try Templates.text("templates/new/cycle.yaml"),
            ["cycle": id, "start": start, "end": end, "freeze": freeze ?? end])
        try create("cycles/\(id)/cycle.yaml", under: location.root, text)
    }
}

struct NewReview: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review", abstract: "Create a manager review with one section per dimension of the level.")
    @OptionGroup var options: PersonFileOptions
    @Option(help: "The reviewer (default: the person's manager).")
    var reviewer: String?

    func run() throws {
        let location = try RepositoryLocation.locate([options.repository])
        let organisation = try RepositoryLoader.load(from: DiskSource(root: location.root))
        let manager = reviewer ?? organisation.person(options.person)?.manager?.value
        guard let manager else {
            throw EnvironmentError("\(options.person) has no manager in people.yaml; pass --reviewer")
        }
        try writePersonFile(
            options, fileName: "review.md", template: "review.md", extra: ["reviewer": manager],
            prompt: "What they did, the effect it had, and the ids of the evidence items that show it.")
    }
}

struct NewSelf: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "self", abstract: "Create a self review.")
    @OptionGroup var options: PersonFileOptions

    func run() throws {
        try writePersonFile(
            options, fileName: "self.md", template: "self.md",
            prompt: "What you did, the effect it had, and the ids of the evidence items that show it.")
    }
}

struct NewPeer: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "peer", abstract: "Create peer feedback.")
    @OptionGroup var options: PersonFileOptions
    @Option(help: "The peer writing the feedback.")
    var author: String

    func run() throws {
        guard author != options.person else { throw ValidationError("peer feedback is written by someone else") }
        try writePersonFile(
            options, fileName: "peer-\(author).md", template: "peer.md", extra: ["author": author],
            prompt: "What you saw, its effect, and the ids of the evidence items that show it.")
    }
}

struct NewEvidence: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "evidence", abstract: "Create an evidence log.")
    @OptionGroup var options: PersonFileOptions

    func run() throws {
        try writePersonFile(options, fileName: "evidence.md", template: "evidence.md", prompt: "")
    }
}

struct NewResponse: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "response", abstract: "Create the person's response to their decision record.")
    @OptionGroup var options: PersonFileOptions

    func run() throws {
        try writePersonFile(options, fileName: "response.md", template: "response.md", prompt: "")
    }
}

struct NewAppeal: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "appeal", abstract: "Create the person's appeal of their outcome, opened today.")
    @OptionGroup var options: PersonFileOptions
    @Option(help: "Who hears the appeal: skip-level or hr.")
    var to: String = "skip-level"

    func validate() throws {
        guard Appeal.Route(rawValue: to) != nil else { throw ValidationError("--to must be skip-level or hr") }
    }

    func run() throws {
        try writePersonFile(
            options, fileName: "appeal.md", template: "appeal.md",
            extra: ["to": to, "opened": Day.today().description], prompt: "")
    }
}
