#!/usr/bin/env python3
"""Draws the Sysplex Explorer's icons (16 px and @2x) from the shapes below, as PNG files in
bundles/dev.sysplex.ui/icons/: obj16 (node types), ovr16 (state overlays, 7x8), elcl16 (commands).
Pure Python (zlib only), so anyone can change a shape and run it again: python3 make_icons.py"""
import math, os, struct, zlib

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'bundles', 'dev.sysplex.ui', 'icons')

def png(path, w, h, px):
    raw = b''.join(b'\0' + bytes(v for p in px[y * w:(y + 1) * w] for v in p) for y in range(h))
    chunk = lambda t, d: struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
    data = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 6, 0, 0, 0)) \
        + chunk(b'IDAT', zlib.compress(raw, 9)) + chunk(b'IEND', b'')
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'wb') as f:
        f.write(data)

def hexc(s, a=255):
    return (int(s[1:3], 16), int(s[3:5], 16), int(s[5:7], 16), a)

# shapes in a 16-unit box: each is (test(x, y) -> bool, colour)
def rect(x0, y0, x1, y1, c): return (lambda x, y: x0 <= x < x1 and y0 <= y < y1, hexc(c))
def circle(cx, cy, r, c): return (lambda x, y: (x - cx) ** 2 + (y - cy) ** 2 <= r * r, hexc(c))
def ring(cx, cy, r, w, c): return (lambda x, y: (r - w) ** 2 <= (x - cx) ** 2 + (y - cy) ** 2 <= r * r, hexc(c))
def poly(pts, c):
    def inside(x, y):
        n, ok = len(pts), False
        for i in range(n):
            (xa, ya), (xb, yb) = pts[i], pts[(i + 1) % n]
            if (ya > y) != (yb > y) and x < (xb - xa) * (y - ya) / (yb - ya) + xa:
                ok = not ok
        return ok
    return (inside, hexc(c))
def line(xa, ya, xb, yb, w, c):
    def near(x, y):
        dx, dy = xb - xa, yb - ya
        t = max(0, min(1, ((x - xa) * dx + (y - ya) * dy) / (dx * dx + dy * dy)))
        return math.hypot(x - xa - t * dx, y - ya - t * dy) <= w / 2
    return (near, hexc(c))

def draw(shapes, size, box=16, ss=4):
    w, h = box if isinstance(box, tuple) else (box, box)
    W, H = w * size // 16, h * size // 16
    scale = size / 16
    px = []
    for j in range(H):
        for i in range(W):
            acc = [0.0, 0.0, 0.0, 0.0]
            for sj in range(ss):
                for si in range(ss):
                    x, y = (i + (si + .5) / ss) / scale, (j + (sj + .5) / ss) / scale
                    col = None
                    for test, c in shapes:
                        if test(x, y):
                            col = c
                    if col:
                        a = col[3] / 255
                        acc[0] += col[0] * a; acc[1] += col[1] * a; acc[2] += col[2] * a; acc[3] += a
            n = ss * ss
            a = acc[3] / n
            px.append((0, 0, 0, 0) if a == 0 else (round(acc[0] / acc[3]), round(acc[1] / acc[3]),
                                                   round(acc[2] / acc[3]), round(a * 255)))
    return W, H, px

BLUE, DARK, LIGHT, GREY = '#2f6fb3', '#1f3f66', '#9cc3ea', '#6d7a88'

def server(x0, y0, x1, y1, body=BLUE):
    return [rect(x0, y0, x1, y1, DARK), rect(x0 + .8, y0 + .8, x1 - .8, y1 - .8, body),
            rect(x0 + 1.6, y0 + 1.6, x0 + 3, y0 + 2.6, '#7ee07e')]

def bug(c='#3d8b37'):
    return [line(4, 4, 6, 6, 1, '#333333'), line(12, 4, 10, 6, 1, '#333333'),
            line(2.5, 9, 5, 9, 1, '#333333'), line(13.5, 9, 11, 9, 1, '#333333'),
            line(3, 13, 5.5, 11.5, 1, '#333333'), line(13, 13, 10.5, 11.5, 1, '#333333'),
            circle(8, 6.2, 2.4, '#333333'), circle(8, 10, 4, '#222222'), circle(8, 10, 3.2, c),
            line(8, 7, 8, 13.5, .8, '#1e4d1b')]

ICONS = {
    'obj16/connection': server(1, 1.5, 11, 7) + server(5, 8.5, 15, 14) + [line(3.5, 7, 3.5, 11, 1.2, DARK),
                                                                          line(3.5, 11, 5, 11, 1.2, DARK)],
    # one system of the sysplex: a single machine, with drive bays and a power light
    'obj16/system': [rect(3, 1, 13, 15, DARK), rect(3.8, 1.8, 12.2, 14.2, BLUE), rect(5, 3.2, 11, 4.4, LIGHT),
                     rect(5, 5.8, 11, 7, LIGHT), rect(5, 8.4, 11, 9.6, LIGHT), rect(5, 12, 6.6, 13.2, '#7ee07e')],
    'obj16/job': [poly([(3, 1), (10, 1), (13, 4), (13, 15), (3, 15)], '#7a5c1e'),
                  poly([(3.8, 1.8), (9.6, 1.8), (12.2, 4.4), (12.2, 14.2), (3.8, 14.2)], '#fbe7b0'),
                  rect(5, 6, 11, 7, '#8a6d2c'), rect(5, 8.5, 11, 9.5, '#8a6d2c'), rect(5, 11, 9, 12, '#8a6d2c')],
    'obj16/debug_waiting': bug() + [circle(12, 4, 3.6, '#ffffff'), ring(12, 4, 3.4, .9, '#b36b00'),
                                    line(12, 4, 12, 2, .8, '#b36b00'), line(12, 4, 13.5, 4, .8, '#b36b00')],
    'obj16/debug_running': bug() + [poly([(10, 0.8), (15.5, 4), (10, 7.2)], '#1f7a1f')],
    'obj16/launch': bug('#2f6fb3') + [rect(10.5, 0.5, 15.5, 5.5, DARK), rect(11.3, 1.3, 14.7, 4.7, LIGHT)],
    'elcl16/new_connection': server(1, 5, 11, 11) + [rect(11, 1, 13, 8, '#1f7a1f'), rect(8.5, 3.5, 15.5, 5.5, '#1f7a1f')],
    'elcl16/connect': [line(1, 8, 6, 8, 2, GREY), rect(5, 4, 9, 12, '#3d8b37'), rect(9, 5, 12, 6.5, '#3d8b37'),
                       rect(9, 9.5, 12, 11, '#3d8b37'), line(12, 5.75, 15, 5.75, 1.2, GREY),
                       line(12, 10.25, 15, 10.25, 1.2, GREY)],
    'elcl16/disconnect': [line(1, 8, 4, 8, 2, GREY), rect(3, 4, 7, 12, '#b03030'), rect(9, 4, 13, 12, '#b03030'),
                          line(13, 8, 15, 8, 2, GREY), line(7.5, 1, 8.5, 15, 1, '#b03030')],
    'elcl16/submit': [poly([(2, 1), (8, 1), (10, 3), (10, 13), (2, 13)], '#7a5c1e'),
                      poly([(2.8, 1.8), (7.6, 1.8), (9.2, 3.4), (9.2, 12.2), (2.8, 12.2)], '#fbe7b0'),
                      poly([(8, 8), (12, 8), (12, 5.5), (15.5, 10), (12, 14.5), (12, 12), (8, 12)], '#1f7a1f')],
    # the refresh arrow: a ring with a gap in its top right quarter and a head
    'elcl16/refresh': [(lambda x, y: 16 <= (x - 8) ** 2 + (y - 8) ** 2 <= 36 and not (x > 8 and y < 8),
                            hexc('#2f6fb3')), poly([(8, 0), (12.5, 2.5), (8, 5)], '#2f6fb3')],
}
OVERLAYS = {  # 7 x 8 units, drawn in the bottom right corner of an icon
    'ovr16/connected': [circle(3.5, 4, 3, '#ffffff'), circle(3.5, 4, 2.3, '#2ea02e')],
    'ovr16/encrypted': [ring(3.5, 3, 2, .9, '#7a5c00'), rect(0.5, 3.5, 6.5, 8, '#7a5c00'), rect(1.3, 4.3, 5.7, 7.2, '#f2c12e')],
    'ovr16/not_encrypted': [poly([(3.5, 0), (7, 7.5), (0, 7.5)], '#7a5c00'), poly([(3.5, 1.3), (6, 6.8), (1, 6.8)], '#ffd23f'),
                            rect(3.1, 2.8, 3.9, 5.2, '#000000'), rect(3.1, 5.7, 3.9, 6.4, '#000000')],
    'ovr16/failed': [circle(3.5, 4, 3.3, '#ffffff'), circle(3.5, 4, 2.8, '#c62828'),
                     line(2, 2.5, 5, 5.5, .9, '#ffffff'), line(5, 2.5, 2, 5.5, .9, '#ffffff')],
    'ovr16/reconnecting': [circle(3.5, 4, 3.3, '#ffffff'),
                           (lambda x, y: 1.2 <= (x - 3.5) ** 2 + (y - 4) ** 2 <= 7.3 and not (x > 3.5 and y < 4), hexc('#2f6fb3')),
                           poly([(3.5, 0.8), (6, 2), (3.5, 3.2)], '#2f6fb3')],
}

for name, shapes in ICONS.items():
    for size, suffix in ((16, ''), (32, '@2x')):
        w, h, px = draw(shapes, size)
        png(os.path.join(OUT, name + suffix + '.png'), w, h, px)
for name, shapes in OVERLAYS.items():
    for size, suffix in ((16, ''), (32, '@2x')):
        k = size // 16
        w, h, px = draw(shapes, size, box=(7, 8))
        png(os.path.join(OUT, name + suffix + '.png'), 7 * k, 8 * k, px[:7 * k * 8 * k])
print('icons written to', os.path.normpath(OUT))
