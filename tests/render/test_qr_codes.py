from __future__ import annotations

import numpy as np
import pygame
import pytest
import zxingcpp

from kiosk.render.qr import QUIET_ZONE, feedback_url, module_px_for, qr_matrix, qr_surface


def decode(surface: pygame.Surface) -> list[str]:
    pixels = np.ascontiguousarray(pygame.surfarray.array3d(surface).swapaxes(0, 1))
    return [r.text for r in zxingcpp.read_barcodes(pixels)]


def test_feedback_url_fills_and_quotes_placeholders() -> None:
    template = "https://fk.example.cn/{village}?m={member_id}&p={pledge_id}"
    assert feedback_url(template, "QSC", "QSC 001", "a/b") == "https://fk.example.cn/QSC?m=QSC%20001&p=a%2Fb"
    assert feedback_url("", "QSC", "1") == ""


@pytest.mark.parametrize("module_px", [3, 4, 7])
def test_qr_decodes_with_a_real_decoder(module_px: int) -> None:
    url = "https://fk.example.cn/qsc?m=QSC001"
    matrix = qr_matrix(url)
    image = qr_surface(matrix, module_px)
    assert image.get_width() == len(matrix) * module_px
    assert decode(image) == [url]


def test_quiet_zone_and_small_version() -> None:
    matrix = qr_matrix("https://fk.example.cn/qsc?m=QSC001")
    assert not any(matrix[0]) and not any(row[QUIET_ZONE - 1] for row in matrix)
    version = (len(matrix) - 2 * QUIET_ZONE - 17) // 4
    assert version <= 6


def test_modules_below_three_pixels_are_refused() -> None:
    matrix = qr_matrix("https://fk.example.cn/qsc?m=QSC001")
    assert module_px_for(matrix, len(matrix) * 3) == 3
    assert module_px_for(matrix, len(matrix) * 3 - 1) == 0
