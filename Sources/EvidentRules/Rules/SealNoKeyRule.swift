import EvidentCore
import EvidentSeal

/// With sealing on, a person who reads sealed files but has no `signing_key` Evident
/// can seal to (none, or one that is not ssh-ed25519).
///
/// Position: the person's `id` in people.yaml, once per person.
struct SealNoKeyRule: Rule {
    static let description = RuleDescription(
        id: "seal-no-key",
        defaultSeverity: .warning,
        summary: "a reader of sealed files without a signing_key to seal to",
        rationale: """
            A sealed file is encrypted to its readers' SSH keys, the `signing_key` entries of people.yaml. \
            A reader without one cannot be a recipient: files they should read are sealed without them, and \
            they find armoured text where their reviews should be. Evident seals to `ssh-ed25519` keys, so \
            a missing key and a key of another type (ssh-rsa, ecdsa) are reported alike. It is a warning: \
            the files stay sealed to everyone else, and the person can add a key (`ssh-keygen -t ed25519`) \
            and have the files resealed.
            """,
        triggeringExamples: [
            RuleExample(
                files: [
                    "evident.yaml": SealingExamples.policy,
                    "people.yaml": SealingExamples.people(without: ["dana"], marking: "dana"),
                ],
                caption: "dana, alice's manager, reads her files but has no key")
        ],
        nonTriggeringExamples: [
            RuleExample(
                files: [
                    "evident.yaml": SealingExamples.policy, "people.yaml": SealingExamples.people(without: ["carol"]),
                ],
                caption: "carol has no key but reads nothing sealed (her peer feedback is gone)",
                removing: ["cycles/2026-h2/alice/peer-carol.md"]),
            RuleExample(
                files: ["people.yaml": SealingExamples.people(without: ["dana", "vera"])],
                caption: "sealing off: keys are only needed for signed sign-offs"),
        ])

    func check(_ context: RuleContext) {
        guard context.policy.sealing.enabled else { return }
        let organisation = context.organisation
        let readersFirst = organisation.files.count < organisation.people.count
        for person in Self.keylessReaders(in: organisation, readersFirst: readersFirst) {
            if person.signingKey == nil {
                context.report(
                    "\(public: person.id.value) reads sealed files but has no signing_key; add an ssh-ed25519 public key",
                    at: person.id.location)
            } else {
                context.report(
                    "\(public: person.id.value) reads sealed files but their signing_key is not an ssh-ed25519 key Evident can seal to",
                    at: person.id.location)
            }
        }
    }

    /// The readers of sealed files without a key Evident can seal to, in people.yaml order.
    /// Both orders of the two filters find the same people; the cheaper is taken. A full
    /// check holds some 50,000 files, and everyone's key (parsed once, shared with
    /// seal-readers) is cheaper than their readers, which need not be gathered at all when
    /// everyone has a key. A partial check (`--staged`, `--changed-since`) holds a few
    /// files, whose readers are quicker than parsing 10,000 keys.
    static func keylessReaders(in organisation: Organisation, readersFirst: Bool) -> [Person] {
        func keyless(_ person: Person) -> Bool {
            person.signingKey.flatMap { KeyTags.facts(of: $0, in: organisation) }?.sealable != true
        }
        if readersFirst {
            let readers = SealReaders.everyReader(in: organisation)
            return organisation.people.filter { readers.contains($0.id.value) && keyless($0) }
        }
        let withoutKey = organisation.people.filter(keyless)
        guard !withoutKey.isEmpty else { return [] }
        let readers = SealReaders.everyReader(in: organisation)
        return withoutKey.filter { readers.contains($0.id.value) }
    }
}
