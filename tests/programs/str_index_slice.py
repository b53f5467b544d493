# Checks str indexing with positive/negative indexes and slices with omitted and out-of-range bounds.
s = "abcdefgh"
print(s[0], s[1], s[7], s[-1], s[-8], s[len(s) - 1])
print(s[2:5], s[:3], s[5:], s[:], s[-3:], s[:-3], s[-5:-2])
print(s[0:0], s[5:2], s[10:20], s[-100:2], s[3:100])
print(s[1:-1], s[-1:], s[:0])
i = 2
j = 6
print(s[i:j], s[i + 1:j - 1], s[:i] + s[j:])
print(len(s[2:5]), len(s[100:]))
print([s[0:2], s[6:]])
t = "x"
print(t[0], t[-1], t[0:1], t[1:])
def rev(x):
    out = ""
    for ch in x:
        out = ch + out
    return out
print(rev(s), rev(""))
