# Checks line continuation with backslash and implicit continuation inside brackets.
total = 1 + \
    2 + \
        3
print(total)
xs = [
    1,
    2,
    3,
]
print(xs)
t = (10,
     20,
   30)
print(t)
def add(a,
        b,
        c=0):
    return a + b + \
           c
print(add(1,
          2,
          c=3))
print("a",
      "b",
  sep="-")
s = "abc" + \
    "X" if False else "joined"
print(s)
ok = (1 < 2 and
      2 < 3)
print(ok)
y = [1, 2, 3][
    1]
print(y)
if total > 5 and \
   ok:
    print("both")
