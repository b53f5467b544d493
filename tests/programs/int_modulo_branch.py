# Checks `if a % b == k:` / `!= k` between two locals (one fused instruction in gilvm) for every
# kind of operand: the small-int fast path, negative and 64-bit operands, floats, bools, a non-zero
# k, a float k, str formatting with %, and both branches of each.


def divisible(a, b):
    if a % b == 0:
        return "yes"
    return "no"


def not_divisible(a, b):
    if a % b != 0:
        return "rest"
    return "none"


def remainder_is(a, b):
    hits = []
    if a % b == 1:
        hits.append("one")
    if a % b != 2:
        hits.append("not two")
    if a % b == 0.0:
        hits.append("zero float")
    return hits


def formats(fmt, value):
    if fmt % value == "7":
        return "seven"
    return "other"


for a, b in [(12, 4), (13, 4), (0, 5), (-12, 4), (-13, 4), (13, -4), (12, -4), (-13, -4)]:
    print(a, b, divisible(a, b), not_divisible(a, b), remainder_is(a, b))
big = 9223372036854775807
print(divisible(big, 7), divisible(big, 3), not_divisible(big, big), remainder_is(big, big - 1))
print(divisible(4294967296, 4294967296), divisible(4294967297, 2), remainder_is(4294967296, 3))
print(divisible(-9223372036854775807 - 1, 2), remainder_is(-9223372036854775807 - 1, 3))
print(divisible(7.5, 2.5), divisible(7.5, 2), not_divisible(7.0, 3.5), remainder_is(5.0, 2))
print(divisible(True, True), remainder_is(True, 2), divisible(10, True), remainder_is(3, True))
print(formats("%d", 7), formats("%d", 8), formats("%s", "7"))


def count_multiples(n, d):
    count = 0
    for i in range(1, n + 1):
        if i % d == 0:
            count += 1
    return count


print(count_multiples(100, 7), count_multiples(10, 1), count_multiples(5, 10))
