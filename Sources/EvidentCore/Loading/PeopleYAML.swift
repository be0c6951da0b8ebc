/// Decodes the usual `people.yaml` straight from its bytes into `[Person]`, without a
/// `YAMLNode` tree: the fast path of `RepositoryLoader.parse` for `.people` files.
///
/// A 10,000-person registry is read by every pre-commit check and by the language
/// server, and the general path (nesting scan, `PlainYAML` tree, `SchemaReader` over it)
/// spends most of its time building and walking a tree of 130,000 nodes that is thrown
/// away once the people are decoded. This reader recognises the registry's one common
/// shape and builds each `Person` directly:
///
/// ```yaml
/// # comments and blank lines anywhere
/// people:
///   - id: ada-lee
///     name: Ada Lee            # (no comment here: `#` in a value is refused)
///     email: ada@acme.example
///     level: eng-3
///     team: platform
///     manager: bo-chen
///     roles: [hr, calibrator]
///     signing_key: "ssh-ed25519 AAAA"
/// ```
///
/// It is a strict subset of the general path, so it can only agree with it: every line
/// it accepts is one `PlainYAML` reads the same way (it applies the same byte rules:
/// printable ASCII only, no `#` or `: ` in plain values, quoted strings without escapes,
/// one-line flow lists of scalars), every entry it accepts is one `DocumentDecoder`
/// decodes without a problem, and no line it accepts can trip `YAMLParser`'s nesting
/// scan (it allows three indentation levels and one flow bracket, in `roles:`). Anything
/// else (a problem to report, an unknown or repeated key, a null, a block list, an
/// anchor, a tab, a non-ASCII byte, a bracket inside a value) returns nil, and the caller
/// takes the general path, which words every diagnostic. `PeopleYAMLTests` checks the
/// agreement on generated registries, valid and not.
enum PeopleYAML {
    /// The people of `yaml` (the whole file `path`), or nil when the general path must
    /// decide.
    static func decode(_ yaml: String, path: String) -> [Person]? {
        var text = yaml
        return text.withUTF8 { bytes -> [Person]? in
            var reader = Reader(bytes: bytes, path: path)
            return reader.people()
        }
    }

    /// The fields of one entry, by their known names.
    private enum Field {
        case id, name, email, level, team, manager, roles, signingKey, specialism

        /// The field whose key is `bytes[start..<end]`, or nil for any other key.
        static func named(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Field? {
            func equals(_ name: StaticString) -> Bool {
                let count = name.utf8CodeUnitCount
                guard end - start == count else { return false }
                for offset in 0..<count where bytes[start + offset] != name.utf8Start[offset] { return false }
                return true
            }
            switch end - start {
            case 2: return equals("id") ? .id : nil
            case 4: return equals("name") ? .name : equals("team") ? .team : nil
            case 5: return equals("email") ? .email : equals("level") ? .level : equals("roles") ? .roles : nil
            case 7: return equals("manager") ? .manager : nil
            case 10: return equals("specialism") ? .specialism : nil
            case 11: return equals("signing_key") ? .signingKey : nil
            default: return nil
            }
        }

        /// Whether the field's value must be an id (`SchemaReader.id`).
        var isID: Bool { self == .id || self == .level || self == .team || self == .manager || self == .specialism }
    }

    /// A scalar value: its text and the 1-based position of its first byte (the quote,
    /// for a quoted one).
    private struct Scalar {
        var text: String
        var line: Int
        var column: Int
    }

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        let path: String
        /// The next byte to read: always the start of a line.
        var position = 0
        /// The 1-based number of the line at `position`.
        var lineNumber = 1

        init(bytes: UnsafeBufferPointer<UInt8>, path: String) {
            self.bytes = bytes
            self.path = path
        }

        /// One line with content (not blank, not a whole-line comment).
        struct Line {
            var start: Int
            var end: Int
            var indent: Int
            var number: Int
        }

        /// The next line with content, skipping blank and comment lines; nil at the end
        /// of the text. Throws on any byte outside printable ASCII and the newline, and
        /// on document markers and directives, which the general path handles.
        mutating func nextLine() throws(Unsupported) -> Line? {
            while position <= bytes.count {
                let start = position
                var end = start
                var indent = 0
                while end < bytes.count, bytes[end] == UInt8(ascii: " ") { end += 1 }
                indent = end - start
                while end < bytes.count, bytes[end] != UInt8(ascii: "\n") {
                    let byte = bytes[end]
                    guard byte >= 0x20, byte < 0x7F else { throw Unsupported() }
                    end += 1
                }
                let number = lineNumber
                position = end + 1
                lineNumber += 1
                guard start + indent < end, bytes[start + indent] != UInt8(ascii: "#") else { continue }
                if indent == 0 {
                    let first = bytes[start]
                    // `%` directives, `---` and `...` markers.
                    if first == UInt8(ascii: "%")
                        || (first == UInt8(ascii: "-") || first == UInt8(ascii: "."))
                            && end - start >= 3 && bytes[start + 1] == first && bytes[start + 2] == first
                    {
                        throw Unsupported()
                    }
                }
                return Line(start: start, end: end, indent: indent, number: number)
            }
            return nil
        }

        mutating func people() -> [Person]? {
            do {
                return try readPeople()
            } catch {
                return nil
            }
        }

        private mutating func readPeople() throws(Unsupported) -> [Person] {
            // `people:` alone on the first line with content.
            guard let head = try nextLine(), head.indent == 0, matches("people", at: head.start),
                keyEnd(in: head, from: head.start) == head.start + 6,
                skipSpaces(from: head.start + 7, to: head.end) == head.end
            else { throw Unsupported() }
            guard var line = try nextLine() else { throw Unsupported() }
            // The items' dashes all sit at the first item's indentation, and each item's
            // keys at one column after its dash.
            let dashIndent = line.indent
            var people: [Person] = []
            people.reserveCapacity(bytes.count / 128)
            while true {
                guard line.indent == dashIndent, isSequenceItem(line, at: dashIndent) else { throw Unsupported() }
                let keyStart = skipSpaces(from: line.start + dashIndent + 1, to: line.end)
                guard keyStart > line.start + dashIndent + 1, keyStart < line.end else { throw Unsupported() }
                let column = keyStart - line.start
                var entry = Entry()
                var next: Line? = line
                // The entry's first key follows the dash; the others sit at `column`.
                while let current = next {
                    if current.start != line.start {
                        guard current.indent == column else { break }
                    }
                    try readField(current, from: current.start + column, into: &entry)
                    next = try nextLine()
                    if let following = next, following.indent > column { throw Unsupported() }
                }
                people.append(try entry.person(path: path))
                guard let following = next else { break }
                line = following
            }
            return people
        }

        /// Reads the `key: value` line at `start` into `entry`.
        private func readField(_ line: Line, from start: Int, into entry: inout Entry) throws(Unsupported) {
            guard let colon = keyEnd(in: line, from: start), let field = Field.named(bytes, start, colon),
                entry[field] == nil
            else { throw Unsupported() }
            let valueStart = skipSpaces(from: colon + 1, to: line.end)
            guard valueStart > colon + 1, valueStart < line.end else { throw Unsupported() }
            let end = trimmedEnd(line.end, from: valueStart)
            if field == .roles {
                entry.roles = try roles(line, from: valueStart, end: end)
                entry[field] = Scalar(text: "", line: line.number, column: valueStart - line.start + 1)
                return
            }
            var position = valueStart
            let scalar: Scalar
            if bytes[position] == UInt8(ascii: "\"") || bytes[position] == UInt8(ascii: "'") {
                scalar = try quoted(line, at: &position, end: end)
                guard position == end else { throw Unsupported() }
            } else {
                scalar = try plain(line, from: valueStart, end: end)
            }
            if field.isID, !isValidID(from: valueStart, to: end) { throw Unsupported() }
            entry[field] = scalar
        }

        /// `SchemaReader.isValidID` of the value at `start` (a quoted one included), on
        /// its bytes rather than a `String`'s UTF-8 view, which costs several times more.
        private func isValidID(from start: Int, to end: Int) -> Bool {
            var start = start
            var end = end
            if bytes[start] == UInt8(ascii: "\"") || bytes[start] == UInt8(ascii: "'") {
                start += 1
                end -= 1
            }
            guard start < end, bytes[start] != UInt8(ascii: "-") else { return false }
            for position in start..<end {
                let byte = bytes[position]
                guard (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) || byte == UInt8(ascii: "-") else {
                    return false
                }
            }
            return true
        }

        /// `[a, b]` of non-null scalars, or `[]`, filling the line to `end`.
        private func roles(_ line: Line, from start: Int, end: Int) throws(Unsupported) -> [String] {
            guard bytes[start] == UInt8(ascii: "[") else { throw Unsupported() }
            var position = skipSpaces(from: start + 1, to: end)
            var roles: [String] = []
            if position < end, bytes[position] == UInt8(ascii: "]") {
                position += 1
            } else {
                while true {
                    guard position < end else { throw Unsupported() }
                    if bytes[position] == UInt8(ascii: "\"") || bytes[position] == UInt8(ascii: "'") {
                        roles.append(try quoted(line, at: &position, end: end).text)
                    } else {
                        roles.append(try flowPlain(line, at: &position, end: end))
                    }
                    position = skipSpaces(from: position, to: end)
                    guard position < end else { throw Unsupported() }
                    if bytes[position] == UInt8(ascii: "]") {
                        position += 1
                        break
                    }
                    guard bytes[position] == UInt8(ascii: ",") else { throw Unsupported() }
                    position = skipSpaces(from: position + 1, to: end)
                }
            }
            guard position == end else { throw Unsupported() }
            return roles
        }

        /// A plain scalar inside a flow list, up to `,` or `]`: `PlainYAML`'s rules, and
        /// not null.
        private func flowPlain(_ line: Line, at position: inout Int, end: Int) throws(Unsupported) -> String {
            guard isPlainStart(bytes[position]) else { throw Unsupported() }
            let start = position
            while position < end {
                switch bytes[position] {
                case UInt8(ascii: ","), UInt8(ascii: "]"):
                    let end = trimmedEnd(position, from: start)
                    guard !isNull(start, end) else { throw Unsupported() }
                    return text(start, end)
                case UInt8(ascii: ":"), UInt8(ascii: "["), UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "#"),
                    UInt8(ascii: "\""), UInt8(ascii: "'"):
                    throw Unsupported()
                default:
                    position += 1
                }
            }
            throw Unsupported()
        }

        /// A plain scalar filling the line to `end`: `PlainYAML`'s rules, and not null.
        /// Brackets are refused too, so that the nesting scan has nothing to count.
        private func plain(_ line: Line, from start: Int, end: Int) throws(Unsupported) -> Scalar {
            guard isPlainStart(bytes[start]), !isNull(start, end) else { throw Unsupported() }
            for position in start..<end {
                let byte = bytes[position]
                // `[` and `{` are 0x5B and 0x7B, `]` and `}` 0x5D and 0x7D: one test each.
                let folded = byte | 0x20
                if folded == UInt8(ascii: "{") || folded == UInt8(ascii: "}") || byte == UInt8(ascii: "#") {
                    throw Unsupported()
                }
                if byte == UInt8(ascii: ":"), position + 1 == end || bytes[position + 1] == UInt8(ascii: " ") {
                    throw Unsupported()
                }
            }
            return Scalar(text: text(start, end), line: line.number, column: start - line.start + 1)
        }

        /// `"text"` without a backslash or `'text'` without a doubled quote, and no
        /// bracket inside (for the nesting scan).
        private func quoted(_ line: Line, at position: inout Int, end: Int) throws(Unsupported) -> Scalar {
            let quote = bytes[position]
            let start = position
            var close = start + 1
            while close < end, bytes[close] != quote {
                switch bytes[close] {
                case UInt8(ascii: "\\"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"):
                    throw Unsupported()
                default:
                    close += 1
                }
            }
            guard close < end else { throw Unsupported() }
            if quote == UInt8(ascii: "'"), close + 1 < end, bytes[close + 1] == quote { throw Unsupported() }
            position = close + 1
            return Scalar(text: text(start + 1, close), line: line.number, column: start - line.start + 1)
        }

        // MARK: Helpers

        /// The position of the colon ending a `key:` at `start` (then a space or the
        /// line's end), as `PlainYAML` reads keys.
        private func keyEnd(in line: Line, from start: Int) -> Int? {
            guard start < line.end, bytes[start] != UInt8(ascii: "-") else { return nil }
            var position = start
            while position < line.end, isKeyByte(bytes[position]) { position += 1 }
            guard position > start, position < line.end, bytes[position] == UInt8(ascii: ":"),
                position + 1 == line.end || bytes[position + 1] == UInt8(ascii: " ")
            else { return nil }
            return position
        }

        private func isKeyByte(_ byte: UInt8) -> Bool { YAMLBytes.isKeyByte(byte) }

        private func isSequenceItem(_ line: Line, at column: Int) -> Bool {
            let position = line.start + column
            return position < line.end && bytes[position] == UInt8(ascii: "-")
                && (position + 1 == line.end || bytes[position + 1] == UInt8(ascii: " "))
        }

        /// `PlainYAML`'s rule for the first byte of a plain scalar: no indicator.
        private func isPlainStart(_ byte: UInt8) -> Bool { YAMLBytes.startsPlain(byte) }

        /// Whether the plain scalar `bytes[start..<end]` is one `YAMLNode.isNull` calls
        /// null: empty, `~`, `null`, `Null` or `NULL`.
        private func isNull(_ start: Int, _ end: Int) -> Bool {
            switch end - start {
            case 0: return true
            case 1: return bytes[start] == UInt8(ascii: "~")
            case 4:
                return matches("null", at: start) || matches("Null", at: start) || matches("NULL", at: start)
            default: return false
            }
        }

        private func matches(_ word: StaticString, at start: Int) -> Bool {
            let count = word.utf8CodeUnitCount
            guard bytes.count - start >= count else { return false }
            for offset in 0..<count where bytes[start + offset] != word.utf8Start[offset] { return false }
            return true
        }

        private func skipSpaces(from start: Int, to end: Int) -> Int {
            YAMLBytes.skipSpaces(bytes, from: start, to: end)
        }

        private func trimmedEnd(_ end: Int, from start: Int) -> Int { YAMLBytes.trimmedEnd(bytes, end, from: start) }

        private func text(_ start: Int, _ end: Int) -> String { YAMLBytes.text(bytes, start, end) }
    }

    /// Thrown to abandon the fast path; nothing else is thrown.
    struct Unsupported: Error {}

    /// The values of one entry read so far: one stored property per field rather than an
    /// array, which would be an allocation per person.
    private struct Entry {
        var id, name, email, level, team, manager, signingKey, specialism: Scalar?
        /// The position of `roles:`'s value, once read; its items are in `roles`.
        var rolesValue: Scalar?
        var roles: [String] = []

        subscript(field: Field) -> Scalar? {
            get {
                switch field {
                case .id: return id
                case .name: return name
                case .email: return email
                case .level: return level
                case .team: return team
                case .manager: return manager
                case .roles: return rolesValue
                case .signingKey: return signingKey
                case .specialism: return specialism
                }
            }
            set {
                switch field {
                case .id: id = newValue
                case .name: name = newValue
                case .email: email = newValue
                case .level: level = newValue
                case .team: team = newValue
                case .manager: manager = newValue
                case .roles: rolesValue = newValue
                case .signingKey: signingKey = newValue
                case .specialism: specialism = newValue
                }
            }
        }

        /// The entry as `DocumentDecoder.decodePeople` builds it; throws when a required
        /// field is missing (a problem the general path reports).
        func person(path: String) throws(Unsupported) -> Person {
            func located(_ scalar: Scalar?) -> Located<String>? {
                scalar.map { Located($0.text, at: SourceLocation(file: path, line: $0.line, column: $0.column)) }
            }
            guard let id = located(id), let name, let email, let level = located(level), let team = located(team)
            else { throw Unsupported() }
            return Person(
                id: id, name: name.text, email: email.text, level: level, team: team, manager: located(manager),
                roles: roles, signingKey: signingKey?.text, specialism: located(specialism))
        }
    }
}
