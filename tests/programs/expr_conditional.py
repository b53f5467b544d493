# Checks the conditional expression x if c else y, nesting, and that only one branch is evaluated.
log = []
def t(v):
    log.append(v)
    return v
for n in [-3, 0, 4]:
    print("neg" if n < 0 else "zero" if n == 0 else "pos")
print(t("a") if True else t("b"))
print(t("c") if False else t("d"))
print(log)
x = 7
y = x * 2 if x > 5 else x / 2
print(y)
print((1 if x else 2) + 10)
print([x if x % 2 else 0, "odd" if x % 2 == 1 else "even"])
s = "" if x > 100 else "small"
print(s, len(s))
def sign(v):
    return 1 if v > 0 else -1 if v < 0 else 0
print(sign(5), sign(-5), sign(0))
print(None if [] else "empty list is falsy")
