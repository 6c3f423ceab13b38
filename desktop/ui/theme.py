"""Light and dark palettes on the Fusion style, following the system unless overridden."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPalette
from PySide6.QtWidgets import QApplication

from ..paths import resource_path

SYSTEM, LIGHT, DARK = "system", "light", "dark"
ACCENT = QColor("#3b82f6")

_LIGHT = {
    QPalette.ColorRole.Window: "#f4f5f7", QPalette.ColorRole.WindowText: "#1f2328",
    QPalette.ColorRole.Base: "#ffffff", QPalette.ColorRole.AlternateBase: "#f6f8fa",
    QPalette.ColorRole.Text: "#1f2328", QPalette.ColorRole.Button: "#ffffff",
    QPalette.ColorRole.ButtonText: "#1f2328", QPalette.ColorRole.ToolTipBase: "#1f2328",
    QPalette.ColorRole.ToolTipText: "#ffffff", QPalette.ColorRole.PlaceholderText: "#8c959f",
    QPalette.ColorRole.Mid: "#d0d7de", QPalette.ColorRole.Midlight: "#e6e9ed",
    QPalette.ColorRole.Dark: "#afb8c1", QPalette.ColorRole.Light: "#ffffff",
    QPalette.ColorRole.Highlight: "#3b82f6", QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.Link: "#2563eb", QPalette.ColorRole.BrightText: "#ffffff",
}
_DARK = {
    QPalette.ColorRole.Window: "#1e2127", QPalette.ColorRole.WindowText: "#e6e8eb",
    QPalette.ColorRole.Base: "#16181d", QPalette.ColorRole.AlternateBase: "#1b1e23",
    QPalette.ColorRole.Text: "#e6e8eb", QPalette.ColorRole.Button: "#2a2e35",
    QPalette.ColorRole.ButtonText: "#e6e8eb", QPalette.ColorRole.ToolTipBase: "#e6e8eb",
    QPalette.ColorRole.ToolTipText: "#16181d", QPalette.ColorRole.PlaceholderText: "#7d8590",
    QPalette.ColorRole.Mid: "#3d434c", QPalette.ColorRole.Midlight: "#30353d",
    QPalette.ColorRole.Dark: "#0d0f12", QPalette.ColorRole.Light: "#3d434c",
    QPalette.ColorRole.Highlight: "#3b82f6", QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.Link: "#60a5fa", QPalette.ColorRole.BrightText: "#ffffff",
}


def system_is_dark() -> bool:
    hints = QGuiApplication.styleHints()
    scheme = getattr(hints, "colorScheme", None)  # Qt 6.5+
    return scheme is not None and scheme() == Qt.ColorScheme.Dark


def palette(dark: bool) -> QPalette:
    pal = QPalette()
    for role, colour in (_DARK if dark else _LIGHT).items():
        pal.setColor(role, QColor(colour))
    muted = QColor("#6e7781" if not dark else "#6b7280")
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        pal.setColor(QPalette.ColorGroup.Disabled, role, muted)
    return pal


def is_dark(app: QApplication | None = None) -> bool:
    app = app or QApplication.instance()
    return app.palette().color(QPalette.ColorRole.Window).lightness() < 128


def apply(app: QApplication, choice: str = SYSTEM) -> bool:
    """Set the palette and style sheet; returns True when the result is dark."""
    dark = system_is_dark() if choice == SYSTEM else choice == DARK
    app.setStyle("Fusion")
    app.setPalette(palette(dark))
    sheet = resource_path("style", "curio.qss")
    app.setStyleSheet(sheet.read_text(encoding="utf-8") if sheet.exists() else "")
    app.setProperty("curioDark", dark)
    return dark


def icon(name: str) -> QIcon:
    """An icon from resources/icons (the SVG, with the PNGs as sharp small sizes)."""
    found = QIcon()
    for size in (24, 48):
        png = resource_path("icons", f"{name}-{size}.png")
        if png.exists():
            found.addFile(str(png))
    svg = resource_path("icons", f"{name}.svg")
    if svg.exists():
        found.addFile(str(svg))
    return found


def app_icon() -> QIcon:
    found = QIcon(str(resource_path("icons", "curio.svg")))
    for size in (16, 32, 48, 64, 128, 256):
        png = resource_path("icons", f"curio-{size}.png")
        if png.exists():
            found.addFile(str(png))
    return found
