# The bitwise operators on ints and bools, with Python's precedence (| below ^ below & below the
# shifts below + and -) and their augmented forms; two bools give a bool for | ^ &.
print(12 | 3, 12 & 10, 12 ^ 10, 1 << 5, 1024 >> 3, -1024 >> 3, -1 >> 70, 5 >> 100, ~0, ~-1, ~5)
print(1 | 2 ^ 3 & 4 << 1 >> 1, (1 | 2) ^ 3, 1 + 2 << 3, 1 << 2 + 3, 6 & 3 == 2, 7 - 1 | 8)
print(True | False, True & True, True ^ True, False | 0, True & 3, ~True, ~False, True << 2)
print(-5 | 2, -5 & 0xFF, -5 ^ -1, 0b1010 ^ 0b0110, 0xF0 | 0x0F, 0o777 & 0o070)
print(2**62 >> 61, 1 << 62, -(1 << 62), (1 << 62) | 1, 9223372036854775807 & 255, -9223372036854775807 - 1 >> 63)
x = 0b1111
x &= 0b1010
x |= 0b10000
x ^= 1
x <<= 4
x >>= 2
print(x)
mask = 0
for bit in range(10):
    if bit % 3 == 0:
        mask |= 1 << bit
print(mask, mask & (1 << 9) != 0, mask & (1 << 8) != 0)
