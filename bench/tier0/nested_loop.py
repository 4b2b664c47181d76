total = 0
for i in range(1500):
    j = 0
    while j < 1000:
        total = (total + i * j + 7) % 1000003
        j += 1
print(total)
