#!/usr/bin/env python3
"""Verify a published election bundle (居委会选举, Linli): ``python verify.py bundle.json``.

Standard library only, no Linli install, no database. It checks each round's hash chain and
head, recounts every round by the counting rules (Linli's DOMAIN.md E6, E12-E15, E17) with
the settings the bundle publishes, checks that every round after the first is the one the
rules call for (a tie vote between the tied, a runoff among the right people), and compares
everything it computed with what the bundle publishes. Exit status 0 only if all of it
matches; otherwise 1 with one line per difference (2: the file is not a bundle at all).

This is a second implementation of the rules, written apart from Linli's own count so that a
mistake in one shows up as a difference. The format is specified in Linli's
docs/plugins/elections-count.md.

Memory: the file is read twice, line by line (a canonical bundle has one ballot per line);
what is kept is counters per (post, person) and, per round, the effect of each distinct ballot
content (at most KNOWN_LIMIT of them), so memory does not grow with the ballots.
"""

from __future__ import annotations

import hashlib
import json
import sys
from fractions import Fraction

FORMAT = "linli-elections-bundle/1"
RANKS = ("DIRECTOR", "DEPUTY_DIRECTOR", "MEMBER", "RECALL")
CHOICES = ("FOR", "AGAINST", "ABSTAIN")
CHANNELS = ("ONLINE", "PROXY", "MOBILE_BOX", "POLLING_STATION")
SETTING_KEYS = {
    "denominator", "runoff_candidates_per_seat", "new_election_within_months", "carry_down",
    "slate_extra_director", "slate_extra_deputy", "slate_extra_member",
}
BALLOTS_OPEN = b'"ballots":['


class NotABundle(Exception):
    """The file cannot be read as a bundle (exit status 2)."""


class Rejected(Exception):
    """A check failed in a way that stops the verification (exit status 1)."""


def dumps(value) -> bytes:
    """The canonical JSON of a value (sorted keys, no spaces, UTF-8 as itself)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      allow_nan=False).encode("utf-8")


def frac_text(q: Fraction) -> str:
    if q.denominator == 1:
        return str(q.numerator)
    return str(q.numerator) + "/" + str(q.denominator)


# ---------------------------------------------------------------------------------------
# Reading: pass 1 keeps the document without its ballots; pass 2 yields ballots by round.


def read_skeleton(path: str) -> dict:
    parts = []
    in_ballots = False
    with open(path, "rb") as f:
        for raw in f:
            line = raw[:-1] if raw.endswith(b"\n") else raw
            if in_ballots and not line.startswith(b"]"):
                continue  # a ballot: pass 2 reads it
            parts.append(line)
            in_ballots = line.endswith(BALLOTS_OPEN)
    if in_ballots:
        raise NotABundle("the file ends inside a ballots array")
    try:
        doc = json.loads(b"".join(parts).decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        raise NotABundle(f"not canonical bundle JSON ({e})") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise NotABundle(f"not a {FORMAT} document")
    return doc


KINDS = ("PRIMARY", "MAIN", "TIE_VOTE", "RUNOFF", "RECALL")


def check_round(rnd: dict) -> None:
    """The shape of a round: what a ballot of it can say, before any ballot is read."""
    name = rnd["id"]
    posts = [p["post"] for p in rnd["posts"]]
    if rnd["kind"] not in KINDS:
        raise Rejected(f"round {name}: unknown kind {rnd['kind']!r}")
    if not posts or any(p not in RANKS for p in posts) or posts != sorted(
            set(posts), key=RANKS.index):
        raise Rejected(f"round {name}: posts are known posts, once each, highest first")
    if any(not isinstance(p["seats"], int) or p["seats"] < 1 for p in rnd["posts"]):
        raise Rejected(f"round {name}: every post has at least one seat")
    cands = rnd["candidates"]
    if len({c["id"] for c in cands}) != len(cands) or len(
            {(c["post"], c["person"]) for c in cands}) != len(cands):
        raise Rejected(f"round {name}: candidate ids, and people per post, are unique")
    if any(c["post"] not in posts for c in cands):
        raise Rejected(f"round {name}: a candidate stands for a post the round does not have")
    kind, parent = rnd["kind"], rnd["parent"]
    if kind == "TIE_VOTE" and (len(posts) != 1 or parent is None):
        raise Rejected(f"round {name}: a tie vote decides one post of a parent round")
    if kind == "RUNOFF" and parent is None:
        raise Rejected(f"round {name}: a runoff follows a main round")
    if kind == "RECALL" and (posts != ["RECALL"] or len(cands) != 1
                             or not isinstance(rnd["signatures"], int)):
        raise Rejected(f"round {name}: a recall asks about one member, with its signatures")
    if kind != "RECALL" and "RECALL" in posts:
        raise Rejected(f"round {name}: only a recall has the RECALL post")
    turnout = rnd["participation"]
    if not set(turnout) <= set(CHANNELS) or any(
            not isinstance(v, int) or isinstance(v, bool) or v < 0 for v in turnout.values()):
        raise Rejected(f"round {name}: participation is counted per channel, in whole numbers")
    if kind == "PRIMARY" and turnout.get("PROXY", 0):
        raise Rejected(f"round {name}: no proxy voting at a primary (E5)")


# Tracking codes written without any JSON escape: printable ASCII but the quote and backslash.
PLAIN = bytes(c for c in range(0x20, 0x7F) if c not in b'"\\')
KNOWN_LIMIT = 200_000  # distinct ballot contents remembered per round (memory stays bounded)


class RoundCount:
    """One round's chain and counters.

    Ballots that say the same thing (same marks and write-ins, another tracking code) have
    the same effect on the count: the effect is worked out once per distinct content and
    ballots are counted per content. That is valid only when the line is canonical, which is
    checked once per content (a plain code cannot change the canonical form of the rest).
    """

    def __init__(self, election_id: str, rnd: dict, settings: dict):
        check_round(rnd)
        self.rnd = rnd
        self.order = [p["post"] for p in rnd["posts"]]
        self.seats = {p["post"]: p["seats"] for p in rnd["posts"]}
        self.by_id = {c["id"]: c for c in rnd["candidates"]}
        wi = rnd["write_ins"]
        self.eligible = set(wi["eligible"])
        self.ineligible = set(wi["ineligible"])
        if self.eligible & self.ineligible:
            raise Rejected(f"round {rnd['id']}: a person is listed as both eligible and not")
        if rnd["kind"] != "MAIN" and self.eligible:
            raise Rejected(f"round {rnd['id']}: only the main round admits write-ins")
        # Carry-down only where the posts are first contested: the main round.
        self.carry = rnd["kind"] == "MAIN" and settings["carry_down"] is True
        self.votes = {post: {} for post in self.order}
        self.invalid = dict.fromkeys(self.order, 0)
        self.dropped = dict.fromkeys(self.order, 0)
        self.n = 0
        self.last_code = b""
        start = {"election": election_id, "format": FORMAT, "round": rnd["id"]}
        self.head = hashlib.sha256(dumps(start)).digest()
        self.name = rnd["id"]
        self.known: dict[bytes, tuple] = {}
        self.weight: dict[bytes, int] = {}

    def add_line(self, line: bytes) -> None:
        content = None
        if line.startswith(b'{"code":"'):
            end = line.find(b'"', 9)
            code = line[9:end]
            if end > 9 and not code.translate(None, PLAIN) and line.startswith(
                    b',"marks":', end + 1):
                content = line[end + 1:]
        if content is not None and content in self.known:
            self.weight[content] += 1
            canon = line
        else:
            ballot = self.parse(line)
            canon = dumps(ballot)
            code = ballot["code"].encode("utf-8")  # UTF-8 byte order is code point order
            effect = self.effect(ballot)
            if content is not None and canon == line and len(self.known) < KNOWN_LIMIT:
                self.known[content] = effect
                self.weight[content] = 1
            else:
                self.apply(effect, 1)
        if self.n and not code > self.last_code:
            raise Rejected(f"round {self.name}: ballots are not in strictly ascending "
                           f"tracking-code order at ballot #{self.n + 1}")
        self.last_code = code
        self.head = hashlib.sha256(self.head + canon).digest()
        self.n += 1

    def parse(self, line: bytes) -> dict:
        try:
            ballot = json.loads(line)
        except ValueError:
            raise Rejected(f"round {self.name}: ballot #{self.n + 1} is not JSON") from None
        if not isinstance(ballot, dict) or set(ballot) != {"code", "marks", "write_ins"}:
            raise Rejected(f"round {self.name}: a ballot has keys other than code/marks/write_ins")
        if not isinstance(ballot["code"], str) or not isinstance(ballot["marks"], dict) or (
                not isinstance(ballot["write_ins"], list)):
            raise Rejected(f"round {self.name}: ballot #{self.n + 1} is malformed")
        return ballot

    def effect(self, ballot: dict) -> tuple:
        """(posts the ballot is invalid for, ineligible write-ins per post, who counts per post)."""
        code = ballot["code"]
        # What the ballot chose per post: every FOR and every write-in (for the seat limit),
        # and what of it counts (FOR marks, eligible write-ins).
        on_paper = {post: set() for post in self.order}
        counts = {post: set() for post in self.order}
        for cid, choice in ballot["marks"].items():
            cand = self.by_id.get(cid)
            if cand is None or choice not in CHOICES:
                raise Rejected(f"round {self.name}: ballot {code} marks someone not on this "
                               "round's ballot, or not FOR/AGAINST/ABSTAIN")
            if choice == "FOR":
                on_paper[cand["post"]].add(cand["person"])
                counts[cand["post"]].add(cand["person"])
        for w in ballot["write_ins"]:
            if not isinstance(w, dict):
                raise Rejected(f"round {self.name}: ballot {code} has a malformed write-in")
            post, person = w.get("post"), w.get("person")
            if post not in on_paper or not isinstance(person, str) or not person:
                raise Rejected(f"round {self.name}: ballot {code} has a malformed write-in")
            if person not in self.eligible and person not in self.ineligible:
                raise Rejected(f"round {self.name}: write-in of {person!r} is not listed "
                               "among the round's write-ins")
            on_paper[post].add(person)
            if person in self.eligible:
                counts[post].add(person)
        bad, dropped, good = [], [], {}
        for post in self.order:
            if len(on_paper[post]) > self.seats[post]:
                bad.append(post)
            else:
                good[post] = counts[post]
                dropped.append((post, len(on_paper[post] - counts[post])))
        if self.carry:
            # A person's total for a post: ballots choosing them for it or any higher post.
            so_far, carried = set(), {}
            for post in self.order:
                so_far = so_far | good.get(post, set())
                carried[post] = so_far
            good = carried
        return tuple(bad), tuple(dropped), tuple((p, tuple(v)) for p, v in good.items())

    def apply(self, effect: tuple, weight: int) -> None:
        bad, dropped, good = effect
        for post in bad:
            self.invalid[post] += weight
        for post, n in dropped:
            self.dropped[post] += n * weight
        for post, persons in good:
            tally = self.votes[post]
            for person in persons:
                tally[person] = tally.get(person, 0) + weight

    def finish(self) -> None:
        for content, weight in self.weight.items():
            self.apply(self.known[content], weight)
        self.weight.clear()


def recount(path: str, doc: dict) -> list[RoundCount]:
    """Pass 2: every round's chain and counters.

    The loop below is ``for k, line in ballot_lines(path): counts[k].add_line(line)`` with
    the common case inlined (a ballot whose content was seen before, with a plain code in
    order): a million ballots pass through it, and a call per ballot costs a third of the
    time. Anything else goes through ``add_line``.
    """
    counts = []
    for r in doc["rounds"]:
        if r.get("ballots") != []:
            raise NotABundle(f"round {r['id']}: ballots are not one per line")
        counts.append(RoundCount(str(doc["election"]["id"]), r, doc["settings"]))
    sha256 = hashlib.sha256
    cur = None
    for k, lines in _ballot_arrays(path):
        if not 0 <= k < len(counts):
            raise NotABundle("more ballots arrays than rounds")
        cur = counts[k]
        weight, known = cur.weight, cur.known
        for line in lines:
            if cur.n and line.startswith(b'{"code":"'):
                end = line.find(b'"', 9)
                content = line[end + 1:]
                if content in known:
                    code = line[9:end]
                    if end > 9 and not code.translate(None, PLAIN) and code > cur.last_code:
                        weight[content] += 1
                        cur.head = sha256(cur.head + line).digest()
                        cur.last_code = code
                        cur.n += 1
                        continue
            cur.add_line(line)
    for c in counts:
        c.finish()
    return counts


def _ballot_arrays(path: str):
    """Yield (round number, an iterator over its ballot lines) in file order."""
    with open(path, "rb") as f:
        k = -1
        for raw in f:
            line = raw
            while line is not None and line.endswith(BALLOTS_OPEN + b"\n"):
                k += 1
                closing: list[bytes] = []
                lines = _lines(f, k, closing)
                yield k, lines
                for _ in lines:  # whatever the consumer left
                    pass
                line = closing[0] if closing else None  # it may open the next array


def _lines(f, k: int, closing: list[bytes]):
    """The ballot lines of one array, without their separators; the closing line (which
    starts with "]") is handed back in ``closing``."""
    last = False
    for raw in f:
        if raw.startswith(b"]"):
            closing.append(raw)
            return
        if last:
            raise Rejected(f"round #{k + 1}: ballots are not separated by commas")
        line = raw[:-1] if raw.endswith(b"\n") else raw
        if line.endswith(b","):
            line = line[:-1]
        else:
            last = True
        yield line


# ---------------------------------------------------------------------------------------
# Deciding a round from its counters.


def decide(cnt: RoundCount, voters: int, roll: int, settings: dict, resolved: dict) -> dict:
    rnd = cnt.rnd
    kind = rnd["kind"]
    ballots = cnt.n
    why = []
    if kind == "RECALL" and 5 * rnd["signatures"] < roll:
        why.append("PROPOSAL_SHORT")
    if 2 * voters <= roll:
        why.append("TURNOUT")
    if ballots > voters:
        why.append("MORE_BALLOTS_THAN_VOTERS")
    if why:
        return {"outcome": "INVALID", "invalid_reasons": why, "ballots": ballots,
                "voters": voters, "posts": []}
    if kind in ("PRIMARY", "TIE_VOTE"):
        bar = None
    elif kind == "RUNOFF":
        bar = (">=", Fraction(ballots, 3))
    elif kind == "MAIN" and settings["denominator"] == "ROLL":
        bar = (">", Fraction(roll, 2))
    else:
        bar = (">", Fraction(ballots, 2))
    exclusive = kind != "PRIMARY"
    gone = set()
    blocked = False
    out_posts = []
    for post in cnt.order:
        seats = cnt.seats[post]
        entry = {"post": post, "seats": seats, "invalid_ballots": cnt.invalid[post],
                 "ineligible_write_ins": cnt.dropped[post],
                 "threshold": None if bar is None else {"op": bar[0], "value": frac_text(bar[1])},
                 "tie": None, "decided_by": None}
        if blocked:
            entry.update(status="PENDING", totals=[], elected=[])
            out_posts.append(entry)
            continue
        listed = {c["person"] for c in rnd["candidates"] if c["post"] == post}
        people = (listed | set(cnt.votes[post])) - gone
        v = {p: cnt.votes[post].get(p, 0) for p in people}
        # Integer comparisons: more than half is 2v > D, at least a third is 3v >= B.
        if bar is None:
            ok = set(people)
        elif bar[0] == ">":
            ok = {p for p in people if 2 * v[p] > 2 * bar[1]}
        else:
            ok = {p for p in people if 3 * v[p] >= 3 * bar[1]}
        winners, tied = set(), set()
        for p in ok:
            above = sum(1 for q in ok if v[q] > v[p])
            level = sum(1 for q in ok if v[q] == v[p])
            if above + level <= seats:
                winners.add(p)
            elif above < seats:
                tied.add(p)
        status = "FILLED" if len(winners) == seats else "OPEN"
        if tied:
            left = seats - len(winners)
            entry["tie"] = {"persons": sorted(tied), "seats": left}
            if post in resolved:
                chosen, by = resolved[post]
                if len(chosen) != left or not set(chosen) <= tied:
                    raise Rejected(f"round {rnd['id']}: tie vote {by} decided other people")
                winners |= set(chosen)
                entry["decided_by"] = by
                status = "FILLED"
            else:
                status = "TIE"
                blocked = exclusive
        ranked = sorted(people, key=lambda p: (-v[p], p))
        entry["status"] = status
        entry["totals"] = [[p, v[p]] for p in ranked]
        entry["elected"] = [p for p in ranked if p in winners]
        out_posts.append(entry)
        if exclusive:
            gone |= winners
    statuses = [e["status"] for e in out_posts]
    if kind == "RECALL":
        outcome = "RECALLED" if out_posts[0]["elected"] else "NOT_RECALLED"
    elif "TIE" in statuses:
        outcome = "TIE"
    elif "OPEN" in statuses:
        outcome = "OPEN"
    else:
        outcome = "FILLED"
    return {"outcome": outcome, "invalid_reasons": [], "ballots": ballots, "voters": voters,
            "posts": out_posts}


# ---------------------------------------------------------------------------------------
# The whole election: which round completes which, and what must follow.


def people_of(rnd: dict) -> dict:
    return {p["post"]: sorted({c["person"] for c in rnd["candidates"] if c["post"] == p["post"]})
            for p in rnd["posts"]}


class Election:
    def __init__(self, doc: dict, counts: list, settings: dict):
        self.doc, self.counts, self.settings = doc, counts, settings
        self.rounds = doc["rounds"]
        self.roll = doc["roll_size"]

    def voters(self, k: int) -> int:
        return sum(self.rounds[k]["participation"].values())

    def result(self, k: int, upto: int) -> dict:
        """Round k's result, with the tie votes among rounds[:upto]."""
        rnd = self.rounds[k]
        resolved = {}
        for p in rnd["posts"]:
            kids = [j for j in range(upto) if self.rounds[j]["kind"] == "TIE_VOTE"
                    and self.rounds[j]["parent"] == rnd["id"]
                    and self.rounds[j]["posts"][0]["post"] == p["post"]]
            if kids:
                last = self.result(kids[-1], upto)
                if last["outcome"] == "FILLED":
                    resolved[p["post"]] = (last["posts"][0]["elected"], self.rounds[kids[-1]]["id"])
        return decide(self.counts[k], self.voters(k), self.roll, self.settings, resolved)

    def replaced(self, k: int, upto: int) -> bool:
        r = self.rounds[k]
        if r["kind"] == "RECALL":
            return False
        key = (r["kind"], r["parent"], r["posts"][0]["post"] if r["kind"] == "TIE_VOTE" else None)
        return any((s["kind"], s["parent"],
                    s["posts"][0]["post"] if s["kind"] == "TIE_VOTE" else None) == key
                   for s in self.rounds[k + 1:upto])

    def required(self, upto: int):
        """(rounds the rules ask for after rounds[:upto], seats for a new election)."""
        want, fresh = [], {}
        mains = [j for j in range(upto) if self.rounds[j]["kind"] == "MAIN"]
        for k in range(upto):
            if self.replaced(k, upto):
                continue
            rnd = self.rounds[k]
            res = self.result(k, upto)
            kind, outcome = rnd["kind"], res["outcome"]
            if outcome == "INVALID":
                if kind != "RECALL":
                    want.append({"kind": kind, "parent": rnd["parent"], "posts": rnd["posts"],
                                 "candidates": people_of(rnd)})
                continue
            if outcome == "TIE":
                for e in res["posts"]:
                    has_kid = any(self.rounds[j]["kind"] == "TIE_VOTE"
                                  and self.rounds[j]["parent"] == rnd["id"]
                                  and self.rounds[j]["posts"][0]["post"] == e["post"]
                                  for j in range(upto))
                    if e["status"] == "TIE" and not has_kid:
                        want.append({"kind": "TIE_VOTE", "parent": rnd["id"],
                                     "posts": [{"post": e["post"], "seats": e["tie"]["seats"]}],
                                     "candidates": {e["post"]: e["tie"]["persons"]}})
                continue
            if kind == "PRIMARY" and not mains:
                slate = {e["post"]: sorted(e["elected"]) for e in res["posts"]}
                want.append({"kind": "MAIN", "parent": None, "posts": self.doc["posts"],
                             "candidates": {p["post"]: slate.get(p["post"])
                                            for p in self.doc["posts"]}})
            if kind == "MAIN" and outcome == "OPEN" and mains and mains[-1] == k:
                winners = {p for e in res["posts"] for p in e["elected"]}
                posts, people = [], {}
                for e in res["posts"]:
                    open_n = e["seats"] - len(e["elected"])
                    if open_n <= 0:
                        continue
                    left = [t for t in e["totals"] if t[0] not in winners]
                    n = self.settings["runoff_candidates_per_seat"] * open_n
                    if len(left) > n:
                        floor = left[n - 1][1]
                        left = [t for t in left if t[1] >= floor]
                    if left:
                        posts.append({"post": e["post"], "seats": open_n})
                        people[e["post"]] = sorted(t[0] for t in left)
                    else:
                        fresh[e["post"]] = fresh.get(e["post"], 0) + open_n
                has_runoff = any(self.rounds[j]["kind"] == "RUNOFF"
                                 and self.rounds[j]["parent"] == rnd["id"] for j in range(upto))
                if posts and not has_runoff:
                    want.append({"kind": "RUNOFF", "parent": rnd["id"], "posts": posts,
                                 "candidates": people})
            if kind == "RUNOFF" and outcome == "OPEN":
                for e in res["posts"]:
                    open_n = e["seats"] - len(e["elected"])
                    if open_n > 0:
                        fresh[e["post"]] = fresh.get(e["post"], 0) + open_n
        new = [{"post": p, "seats": fresh[p]} for p in RANKS if p in fresh]
        return want, new

    def first_ok(self) -> bool:
        r = self.rounds[0]
        if r["kind"] == "RECALL":
            return True
        if r["kind"] == "MAIN":
            return r["posts"] == self.doc["posts"]
        if r["kind"] == "PRIMARY":
            seats = {p["post"]: p["seats"] for p in self.doc["posts"]}
            extra = {"DIRECTOR": self.settings["slate_extra_director"],
                     "DEPUTY_DIRECTOR": self.settings["slate_extra_deputy"],
                     "MEMBER": self.settings["slate_extra_member"]}
            return all(p["post"] in seats and p["seats"] == seats[p["post"]] + extra[p["post"]]
                       for p in r["posts"])
        return False

    def fits(self, k: int, wanted: dict) -> bool:
        r = self.rounds[k]
        if (r["kind"], r["parent"], r["posts"]) != (wanted["kind"], wanted["parent"],
                                                    wanted["posts"]):
            return False
        mine = people_of(r)
        return all(v is None or mine.get(p) == v for p, v in wanted["candidates"].items())

    def outcome(self) -> dict:
        n = len(self.rounds)
        want, new = self.required(n)
        mains = [j for j in range(n) if self.rounds[j]["kind"] == "MAIN"]
        sources = []
        if mains:
            sources.append(mains[-1])
            main_id = self.rounds[mains[-1]]["id"]
            runs = [j for j in range(n) if self.rounds[j]["kind"] == "RUNOFF"
                    and self.rounds[j]["parent"] == main_id]
            sources += runs[-1:]
        else:
            for kind in ("PRIMARY", "RECALL"):
                found = [j for j in range(n) if self.rounds[j]["kind"] == kind]
                if found:
                    sources.append(found[-1])
                    break
        elected = {}
        for j in sources:
            for e in self.result(j, n)["posts"]:
                elected.setdefault(e["post"], []).extend(e["elected"])
        status = "NEXT_ROUND" if want else ("NEW_ELECTION" if new else "COMPLETE")
        return {
            "status": status,
            "elected": [{"post": p, "persons": elected[p]} for p in RANKS if p in elected],
            "next": [{"kind": w["kind"], "parent": w["parent"], "posts": w["posts"],
                      "candidates": w["candidates"]} for w in want],
            "new_election": {"posts": new,
                             "within_months": self.settings["new_election_within_months"]}
            if new else None,
        }


# ---------------------------------------------------------------------------------------


def differences(path: str, published, mine, where: str, out: list) -> None:
    """Append one line per leaf where the published value differs from the recount."""
    if isinstance(published, dict) and isinstance(mine, dict):
        for key in sorted(set(published) | set(mine)):
            differences(path, published.get(key, "<missing>"), mine.get(key, "<missing>"),
                        f"{where}.{key}", out)
    elif (isinstance(published, list) and isinstance(mine, list)
          and len(published) == len(mine) and not all(isinstance(x, str) for x in mine)):
        for i, (a, b) in enumerate(zip(published, mine, strict=True)):
            differences(path, a, b, f"{where}[{i}]", out)
    elif published != mine:
        out.append(f"{where}: published {json.dumps(published, ensure_ascii=False)}, "
                   f"recounted {json.dumps(mine, ensure_ascii=False)}")


def verify(path: str) -> list[str]:
    """Every difference between the bundle and the recount (empty: the bundle verifies)."""
    doc = read_skeleton(path)
    try:
        return _verify(path, doc)
    except (KeyError, TypeError, AttributeError, IndexError) as e:
        raise NotABundle(f"a required field is missing or malformed ({e!r})") from None


def _verify(path: str, doc: dict) -> list[str]:
    problems: list[str] = []
    settings = doc["settings"]
    if set(settings) != SETTING_KEYS:
        raise Rejected("settings: unknown or missing settings")
    if settings["denominator"] not in ("BALLOTS", "ROLL"):
        raise Rejected("settings.denominator: BALLOTS or ROLL")
    rounds = doc["rounds"]
    if not rounds:
        raise Rejected("the bundle has no round")
    if len({r["id"] for r in rounds}) != len(rounds):
        raise Rejected("round ids repeat")
    mains = [r for r in rounds if r["kind"] == "MAIN"]
    if doc["slate"] != (mains[0]["candidates"] if mains else []):
        problems.append("slate: differs from the first main round's candidates")
    counts = recount(path, doc)
    for r, c in zip(rounds, counts, strict=True):
        if c.head.hex() != r["chain"]["head"]:
            problems.append(f"round {r['id']}: chain head is {c.head.hex()}, "
                            f"published {r['chain']['head']}")
        if c.n != r["chain"]["length"]:
            problems.append(f"round {r['id']}: {c.n} ballots, chain.length says "
                            f"{r['chain']['length']}")
    election = Election(doc, counts, settings)
    if not election.first_ok():
        problems.append(f"round {rounds[0]['id']}: cannot open an election")
    for k in range(1, len(rounds)):
        if not any(election.fits(k, w) for w in election.required(k)[0]):
            problems.append(f"round {rounds[k]['id']}: not the round the rules call for "
                            "(kind, parent, posts, seats or candidates)")
    for k, r in enumerate(rounds):
        differences(path, r["result"], election.result(k, len(rounds)),
                    f"round {r['id']}: result", problems)
    differences(path, doc["outcome"], election.outcome(), "outcome", problems)
    return problems


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python verify.py bundle.json", file=sys.stderr)
        return 2
    try:
        problems = verify(args[0])
    except NotABundle as e:
        print(f"NOT A BUNDLE: {e}", file=sys.stderr)
        return 2
    except Rejected as e:
        print(f"REJECTED: {e}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"cannot read {args[0]}: {e.strerror}", file=sys.stderr)
        return 2
    if problems:
        print(f"REJECTED: {len(problems)} difference(s)", file=sys.stderr)
        for line in problems:
            print("  " + line, file=sys.stderr)
        return 1
    print("OK: chains, rounds and the result verify")
    return 0


if __name__ == "__main__":
    sys.exit(main())
