"""The printed wall: a real PDF, rendered back to pixels by PDFium, every QR decoded."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
import zxingcpp
from click.testing import CliRunner
from conftest import make_roster
from PIL import Image

from kiosk.cli import main
from kiosk.store.db import open_engine
from kiosk.store.write import replace_villages


@pytest.fixture
def filled(data_dir: Path) -> Path:
    engine = open_engine(data_dir)
    replace_villages(engine, make_roster(12))
    engine.dispose()
    return data_dir


def test_pdf_pages_are_a4_at_300_dpi_and_every_qr_decodes(filled: Path, tmp_path: Path) -> None:
    out = tmp_path / "wall.pdf"
    result = CliRunner().invoke(main, ["report", "--data-dir", str(filled), "--out", str(out)])
    assert result.exit_code == 0, result.output
    pdf = pdfium.PdfDocument(str(out))
    assert len(pdf) >= 3  # cover, cards, summary
    width_pt, height_pt = pdf[0].get_size()
    assert (round(width_pt / 72 * 25.4), round(height_pt / 72 * 25.4)) == (210, 297)
    found: list[str] = []
    for page in pdf:
        image = page.render(scale=300 / 72).to_pil().convert("RGB")
        found += [r.text for r in zxingcpp.read_barcodes(np.asarray(image))]
    expected = sorted(f"https://fk.example.cn/q?m=QSC{i + 1:03d}" for i in range(12))
    assert sorted(found) == expected


def test_poster_png_holds_every_card(filled: Path, tmp_path: Path) -> None:
    out = tmp_path / "poster.png"
    result = CliRunner().invoke(main, ["report", "--data-dir", str(filled), "--out", str(out),
                                       "--paper", "A3", "--orientation", "landscape"])
    assert result.exit_code == 0, result.output
    image = Image.open(out)
    assert image.size == (4961, 3508) and round(image.info["dpi"][0]) == 300
    codes = zxingcpp.read_barcodes(np.asarray(image.convert("RGB")))
    assert len(codes) == 12


def test_unknown_extension_is_one_clear_line(filled: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["report", "--data-dir", str(filled), "--out", str(tmp_path / "x.doc")])
    assert result.exit_code == 1 and ".pdf" in result.output
