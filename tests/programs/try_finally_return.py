def a():
    try:
        return "try"
    finally:
        print("finally runs first")
def b():
    try:
        return "try"
    finally:
        return "finally wins"
def c():
    try:
        1 / 0
    finally:
        return "swallowed"
def d():
    for i in range(3):
        try:
            return i
        finally:
            print("leaving at", i)
print(a())
print(b())
print(c())
print(d())
