"""Dense N x N matrix multiply on flat float lists, i-k-j order (bench/c/matmul.c).
python matmul.py N"""
import sys


def matmul(n):
    a = [0.0] * (n * n)
    b = [0.0] * (n * n)
    c = [0.0] * (n * n)
    for i in range(n):
        for j in range(n):
            a[i * n + j] = float((i * j) % 7) + 0.5
            b[i * n + j] = float((i + j) % 5) - 1.0
    for i in range(n):
        for k in range(n):
            aik = a[i * n + k]
            for j in range(n):
                c[i * n + j] += aik * b[k * n + j]
    s = 0.0
    for i in range(n * n):
        s += c[i]
    return s


print(repr(matmul(int(sys.argv[1]))))
