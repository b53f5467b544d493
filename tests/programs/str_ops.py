# Checks str +, *, ==, <, in, len, and that strings are immutable values.
a = "foo"
b = "bar"
print(a + b, a + "" + b, "" + "")
print(a * 3, 3 * b, a * 0, a * -1, "-" * 10)
print(a == "foo", a == b, a != b, a < b, b < a, a <= "foo")
print("oo" in a, "x" in a, "" in "", "foobar" in a + b)
print(len(a), len(""), len(a * 5), len("a b c"))
c = a
a += "!"
print(a, c)
s = ""
for i in range(5):
    s = s + str(i)
print(s, len(s))
print(("ab" + "cd") * 2)
words = "x"
words = words + " " + words
print(words)
print("Z" < "a", "abc" < "abcd", "b" > "abcd")
