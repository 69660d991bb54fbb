"""Bar charts drawn to scale, with their data table (cockpit/_bar_chart.html).

Each bar's length is its value over the chart's largest, computed here as a
percentage of the track and written as an SVG attribute: the Content-Security-Policy
forbids style attributes, not SVG geometry, and no script is needed to draw it.
"""

from dataclasses import dataclass


def share(value: int | float, top: int | float) -> str:
    """`value` over `top` in percent, as an SVG length ("87.5"; "0" when top is 0)."""
    if not top:
        return "0"
    return f"{round(100 * value / top, 2):g}"


@dataclass
class BarChart:
    title: str
    rows: list[tuple[str, int]]
    # Headers of the data table's two columns (what the labels are, what is counted).
    label_header: str = "Catégorie"
    value_header: str = "Nombre"

    @property
    def top(self) -> int:
        return max((value for _label, value in self.rows), default=0)

    @property
    def bars(self) -> list[tuple[str, int, str]]:
        """(label, value, length in percent of the longest bar) for each row."""
        top = self.top
        return [(label, value, share(value, top)) for label, value in self.rows]
