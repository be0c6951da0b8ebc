#!/usr/bin/env python3
"""Generate a synthetic Evident review repository for benchmarks.

    python3 Benchmarks/generate.py --people 10000 --out Benchmarks/work/people-10000

The repository follows the spec's format and sizes seen in practice: a manager tree
with spans of 3 to 7, 6 level guides of 6 dimensions each (3 "what", 3 "how"), and for
every person in one cycle an evidence log of 6-10 items, a self review, 2-3 peer
feedback files and a manager review, all citing the person's evidence. Links point at
`https://github.com/acme/...` or `https://acme.atlassian.net/browse/...`, dates fall
inside the cycle and mostly before its last six weeks, texts stay under the word
limits and avoid the vague and biased phrases the rules flag. The result checks clean
with `evident check`, is committed to git, and is byte-for-byte the same for the same
`--people` and `--seed` (Python's `random.Random` is deterministic for a seed).

At 10,000 people that is about 57,000 files and 40 MB. Standard library only.
"""

import argparse
import os
import random
import shutil
import subprocess
import sys

# Bump when the output changes, so Benchmarks/run.sh regenerates cached repositories.
GENERATOR_VERSION = 2

CYCLE = "2026-h2"
CYCLE_START = (2026, 7, 1)
CYCLE_END = (2026, 12, 31)
FREEZE = (2026, 12, 10)

FIRST_NAMES = """ada alan alice amir ana ben bo carla chen chidi dana dev elena emil erin eva farah felix
frank gita hana hugo ines ivan jae jana jun kai kemal kofi lara leo lina luca maya mei mina nadia nils
noor olga omar otto paula pedro priya quinn rafael rosa sami sara sofia tariq tess theo uma vera viktor
wen xia yara yusuf zane zoe""".split()
LAST_NAMES = """abe adeyemi alvarez berg chen costa dubois eze fischer garcia haddad ito jensen kim
kowalski lindqvist mensah moreau nakamura novak okafor osei park petrov quispe rossi sato silva tanaka
umar varga wang weber xu yilmaz zhang""".split()

REPOS = ["api", "web", "payments", "ledger", "search", "infra", "mobile", "data", "auth", "billing"]

# Six dimensions shared by every level; what each level expects differs.
DIMENSIONS = [
    ("delivery", "Delivery impact", "what"),
    ("quality", "Engineering quality", "what"),
    ("reliability", "Operational reliability", "what"),
    ("collaboration", "Collaboration", "how"),
    ("technical-judgment", "Technical judgment", "how"),
    ("mentoring", "Mentoring", "how"),
]
DIMENSION_IDS = [d[0] for d in DIMENSIONS]

LEVELS = [
    ("eng-1", "Engineer I", "engineering", "eng-2", (70, 30), "with guidance, on tasks within one service"),
    ("eng-2", "Engineer II", "engineering", "eng-3", (65, 35), "independently, on features within the team"),
    ("eng-3", "Senior Engineer", "engineering", "eng-4", (60, 40), "across the team's services, planning the work"),
    ("eng-4", "Staff Engineer", "engineering", None, (50, 50), "across several teams, setting direction"),
    ("mgr-1", "Engineering Manager", "management", "mgr-2", (50, 50), "for one team, through the people on it"),
    ("mgr-2", "Senior Engineering Manager", "management", None, (50, 50), "for a group of teams and their managers"),
]

EXPECTATIONS = {
    "delivery": ["Ships work {scope} that moves an agreed metric", "Plans milestones so value lands in steps"],
    "quality": ["Writes tests that catch regressions before release", "Keeps the code easier to change {scope}"],
    "reliability": ["Responds to incidents and writes the postmortem {scope}", "Closes postmortem actions within 30 days"],
    "collaboration": ["Agrees interfaces with adjacent teams before building", "Unblocks others within a day {scope}"],
    "technical-judgment": ["Names risks early and proposes mitigations in writing", "Chooses the simplest design that meets the need"],
    "mentoring": ["Reviews and pairs with newer engineers on real work", "Writes guidance that others reuse {scope}"],
}

VALUES = [
    ("customer-first", "Start from the customer", ["Names the customer affected before proposing a change",
                                                    "Measures a change by what it did for users"]),
    ("ownership", "Own the outcome", ["Follows work past the merge until it is live and measured",
                                      "Closes every incident action item they own"]),
    ("write-it-down", "Write it down", ["Records decisions and trade-offs where the next person will look",
                                        "Keeps runbooks current after changing a system"]),
    ("leave-it-better", "Leave it better than you found it", ["Removes flaky tests and stale alerts met along the way",
                                                              "Fixes the cause of a recurring problem"]),
    ("grow-each-other", "Grow each other", ["Explains the why in code review comments",
                                            "Pairs with newer teammates on real work"]),
]
VALUE_IDS = [v[0] for v in VALUES]

METRICS = [
    ("checkout-p99", "Checkout p99 latency", "lagging"),
    ("change-failure-rate", "Change failure rate", "lagging"),
    ("time-to-mitigate", "Time to mitigate", "lagging"),
    ("review-turnaround", "Code review turnaround", "leading"),
    ("postmortem-closure", "Postmortem action closure", "leading"),
    ("deploy-frequency", "Deploy frequency", "leading"),
]
METRIC_IDS = [m[0] for m in METRICS]

ITEM_TYPES = ["pull-request", "pull-request", "pull-request", "incident", "design-doc", "metric", "feedback", "other"]

# Item summaries and review sentences: concrete, measurable, no vague or biased words.
SUBJECTS = ["checkout", "refunds", "ledger", "search index", "login flow", "billing export", "payout worker",
            "rate limiter", "feature flags", "deploy pipeline", "audit log", "mobile sync", "cache layer",
            "retry queue", "alerting", "schema migration", "API gateway", "data pipeline", "build cache",
            "notification service"]
SUMMARIES = {
    "delivery": ["Shipped the {s} rewrite in {n} milestones",
                 "Cut {s} p99 latency from {a} ms to {b} ms",
                 "Moved the {s} to the new platform with no downtime"],
    "quality": ["Contract tests for the {s}; caught {n} regressions",
                "Fixed the causes of {n} flaky tests in the {s}",
                "Split the {s} so a change touches one package"],
    "reliability": ["Incident commander for the {s} outage, {a} minutes",
                    "Closed all {n} {s} postmortem actions in 30 days",
                    "Burn-rate alert on the {s} SLO"],
    "collaboration": ["Agreed the {s} interface with two teams first",
                      "Weekly sync with the {s} consumers for {n} weeks",
                      "Unblocked another team's {s} migration in a day"],
    "technical-judgment": ["{s} design without a shared cache, for write ordering",
                           "Batching in the {s}, {a} percent fewer queries",
                           "Risk review of the {s}, {n} failure modes"],
    "mentoring": ["Paired weekly with a new engineer on the {s}",
                  "Wrote the {s} review checklist, adopted twice",
                  "Reviewed {a} pull requests on the {s} with reasons"],
}
REVIEW_SENTENCES = [
    "{name} {verb} the {s} work and the result is measurable [{cites}].",
    "The {s} change is the clearest example for this dimension [{cites}].",
    "{name} {verb} the {s}, and the team relies on it now [{cites}].",
    "On the {s}, {name} planned the steps and followed them through [{cites}].",
]
SELF_SENTENCES = [
    "I {verb} the {s} [{cites}].",
    "My main work here was the {s} [{cites}].",
    "I planned the {s} first, then {verb} it [{cites}].",
]
PEER_SENTENCES = [
    "I worked with {name} on the {s} and saw the plan hold up in practice [{cites}].",
    "When the {s} needed a decision, {name} wrote the options down and we picked one in a day [{cites}].",
    "{name} {verb} the {s} with us, and our team reused the approach [{cites}].",
]
VERBS = ["led", "shipped", "owned", "planned", "finished", "drove", "delivered", "documented"]
GROWTH = [
    "Next half: lead one design that spans two teams and present it at the architecture review.",
    "Next half: take on the on-call rotation lead and write the quarterly reliability summary.",
    "Next half: mentor one new engineer through their first production launch.",
    "Next half: own the roadmap for one service end to end, including its metrics.",
]


def day_number(ymd):
    """Days since 2000-01-01, enough for comparisons and arithmetic inside one year."""
    y, m, d = ymd
    months = [31, 29 if y % 4 == 0 else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    days = (y - 2000) * 365 + (y - 1997) // 4
    return days + sum(months[: m - 1]) + d - 1


def format_day(number):
    y = 2026
    days = number - day_number((2026, 1, 1))
    months = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    m = 0
    while days >= months[m]:
        days -= months[m]
        m += 1
    return f"{y:04d}-{m + 1:02d}-{days + 1:02d}"


class Person:
    __slots__ = ("index", "id", "name", "email", "level", "team", "manager", "reports")

    def __init__(self, index, pid, name):
        self.index = index
        self.id = pid
        self.name = name
        self.email = f"{pid}@acme.example"
        self.level = None
        self.team = None
        self.manager = None
        self.reports = []


def build_people(count, rng):
    """A manager tree filled breadth first; every manager has 3 to 7 direct reports."""
    used = set()
    people = []
    for index in range(count):
        while True:
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            pid = f"{first}-{last}"
            if pid in used:
                pid = f"{first}-{last}-{index}"
            if pid not in used:
                break
        used.add(pid)
        people.append(Person(index, pid, f"{first.capitalize()} {last.capitalize()}"))
    # Breadth first: the next person without a manager goes to the current manager until
    # that manager's span is full; then the next person in line becomes a manager.
    queue = [0]
    spans = {}
    position = 0
    for person in people[1:]:
        while True:
            manager = people[queue[position]]
            span = spans.setdefault(manager.index, rng.randint(3, 7))
            if len(manager.reports) < span:
                break
            position += 1
        person.manager = manager
        manager.reports.append(person)
        queue.append(person.index)
    # Levels: managers of managers are mgr-2, other managers mgr-1, the rest engineers.
    for person in people:
        if person.reports and any(r.reports for r in person.reports):
            person.level = "mgr-2"
        elif person.reports:
            person.level = "mgr-1"
        else:
            person.level = rng.choice(["eng-1", "eng-2", "eng-2", "eng-3", "eng-3", "eng-4"])
    # Teams: a manager's team holds the manager and their direct reports.
    for person in people:
        owner = person if person.reports else person.manager
        person.team = f"team-{owner.index:05d}" if owner else "team-00000"
    return people


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def evident_yaml():
    return """evident: 1
organization: Acme
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
language:
  vague: []
  allow: []
"""


def people_yaml(people):
    lines = ["people:"]
    for p in people:
        lines.append(f"  - id: {p.id}")
        lines.append(f"    name: {p.name}")
        lines.append(f"    email: {p.email}")
        lines.append(f"    level: {p.level}")
        lines.append(f"    team: {p.team}")
        if p.manager is not None:
            lines.append(f"    manager: {p.manager.id}")
        if p.index % 97 == 5:
            lines.append("    roles: [hr]")
    return "\n".join(lines) + "\n"


def level_md(level):
    level_id, title, track, nxt, (what, how), scope = level
    out = ["---", "kind: level", f"id: {level_id}", f"track: {track}", f"title: {title}"]
    if nxt:
        out.append(f"next: {nxt}")
    out.append(f"balance: {{ what: {what}, how: {how} }}")
    out.append("dimensions:")
    for dim_id, name, aspect in DIMENSIONS:
        out += [f"  - id: {dim_id}", f"    name: {name}", f"    aspect: {aspect}", "    expectations:"]
        for expectation in EXPECTATIONS[dim_id]:
            out.append("      - " + expectation.format(scope=scope))
    out.append("---")
    out.append(f"What strong work looks like for a {title.lower()}: outcomes {scope}.")
    out.append("")
    out.append("Each dimension above is observable: a reviewer should be able to point at a pull request,")
    out.append("an incident, a design document or a metric for every claim.")
    return "\n".join(out) + "\n"


def values_md():
    out = ["---", "kind: values", "values:"]
    for value_id, name, behaviors in VALUES:
        out += [f"  - id: {value_id}", f"    name: {name}", "    behaviors:"]
        out += [f"      - {b}" for b in behaviors]
    out += ["---", "Our values describe what we do, not what we are; each behaviour can be observed."]
    return "\n".join(out) + "\n"


def metrics_yaml():
    out = ["metrics:"]
    for metric_id, name, indicator in METRICS:
        out += [f"  - id: {metric_id}", f"    name: {name}",
                f"    definition: {name} over a 30-day window, from the production dashboards.",
                f"    indicator: {indicator}", "    source: Grafana", "    gaming_risks:",
                "      - Moving work outside what the metric observes"]
    return "\n".join(out) + "\n"


def team_yaml(team_id, rng):
    return (f"id: {team_id}\nname: Team {team_id[5:]}\nattrition_risk: {rng.choice(['low', 'medium', 'high'])}\n"
            f"engagement:\n  - {{ date: 2026-06-30, score: {rng.randint(55, 85)} }}\n"
            f"  - {{ date: 2026-09-30, score: {rng.randint(55, 85)} }}\n"
            f"on_call: {{ people: {rng.randint(3, 8)}, pages_per_week: {rng.randint(0, 20)} }}\n")


def cycle_yaml(groups):
    out = [f"id: {CYCLE}", "period: { start: 2026-07-01, end: 2026-12-31 }", "phase: calibration",
           "freeze: 2026-12-10", "calibration_groups:"]
    for group_id, calibrators, teams in groups:
        out += [f"  - id: {group_id}", f"    calibrators: [{', '.join(calibrators)}]", "    teams:"]
        out += [f"      - {t}" for t in teams]
    return "\n".join(out) + "\n"


def calibration_groups(people):
    """One group per organisation under a direct report of the top person.

    Its calibrators come from the next organisation (its head and one of its managers):
    someone who manages, is the skip-level of or wrote the review of a person the group
    calibrates would trip `calibrator-conflict`, and the benchmark organisation is clean.
    """
    top = people[0]
    organisations = []
    covered = set()
    for head in top.reports:
        teams = []
        stack = [head]
        managers = []
        while stack:
            person = stack.pop()
            if person.team not in covered:
                covered.add(person.team)
                teams.append(person.team)
            if person.reports:
                managers.append(person)
                stack.extend(person.reports)
        teams.sort()
        organisations.append((head, managers, teams))
    groups = []
    for position, (head, _, teams) in enumerate(organisations):
        if len(organisations) > 1:
            _, managers, _ = organisations[(position + 1) % len(organisations)]
            calibrators = [m.id for m in managers[:2]]
        else:
            calibrators = [top.id]
        groups.append((f"org-{head.index:05d}", calibrators, teams))
    rest = sorted({p.team for p in people} - covered)
    if rest:
        groups.append(("leadership", [top.id], rest))
    return groups


def make_items(person, rng):
    """6-10 items covering all six dimensions, mostly dated before the last six weeks."""
    count = rng.choice([6, 6, 7, 7, 8, 8, 9, 10])
    start, end = day_number((2026, 7, 3)), day_number((2026, 11, 10))
    late_start, late_end = day_number((2026, 11, 20)), day_number(FREEZE)
    items = []
    used = set()
    for index in range(count):
        primary = DIMENSION_IDS[index % 6]
        dims = [primary]
        if rng.random() < 0.4:
            other = rng.choice(DIMENSION_IDS)
            if other != primary:
                dims.append(other)
        subject = rng.choice(SUBJECTS)
        base = subject.replace(" ", "-").lower()
        item_id = f"{base}-{primary.split('-')[0]}"
        suffix = 2
        while item_id in used:
            item_id = f"{base}-{primary.split('-')[0]}-{suffix}"
            suffix += 1
        used.add(item_id)
        # At most one item in the last weeks, so recency-bias stays quiet.
        date = rng.randint(late_start, late_end) if index == count - 1 and rng.random() < 0.5 else rng.randint(start, end)
        kind = rng.choice(ITEM_TYPES)
        summary = rng.choice(SUMMARIES[primary]).format(
            s=subject, n=rng.randint(2, 9), a=rng.randint(20, 900), b=rng.randint(10, 19))
        item = {"id": item_id, "date": format_day(date), "type": kind, "summary": summary, "dims": dims,
                "values": [rng.choice(VALUE_IDS)] if rng.random() < 0.4 else [],
                "metric": rng.choice(METRIC_IDS) if kind == "metric" else None,
                "subject": subject}
        if kind == "incident" or kind == "design-doc":
            item["link"] = f"https://acme.atlassian.net/browse/{rng.choice(['PAY', 'INC', 'PLAT', 'DOC'])}-{rng.randint(10, 9999)}"
        elif kind != "other" or rng.random() < 0.5:
            item["link"] = f"https://github.com/acme/{rng.choice(REPOS)}/pull/{rng.randint(10, 20000)}"
        items.append(item)
    return items


def items_yaml(items):
    out = ["items:"]
    for item in items:
        out.append(f"  - id: {item['id']}")
        out.append(f"    date: {item['date']}")
        out.append(f"    type: {item['type']}")
        if "link" in item:
            out.append(f"    link: {item['link']}")
        out.append(f"    summary: {item['summary']}")
        out.append(f"    dimensions: [{', '.join(item['dims'])}]")
        if item["values"]:
            out.append(f"    values: [{', '.join(item['values'])}]")
        if item["metric"]:
            out.append(f"    metric: {item['metric']}")
    return out


def cites(items, rng, limit):
    chosen = items if len(items) <= limit else rng.sample(items, limit)
    return "; ".join("@" + i["id"] for i in chosen)


def by_dimension(items):
    table = {d: [] for d in DIMENSION_IDS}
    for item in items:
        for d in item["dims"]:
            table[d].append(item)
    return table


def review_md(person, items, rng, ratings):
    first = person.name.split()[0]
    table = by_dimension(items)
    rating = rng.choices(ratings, weights=[1, 6, 3, 1])[0]
    front = ["---", "kind: review", f"person: {person.id}", f"cycle: {CYCLE}", f"reviewer: {person.manager.id}",
             f"level: {person.level}", f"rating: {rating}",
             f"summary: \"{first}'s outcome follows from the evidence in each section below [@{items[0]['id']}].\""]
    nxt = next((l[3] for l in LEVELS if l[0] == person.level), None)
    if nxt and rng.random() < 0.3:
        front.append(f"promotion: {{ readiness: {rng.choice(['ready', 'next-cycle', 'not-yet'])}, target: {nxt} }}")
    if rng.random() < 0.3:
        evidence = ", ".join(i["id"] for i in rng.sample(items, 3))
        front += ["calibration:", f"  rating: {rating}",
                  "  rationale: Calibrators checked each claim against the level guide and kept the proposal.",
                  f"  evidence: [{evidence}]"]
    front.append("---")
    body = [f"Reviewed against the [{person.level} level guide](../../../levels/{person.level}.md).", ""]
    cited = set()
    for dim_id, name, _ in DIMENSIONS:
        body.append(f"## {name}")
        body.append("")
        # Cite every item tagged with this dimension that is not yet cited, so every
        # item is cited somewhere and each section cites its own dimension.
        section = [i for i in table[dim_id] if i["id"] not in cited] or table[dim_id][:1]
        sentences = []
        for start in range(0, len(section), 2):
            group = section[start:start + 2]
            cited.update(i["id"] for i in group)
            sentences.append(rng.choice(REVIEW_SENTENCES).format(
                name=first, verb=rng.choice(VERBS), s=group[0]["subject"], cites=cites(group, rng, 2)))
        body.append(" ".join(sentences))
        body.append("")
    body += ["## Values", "", f"`{rng.choice(VALUE_IDS)}`: {first} closed the follow-ups on the "
             f"{items[0]['subject']} personally [@{items[0]['id']}].", "",
             "## Growth plan", "", rng.choice(GROWTH), ""]
    if rng.random() < 0.2:
        body += ["## Private", "", "Calibration note: compare with the other reviews in the group before the meeting.", ""]
    return "\n".join(front + body)


def self_md(person, items, rng):
    table = by_dimension(items)
    out = ["---", "kind: self-review", f"person: {person.id}", f"cycle: {CYCLE}", "---"]
    # The top of the tree has no review, so its self review cites every item.
    limit = 2 if person.manager is not None else len(items)
    for dim_id, name, _ in DIMENSIONS:
        tagged = table[dim_id]
        out += [f"## {name}", "", rng.choice(SELF_SENTENCES).format(
            verb=rng.choice(VERBS), s=tagged[0]["subject"], cites=cites(tagged, rng, limit)), ""]
    out += ["## Growth plan", "", rng.choice(GROWTH), ""]
    return "\n".join(out)


def peer_md(person, author, items, rng):
    first = person.name.split()[0]
    table = by_dimension(items)
    out = ["---", "kind: peer-feedback", f"person: {person.id}", f"cycle: {CYCLE}", f"author: {author.id}"]
    if rng.random() < 0.3:
        item_id = f"{author.id}-observed"
        out += ["items:", f"  - id: {item_id}", f"    date: 2026-{rng.randint(7, 10):02d}-{rng.randint(1, 28):02d}",
                "    type: feedback", f"    summary: {author.name} saw {first} run the weekly design review",
                "    dimensions: [collaboration]"]
        extra = item_id
    else:
        extra = None
    out.append("---")
    seen = [d for d in DIMENSION_IDS if not (extra and d == "collaboration")]
    for dim_id in rng.sample(seen, 2):
        name = next(d[1] for d in DIMENSIONS if d[0] == dim_id)
        tagged = table[dim_id]
        out += [f"## {name}", "", rng.choice(PEER_SENTENCES).format(
            name=first, verb=rng.choice(VERBS), s=tagged[0]["subject"], cites=cites(tagged, rng, 1)), ""]
    if extra:
        out += ["## Collaboration", "", f"{first} ran the weekly design review for the group [@{extra}].", ""]
    return "\n".join(out)


def peers_of(person, people, rng):
    """2-3 authors: teammates first, else anyone else."""
    candidates = [p for p in (person.manager.reports if person.manager else person.reports) if p is not person]
    count = 3 if rng.random() < 0.25 else 2
    chosen = rng.sample(candidates, min(count, len(candidates)))
    while len(chosen) < count:
        other = people[rng.randrange(len(people))]
        if other is not person and other not in chosen:
            chosen.append(other)
    return chosen


def generate(count, out, seed):
    rng = random.Random(seed)
    people = build_people(count, rng)
    for attempt in range(5):
        if not os.path.exists(out):
            break
        # A git process that just finished may still be removing its own files.
        shutil.rmtree(out, ignore_errors=attempt < 4)
    os.makedirs(out)
    write(os.path.join(out, "evident.yaml"), evident_yaml())
    write(os.path.join(out, "people.yaml"), people_yaml(people))
    write(os.path.join(out, "values.md"), values_md())
    write(os.path.join(out, "metrics.yaml"), metrics_yaml())
    for level in LEVELS:
        write(os.path.join(out, "levels", level[0] + ".md"), level_md(level))
    for team in sorted({p.team for p in people}):
        write(os.path.join(out, "teams", team + ".yaml"), team_yaml(team, rng))
    write(os.path.join(out, "cycles", CYCLE, "cycle.yaml"), cycle_yaml(calibration_groups(people)))
    ratings = ["below", "meets", "exceeds", "outstanding"]
    for person in people:
        folder = os.path.join(out, "cycles", CYCLE, person.id)
        items = make_items(person, rng)
        evidence = ["---", "kind: evidence", f"person: {person.id}", f"cycle: {CYCLE}"] + items_yaml(items)
        evidence += ["---", f"Running notes for {person.name}, added to during the cycle.", ""]
        write(os.path.join(folder, "evidence.md"), "\n".join(evidence))
        write(os.path.join(folder, "self.md"), self_md(person, items, rng))
        if person.manager is not None:
            for author in peers_of(person, people, rng):
                write(os.path.join(folder, f"peer-{author.id}.md"), peer_md(person, author, items, rng))
            write(os.path.join(folder, "review.md"), review_md(person, items, rng, ratings))
    return people


def commit(out):
    env = dict(os.environ, GIT_AUTHOR_DATE="2026-12-20T12:00:00Z", GIT_COMMITTER_DATE="2026-12-20T12:00:00Z")
    quiet = {"stdout": subprocess.DEVNULL, "env": env, "check": True, "cwd": out}
    subprocess.run(["git", "init", "-q", "-b", "main"], **quiet)
    # No background `git gc --auto` while benchmarks time commits (or while the folder
    # is regenerated).
    subprocess.run(["git", "config", "gc.auto", "0"], **quiet)
    subprocess.run(["git", "add", "-A"], **quiet)
    subprocess.run(["git", "-c", "user.name=Evident Benchmarks", "-c", "user.email=bench@acme.example",
                    "commit", "-q", "-m", "Generated review repository"], **quiet)
    # Packed, as a repository that has lived a while is: blobs are read from a pack.
    subprocess.run(["git", "gc", "-q", "--prune=now"], **quiet)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, required=True, help="number of people (at least 10)")
    parser.add_argument("--out", required=True, help="folder to create (replaced if it exists)")
    parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
    parser.add_argument("--no-git", action="store_true", help="do not create a git repository")
    parser.add_argument("--version", action="version", version=str(GENERATOR_VERSION))
    args = parser.parse_args()
    if args.people < 10:
        parser.error("--people must be at least 10")
    people = generate(args.people, args.out, args.seed)
    if not args.no_git:
        commit(args.out)
    files = size = 0
    for folder, subfolders, names in os.walk(args.out):
        subfolders[:] = [name for name in subfolders if name != ".git"]
        files += len(names)
        size += sum(os.path.getsize(os.path.join(folder, name)) for name in names)
    print(f"generated {len(people)} people, {files} files, {size / 1e6:.1f} MB in {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
