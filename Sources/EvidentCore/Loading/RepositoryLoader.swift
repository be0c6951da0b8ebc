/// One file as the loader saw it: its kind, what its parsers found, and its problems.
public struct LoadedFile: Sendable {
    public var path: String
    public var kind: DocumentKind?
    public var problems: [LoadProblem]
    /// Inline rule switches found in a Markdown body.
    public var directives: [Directive]
    /// Headings of a Markdown body, for `#anchor` links into this file.
    public var headings: [MarkdownHeading]
    public var document: DecodedDocument?
    /// An age-armoured review file this checkout cannot read (SPEC §8): not parsed, and
    /// its person folder is skipped by the rules.
    public var isSealed = false
}

extension LoadedFile {
    /// A registry as `RepositoryLoader.parse` returns one it decoded without a problem:
    /// for a source that kept the people from an earlier load (`decoded(_:kind:)`).
    public static func people(_ people: [Person], path: String) -> LoadedFile {
        LoadedFile(path: path, kind: .people, problems: [], directives: [], headings: [], document: .people(people))
    }

    /// The people of a registry decoded without a problem, the only kind of file worth
    /// keeping decoded; nil for anything else.
    public var peopleWithoutProblems: [Person]? {
        guard kind == .people, problems.isEmpty, directives.isEmpty, headings.isEmpty, !isSealed,
            case .people(let people)? = document
        else { return nil }
        return people
    }
}

/// Which files to load: everything, or the organisation files plus some person folders
/// (a pre-commit check of one review needs the policy, people and level guides, not
/// the other 9,999 people's folders).
public enum FileSelection: Sendable {
    case all
    case organisationAnd(personFolders: Set<String>)

    func includes(_ path: String, kind: DocumentKind?) -> Bool {
        switch self {
        case .all: return true
        case .organisationAnd(let folders):
            guard let kind else { return false }
            switch kind {
            case .evidence, .selfReview, .peerFeedback, .review, .response, .appeal:
                return folders.contains(PersonFolder.of(path) ?? "")
            default:
                return true
            }
        }
    }
}

/// Builds the organisation from a source in the passes the compiler runs, in this order:
///
/// 1. **discover**: list files and classify them by their place in the repository;
/// 2. **parse** (parallel): bytes → text → front matter + YAML tree + Markdown summary;
/// 3. **decode** (parallel): YAML trees → typed model, with schema problems;
/// 4. **assemble**: group documents into people's cycle folders;
/// 5. **resolve**: index ids (see `Organisation.resolve`).
///
/// Checking (the rules) and emitting (the reporters) come after, in other modules.
public enum RepositoryLoader {
    public static func load(from source: any RepositorySource, selecting selection: FileSelection = .all) throws
        -> Organisation
    {
        let listed = try source.listFiles()
        // Classifying 54,000 paths is work of its own: on every core, in runs.
        let chosen = parallelBlocks(count: listed.count, blockSize: 2048) { range in
            var chosen: [(position: Int, kind: DocumentKind?)] = []
            for position in range {
                let path = listed[position]
                let kind = DocumentKind.classify(path)
                if kind == nil && !isUnexpectedPersonFile(path) { continue }
                guard selection.includes(path, kind: kind) || kind == nil && selection.includes(path, kind: .review)
                else { continue }
                chosen.append((position, kind))
            }
            return chosen
        }
        let selected: [(path: String, kind: DocumentKind?)] = {
            var candidates: [(path: String, kind: DocumentKind?)] = []
            candidates.reserveCapacity(listed.count)
            for run in chosen {
                for (position, kind) in run { candidates.append((listed[position], kind)) }
            }
            return candidates
        }()
        let interner = Interner()
        // Each run of files is loaded and gathered into its part of the organisation on
        // the same core, while its documents are in that core's cache; the index of paths
        // is built beside the runs. Joining the parts afterwards is a pass over the
        // person folders, not over every file.
        // The files are written where the organisation keeps them, by the cores that
        // load them: moving 54,000 of them into place afterwards, and the first touch of
        // that memory, would be one core's work.
        let renamed = Flag()
        let indexPaths: @Sendable () -> [String: Int] = { Organisation.pathIndex(selected.map(\.path)) }
        var fileIndex: [String: Int] = [:]
        var parts: [AssemblyPart] = []
        let files = [LoadedFile](unsafeUninitializedCapacity: selected.count) { buffer, initialized in
            let target = SharedBuffer(buffer)
            (fileIndex, parts) = parallelBlocks(
                count: selected.count, blockSize: AssemblyPart.blockSize, side: indexPaths
            ) { range in
                var part = AssemblyPart()
                for position in range {
                    let candidate = selected[position]
                    let file = loadFile(candidate.path, kind: candidate.kind, from: source, interner: interner)
                    // A source's decoded file is expected under the path asked for; if one
                    // is not, the index of paths is built again from the files themselves.
                    if file.path != candidate.path { renamed.set() }
                    part.add(file, at: position)
                    target.initialize(position, to: file)
                }
                part.finish()
                return part
            }
            initialized = selected.count
        }
        var organisation = Organisation(
            root: source.root, files: files, parts: &parts,
            fileIndex: renamed.isSet ? Organisation.pathIndex(files.map(\.path)) : fileIndex)
        // What loading needed and nothing keeps (54,000 paths twice, the interner's
        // table) is let go on another thread, while the rules start.
        releaseAside((listed, selected, interner, parts))
        organisation.resolve()
        return organisation
    }

    /// A Markdown or YAML file inside a person's cycle folder that has no known name,
    /// such as `reveiw.md`: reported, because a misspelled review is silently unchecked.
    static func isUnexpectedPersonFile(_ path: String) -> Bool {
        guard PersonFolder.of(path) != nil else { return false }
        return path.hasSuffix(".md") || path.hasSuffix(".yaml") || path.hasSuffix(".yml")
    }

    /// Reads, parses and decodes one file. Never throws: every failure becomes a problem.
    /// With an `interner`, the file's identifiers are shared with the other files loaded
    /// with it.
    public static func loadFile(
        _ path: String, kind: DocumentKind?, from source: any RepositorySource, interner: Interner? = nil
    ) -> LoadedFile {
        var file = LoadedFile(path: path, kind: kind, problems: [], directives: [], headings: [], document: nil)
        func fail(
            _ message: DiagnosticMessage, _ line: Int = 1, _ column: Int = 1,
            kind problemKind: LoadProblem.Kind = .syntax
        )
            -> LoadedFile
        {
            file.problems.append(
                LoadProblem(
                    kind: problemKind, message: message,
                    location: SourceLocation(file: path, line: line, column: column)))
            return file
        }
        if let kind, let decoded = source.decoded(path, kind: kind) { return decoded }
        guard let kind else {
            let name = path.split(separator: "/").last.map(String.init) ?? path
            return fail(
                "'\(name)' is not a file evident knows in a person's cycle folder; expected evidence.md, self.md, peer-<author>.md, review.md, response.md or appeal.md",
                kind: .schema)
        }
        let bytes: [UInt8]
        do {
            bytes = try source.read(path)
        } catch let error as SourceError {
            if let problem = error.problem {
                return fail("\(public: problem.message)", problem.position.line, problem.position.column)
            }
            return fail("cannot read file: \(error.reason)")
        } catch {
            return fail("cannot read file: \(error)")
        }
        let text: String
        switch SourceText.decode(bytes, limit: SourceText.maximumBytes(forPath: path)) {
        case .success(let decoded): text = decoded
        case .failure(let problem):
            return fail("\(public: problem.message)", problem.position.line, problem.position.column)
        }
        return parse(text, path: path, kind: kind, interner: interner)
    }

    /// Parses already-decoded text (the language server calls this with unsaved buffers).
    public static func parse(_ text: String, path: String, kind: DocumentKind, interner: Interner? = nil) -> LoadedFile
    {
        if kind.isPersonFile,
            text.drop(while: { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" })
                .hasPrefix("-----BEGIN AGE ENCRYPTED FILE-----")
        {
            return LoadedFile(
                path: path, kind: kind, problems: [], directives: [], headings: [], document: nil, isSealed: true)
        }
        if kind == .people, let people = PeopleYAML.decode(text, path: path) {
            // The usual registry, decoded from its bytes; anything else takes the
            // general path, which gives the same people and words the problems.
            return LoadedFile(
                path: path, kind: kind, problems: [], directives: [], headings: [], document: .people(people))
        }
        return parseGenerally(text, path: path, kind: kind, interner: interner)
    }

    /// `parse` without the people.yaml fast path: the reference it is tested against.
    static func parseGenerally(_ text: String, path: String, kind: DocumentKind, interner: Interner? = nil)
        -> LoadedFile
    {
        var file = LoadedFile(path: path, kind: kind, problems: [], directives: [], headings: [], document: nil)
        var yaml: String?
        var yamlFirstLine = 1
        var body: MarkdownBody?
        if kind.isYAML {
            yaml = text
        } else {
            let split = FrontMatterSplit.split(text)
            if split.yaml == nil {
                file.problems.append(
                    LoadProblem(
                        kind: .syntax,
                        message: "missing front matter: the file must start with a '---' line, then YAML, then '---'",
                        location: SourceLocation(file: path, line: 1, column: 1)))
                return file
            }
            if split.unclosed {
                file.problems.append(
                    LoadProblem(
                        kind: .syntax, message: "front matter is not closed: add a '---' line after the YAML",
                        location: SourceLocation(file: path, line: 1, column: 1)))
                return file
            }
            yaml = split.yaml
            yamlFirstLine = split.yamlFirstLine
            var parsed = MarkdownParser.parse(split.body, firstLine: split.bodyFirstLine)
            interner?.intern(&parsed)
            body = parsed
            file.directives = parsed.directives
            file.headings = parsed.headings
        }
        var root: YAMLNode?
        switch YAMLParser.parse(yaml ?? "", firstLine: yamlFirstLine) {
        case .success(let node):
            root = node
        case .failure(let problem):
            file.problems.append(
                LoadProblem(
                    kind: .syntax, message: problem.text,
                    location: SourceLocation(file: path, line: problem.line, column: problem.column)))
            return file
        }
        var decoder = DocumentDecoder(path: path, kind: kind, interner: interner)
        file.document = decoder.decode(root: root, body: body, headerLine: max(1, yamlFirstLine - 1))
        file.problems += decoder.reader.problems
        return file
    }
}
