# Checks that and/or short-circuit and return one of their operands, not a bool.
log = []
def t(v):
    log.append(v)
    return v
print(1 and 2, 0 and 2, 1 or 2, 0 or 2)
print("" or "default", "set" or "default")
print([] and "x", [0] and "x")
print(None or 0, 0 or None)
print(0.0 or "", "" and 0.0)
print(t(0) and t(1))
print(log)
print(t(5) or t(6))
print(log)
print(t(None) or t(0) or t("last"))
print(log)
print(t(1) and t(2) and t(3))
print(log)
print(t(1) and t(0) and t(3))
print(log)
x = None
name = x or "anon"
print(name)
print((1 and [2]) + [3])
print(not (0 or ""), (0 or 0.0))
def safe_first(xs):
    return len(xs) > 0 and xs[0]
print(safe_first([]), safe_first([9]))
