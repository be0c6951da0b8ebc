import EvidentTestSupport
import XCTest

@testable import EvidentCore

/// The byte-level people.yaml decoder must give exactly the people of the general path
/// (YAML tree, then `DocumentDecoder`), or step aside.
final class PeopleYAMLTests: XCTestCase {
    private func dump(_ location: SourceLocation) -> String { "\(location.file)@\(location.line):\(location.column)" }

    private func dump(_ value: Located<String>?) -> String {
        guard let value else { return "nil" }
        return "\(value.value.debugDescription)\(dump(value.location))"
    }

    private func dump(_ person: Person) -> String {
        [
            dump(person.id), person.name.debugDescription, person.email.debugDescription, dump(person.level),
            dump(person.team), dump(person.manager), person.roles.debugDescription,
            person.signingKey?.debugDescription ?? "nil",
        ].joined(separator: " ")
    }

    private func dump(_ file: LoadedFile) -> String {
        let problems = file.problems.map { "\($0.kind) \(dump($0.location)) \($0.message)" }
        guard case .people(let people)? = file.document else { return "\(problems) no people" }
        return "\(problems)\n" + people.map(dump).joined(separator: "\n")
    }

    /// Asserts agreement with the general path when the fast path answers; returns
    /// whether it did.
    @discardableResult
    private func agree(_ yaml: String, file: StaticString = #filePath, line: UInt = #line) -> Bool {
        let reference = RepositoryLoader.parseGenerally(yaml, path: "people.yaml", kind: .people)
        let loaded = RepositoryLoader.parse(yaml, path: "people.yaml", kind: .people)
        XCTAssertEqual(dump(loaded), dump(reference), yaml, file: file, line: line)
        guard let people = PeopleYAML.decode(yaml, path: "people.yaml") else { return false }
        XCTAssertEqual(
            reference.problems.count, 0, "decoded a registry with problems:\n\(yaml)", file: file, line: line)
        let fast = LoadedFile(
            path: "people.yaml", kind: .people, problems: [], directives: [], headings: [], document: .people(people))
        XCTAssertEqual(dump(fast), dump(reference), yaml, file: file, line: line)
        return true
    }

    func testUsualRegistriesDecodeAsTheGeneralPathDecodesThem() {
        let documents = [
            "people:\n  - id: ada\n    name: Ada Lee\n    email: ada@acme.example\n    level: eng-3\n    team: core\n",
            "# yaml-language-server: $schema=x\npeople:\n\n  # the top\n  - id: ada\n    name: Ada Lee\n    email: a@x\n    level: mgr-2\n    team: t-1\n  - id: bo\n    name: 'Bo Chen'\n    email: \"bo@x\"\n    level: eng-1\n    team: t-1\n    manager: ada\n    roles: [hr, \"calibrator\", 'x y']\n    signing_key: \"ssh-ed25519 AAAAC3 bo@laptop\"\n",
            "people:\n- id: ada\n  name: Ada\n  email: a\n  level: l\n  team: t\n  roles: []\n- team: t\n  level: l\n  email: e\n  name: N\n  id: b\n  manager: ada\n",
            "people:   \n  -   id: ada   \n      name: Ada Lee   \n      email: a@x\n      level: l\n      team: t\n      roles: [ a ,b ]  \n",
            "people:\n  - id: 123\n    name: 0.5\n    email: true\n    level: \"l\"\n    team: 't'\n    signing_key: yes\n",
            "people:\n  - id: a\n    name: ''\n    email: \"\"\n    level: l\n    team: t\n    signing_key: ''\n",
        ]
        for document in documents {
            XCTAssertTrue(agree(document), "expected the fast path to decode:\n\(document)")
        }
    }

    func testUnusualRegistriesAreLeftToTheGeneralPath() {
        let entry = "    name: N\n    email: e\n    level: l\n    team: t\n"
        let documents = [
            "", "people:\n", "people: []\n", "people:\n  - id: a\n", "other: 1\npeople:\n  - id: a\n\(entry)",
            "people:\n  - id: a\n\(entry)other: 1\n", "people:\n  - id: a\n\(entry)    id: b\n",
            "people:\n  - id: a\n\(entry)    nickname: x\n", "people:\n  - id: A\n\(entry)",
            "people:\n  - id: -a\n\(entry)",
            "people:\n  - id: null\n\(entry)", "people:\n  - id: a\n\(entry)    manager: ~\n",
            "people:\n  - id: a\n\(entry)    manager: null\n", "people:\n  - id: a\n\(entry)    roles: ~\n",
            "people:\n  - id: a\n\(entry)    roles:\n      - hr\n", "people:\n  - id: a\n\(entry)    roles: [hr, ~]\n",
            "people:\n  - id: a\n\(entry)    roles: hr\n", "people:\n  - id: a\n\(entry)    roles: [[hr]]\n",
            "people:\n  - id: a\n    name: Zoë\n    email: e\n    level: l\n    team: t\n",
            "people:\n  - id: a\n    name: N # note\n    email: e\n    level: l\n    team: t\n",
            "people:\n  - id: a\n    name: &n N\n    email: *n\n    level: l\n    team: t\n",
            "people:\n  - id: a\n    name: \"N\\t\"\n    email: e\n    level: l\n    team: t\n",
            "people:\n  - id: a\n    name: 'it''s'\n    email: e\n    level: l\n    team: t\n",
            "people:\n  - id: a\n    name: x: y\n    email: e\n    level: l\n    team: t\n",
            "people:\n  - id: a\n    name: N\n      continued\n    email: e\n    level: l\n    team: t\n",
            "people:\n  - id: a\n    name: |\n      N\n    email: e\n    level: l\n    team: t\n",
            "people:\n  - id: a\n    name:\tN\n    email: e\n    level: l\n    team: t\n",
            "people:\n  - id: a\r\n    name: N\n    email: e\n    level: l\n    team: t\n",
            "people:\n  - id: a\n   name: N\n    email: e\n    level: l\n    team: t\n",
            "people:\n  - id: a\n     name: N\n    email: e\n    level: l\n    team: t\n",
            "people:\n  - id: a\n\(entry)   - id: b\n\(entry)", "---\npeople:\n  - id: a\n\(entry)",
            "%YAML 1.1\n---\npeople:\n  - id: a\n\(entry)", "people:\n  - id: a\n\(entry)...\n",
            "people:\n  - id: a\n    name: a[b\n    email: e\n    level: l\n    team: t\n",
            "people:\n  - id: a\n    name: null\n    email: e\n    level: l\n    team: t\n",
            "people:\n  - id: a\n    name: {x: y}\n    email: e\n    level: l\n    team: t\n",
            "people:\n  - - id: a\n", "people:\n  -\n    id: a\n\(entry)", "people:\n  - id: a\n\(entry)  - x\n",
            "\"people\":\n  - id: a\n\(entry)", "people :\n  - id: a\n\(entry)", "people: # c\n  - id: a\n\(entry)",
        ]
        for document in documents {
            XCTAssertFalse(agree(document), "expected the fast path to step aside:\n\(document)")
        }
    }

    /// Random registries built from pieces, usual and not, compared with the general path.
    func testRandomRegistriesAgreeWithTheGeneralPath() {
        let keys = ["id", "name", "email", "level", "team", "manager", "roles", "signing_key", "nick", "Id", "\"id\""]
        let values = [
            "ada", "bo-chen", "eng-3", "Ada Lee", "a@x.example", "123", "0.5", "true", "null", "~", "Null", "", "A",
            "-a", "a_b", "\"ada\"", "'ada'", "\"Ada: Lee\"", "'it''s'", "\"a\\\"b\"", "[hr]", "[hr, calibrator]",
            "[]", "[ ]", "[\"hr\", 'x']", "[hr, ~]", "[hr,]", "[[hr]]", "{a: b}", "x #c", "x#c", "a: b", "x:", "&a x",
            "*a", "!t x", "|", "Zoë", "a\tb", "a [b]", "ada   ",
        ]
        var generator = SeededGenerator.forTest(self)
        var decoded = 0
        for _ in 0..<3000 {
            var lines = [
                ["people:", "people:  ", "# c\npeople:", "people: x", "other: 1"].randomElement(using: &generator)!
            ]
            let dash = [0, 2, 2, 2, 4].randomElement(using: &generator)!
            let after = [1, 1, 1, 2].randomElement(using: &generator)!
            for _ in 0..<Int.random(in: 0...3, using: &generator) {
                // Mostly complete, valid entries, with one or two pieces changed.
                var fields = [
                    ("id", "ada"), ("name", "Ada Lee"), ("email", "a@x"), ("level", "eng-1"), ("team", "core"),
                ]
                if Bool.random(using: &generator) { fields.append(("manager", "bo")) }
                if Bool.random(using: &generator) { fields.append(("roles", "[hr]")) }
                fields.shuffle(using: &generator)
                for _ in 0..<Int.random(in: 0...2, using: &generator) {
                    let piece = (keys.randomElement(using: &generator)!, values.randomElement(using: &generator)!)
                    switch Int.random(in: 0..<3, using: &generator) {
                    case 0: fields.append(piece)
                    case 1: fields[Int.random(in: 0..<fields.count, using: &generator)].1 = piece.1
                    default: fields.remove(at: Int.random(in: 0..<fields.count, using: &generator))
                    }
                    if fields.isEmpty { fields.append(piece) }
                }
                let column = dash + 1 + after
                for (index, field) in fields.enumerated() {
                    var pad = String(repeating: " ", count: column)
                    if Int.random(in: 0..<40, using: &generator) == 0 { pad += " " }
                    if index == 0 {
                        pad = String(repeating: " ", count: dash) + "-" + String(repeating: " ", count: after)
                    }
                    lines.append("\(pad)\(field.0): \(field.1)")
                    switch Int.random(in: 0..<30, using: &generator) {
                    case 0: lines.append("")
                    case 1:
                        lines.append("\(String(repeating: " ", count: Int.random(in: 0...6, using: &generator)))# note")
                    case 2: lines.append("\(String(repeating: " ", count: column + 2))more")
                    default: break
                    }
                }
            }
            if agree(lines.joined(separator: "\n") + (Bool.random(using: &generator) ? "\n" : "")) { decoded += 1 }
        }
        XCTAssertGreaterThan(decoded, 100, "the generator should produce registries the fast path decodes")
    }

    /// The generated benchmark registry (`EVIDENT_PEOPLE_YAML=<file>`) or the example
    /// organisation's: the fast path must decode it, as the general path does.
    func testRegistryFileDecodesAsTheGeneralPathDecodesIt() throws {
        let configured = ProcessInfo.processInfo.environment["EVIDENT_PEOPLE_YAML"]
        let path =
            configured
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples/acme/people.yaml").path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertTrue(agree(text), "expected the fast path to decode \(path)")
    }
}
