"""The published bundle (E9): its canonical form, the hash chain, and building it.

docs/plugins/elections-count.md is the specification; this module and the standalone
verifier (plugins/elections/verify.py) are two implementations of it. In short:

- canonical JSON: UTF-8, object keys sorted, separators ``,`` and ``:``, no whitespace,
  non-ASCII characters written as themselves, integers only (no floats), exactly what
  ``json.dumps(v, sort_keys=True, separators=(",", ":"), ensure_ascii=False)`` writes;
- the bundle file is the canonical JSON of the document, except that inside every
  ``"ballots"`` array each ballot is preceded by a line feed, and so is the closing bracket:
  one ballot per line, so that a verifier can read a large bundle line by line;
- a round's ballots are listed by tracking code (ascending, code point order), never by
  cast time (E8); the chain starts at ``h0 = sha256(canonical({"election": election id,
  "format": FORMAT, "round": round id}))`` and ``h_i = sha256(h_{i-1} || canonical(ballot_i))``
  over raw digest bytes; the round's ``chain.head`` is the last ``h`` in hex.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import IO, Any

from .count import PostResult, RoundResult
from .model import Ballot, Candidate, CountSettings, Kind, Round, Seats
from .rounds import ElectionResult, Expected, RoundInput

FORMAT = "linli-elections-bundle/1"

# Crockford's base32 (no I, L, O, U): read aloud or typed from a printed receipt without doubt.
_CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_tracking_code() -> str:
    """E9: a ballot's random tracking code, 80 bits from the OS's CSPRNG (16 characters).

    Random, so that the order of codes (the chain's order) says nothing of the order in
    which ballots were cast (E8).
    """
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(16))


def canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode()


def ballot_json(ballot: Ballot) -> dict[str, Any]:
    return {
        "code": ballot.code,
        "marks": dict(ballot.marks),
        "write_ins": [{"person": person, "post": str(post)}
                      for post, person in sorted(ballot.write_ins)],
    }


def genesis(election_id: str, round_id: str) -> bytes:
    return hashlib.sha256(canonical(
        {"election": election_id, "format": FORMAT, "round": round_id})).digest()


def chain(election_id: str, round_id: str, ballots: Iterable[Ballot]) -> Iterator[tuple[bytes,
                                                                                       bytes]]:
    """Yield (canonical ballot, head after it), checking the tracking-code order (E8).

    The canonical ballot is ``{"code":<code>`` followed by the canonical rest (marks, then
    write-ins: keys sort that way); many ballots say the same thing, so the rest is
    serialized once per distinct content (a bounded memo) and the code spliced in front.
    """
    head = genesis(election_id, round_id)
    previous = None
    rests: dict[tuple, bytes] = {}
    for ballot in ballots:
        if previous is not None and not ballot.code > previous:
            raise ValueError("ballots are chained in ascending tracking-code order, codes unique")
        previous = ballot.code
        key = (tuple(ballot.marks.items()), tuple(ballot.write_ins))
        rest = rests.get(key)
        if rest is None:
            full = canonical(ballot_json(Ballot("", ballot.marks, ballot.write_ins)))
            rest = full[len(b'{"code":""'):]
            if len(rests) < _REST_MEMO:
                rests[key] = rest
        line = b'{"code":' + canonical(ballot.code) + rest
        head = hashlib.sha256(head + line).digest()
        yield line, head


_REST_MEMO = 1 << 16


def _fraction(value) -> str:
    return f"{value.numerator}/{value.denominator}" if value.denominator != 1 else str(
        value.numerator)


def post_result_json(p: PostResult) -> dict[str, Any]:
    return {
        "post": str(p.post),
        "seats": p.seats,
        "status": str(p.status),
        "invalid_ballots": p.invalid_ballots,
        "ineligible_write_ins": p.ineligible_write_ins,
        "threshold": None if p.bar is None else {"op": p.bar.op, "value": _fraction(p.bar.value)},
        "totals": [[person, votes] for person, votes in p.totals],
        "elected": list(p.elected),
        "tie": None if p.tie is None else {"persons": list(p.tie[0]), "seats": p.tie[1]},
        "decided_by": p.decided_by,
    }


def round_result_json(r: RoundResult) -> dict[str, Any]:
    return {
        "outcome": str(r.outcome),
        "invalid_reasons": list(r.invalid_reasons),
        "ballots": r.ballots,
        "voters": r.voters,
        "posts": [post_result_json(p) for p in r.posts],
    }


def _seats_json(seats: Sequence[Seats]) -> list[dict[str, Any]]:
    return [{"post": str(s.post), "seats": s.seats} for s in seats]


def expected_json(e: Expected) -> dict[str, Any]:
    return {
        "kind": str(e.kind),
        "parent": e.parent,
        "posts": _seats_json(e.posts),
        "candidates": {str(post): None if persons is None else sorted(persons)
                       for post, persons in e.persons.items()},
    }


def outcome_json(result: ElectionResult) -> dict[str, Any]:
    return {
        "status": result.status,
        "elected": [{"post": str(post), "persons": list(persons)}
                    for post, persons in result.elected],
        "next": [expected_json(e) for e in result.next],
        "new_election": None if not result.new_election else {
            "posts": _seats_json(result.new_election),
            "within_months": result.within_months,
        },
    }


def _candidate_json(c: Candidate) -> dict[str, Any]:
    return {"id": c.id, "person": c.person, "post": str(c.post), "name": c.name}


def _candidates_json(r: Round) -> list[dict[str, Any]]:
    return [_candidate_json(c) for c in r.candidates]


def round_json(r: Round) -> dict[str, Any]:
    return {
        "id": r.id,
        "kind": str(r.kind),
        "parent": r.parent,
        "posts": _seats_json(r.posts),
        "candidates": _candidates_json(r),
        "signatures": r.signatures,
    }


def write_bundle(
    out: IO[bytes],
    *,
    election: Mapping[str, Any],
    posts: Sequence[Seats],
    settings: CountSettings,
    roll_size: int,
    rounds: Sequence[RoundInput],
    result: ElectionResult,
) -> list[str]:
    """Write the bundle, streaming each round's ballots (a second pass over them: the count
    made the first). ``election`` holds at least ``id``. Returns the rounds' chain heads."""
    election_id = str(election["id"])
    doc = {
        "format": FORMAT,
        "election": dict(election),
        "posts": _seats_json(posts),
        "settings": settings.as_json(),
        "roll_size": roll_size,
        "slate": next((_candidates_json(ri.round) for ri in rounds if ri.round.kind is Kind.MAIN),
                      []),
        "outcome": outcome_json(result),
        "rounds": [],
    }
    # Everything but the ballots, canonical; then the ballots are spliced into the
    # placeholders, one per line, with each round's chain computed as they are written.
    placeholder = "\x00ballots\x00"
    for ri, res in zip(rounds, result.rounds, strict=True):
        wi = res.written_in
        doc["rounds"].append(round_json(ri.round) | {
            "participation": {str(k): v for k, v in ri.participation.items()},
            "write_ins": {"eligible": sorted(p for p, ok in wi.items() if ok),
                          "ineligible": sorted(p for p, ok in wi.items() if not ok)},
            "result": round_result_json(res),
            "chain": {"head": placeholder, "length": res.ballots},
            "ballots": placeholder,
        })
    text = canonical(doc)
    marker = canonical(placeholder)
    heads = []
    pieces = text.split(marker)
    # Each round contributes two markers in key order: "ballots" before "chain".head.
    out.write(pieces[0])
    for k, ri in enumerate(rounds):
        out.write(b"[")
        head = genesis(election_id, ri.round.id)
        n = 0
        for line, head in chain(election_id, ri.round.id, ri.iter_ballots()):  # noqa: B007
            out.write(b"\n" if n == 0 else b",\n")
            out.write(line)
            n += 1
        if n != result.rounds[k].ballots:
            raise ValueError("the ballots written are the ballots counted")
        out.write(b"\n]")
        out.write(pieces[2 * k + 1])
        heads.append(head.hex())
        out.write(canonical(head.hex()))
        out.write(pieces[2 * k + 2])
    return heads
