"""The SVG charts of the published tables: accessible, deterministic, never a withheld value."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.utils import translation

from lotse.reports.charts import COLOURS, chart_svg, chart_text
from lotse.reports.suppression import State
from lotse.reports.tables import Column, Entry, Row, Table

SVG = "{http://www.w3.org/2000/svg}"
SHOWN, PRIMARY, SECONDARY = State.SHOWN, State.PRIMARY, State.SECONDARY


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def entry(value, state=SHOWN):
    """A published entry; ``value`` of a withheld one is what the face knew and dropped."""
    return Entry(value if state == SHOWN else None, state)


def single(rows, *, total=None, chart="bar", unit="count", key="needs"):
    """One column; ``rows`` are (label, value, state)."""
    return Table(
        key=key,
        title="Persons by life domain",
        row_heading="Life domain",
        columns=(Column("current", "Persons"),),
        rows=tuple(
            Row(f"r{i}", label, (entry(value, state),))
            for i, (label, value, state) in enumerate(rows)
        ),
        column_totals=None if total is None else (entry(*total),),
        unit=unit,
        chart=chart,
    )


def compare(rows, *, totals=None, chart="bar", key="contacts"):
    """Period and year before; ``rows`` are (label, (value, state), (value, state))."""
    return Table(
        key=key,
        title="Contacts by channel",
        row_heading="Channel",
        columns=(
            Column("current", "01/01/2024 – 31/12/2024"),
            Column("previous", "01/01/2023 – 31/12/2023 (year before)"),
        ),
        rows=tuple(
            Row(f"r{i}", label, (entry(*now), entry(*before)))
            for i, (label, now, before) in enumerate(rows)
        ),
        column_totals=None if totals is None else tuple(entry(*t) for t in totals),
        compare=True,
        chart=chart,
    )


#: 34 + 12 shown; 3 (primary) and 7 (secondary) withheld; the total 56 is shown.
NEEDS = [
    ("Work", 34, SHOWN),
    ("Health", 3, PRIMARY),
    ("Housing", 12, SHOWN),
    ("Language", 7, SECONDARY),
]


def parse(svg):
    return ET.fromstring(svg)  # noqa: S314  # our own output


def texts(svg):
    return [element.text for element in parse(svg).iter(f"{SVG}text")]


def bars(svg, key):
    return re.findall(rf'id="chart-{key}-bar-\d+-\d+"', svg)


def draw(table, **kwargs) -> str:
    svg = chart_svg(table, **kwargs)
    assert svg is not None
    return svg


# --- accessible SVG ---------------------------------------------------------------------------


def test_inline_svg_with_role_title_and_desc():
    table = single(NEEDS, total=(56,))
    svg = draw(table)
    assert svg.startswith("<svg")
    assert "<?xml" not in svg
    assert "DOCTYPE" not in svg
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title, desc = root[0], root[1]
    assert title.tag == f"{SVG}title"
    assert desc.tag == f"{SVG}desc"
    assert root.get("aria-labelledby") == title.get("id")
    assert root.get("aria-describedby") == desc.get("id")
    assert title.text == "Persons by life domain"
    assert desc.text == chart_text(table)
    assert root.get("width") == "640"
    assert int(root.get("height")) > 100


def test_number_makes_a_figure_title():
    svg = draw(single(NEEDS, total=(56,)), number=3)
    assert parse(svg)[0].text == "Figure 3: Persons by life domain"


def test_svg_is_fit_for_a_strict_csp_and_for_several_charts_on_a_page():
    svg = draw(compare([("Phone", (34,), (28,)), ("Letter", (3, PRIMARY), (12,))]))
    root = parse(svg)
    assert root.find(f".//{SVG}style") is None
    assert all("style" not in element.attrib for element in root.iter())
    ids = [element.get("id") for element in root.iter() if element.get("id")]
    assert len(ids) == len(set(ids))
    assert all(ident.startswith("chart-contacts-") for ident in ids)
    for reference in re.findall(r'url\(#([^)]+)\)|href="#([^"]+)"', svg):
        assert "".join(reference) in ids


def test_text_stays_text():
    svg = draw(single(NEEDS, total=(56,)))
    assert "Work" in texts(svg)
    assert "<path" in svg
    assert "glyph" not in svg.lower()


def test_colours_have_enough_contrast_against_white():
    def luminance(colour):
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    for colour in COLOURS:
        assert (1.05) / (luminance(colour) + 0.05) >= 3, colour


# --- only what is published -------------------------------------------------------------------


def test_only_shown_entries_and_the_derivable_rest_are_drawn():
    svg = draw(single(NEEDS, total=(56,)))
    assert len(bars(svg, "needs")) == 2 + 1  # Work, Housing, "Other or not shown"
    labels = texts(svg)
    assert "Other or not shown" in labels
    assert "10" in labels  # 56 − 34 − 12: derivable from the table anyway
    assert "3" not in labels
    assert "7" not in labels
    assert "Health" not in labels
    assert "Language" not in labels


def test_no_rest_bar_when_the_total_is_withheld():
    svg = draw(single(NEEDS, total=(56, SECONDARY)))
    assert len(bars(svg, "needs")) == 2
    labels = texts(svg)
    assert "Other or not shown" not in labels
    assert not {"3", "7", "10", "56"} & set(labels)
    assert "2 values not shown." in labels


def test_no_rest_bar_without_totals_or_for_a_ratio():
    assert len(bars(draw(single(NEEDS)), "needs")) == 2
    ratios = single([(label, Decimal(v), s) for label, v, s in NEEDS], total=(56,), unit="ratio")
    svg = draw(ratios)
    assert len(bars(svg, "needs")) == 2
    assert "Other or not shown" not in texts(svg)


def test_no_rest_bar_when_nothing_is_withheld():
    svg = draw(single([("Work", 34, SHOWN), ("Housing", 12, SHOWN)], total=(46,)))
    assert len(bars(svg, "needs")) == 2
    assert "Other or not shown" not in texts(svg)


def test_compare_draws_two_bars_per_row_and_marks_a_withheld_side():
    table = compare(
        [
            ("In person", (1234,), (980,)),
            ("Phone", (34,), (28,)),
            ("Home visit", (3, PRIMARY), (12,)),
            ("E-mail", (7, SECONDARY), (4, PRIMARY)),
        ],
        totals=[(1278,), (1029,)],
    )
    svg = draw(table)
    # 2 + 2 + 1 shown entries, and the rest of both columns (10 and 9)
    assert len(bars(svg, "contacts")) == 5 + 2
    labels = texts(svg)
    assert "01/01/2024 – 31/12/2024" in labels  # the legend
    assert "01/01/2023 – 31/12/2023 (year before)" in labels
    assert "< 5" in labels  # where the bar of the home visits is not drawn
    assert "E-mail" not in labels  # nothing of that row is shown
    assert "3" not in labels
    assert "7" not in labels
    assert "4" not in labels
    assert "9" in labels  # 1029 − 980 − 28 − 12: the rest of the year before


def test_columns_chart():
    table = compare(
        [("In person", (40,), (38,)), ("Phone", (3, PRIMARY), (12,))],
        totals=[(50,), (50,)],
        chart="columns",
        key="contacts-columns",
    )
    svg = draw(table)
    assert len(bars(svg, "contacts-columns")) == 3 + 2
    assert "10" in texts(svg)  # 50 − 40
    assert "3" not in texts(svg)


def test_no_chart():
    assert chart_svg(single(NEEDS, chart="none")) is None
    withheld = single([("Work", 3, PRIMARY), ("Health", 2, PRIMARY)], total=(5,))
    assert chart_svg(withheld) is not None  # the rest of a shown total is published
    assert chart_svg(single([("Work", 3, PRIMARY), ("Health", 2, PRIMARY)])) is None


# --- the text alternative ---------------------------------------------------------------------


def test_chart_text_has_a_sentence_per_shown_row():
    table = compare(
        [
            ("Work", (34,), (28,)),
            ("Health", (3, PRIMARY), (12,)),
            ("Other", (2, PRIMARY), (4, PRIMARY)),
        ]
    )
    assert chart_text(table) == (
        "Work: 34 (previous year 28). Health: < 5 (previous year 12). 3 values not shown."
    )


def test_chart_text_names_the_rest():
    assert chart_text(single(NEEDS, total=(56,))) == (
        "Work: 34. Housing: 12. Other or not shown: 10. 2 values not shown. "
        "“Other or not shown” is the total minus the values shown."
    )
    assert chart_text(single(NEEDS[:2])) == "Work: 34. 1 value not shown."


# --- numbers, determinism, speed ----------------------------------------------------------------


def test_german_number_format():
    table = single([("Arbeit", 1234, SHOWN), ("Gesundheit", Decimal("2.5"), SHOWN)])
    with translation.override("de"):
        svg = draw(table)
        text = chart_text(table)
    assert "1.234" in texts(svg)
    assert "2,50" in texts(svg)
    assert "1.234" in text
    assert "1,234" in texts(draw(table))


def test_same_input_same_bytes():
    table = single(NEEDS, total=(56,))
    first = draw(table, number=1)
    draw(compare([("Phone", (34,), (28,))]))
    assert draw(table, number=1) == first


def test_charts_render_in_threads():
    tables = [single(NEEDS, total=(56,), key=f"t{i}") for i in range(8)]
    expected = [chart_svg(table) for table in tables]

    def render(table):
        with translation.override("en"):  # the language is per thread
            return chart_svg(table)

    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(render, tables)) == expected
