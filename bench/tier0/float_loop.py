def integrate(n):
    h = 1.0 / float(n)
    s = 0.0
    i = 0
    while i < n:
        x = (float(i) + 0.5) * h
        s += 4.0 / (1.0 + x * x)
        i += 1
    return s * h
print("%.10f" % integrate(2000000))
