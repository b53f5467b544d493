# Chained comparisons: the middle operand is kept for the next link, and the branch after the
# merge point must not fuse with the last COMPARE.
def in_range(lo, x, hi):
    if lo <= x < hi:
        return True
    return False


def ordered(a, b, c, d):
    return a < b < c < d


print(in_range(1, 5, 10), in_range(1, 10, 10), ordered(1, 2, 3, 4), 0 < 1 == 1)
