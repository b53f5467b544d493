# Checks str.join on lists and tuples and str.split() with its whitespace-only form.
print(",".join(["a", "b", "c"]))
print("".join(["x", "y"]), "-".join([]), " ".join(["one"]))
print(", ".join(("t1", "t2")))
print("ab".join(["1", "2", "3"]))
print("a b c".split())
print("  leading and   trailing  ".split())
print("tabs\tand\nnewlines\r\n mixed".split())
print("".split(), "   ".split())
print("single".split())
words = "the quick brown fox jumps over the lazy dog".split()
print(len(words), words[0], words[-1])
print("_".join(words))
print(" ".join("a  b   c".split()))
nums = "3 1 4 1 5 9".split()
total = 0
for w in nums:
    total += int(w)
print(total)
parts = []
for i in range(4):
    parts.append(str(i * i))
print("+".join(parts))
print("/".join(list("abc")))
