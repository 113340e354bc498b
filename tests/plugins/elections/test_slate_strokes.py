"""E5 the slate's fixed order is true 姓氏笔画: fewer strokes of the surname first (Unihan's
kTotalStrokes, the simplified form's), equal strokes by the stroke sequence (横竖撇点折, first
stroke, then the next), then the given name by the same keys character by character, then the
person id; a name the table lacks goes last, by code point."""

from __future__ import annotations

import itertools
import random

from linli.plugins.elections.rules.slate import SlateEntry, slate_order
from linli.plugins.elections.service.slate import split_name
from linli.plugins.elections.service.strokes import counts, places


def ordered(*names: str) -> list[str]:
    entries = [SlateEntry(str(k), *split_name(n)) for k, n in enumerate(names)]
    random.Random(5).shuffle(entries)
    by_person = dict(enumerate(names))
    return [by_person[int(e.person)] for e in slate_order(entries, strokes=places())]


def test_E5_surnames_go_by_their_strokes():
    assert [counts()[c] for c in "丁王李张陈"] == [2, 4, 7, 7, 7]
    assert ordered("陈静", "张伟", "李明", "王芳", "丁一") == [
        "丁一", "王芳", "李明", "张伟", "陈静"]
    # Not code point order: 丁 U+4E01 < 张 U+5F20 < 李 U+674E < 王 U+738B < 陈 U+9648.
    assert sorted("丁王李张陈") == list("丁张李王陈")


def test_E5_equal_strokes_go_by_the_strokes_in_writing_order():
    # Seven strokes each; the first stroke: 李 杨 横, 吴 竖, 何 撇, 张 陈 折; 李 before 杨 at the
    # sixth (丨 before 丿), 张 before 陈 at the second (一 before 丨).
    assert ordered("陈一", "何一", "张一", "吴一", "杨一", "李一") == [
        "李一", "杨一", "吴一", "何一", "张一", "陈一"]
    # Four strokes: 王 横, 毛 撇, 文 方 点 (the third: 丿 before ㇆), 尹 孔 折 (the second:
    # 一 before 亅).
    assert ordered("孔一", "方一", "尹一", "文一", "毛一", "王一") == [
        "王一", "毛一", "文一", "方一", "尹一", "孔一"]


def test_E5_the_same_surname_goes_by_the_given_name_then_the_person():
    assert ordered("王小明", "王丁", "王一", "王力宏", "王力") == [
        "王一", "王丁", "王力", "王力宏", "王小明"]
    entries = [SlateEntry("9", "王", "芳"), SlateEntry("3", "王", "芳")]
    assert [e.person for e in slate_order(entries, strokes=places())] == ["3", "9"]


def test_E5_compound_surnames_and_characters_the_table_lacks():
    # 欧阳: 欧 has 8 strokes and starts with 横; 周 8, starting with 丿; 陈 7.
    assert ordered("周一", "欧阳娜", "陈一") == ["陈一", "欧阳娜", "周一"]
    # Unihan's count wins where the stroke-sequence source miscounts (苑: 8, not 12).
    assert counts()["苑"] == 8
    assert ordered("𠮷田", "王一", "Smith") == ["王一", "Smith", "𠮷田"]


def test_E5_the_order_does_not_depend_on_the_input_order():
    names = ["陈静", "张伟", "李明", "王芳", "欧阳娜", "刘洋", "杨帆", "赵丽"]
    expected = ordered(*names)
    for perm in itertools.islice(itertools.permutations(names), 0, 2000, 97):
        assert ordered(*perm) == expected
