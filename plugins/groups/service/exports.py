"""The registry's documents as tables: the roster (花名册), the filing form (核准备案表) and
the street office's summary (汇总). Plain rows with Chinese headings; routes.py writes them as
XLSX (openpyxl) or CSV. No I/O here beyond reading the rows."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook

from linli.core.identity.models import Community, Person

from .. import rules
from ..models import Filing, Group
from .common import settings_for_many
from .roster import RosterLine, member_counts, roster_lines

ROLE = {"LEADER": "负责人", "MEMBER": "成员"}
CATEGORY = {
    "CULTURE_SPORTS": "文体类",
    "PUBLIC_WELFARE": "公益类",
    "LIFE_SERVICES": "生活服务类",
    "COMMUNITY_AFFAIRS": "社区事务类",
    "OTHER": "其他",
}
LEVEL = {"COMMUNITY": "居委会级", "STREET": "街道级"}
STATUS = {
    "DRAFT": "草稿",
    "SUBMITTED": "待审核",
    "RETURNED": "退回修改",
    "APPROVED": "已备案",
    "REJECTED": "不予备案",
    "LAPSED": "已失效",
    "DISSOLVED": "已解散",
    "SUPERSEDED": "已被新版本替代",
}
KIND = {"INITIAL": "首次备案", "CHANGE": "变更备案", "RENEWAL": "年度重新备案"}

Table = tuple[str, list[str], list[list[object]]]  # sheet title, headings, rows


def _day(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def roster_table(lines: Sequence[RosterLine], as_of: dt.date) -> Table:
    rows = [
        [
            i,
            line.name,
            ROLE[str(line.entry.role)],
            line.phone or "",
            _day(line.entry.since),
            _day(line.entry.until),
        ]
        for i, line in enumerate(lines, start=1)
    ]
    return (
        f"花名册 {as_of.isoformat()}",
        ["序号", "姓名", "角色", "联系电话", "入队日期", "离队日期"],
        rows,
    )


async def roster_export(group: Group, as_of: dt.date) -> Table:
    return roster_table(await roster_lines(group.pk, as_of), as_of)


async def filing_export(filing: Filing) -> Table:
    community = await Community.get(pk=(await Group.get(pk=filing.group_id)).community_id)
    leader = await Person.get_or_none(pk=filing.leader_person_id)
    rows: list[list[object]] = [
        ["团队名称", filing.name],
        ["所属社区", community.name],
        ["团队类别", CATEGORY[str(filing.category)]],
        ["管理级别", LEVEL[str(filing.level)]],
        ["负责人", leader.real_name if leader else ""],
        ["活动地点", filing.venue],
        ["活动时间", filing.schedule],
        ["团队章程", filing.charter],
        ["团队人数", filing.member_count],
        ["备案类型", KIND[str(filing.kind)]],
        ["版本", filing.number],
        ["状态", STATUS[str(filing.status)]],
        ["提交日期", _day(filing.submitted_day)],
        ["审核期限", _day(filing.deadline)],
        ["审核意见", filing.decision_reason],
        ["有效期至", _day(filing.valid_until)],
    ]
    return f"核准备案表 第{filing.number}版", ["项目", "内容"], rows


async def summary_export(community: Community, today: dt.date) -> Table:
    """Every group in the jurisdiction: a street office's communities, or one community."""
    if community.kind == "street_office":
        groups = await Group.filter(street_office_id=community.pk).order_by("community_id", "name")
    else:
        groups = await Group.filter(community_id=community.pk).order_by("name")
    names = dict(
        await Community.filter(pk__in={g.community_id for g in groups}).values_list("id", "name")
    )
    leaders = dict(
        await Person.filter(pk__in={g.leader_person_id for g in groups}).values_list(
            "id", "real_name"
        )
    )
    ids = [g.pk for g in groups]
    counts = dict(zip(ids, await member_counts(ids), strict=True)) if ids else {}
    zoned = await settings_for_many([g.community_id for g in groups]) if groups else []
    s = dict(zip(ids, zoned, strict=True))  # each group's home community's settings (G7)
    rows = [
        [
            i,
            g.name,
            names.get(g.community_id, ""),
            CATEGORY[str(g.category)],
            LEVEL[str(g.level)],
            leaders.get(g.leader_person_id, ""),
            counts.get(g.pk, 0),
            STATUS[str(g.status)],
            _day(g.approved_until),
            "是" if rules.compliant(g.category, counts.get(g.pk, 0), s[g.pk]) else "否",
        ]
        for i, g in enumerate(groups, start=1)
    ]
    headings = [
        "序号",
        "团队名称",
        "所属社区",
        "团队类别",
        "管理级别",
        "负责人",
        "人数",
        "状态",
        "有效期至",
        "人数达标",
    ]
    return f"群众团队汇总 {today.isoformat()}", headings, rows


def to_xlsx(table: Table) -> bytes:
    title, headings, rows = table
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]  # Excel's limit on sheet names
    sheet.append(headings)
    for row in _cells(rows):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_csv(table: Table) -> bytes:
    """UTF-8 with a byte-order mark, so spreadsheet programs read the Chinese right."""
    _, headings, rows = table
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headings)
    writer.writerows(_cells(rows))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _cells(rows: Iterable[list[object]]) -> Iterable[list[object]]:
    """Numbers stay numbers; a text that a spreadsheet would run as a formula (a resident's
    "=HYPERLINK(…)" as a group name) is written with a leading apostrophe, as text."""
    for row in rows:
        yield [cell if isinstance(cell, int) else _text(cell) for cell in row]


def _text(cell: object) -> str:
    text = "" if cell is None else str(cell)
    risky = text[:1] in ("=", "@", "\t", "\r") or (
        text[:1] in ("+", "-") and not text[1:].isdigit()  # a phone number "+86…" is safe
    )
    return "'" + text if risky else text
