"""A region's profile reads from the top: its key figures first, a table of contents whose
links reach every section, and charts whose labels stay inside the picture."""

from __future__ import annotations

import re
from datetime import date

import pytest

from cms.charts import CHART_WIDTH, MAX_LABEL_CHARS, bar_chart, fit_label
from cms.pages import ensure_sections

from .factories import published_agreement, published_listing

pytestmark = pytest.mark.django_db

# At the charts' 13 px, no character of the labels' fonts is wider on average than this.
WIDEST_AVERAGE_CHARACTER = 7.5


def test_chart_labels_start_inside_the_picture_and_fit_its_width():
    """A label was drawn leftwards from the bar's start (text-anchor: end at x=172) and cut off
    on the left ("DPK (dengan…"); now it stands above its bar from x=0, shortened to the
    chart's width with the whole label in the data table."""
    rows = [
        ("KSDPK (dengan pihak ketiga: badan usaha, perguruan tinggi, organisasi)", 3),
        ("Sinergi", 1),
        ("Tidak aktif (tidak ada laporan pemantauan semester terakhir)", 2),
    ]
    chart = bar_chart("Kerja sama", rows, label_heading="Jenis", value_heading="Jumlah")
    assert chart.label_x == 0 and chart.bar_x == 0
    for bar, (label, _value) in zip(chart.bars, rows, strict=True):
        assert bar.label == label  # the table's, whole
        assert len(bar.shown_label) * WIDEST_AVERAGE_CHARACTER <= CHART_WIDTH
        assert 0 < bar.label_y < bar.y  # above its own bar
        assert bar.value_x + 6 * len(str(bar.value)) <= CHART_WIDTH
    # Rows do not overlap: each label is below the previous bar.
    for above, below in zip(chart.bars, chart.bars[1:], strict=False):
        assert below.label_y - 13 >= above.y + chart.bar_height
    assert chart.bars[0].shown_label.endswith("…")
    assert chart.bars[1].shown_label == "Sinergi"
    assert chart.height >= chart.bars[-1].y + chart.bar_height


def test_fit_label_cuts_at_a_word():
    assert fit_label("a " * 40) == ("a " * 28).strip() + "…"
    assert len(fit_label("x" * 100)) == MAX_LABEL_CHARS
    assert fit_label("  Sinergi  ") == "Sinergi"


def test_the_svg_draws_labels_from_the_left_edge(client_for, malang):
    ensure_sections()
    published_agreement("KSB Malang Raya", ["35.73", "35.79"], kind="ksdpk")
    html = client_for(None).get("/kota-malang/").content.decode()
    labels = re.findall(r'<text x="(\d+)" y="\d+" class="chart-label"[^>]*>', html)
    assert labels and set(labels) == {"0"}
    assert 'text-anchor="end"' not in html


def test_the_profile_starts_with_key_figures_and_a_table_of_contents(client_for, malang, batu):
    ensure_sections()
    published_agreement("KSB Malang Raya", ["35.73", "35.79"])
    published_agreement(
        "KSB lama", ["35.73", "35.07"], signed_on=date(2019, 1, 1), term_end=date(2020, 1, 1)
    )
    published_listing(malang, "Tempe Sanan")
    html = client_for(None).get("/kota-malang/").content.decode()
    summary = html[html.index('class="profile-summary"') : html.index('class="page-toc"')]
    figures = dict(
        (label.strip(), int(number))
        for number, label in re.findall(
            r'<span class="key-figure">(\d+)</span>\s*([^<]+)</a>', summary
        )
    )
    assert figures == {
        "published agreements": 2,
        "in force": 1,
        "partner regions": 2,
        "listing in the marketplace": 1,
    }
    # The summary and the contents come before every section.
    assert html.index('class="page-toc"') < html.index('id="agreements-title"')
    start = html.index('class="page-toc"')
    toc = html[start : html.index("</nav>", start)]
    targets = re.findall(r'<a href="#([\w-]+)">', toc)
    assert targets == [
        "about-title",
        "agreements-title",
        "partners-title",
        "listings-title",
        "figures-title",
    ]
    for target in targets + re.findall(r'<a href="#([\w-]+)">', summary):
        assert html.count(f'id="{target}"') == 1, target
