"""V8 a certificate as PDF, in the rules room: data in, bytes out.

reportlab's built-in CID font STSong-Light renders Chinese with no font file shipped; the
QR code (reportlab.graphics.barcode.qr) carries the verification address, which names the
number only, never the person.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def certificate_pdf(
    *,
    number: str,
    holder: str,
    issuer: str,
    period_from: dt.date,
    period_to: dt.date,
    lines: Sequence[tuple[str, float]],
    total_hours: float,
    issued_on: dt.date,
    verify_url: str,
    revoked: bool = False,
) -> bytes:
    """One A4 page: title, holder, issuer, period, hours by activity, total, number, QR."""
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4, invariant=True)
    page.setTitle(f"志愿服务证明 {number}")
    width, height = A4
    y = height - 90
    page.setFont(FONT, 22)
    page.drawCentredString(width / 2, y, "志愿服务记录证明")
    y -= 50
    page.setFont(FONT, 12)
    for text in (
        f"志愿者：{holder}",
        f"出具单位：{issuer}",
        f"服务期间：{period_from.isoformat()} 至 {period_to.isoformat()}",
        "",
        "服务记录（已审核）：",
    ):
        page.drawString(70, y, text)
        y -= 22
    for title, hours in lines:
        page.drawString(90, y, f"{title}")
        page.drawRightString(width - 90, y, f"{hours:.2f} 小时")
        y -= 20
        if y < 220:
            break
    y -= 10
    page.drawString(70, y, f"合计：{total_hours:.2f} 小时")
    y -= 30
    page.drawString(70, y, f"证明编号：{number}")
    page.drawString(70, y - 22, f"出具日期：{issued_on.isoformat()}")
    page.drawString(70, y - 44, "本证明免费出具，可凭编号核验。")
    if revoked:
        page.setFont(FONT, 28)
        page.drawCentredString(width / 2, height / 2, "已撤销 REVOKED")
    widget = QrCodeWidget(verify_url)
    x0, y0, x1, y1 = widget.getBounds()
    size = 120
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, page, width - 70 - size, 60)
    page.setFont(FONT, 8)
    page.drawRightString(width - 70, 50, verify_url)
    page.showPage()
    page.save()
    return out.getvalue()
