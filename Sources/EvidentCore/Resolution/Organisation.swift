/// The whole review repository as one model: the compiler's "program".
///
/// Built by `RepositoryLoader` (assemble, then resolve) and read by rules, reports and
/// the language server. Lookups go through dictionaries built once in `resolve()`, so
/// no check is quadratic in people or files.
public struct Organisation: Sendable {
    public let root: String
    public private(set) var files: [LoadedFile]

    public private(set) var policy: Policy?
    public private(set) var people: [Person] = []
    public private(set) var values: [CompanyValue] = []
    public private(set) var valuesFile: String?
    /// The `values:` key of that file's front matter, when it has one.
    public private(set) var valuesKey: SourceLocation?
    public private(set) var metrics: [Metric] = []
    public private(set) var levels: [Level] = []
    public private(set) var teams: [Team] = []
    public private(set) var cycles: [Cycle] = []
    public private(set) var personCycles: [PersonCycle] = []

    // Indexes, built by `resolve()`. The first declaration of an id wins; duplicates
    // are reported by the duplicate-id rule.
    private var personIndex: [String: Int] = [:]
    /// People with a role that reads every sealed file (`hr`, `ci`), found once: the
    /// readers of every one of 50,000 files include them.
    public private(set) var readAllPeople: [String] = []
    /// Each person folder's readers of sealed text, filled as asked for; a new one per `resolve()`.
    public private(set) var sealReaderSets = SealReaderSets()
    private var levelIndex: [String: Int] = [:]
    private var teamIndex: [String: Int] = [:]
    private var cycleIndex: [String: Int] = [:]
    private var cycleFolderIndex: [String: Int] = [:]
    private var valueIDs: Set<String> = []
    private var metricIDs: Set<String> = []
    private var fileIndex: [String: Int] = [:]
    private var personCycleIndex: [String: Int] = [:]

    /// Kinds with a file that could not be decoded (see `isIncomplete`).
    private var incompleteKinds: Set<DocumentKind>

    public init(root: String, files: [LoadedFile]) {
        self.root = root
        self.files = files
        var incomplete = Set<DocumentKind>()
        for file in files where file.document == nil {
            if let kind = file.kind { incomplete.insert(kind) }
        }
        incompleteKinds = incomplete
    }

    // MARK: Lookups

    public func person(_ id: String) -> Person? { personIndex[id].map { people[$0] } }
    public func level(_ id: String) -> Level? { levelIndex[id].map { levels[$0] } }
    public func team(_ id: String) -> Team? { teamIndex[id].map { teams[$0] } }
    /// A cycle by its `id:`, or by its folder name.
    public func cycle(_ id: String) -> Cycle? { (cycleIndex[id] ?? cycleFolderIndex[id]).map { cycles[$0] } }
    public func hasValue(_ id: String) -> Bool { valueIDs.contains(id) }
    public func hasMetric(_ id: String) -> Bool { metricIDs.contains(id) }
    public func file(_ path: String) -> LoadedFile? { fileIndex[path].map { files[$0] } }
    /// People whose `manager` is `id`, in file order: one pass over everyone (for many
    /// managers, `directReportsByManager()` once).
    public func directReports(of id: String) -> [String] {
        people.compactMap { $0.manager?.value == id ? $0.id.value : nil }
    }

    /// Each manager's direct reports, in file order. Built when asked for, not by
    /// `resolve()`: only the health report needs it, and a pre-commit check or an edit in
    /// the language server would pay for 10,000 people's lists.
    public func directReportsByManager() -> [String: [String]] {
        var reports: [String: [String]] = [:]
        for person in people {
            if let manager = person.manager?.value { reports[manager, default: []].append(person.id.value) }
        }
        return reports
    }
    /// The folder `cycles/<cycle>/<person>`, if loaded.
    public func personCycle(folder: String) -> PersonCycle? { personCycleIndex[folder].map { personCycles[$0] } }
    public func personCycle(person: String, cycle: String) -> PersonCycle? {
        let folder = self.cycle(cycle)?.folder ?? cycle
        return personCycle(folder: "cycles/\(folder)/\(person)")
    }

    /// The calibration group of `cycle` that covers `team`.
    public func calibrationGroup(cycle: String, team: String) -> Cycle.CalibrationGroup? {
        self.cycle(cycle)?.groups.first { group in group.teams.contains { $0.value == team } }
    }

    /// The cycle a person folder belongs to, by folder name.
    public func cycle(of personCycle: PersonCycle) -> Cycle? { cycle(personCycle.cycleFolder) }

    /// Every evidence item of the repository, with the folder it belongs to.
    public var evidenceItemCount: Int { personCycles.reduce(0) { $0 + $1.items.count } }

    // MARK: Assemble

    /// Places every decoded document in the model, grouping review files by folder.
    ///
    /// Runs of consecutive files are gathered on every core (`AssemblyPart`), the index
    /// of paths built beside them, and the parts joined in order on one. `load` gathers
    /// its parts while it loads, and joins them with `init(root:files:parts:fileIndex:)`.
    /// `blockSize`: files per run (tests compare runs of every size with one run).
    mutating func assemble(blockSize: Int = AssemblyPart.blockSize) {
        let files = self.files
        let indexPaths: @Sendable () -> [String: Int] = { Organisation.pathIndex(files.map(\.path)) }
        var (fileIndex, parts) = parallelBlocks(count: files.count, blockSize: max(1, blockSize), side: indexPaths) {
            range in
            var part = AssemblyPart()
            for position in range { part.add(files[position], at: position) }
            part.finish()
            return part
        }
        assemble(&parts, fileIndex: fileIndex)
    }

    /// An organisation assembled from parts gathered while its files were loaded: what
    /// `init(root:files:)` and `assemble()` give, without a pass over the files on one core.
    /// `parts` cover `files` in order, and are emptied; `fileIndex` is `pathIndex` of their paths.
    init(root: String, files: [LoadedFile], parts: inout [AssemblyPart], fileIndex: [String: Int]) {
        self.root = root
        self.files = files
        incompleteKinds = []
        assemble(&parts, fileIndex: fileIndex)
    }

    /// Each path's position, a later duplicate winning.
    static func pathIndex(_ paths: [String]) -> [String: Int] {
        var index: [String: Int] = [:]
        index.reserveCapacity(paths.count)
        for position in paths.indices { index[paths[position]] = position }
        return index
    }

    /// Joins the parts in order: a person folder met in an earlier part takes a later
    /// part's files after its own (a folder's files are usually listed together, but an
    /// overlay lists its own files last), and organisation documents are placed in file order.
    /// The parts' person folders are moved out, not copied (a copy retains every document
    /// of 10,000 folders, and dropping the parts releases them again, on one core).
    private mutating func assemble(_ parts: inout [AssemblyPart], fileIndex: [String: Int]) {
        self.fileIndex = fileIndex
        let folderCount = parts.reduce(0) { $0 + $1.personCycles.count }
        var folderSlots: [String: Int] = [:]
        folderSlots.reserveCapacity(folderCount)
        var assembled: [PersonCycle] = []
        assembled.reserveCapacity(folderCount)
        for partIndex in parts.indices {
            incompleteKinds.formUnion(parts[partIndex].incompleteKinds)
            var folders = parts[partIndex].takePersonCycles()
            for position in folders.indices {
                let folder = folders[position].folder
                if let slot = folderSlots[folder] {
                    assembled[slot].append(folders[position].personCycle)
                } else {
                    folderSlots[folder] = assembled.count
                    // Swapped in for an empty one: moved, where a copy would retain
                    // every field of the folder's documents.
                    assembled.append(PersonCycle(cycleFolder: "", personFolder: ""))
                    swap(&assembled[assembled.count - 1], &folders[position].personCycle)
                }
            }
            for position in parts[partIndex].organisationFiles {
                let path = files[position].path
                switch files[position].document {
                case .policy(let policy)?: if self.policy == nil { self.policy = policy }
                case .people(let people)?:
                    // The usual single people.yaml is adopted, not copied element by element.
                    if self.people.isEmpty { self.people = people } else { self.people += people }
                case .values(let values, let key)?:
                    self.values += values
                    valuesFile = path
                    valuesKey = key
                case .metrics(let metrics)?: self.metrics += metrics
                case .level(let level)?: levels.append(level)
                case .team(let team)?: teams.append(team)
                case .cycle(let cycle)?: cycles.append(cycle)
                case .review?, nil: break
                }
            }
        }
        personCycles = assembled
        releaseAside(folderSlots)
    }

    /// This organisation with the files of one person folder inserted at `position` of
    /// `files`: what assembling and resolving the whole list would give, at the cost of
    /// the folder alone.
    ///
    /// Why: after each keystroke in a review the language server answers completion and
    /// hover against the organisation files plus that one folder; assembling 2,000 team
    /// files and 10,000 people again for every edit was most of the answer's time. The
    /// organisation files are assembled once, and the folder is added here. Nil (the
    /// caller then assembles everything) unless this organisation has no person folder
    /// yet and `added` are files of `folder` holding nothing but review documents.
    public func adding(folder: String, files added: [LoadedFile], at position: Int) -> Organisation? {
        let parts = folder.split(separator: "/", omittingEmptySubsequences: false)
        guard personCycles.isEmpty, position >= 0, position <= files.count, parts.count == 3 else { return nil }
        var personCycle = PersonCycle(cycleFolder: String(parts[1]), personFolder: String(parts[2]))
        var copy = self
        for file in added {
            guard PersonFolder.of(file.path) == folder else { return nil }
            personCycle.files.append(file.path)
            guard let document = file.document else {
                if let kind = file.kind { copy.incompleteKinds.insert(kind) }
                continue
            }
            guard case .review(let review) = document else { return nil }
            personCycle.add(review, path: file.path)
        }
        guard !added.isEmpty else { return copy }
        copy.files.insert(contentsOf: added, at: position)
        // As `assemble` indexes them: by position, a later duplicate path winning.
        for index in position..<copy.files.count { copy.fileIndex[copy.files[index].path] = index }
        copy.personCycleIndex[folder] = copy.personCycles.count
        copy.personCycles.append(personCycle)
        return copy
    }

    // MARK: Resolve

    /// Indexes every id so references resolve in constant time.
    mutating func resolve() {
        // By index, reading fields in place: copying each `Person` out (a dozen
        // references) cost more than the indexing itself, and the language server
        // resolves 10,000 people on every keystroke.
        // Backwards, so that the first declaration of an id is the one kept, with one
        // hash per person.
        // The people and the person folders, 10,000 each in a large organisation, are
        // indexed at once on two cores.
        let people = self.people
        let personCycles = self.personCycles
        let ((personIndex, readAllPeople), personCycleIndex) = concurrently(
            {
                var personIndex: [String: Int] = [:]
                personIndex.reserveCapacity(people.count)
                var readAllPeople: [String] = []
                for index in people.indices.reversed() {
                    personIndex[people[index].id.value] = index
                    if people[index].roles.contains(where: SealingPolicy.readAllRoles.contains) {
                        readAllPeople.append(people[index].id.value)
                    }
                }
                return (personIndex, Array(readAllPeople.reversed()))
            },
            {
                var index: [String: Int] = [:]
                index.reserveCapacity(personCycles.count)
                for position in personCycles.indices { index[personCycles[position].folder] = position }
                return index
            })
        self.personIndex = personIndex
        self.readAllPeople = readAllPeople
        self.personCycleIndex = personCycleIndex
        sealReaderSets = SealReaderSets()
        for (index, level) in levels.enumerated() where levelIndex[level.id.value] == nil {
            levelIndex[level.id.value] = index
        }
        resolveIncludes()
        for (index, team) in teams.enumerated() where teamIndex[team.id.value] == nil {
            teamIndex[team.id.value] = index
        }
        for (index, cycle) in cycles.enumerated() {
            if cycleIndex[cycle.id.value] == nil { cycleIndex[cycle.id.value] = index }
            if cycleFolderIndex[cycle.folder] == nil { cycleFolderIndex[cycle.folder] = index }
        }
        valueIDs = Set(values.map(\.id.value))
        metricIDs = Set(metrics.map(\.id.value))
    }

    /// Gives each level that `includes:` another the dimensions of its whole chain:
    /// the farthest ancestor's first, each level's own after, and a dimension written
    /// again lower down adding its expectations and examples to the inherited one (its
    /// name, aspect and specialism replace the inherited ones). A chain that leads back
    /// to its start is recorded in `includeCycle` and inherits nothing.
    mutating func resolveIncludes() {
        guard levels.contains(where: { $0.includes != nil }) else { return }
        let own = levels.map(\.dimensions)
        for index in levels.indices {
            guard levels[index].includes != nil else { continue }
            var chain = [levels[index].id.value]
            var ancestors: [Int] = []
            var current = levels[index].includes?.value
            while let id = current, let ancestor = levelIndex[id] {
                if chain.contains(id) {
                    levels[index].includeCycle = chain + [id]
                    ancestors = []
                    break
                }
                chain.append(id)
                ancestors.append(ancestor)
                current = levels[ancestor].includes?.value
            }
            guard !ancestors.isEmpty else { continue }
            var merged: [Dimension] = []
            for (source, dimensions) in ancestors.reversed().map({ (levels[$0].id.value, own[$0]) }) + [
                (nil, own[index])
            ] {
                for dimension in dimensions {
                    if let existing = merged.firstIndex(where: { $0.id.value == dimension.id.value }) {
                        merged[existing].expectations += dimension.expectations
                        merged[existing].examples += dimension.examples
                        merged[existing].name = dimension.name
                        merged[existing].aspect = dimension.aspect
                        merged[existing].specialism = dimension.specialism ?? merged[existing].specialism
                        if source == nil { merged[existing].inheritedFrom = nil }
                    } else {
                        var copy = dimension
                        copy.inheritedFrom = source
                        merged.append(copy)
                    }
                }
            }
            levels[index].dimensions = merged
        }
    }

    /// True when a file of `kind` exists but could not be decoded. References into that
    /// kind are then not reported as unknown: the file's own syntax error is the one
    /// problem, and a cascade of "unknown value" errors would only hide it.
    public func isIncomplete(_ kind: DocumentKind) -> Bool {
        incompleteKinds.contains(kind)
    }

    /// The level a review is judged against: the review's `level:`, else the person's.
    public func level(for personCycle: PersonCycle) -> Level? {
        if let id = personCycle.review?.level?.value, let level = level(id) { return level }
        return person(personCycle.personFolder).flatMap { level($0.level.value) }
    }

    /// The manager chain above `id`, nearest first, stopping at cycles in the data.
    public func managers(of id: String) -> [String] {
        var chain: [String] = []
        var seen: Set<String> = [id]
        var current = person(id)?.manager?.value
        while let manager = current, seen.insert(manager).inserted {
            chain.append(manager)
            current = person(manager)?.manager?.value
        }
        return chain
    }
}

/// What a run of consecutive files of an organisation contributes to it: its person
/// folders with their documents, and which of its files hold organisation documents.
/// Gathered on every core, each run where its files were just loaded, then joined in
/// order (`Organisation.assemble`), which gives what one pass over all the files gives.
struct AssemblyPart: Sendable {
    /// Files per part: enough to make the join cheap, few enough that the last part to
    /// finish leaves the other cores idle only briefly.
    static let blockSize = 64

    /// The person folders of the run in the order first met, each with what the run's
    /// files in it hold.
    private(set) var personCycles: [(folder: String, personCycle: PersonCycle)] = []
    /// Positions in the whole list of the files holding an organisation document, in order.
    private(set) var organisationFiles: [Int] = []
    /// Kinds with a file that could not be decoded.
    private(set) var incompleteKinds: Set<DocumentKind> = []
    /// A folder's files are listed together: comparing with the last folder is cheaper
    /// than hashing it again.
    private var last: (folder: String, slot: Int)?
    private var slots: [String: Int] = [:]

    /// Drops what only adding needed, on the core that gathered the part: releasing
    /// 10,000 folder names on the core that joins the parts would be serial work.
    mutating func finish() {
        slots = [:]
        last = nil
    }

    /// The person folders, leaving none: moved to the caller, not shared with it.
    mutating func takePersonCycles() -> [(folder: String, personCycle: PersonCycle)] {
        var taken: [(folder: String, personCycle: PersonCycle)] = []
        swap(&taken, &personCycles)
        return taken
    }

    /// Adds the file at `position` of the whole list; files are added in order.
    mutating func add(_ file: LoadedFile, at position: Int) {
        if file.document == nil, let kind = file.kind { incompleteKinds.insert(kind) }
        var slot: Int?
        if let folder = PersonFolder.of(file.path) {
            let found: Int
            if let last, last.folder == folder {
                found = last.slot
            } else if let existing = slots[folder] {
                found = existing
            } else {
                let parts = folder.split(separator: "/")
                found = personCycles.count
                slots[folder] = found
                personCycles.append(
                    (folder, PersonCycle(cycleFolder: String(parts[1]), personFolder: String(parts[2]))))
            }
            last = (folder, found)
            personCycles[found].personCycle.files.append(file.path)
            slot = found
        }
        switch file.document {
        case nil: return
        case .review(let review)?:
            if let slot { personCycles[slot].personCycle.add(review, path: file.path) }
        default:
            organisationFiles.append(position)
        }
    }
}

extension PersonCycle {
    /// Takes in what a later run of the same folder's files holds, as if its files had
    /// been added after this one's: files and items after these, the last file of a kind
    /// winning, peer feedback in order.
    fileprivate mutating func append(_ later: PersonCycle) {
        files += later.files
        if items.isEmpty { items = later.items } else { items += later.items }
        if let file = later.evidenceFile { evidenceFile = file }
        if let document = later.selfReview { selfReview = document }
        peerFeedback += later.peerFeedback
        if let document = later.review { review = document }
        if let document = later.response { response = document }
        if let document = later.appeal { appeal = document }
    }
}
