# Checks a small algorithm workload: insertion sort, binary search and dedup written with list ops.
def insertion_sort(xs):
    out = list(xs)
    i = 1
    while i < len(out):
        v = out[i]
        j = i - 1
        while j >= 0 and out[j] > v:
            out[j + 1] = out[j]
            j -= 1
        out[j + 1] = v
        i += 1
    return out
def bsearch(xs, v):
    lo, hi = 0, len(xs)
    while lo < hi:
        mid = (lo + hi) // 2
        if xs[mid] < v:
            lo = mid + 1
        else:
            hi = mid
    return lo
data = [5, 3, 9, 1, 5, 8, -2, 0, 7, 3]
s = insertion_sort(data)
print(data)
print(s)
print(bsearch(s, 5), bsearch(s, -10), bsearch(s, 100), bsearch(s, 4))
dedup = []
for v in s:
    if v not in dedup:
        dedup.append(v)
print(dedup)
print(insertion_sort(["pear", "apple", "fig", "banana"]))
print(insertion_sort([2.5, -1.0, 2, 0.5]))
seed = 12345
rnd = []
for i in range(20):
    seed = (seed * 1103515245 + 12345) % 2147483648
    rnd.append(seed % 100)
print(rnd)
print(insertion_sort(rnd))
