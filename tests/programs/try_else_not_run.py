def f(x):
    try:
        if x:
            raise IndexError("x")
    except IndexError:
        return "handled"
    else:
        return "else"
    finally:
        print("finally", x)
print(f(True))
print(f(False))
def g():
    try:
        pass
    except Exception:
        print("never")
    else:
        raise KeyError("from else")
try:
    g()
except KeyError as e:
    print("else raised", e)
