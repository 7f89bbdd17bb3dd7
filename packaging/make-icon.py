#!/usr/bin/env python3
"""Draws the RBM Studio icon: a 3 x 3 grid of tiles like the studio's weight filters (each a
Gabor-like stroke at its own angle, grey = 0, light = positive weight, dark = negative), on a
rounded square. Writes io.github.rbmstudio.RbmStudio.svg and a 128 x 128 PNG rasterised from the
same rectangles (plain Python: no SVG renderer needed). Run it again after changing the drawing."""
import math
import os
import struct
import zlib

SIZE, TILES, CELLS, MARGIN, GAP = 256, 3, 8, 22, 10
tile = (SIZE - 2 * MARGIN - (TILES - 1) * GAP) / TILES
cell = tile / CELLS
angles = [0, 45, 90, 135, 20, 160, 70, 110, 0]
phases = [0, 1.2, 0.4, 2.0, 0.8, 1.6, 0.2, 2.6, 3.1]

# (x, y, width, height, corner radius, grey or RGB hex)
shapes = [(4, 4, SIZE - 8, SIZE - 8, 40, '1f2b3a')]
for t in range(TILES * TILES):
    tx = MARGIN + (t % TILES) * (tile + GAP)
    ty = MARGIN + (t // TILES) * (tile + GAP)
    th = math.radians(angles[t])
    shapes.append((tx, ty, tile, tile, 6, '808080'))
    for r in range(CELLS):
        for c in range(CELLS):
            x, y = (c - (CELLS - 1) / 2) / 2.2, (r - (CELLS - 1) / 2) / 2.2
            u = x * math.cos(th) + y * math.sin(th)
            w = math.exp(-(x * x + y * y) / 2.2) * math.cos(2.4 * u + phases[t])
            g = max(0, min(255, round(128 + 127 * w)))
            if abs(g - 128) < 6:
                continue  # the tile's grey shows through
            # corner cells keep inside the tile's rounded corner
            rx = 6 if (r in (0, CELLS - 1) and c in (0, CELLS - 1)) else 0
            shapes.append((tx + c * cell, ty + r * cell, cell, cell, rx, f'{g:02x}{g:02x}{g:02x}'))

here = os.path.dirname(os.path.abspath(__file__))
svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{SIZE}" height="{SIZE}" viewBox="0 0 {SIZE} {SIZE}">',
       '<title>RBM Studio</title>']
for x, y, w, h, rx, col in shapes:
    svg.append(f'<rect x="{x:.2f}" y="{y:.2f}" width="{w:.2f}" height="{h:.2f}"' + (f' rx="{rx}"' if rx else '') +
               f' fill="#{col}"/>')
svg.append('</svg>')
with open(os.path.join(here, 'io.github.rbmstudio.RbmStudio.svg'), 'w') as f:
    f.write('\n'.join(svg) + '\n')


def inside(px, py, x, y, w, h, rx):
    if not (x <= px < x + w and y <= py < y + h):
        return False
    if rx == 0:
        return True
    cx = min(max(px, x + rx), x + w - rx)
    cy = min(max(py, y + rx), y + h - rx)
    return (px - cx) ** 2 + (py - cy) ** 2 <= rx * rx


def png(size, sub=4):
    scale = SIZE / size
    rows = []
    for j in range(size):
        row = bytearray([0])
        for i in range(size):
            acc = [0, 0, 0, 0]
            for sj in range(sub):
                for si in range(sub):
                    px, py = (i + (si + 0.5) / sub) * scale, (j + (sj + 0.5) / sub) * scale
                    col = None
                    for x, y, w, h, rx, c in shapes:  # later shapes paint over earlier ones
                        if inside(px, py, x, y, w, h, rx):
                            col = c
                    if col:
                        for k in range(3):
                            acc[k] += int(col[2 * k:2 * k + 2], 16)
                        acc[3] += 255
            n = sub * sub
            a = acc[3] / n
            row += bytes([round(acc[k] / max(1, acc[3] / 255)) if acc[3] else 0 for k in range(3)] + [round(a)])
        rows.append(bytes(row))

    def chunk(kind, data):
        return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data) & 0xffffffff)
    return (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', size, size, 8, 6, 0, 0, 0)) +
            chunk(b'IDAT', zlib.compress(b''.join(rows), 9)) + chunk(b'IEND', b''))


with open(os.path.join(here, 'io.github.rbmstudio.RbmStudio.png'), 'wb') as f:
    f.write(png(128))
