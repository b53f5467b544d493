def f():
    try:
        raise KeyError("k")
    except KeyError:
        print("logging")
        raise
try:
    f()
except KeyError as e:
    print("reraised", e)
def g():
    try:
        1 / 0
    except ZeroDivisionError:
        try:
            int("x")
        except ValueError:
            pass
        raise
try:
    g()
except ZeroDivisionError as e:
    print("outer exception restored", e)
