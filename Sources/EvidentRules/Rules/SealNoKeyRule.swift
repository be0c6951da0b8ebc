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
        // People without a key Evident can seal to, found first: the keys are parsed once
        // for this rule and seal-readers, and where everyone has one (the usual case) the
        // readers of 50,000 files need not be gathered at all.
        let keyless = organisation.people.filter { person in
            person.signingKey.flatMap { KeyTags.facts(of: $0, in: organisation) }?.sealable != true
        }
        guard !keyless.isEmpty else { return }
        // The organisation's reader sets, worked out once per folder and shared with seal-readers.
        let readers = SealReaders.everyReader(in: organisation)
        for person in keyless where readers.contains(person.id.value) {
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
}
