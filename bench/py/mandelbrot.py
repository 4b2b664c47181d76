"""Points of a SIZE x SIZE grid inside the Mandelbrot set, 100 iterations
(bench/c/mandelbrot.c). python mandelbrot.py SIZE"""
import sys


def mandel(size, max_iter):
    inside = 0
    for py in range(size):
        y0 = py * 2.0 / size - 1.0
        for px in range(size):
            x0 = px * 3.0 / size - 2.0
            x = y = 0.0
            k = 0
            while k < max_iter and x * x + y * y <= 4.0:
                x, y = x * x - y * y + x0, 2.0 * x * y + y0
                k += 1
            if k == max_iter:
                inside += 1
    return inside


print(mandel(int(sys.argv[1]), 100))
