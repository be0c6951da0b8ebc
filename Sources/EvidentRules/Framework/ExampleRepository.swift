/// The small, clean review repository every rule example starts from.
///
/// Alice (eng-3, payments) is reviewed by Dana in cycle 2026-h2; Erin calibrates. It
/// produces no diagnostics at all, which a test asserts, so a rule example only has to
/// show the one file it changes.
public enum ExampleRepository {
    public static let files: [String: String] = [
        "evident.yaml": """
        evident: 1
        organization: Example
        ratings:
          - { id: below, label: Below expectations, min_evidence: 3 }
          - { id: meets, label: Meets expectations, min_evidence: 1 }
          - { id: exceeds, label: Exceeds expectations, min_evidence: 3 }
          - { id: outstanding, label: Outstanding, min_evidence: 5 }
        evidence:
          allowed_links: ["https://github.com/acme/*", "https://acme.atlassian.net/browse/*"]
          min_per_dimension: 1
          recency: { last_weeks: 6, max_share: 0.6 }
        reviews:
          min_peer_feedback: 2
          max_words: { self: 600, review: 1200, peer: 300 }
        signoff:
          required: [manager, skip-level, calibrator]
          require_signature: false
        privacy:
          min_group_size: 4
        team_health:
          max_span: 8
          max_reviews_per_reviewer: 10

        """,
        "people.yaml": """
        people:
          - { id: vera, name: Vera Lind, email: vera@example.com, level: mgr-1, team: payments, roles: [hr] }
          - { id: dana, name: Dana Okafor, email: dana@example.com, level: mgr-1, team: payments, manager: vera }
          - { id: alice, name: Alice Chen, email: alice@example.com, level: eng-3, team: payments, manager: dana }
          - { id: bob, name: Bob Marsh, email: bob@example.com, level: eng-3, team: payments, manager: dana }
          - { id: carol, name: Carol Diaz, email: carol@example.com, level: eng-3, team: payments, manager: dana }
          - { id: erin, name: Erin Park, email: erin@example.com, level: mgr-1, team: payments, manager: vera }

        """,
        "values.md": """
        ---
        kind: values
        values:
          - { id: ownership, name: Ownership, behaviors: [Follows incidents through to the fix] }
          - { id: candour, name: Candour, behaviors: [Raises risks early and in writing] }
          - { id: craft, name: Craft, behaviors: [Leaves code better tested than found] }
          - { id: customers, name: Customers first, behaviors: [Measures changes by customer outcomes] }
        ---
        The values we hire and review for.

        """,
        "metrics.yaml": """
        metrics:
          - id: checkout-p99
            name: Checkout p99 latency
            definition: 99th percentile latency of the checkout endpoint over a week
            indicator: lagging
            source: Grafana
            gaming_risks: [Moving slow work out of the measured path]

        """,
        "levels/eng-3.md": """
        ---
        kind: level
        id: eng-3
        track: engineering
        title: Senior Engineer
        balance: { what: 60, how: 40 }
        dimensions:
          - id: delivery
            name: Delivery impact
            aspect: what
            expectations: [Ships multi-quarter projects that move a team-level metric]
          - id: technical-judgment
            name: Technical judgment
            aspect: how
            expectations: [Identifies architectural risk early and proposes mitigations]
        ---
        ## Delivery impact
        Projects land and move a metric the team owns.

        """,
        "levels/mgr-1.md": """
        ---
        kind: level
        id: mgr-1
        title: Engineering Manager
        balance: { what: 50, how: 50 }
        dimensions:
          - { id: team-outcomes, name: Team outcomes, aspect: what, expectations: [The team ships what it commits to] }
          - { id: people-growth, name: People growth, aspect: how, expectations: [Reports grow in scope] }
        ---

        """,
        "teams/payments.yaml": """
        id: payments
        name: Payments
        attrition_risk: low

        """,
        "cycles/2026-h2/cycle.yaml": """
        id: 2026-h2
        period: { start: 2026-07-01, end: 2026-12-31 }
        phase: calibration
        freeze: 2026-12-10
        calibration_groups:
          - { id: eng, calibrators: [erin], teams: [payments] }

        """,
        "cycles/2026-h2/alice/evidence.md": """
        ---
        kind: evidence
        person: alice
        cycle: 2026-h2
        items:
          - id: checkout-latency
            date: 2026-08-14
            type: pull-request
            link: https://github.com/acme/api/pull/1423
            summary: Cut checkout p99 from 900 ms to 250 ms
            dimensions: [delivery]
            values: [ownership]
            metric: checkout-p99
          - id: queue-design
            date: 2026-09-02
            type: design-doc
            link: https://acme.atlassian.net/browse/PAY-88
            summary: Design for the retry queue, with the failure modes written down
            dimensions: [technical-judgment]
        ---
        Notes gathered during the cycle.

        """,
        "cycles/2026-h2/alice/self.md": """
        ---
        kind: self-review
        person: alice
        cycle: 2026-h2
        ---
        ## Delivery impact
        I led the checkout latency work [@checkout-latency].

        ## Technical judgment
        I wrote the retry queue design before building it [@queue-design].

        """,
        "cycles/2026-h2/alice/peer-bob.md": """
        ---
        kind: peer-feedback
        person: alice
        cycle: 2026-h2
        author: bob
        ---
        ## Technical judgment
        Her queue design named the failure modes we later hit [@queue-design].

        """,
        "cycles/2026-h2/alice/peer-carol.md": """
        ---
        kind: peer-feedback
        person: alice
        cycle: 2026-h2
        author: carol
        ---
        ## Delivery impact
        The latency fix shipped behind a flag with a rollback plan [@checkout-latency].

        """,
        "cycles/2026-h2/alice/review.md": """
        ---
        kind: review
        person: alice
        cycle: 2026-h2
        reviewer: dana
        level: eng-3
        rating: meets
        promotion: { readiness: not-yet, target: eng-4 }
        summary: "Meets: Alice cut checkout p99 from 900 ms to 250 ms [@checkout-latency]."
        ---
        ## Delivery impact
        Alice cut checkout p99 from 900 ms to 250 ms [@checkout-latency].

        ## Technical judgment
        She designed the retry queue with its failure modes first [@queue-design].

        ## Growth plan
        Take a cross-team project next half.

        """,
        "levels/eng-4.md": """
        ---
        kind: level
        id: eng-4
        title: Staff Engineer
        balance: { what: 50, how: 50 }
        dimensions:
          - { id: reach, name: Reach, aspect: what, expectations: [Moves metrics beyond the team] }
          - { id: influence, name: Influence, aspect: how, expectations: [Sets technical direction across teams] }
        ---

        """,
    ]
}
