"""E9: the bundle's canonical form and hash chain, the standalone verifier against the
plugin's count on generated elections (module and CLI), and tampered bundles rejected."""

import hashlib
import json
import subprocess
import sys

import pytest
from count_helpers import (
    VERIFY_PY,
    M,
    ballots,
    bundle_bytes,
    candidates,
    cid,
    count,
    inp,
    main_round,
    round_for,
    spread,
    verify_cli,
    verify_file,
)
from count_strategies import elections
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings

from linli.plugins.elections import verify
from linli.plugins.elections.rules.bundle import (
    FORMAT,
    new_tracking_code,
    outcome_json,
    round_result_json,
)
from linli.plugins.elections.rules.model import Ballot, Kind, Round, Seats
from linli.plugins.elections.rules.rounds import RoundInput

DIFF = hsettings(max_examples=80, deadline=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def _case2_bundle(tmp_path, c_votes=133):
    posts = (Seats(M, 3),)
    main = main_round(posts, candidates(M, "A", "B", "C", "D"))
    bs = ballots(spread(600, {cid(M, p): v for p, v in
                              {"A": 420, "B": 330, "C": 290, "D": 280}.items()}))
    run = round_for(count(posts, [inp(main, bs)], roll=700).next[0], "runoff")
    rb = ballots(spread(399, {f"runoff/{M}:C": c_votes, f"runoff/{M}:D": 131}), prefix="r")
    rounds = [inp(main, bs), inp(run, rb)]
    path = tmp_path / "bundle.json"
    path.write_bytes(bundle_bytes(posts, rounds, 700))
    return path


# -- the canonical form, re-implemented here from docs/plugins/elections-count.md -----------


def test_E9_bundle_is_json_one_ballot_per_line_and_the_chain_is_as_documented(tmp_path):
    path = _case2_bundle(tmp_path)
    raw = path.read_bytes()
    doc = json.loads(raw)  # the whole bundle is plain JSON
    assert doc["format"] == FORMAT
    assert doc["slate"] == doc["rounds"][0]["candidates"]
    assert doc["roll_size"] == 700 and doc["posts"] == [{"post": "MEMBER", "seats": 3}]
    assert doc["settings"]["carry_down"] is True
    lines = raw.split(b"\n")
    assert len(lines) == 3 + 600 + 399  # one line per ballot, three around them
    for rnd in doc["rounds"]:
        codes = [b["code"] for b in rnd["ballots"]]
        assert codes == sorted(codes) and len(set(codes)) == len(codes)  # by code, not time
        head = hashlib.sha256(json.dumps(
            {"election": doc["election"]["id"], "format": FORMAT, "round": rnd["id"]},
            sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()).digest()
        for b in rnd["ballots"]:
            line = json.dumps(b, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
            assert line.encode() in lines or (line + ",").encode() in lines
            head = hashlib.sha256(head + line.encode()).digest()
        assert rnd["chain"] == {"head": head.hex(), "length": len(rnd["ballots"])}
    # everything outside the ballots is canonical JSON too
    skeleton = dict(doc, rounds=[dict(r, ballots=[]) for r in doc["rounds"]])
    rebuilt = json.dumps(skeleton, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    structure = [lines[0]] + [line for line in lines[1:] if line.startswith(b"]")]
    assert b"".join(structure) == rebuilt.encode()
    assert "测试选举" in raw.decode()  # UTF-8 as itself, not \\u escapes
    assert verify_file(path) == []


def test_E9_tracking_codes_are_random_and_sortable():
    codes = {new_tracking_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(len(c) == 16 and c.isalnum() and c.upper() == c for c in codes)


def test_E9_bundle_refuses_ballots_not_in_code_order(tmp_path):
    posts = (Seats(M, 1),)
    main = main_round(posts, candidates(M, "A", "B"))
    bs = [Ballot("b", {}), Ballot("a", {})]
    with pytest.raises(ValueError, match="tracking-code order"):
        bundle_bytes(posts, [inp(main, bs)], 3)


# -- the verifier against the plugin --------------------------------------------------------


@DIFF
@given(elections())
def test_E9_verifier_module_recounts_what_the_plugin_counts(tmp_path, election):
    posts, rounds, roll, s = election
    result = count(posts, rounds, roll, s)
    path = tmp_path / "generated.json"
    path.write_bytes(bundle_bytes(posts, rounds, roll, s, result))
    assert verify_file(path) == []
    # and the verifier's own recount, field by field, is the plugin's result
    doc = verify.read_skeleton(str(path))
    counts = verify.recount(str(path), doc)
    mine = verify.Election(doc, counts, doc["settings"])
    for k, r in enumerate(result.rounds):
        assert mine.result(k, len(rounds)) == round_result_json(r)
    assert mine.outcome() == outcome_json(result)


@hsettings(max_examples=20, deadline=None,
           suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(elections())
def test_E9_verifier_cli_accepts_what_the_plugin_publishes(tmp_path, election):
    posts, rounds, roll, s = election
    path = tmp_path / "generated.json"
    path.write_bytes(bundle_bytes(posts, rounds, roll, s))
    done = verify_cli(path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("OK")


def test_E9_verifier_uses_the_standard_library_only():
    source = VERIFY_PY.read_text()
    assert "linli" not in "".join(line for line in source.splitlines()
                                  if line.startswith(("import", "from")))
    done = subprocess.run([sys.executable, "-I", "-S", str(VERIFY_PY)], capture_output=True,
                          text=True, timeout=30)
    assert done.returncode == 2 and "usage" in done.stderr


# -- tampering ------------------------------------------------------------------------------


def _rewrite(path, old: bytes, new: bytes, count=1):
    raw = path.read_bytes()
    assert raw.count(old) >= count
    path.write_bytes(raw.replace(old, new, count))


def test_E9_a_changed_ballot_is_rejected(tmp_path):
    path = _case2_bundle(tmp_path)
    # the runoff's first ballot was for C; make it a ballot for D
    _rewrite(path, b'{"code":"r00000000","marks":{"runoff/MEMBER:C":"FOR"}',
             b'{"code":"r00000000","marks":{"runoff/MEMBER:D":"FOR"}')
    done = verify_cli(path)
    assert done.returncode == 1
    assert "round runoff: chain head is" in done.stderr
    assert "round runoff: result.posts[0].totals" in done.stderr


def test_E9_a_reordered_chain_is_rejected(tmp_path):
    path = _case2_bundle(tmp_path)
    lines = path.read_bytes().split(b"\n")
    lines[1], lines[2] = lines[2], lines[1]
    path.write_bytes(b"\n".join(lines))
    done = verify_cli(path)
    assert done.returncode == 1
    assert "not in strictly ascending tracking-code order" in done.stderr


def test_E9_a_changed_result_is_rejected(tmp_path):
    path = _case2_bundle(tmp_path, c_votes=132)  # C does not reach a third
    _rewrite(path, b'"elected":[],', b'"elected":["C"],')
    done = verify_cli(path)
    assert done.returncode == 1
    assert 'round runoff: result.posts[0].elected: published ["C"], recounted []' in done.stderr


def test_E9_a_changed_outcome_or_setting_is_rejected(tmp_path):
    path = _case2_bundle(tmp_path)
    _rewrite(path, b'"persons":["A","B","C"]', b'"persons":["A","B","D"]')
    assert "outcome.elected[0].persons" in verify_cli(path).stderr
    path = _case2_bundle(tmp_path)
    # of the roll (700), B's 330 is not more than half: the published winners no longer hold
    _rewrite(path, b'"denominator":"BALLOTS"', b'"denominator":"ROLL"')
    done = verify_cli(path)
    assert done.returncode == 1
    assert 'round main: result.posts[0].elected: published ["A", "B"], recounted ["A"]' in (
        done.stderr)
    path = _case2_bundle(tmp_path)
    _rewrite(path, b'"participation":{"ONLINE":399}', b'"participation":{"ONLINE":398}')
    done = verify_cli(path)
    assert done.returncode == 1
    assert "MORE_BALLOTS_THAN_VOTERS" in done.stderr


def test_E9_a_dropped_ballot_is_rejected(tmp_path):
    path = _case2_bundle(tmp_path)
    lines = path.read_bytes().split(b"\n")
    del lines[5]
    path.write_bytes(b"\n".join(lines))
    done = verify_cli(path)
    assert done.returncode == 1
    assert "599 ballots, chain.length says 600" in done.stderr


def test_E9_not_a_bundle(tmp_path):
    path = tmp_path / "x.json"
    path.write_text('{"format": "something else"}')
    done = verify_cli(path)
    assert done.returncode == 2 and "NOT A BUNDLE" in done.stderr
    done = verify_cli(tmp_path / "missing.json")
    assert done.returncode == 2


def test_E9_codes_needing_escapes_and_respaced_lines_take_the_slow_path(tmp_path):
    posts = (Seats(M, 1),)
    main = main_round(posts, candidates(M, "A", "B"))
    marks = spread(5, {cid(M, "A"): 4})
    bs = [Ballot(c, m) for c, m in zip(['a"q', "b\\s", "c\u00e9", "d\u4e2d", "e\tt"], marks,
                                       strict=True)]
    path = tmp_path / "odd.json"
    path.write_bytes(bundle_bytes(posts, [inp(main, bs)], 5))
    assert verify_file(path) == []
    # the chain is over canonical ballots: a line re-spaced by a tool still hashes the same
    raw = path.read_bytes().replace(b'"marks":{', b'"marks": {', 2)
    path.write_bytes(raw)
    assert verify_file(path) == []


@pytest.mark.parametrize("limit", [0, 1])
def test_E9_verifier_with_no_content_memory_recounts_the_same(tmp_path, monkeypatch, limit):
    monkeypatch.setattr(verify, "KNOWN_LIMIT", limit)
    path = _case2_bundle(tmp_path)
    assert verify_file(path) == []


def test_E9_a_round_of_the_wrong_shape_is_rejected(tmp_path):
    path = _case2_bundle(tmp_path)
    # the runoff claims to be a tie vote: a tie vote of the main round that nobody tied for
    _rewrite(path, b'"kind":"RUNOFF"', b'"kind":"TIE_VOTE"')
    done = verify_cli(path)
    assert done.returncode == 1
    assert "round runoff: not the round the rules call for" in done.stderr
    path = _case2_bundle(tmp_path)
    one_seat = b'"posts":[{"post":"MEMBER","seats":1}]'
    _rewrite(path, one_seat, one_seat.replace(b"1", b"0"))
    done = verify_cli(path)
    assert done.returncode == 1 and "every post has at least one seat" in done.stderr
    path = _case2_bundle(tmp_path)
    _rewrite(path, b'"participation":{"ONLINE":399}', b'"participation":{"CARRIER_PIGEON":399}')
    done = verify_cli(path)
    assert done.returncode == 1 and "participation is counted per channel" in done.stderr
    with pytest.raises(ValueError, match="per channel"):
        RoundInput(main_round((Seats(M, 1),), candidates(M, "A")), {"FAX": 1}, [])


def test_E9_E5_a_primary_with_proxy_votes_is_rejected(tmp_path):
    posts = (Seats(M, 1),)
    primary = Round("primary", Kind.PRIMARY, (Seats(M, 2),), candidates(M, "A", "B", "C"))
    bs = ballots(spread(4, {cid(M, "A"): 3, cid(M, "B"): 2}))
    path = tmp_path / "primary.json"
    path.write_bytes(bundle_bytes(posts, [inp(primary, bs)], 5))
    assert verify_file(path) == []
    _rewrite(path, b'"participation":{"ONLINE":4}', b'"participation":{"ONLINE":3,"PROXY":1}')
    done = verify_cli(path)
    assert done.returncode == 1 and "no proxy voting at a primary" in done.stderr
