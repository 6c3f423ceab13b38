#!/usr/bin/env python3
"""Write Curio's icons into resources/icons/.

* ``curio.svg``: the application icon (stacked library cards under a magnifier).
* ``curio-<size>.png`` for 16, 32, 48, 64, 128 and 256 px, drawn with Pillow
  primitives (supersampled 4x, then downscaled), plus ``curio.ico`` for Windows.
* 24x24 monochrome UI icons (``like.svg``, ``search.svg`` ...). They use
  ``stroke="currentColor"``, so Qt draws them in the palette's text colour
  only if the app substitutes the colour; by default ``currentColor`` renders
  black. ``--ui-png`` additionally rasterises them to ``<name>-24.png`` and
  ``<name>-48.png`` with QtSvg, for builds without the SVG icon engine.

Usage::

    .venv/bin/python resources/make_icons.py [--ui-png]

No network and no external renderer: only Pillow (QtSvg for ``--ui-png``).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from PIL import Image, ImageDraw

ICONS = Path(__file__).resolve().parent / "icons"

BLUE = "#1F5F8B"
MID = "#5B97C2"
LIGHT = "#A9CBE3"
AMBER = "#F2A541"
LENS = "#FFF6E0"
WHITE = "#FFFFFF"

# ---------------------------------------------------------------------------
# Application icon. Geometry in a 256-unit square, shared by SVG and PNG.
# ---------------------------------------------------------------------------
CARDS = [  # x, y, w, h, fill
    (64, 24, 136, 164, LIGHT),
    (46, 40, 136, 164, MID),
    (28, 56, 136, 164, WHITE),
]
CARD_R = 16
FRONT_STROKE = 8
LINES = [(52, 100, 138), (52, 126, 138), (52, 152, 104)]  # x0, y, x1 on the front card
LINE_W = 12
LENS_C, LENS_R, RING_W = (166, 160), 48, 16
HANDLE = ((202, 196), (234, 228))
HANDLE_W = 24


def app_svg() -> str:
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256">',
        "  <title>Curio</title>",
    ]
    for i, (x, y, w, h, fill) in enumerate(CARDS):
        stroke = f' stroke="{BLUE}" stroke-width="{FRONT_STROKE}"' if i == 2 else ""
        parts.append(
            f'  <rect x="{x}" y="{y}" width="{w}" height="{h}" rx="{CARD_R}" fill="{fill}"{stroke}/>'
        )
    for x0, y, x1 in LINES:
        parts.append(
            f'  <line x1="{x0}" y1="{y}" x2="{x1}" y2="{y}" stroke="{BLUE}" '
            f'stroke-width="{LINE_W}" stroke-linecap="round"/>'
        )
    (hx0, hy0), (hx1, hy1) = HANDLE
    parts.append(
        f'  <line x1="{hx0}" y1="{hy0}" x2="{hx1}" y2="{hy1}" stroke="{AMBER}" '
        f'stroke-width="{HANDLE_W}" stroke-linecap="round"/>'
    )
    cx, cy = LENS_C
    parts.append(
        f'  <circle cx="{cx}" cy="{cy}" r="{LENS_R}" fill="{LENS}" fill-opacity="0.85" '
        f'stroke="{AMBER}" stroke-width="{RING_W}"/>'
    )
    parts.append(
        f'  <path d="M{cx - 26} {cy - 6} a26 26 0 0 1 20 -20" fill="none" stroke="{WHITE}" '
        f'stroke-width="7" stroke-linecap="round"/>'
    )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _hex(c: str, alpha: int = 255) -> tuple[int, int, int, int]:
    c = c.lstrip("#")
    return (int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16), alpha)


def _round_line(d: ImageDraw.ImageDraw, p0, p1, width: float, fill) -> None:
    d.line([p0, p1], fill=fill, width=round(width))
    r = width / 2
    for x, y in (p0, p1):
        d.ellipse([x - r, y - r, x + r, y + r], fill=fill)


def render_app_icon(size: int) -> Image.Image:
    ss = 4  # supersampling factor
    s = size * ss / 256
    small = size <= 24  # fewer, bolder details for tiny sizes
    im = render_under(size, ss, small)
    cx, cy = LENS_C[0] * s, LENS_C[1] * s
    ring = RING_W * s * (1.4 if small else 1)
    r_out = LENS_R * s + ring / 2
    r_in = LENS_R * s - ring / 2
    lens = Image.new("RGBA", im.size, (0, 0, 0, 0))
    ImageDraw.Draw(lens).ellipse([cx - r_in, cy - r_in, cx + r_in, cy + r_in], fill=_hex(LENS, 217))
    im = Image.alpha_composite(im, lens)
    d = ImageDraw.Draw(im)
    (hx0, hy0), (hx1, hy1) = HANDLE
    _round_line(d, (hx0 * s, hy0 * s), (hx1 * s, hy1 * s), HANDLE_W * s, _hex(AMBER))
    d.ellipse(
        [cx - r_out, cy - r_out, cx + r_out, cy + r_out], outline=_hex(AMBER), width=max(round(ring), 1)
    )
    if not small:
        r = 26.7 * s
        d.arc(
            [cx - r, cy - r, cx + r, cy + r], start=193, end=257, fill=_hex(WHITE), width=max(round(7 * s), 1)
        )
    return im.resize((size, size), Image.Resampling.LANCZOS)


def render_under(size: int, ss: int, small: bool) -> Image.Image:
    """The cards and lines alone (what shows through the lens)."""
    s = size * ss / 256
    im = Image.new("RGBA", (size * ss, size * ss), (0, 0, 0, 0))
    d = ImageDraw.Draw(im)
    cards = CARDS[1:] if small else CARDS
    for i, (x, y, w, h, fill) in enumerate(cards):
        front = i == len(cards) - 1
        stroke = (FRONT_STROKE * (2.0 if small else 1.0)) * s
        box = [x * s, y * s, (x + w) * s, (y + h) * s]
        if front:
            o = stroke / 2
            d.rounded_rectangle(
                [box[0] - o, box[1] - o, box[2] + o, box[3] + o], radius=CARD_R * s + o, fill=_hex(BLUE)
            )
            d.rounded_rectangle(
                [box[0] + o, box[1] + o, box[2] - o, box[3] - o],
                radius=max(CARD_R * s - o, 1),
                fill=_hex(fill),
            )
        else:
            d.rounded_rectangle(box, radius=CARD_R * s, fill=_hex(fill))
    for x0, y, x1 in LINES[:2] if small else LINES:
        _round_line(d, (x0 * s, y * s), (x1 * s, y * s), LINE_W * s * (1.5 if small else 1), _hex(BLUE))
    return im


# ---------------------------------------------------------------------------
# UI icons: 24x24, 2px round strokes, one colour (currentColor).
# ---------------------------------------------------------------------------
UI_ICONS = {
    "like": '<path d="M7 10v11H3.5a.5.5 0 0 1-.5-.5v-10a.5.5 0 0 1 .5-.5z"/>'
    '<path d="M7 10l3.6-7.2A2.3 2.3 0 0 1 14 4.9V9h5a2 2 0 0 1 2 2.3l-1.3 7.9A2 2 0 0 1 '
    '17.7 21H7"/>',
    "dislike": '<g transform="rotate(180 12 12)"><path d="M7 10v11H3.5a.5.5 0 0 1-.5-.5v-10a.5.5 0 0 1 '
    '.5-.5z"/><path d="M7 10l3.6-7.2A2.3 2.3 0 0 1 14 4.9V9h5a2 2 0 0 1 2 2.3l-1.3 7.9A2 2 '
    '0 0 1 17.7 21H7"/></g>',
    "hide": '<path d="M2 12s3.6-7 10-7 10 7 10 7-3.6 7-10 7S2 12 2 12z"/>'
    '<circle cx="12" cy="12" r="3"/><path d="M3 3l18 18"/>',
    "folder-add": '<path d="M3 6a2 2 0 0 1 2-2h4l2 2h8a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2z"/>'
    '<path d="M12 10v6M9 13h6"/>',
    "search": '<circle cx="10.5" cy="10.5" r="6.5"/><path d="M15.5 15.5L21 21"/>',
    "tag": '<path d="M3 4v7l9.3 9.3a1 1 0 0 0 1.4 0l6.6-6.6a1 1 0 0 0 0-1.4L11 3H4a1 1 0 0 0-1 1z"/>'
    '<circle cx="7.5" cy="7.5" r="1.5"/>',
    "cluster": '<circle cx="6" cy="7" r="3"/><circle cx="18" cy="7" r="3"/><circle cx="12" cy="18" r="3"/>'
    '<path d="M9 7h6M7.5 9.6l3 5.8M16.5 9.6l-3 5.8"/>',
    "foryou": '<path d="M12 3l2.2 6.8L21 12l-6.8 2.2L12 21l-2.2-6.8L3 12l6.8-2.2z"/>'
    '<path d="M19 3v3M17.5 4.5h3"/>',
    "duplicate": '<rect x="8" y="8" width="13" height="13" rx="2"/>'
    '<path d="M16 8V5a2 2 0 0 0-2-2H5a2 2 0 0 0-2 2v9a2 2 0 0 0 2 2h3"/>',
    "warning": '<path d="M10.3 3.9L2.4 18a2 2 0 0 0 1.7 3h15.8a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0z"/>'
    '<path d="M12 9v4.5M12 17.2v.1"/>',
    "library": '<rect x="3" y="4" width="4" height="16" rx="1"/>'
    '<rect x="9" y="4" width="4" height="16" rx="1"/>'
    '<path d="M15.2 6.1l3.4-.9a1 1 0 0 1 1.2.7l3 13a1 1 0 0 1-.7 1.2l-2.1.5"/>'
    '<path d="M15.2 6.1L18.6 20"/>',
}


def ui_svg(body: str) -> str:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24" '
        'fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" '
        f'stroke-linejoin="round">{body}</svg>\n'
    )


def render_ui_png(path: Path, sizes=(24, 48)) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(["make_icons", "-platform", "offscreen"])
    svg = path.read_bytes().replace(b"currentColor", b"#202124")
    renderer = QSvgRenderer(svg)
    for size in sizes:
        img = QImage(size, size, QImage.Format.Format_ARGB32)
        img.fill(Qt.GlobalColor.transparent)
        p = QPainter(img)
        renderer.render(p)
        p.end()
        img.save(str(path.with_name(f"{path.stem}-{size}.png")))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ui-png", action="store_true", help="also rasterise UI icons with QtSvg")
    args = ap.parse_args()
    ICONS.mkdir(parents=True, exist_ok=True)
    (ICONS / "curio.svg").write_text(app_svg(), encoding="utf-8")
    pngs = {}
    for size in (16, 32, 48, 64, 128, 256):
        pngs[size] = render_app_icon(size)
        pngs[size].save(ICONS / f"curio-{size}.png", optimize=True)
    pngs[256].save(
        ICONS / "curio.ico", sizes=[(16, 16), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)]
    )
    for name, body in UI_ICONS.items():
        path = ICONS / f"{name}.svg"
        path.write_text(ui_svg(body), encoding="utf-8")
        if args.ui_png:
            render_ui_png(path)
    print(f"wrote icons to {ICONS}")


if __name__ == "__main__":
    main()
