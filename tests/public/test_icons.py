"""The bitmap icons rendered from the association's mark: an ICO file holding PNG images."""

import struct

from django.contrib.staticfiles import finders

from public.management.commands.render_icons import ico

PNG = b"\x89PNG\r\n\x1a\n"


def test_an_ico_file_lists_each_png_with_its_size_and_place():
    data = ico([(16, PNG + b"a"), (32, PNG + b"bb")])

    assert struct.unpack("<HHH", data[:6]) == (0, 1, 2)
    width, height, _colours, _reserved, planes, bits, size, offset = struct.unpack("<BBBBHHII", data[6:22])
    assert (width, height, planes, bits, size, offset) == (16, 16, 1, 32, 9, 6 + 2 * 16)
    assert data[offset : offset + size] == PNG + b"a"


def test_the_committed_favicon_holds_16_and_32_pixel_images():
    with open(finders.find("img/favicon.ico"), "rb") as icon:
        data = icon.read()

    count = struct.unpack("<HHH", data[:6])[2]
    entries = [struct.unpack("<BBBBHHII", data[6 + 16 * index : 22 + 16 * index]) for index in range(count)]
    assert [entry[0] for entry in entries] == [16, 32]
    assert all(data[entry[7] : entry[7] + len(PNG)] == PNG for entry in entries)
