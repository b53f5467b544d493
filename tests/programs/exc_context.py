try:
    try:
        1 / 0
    except ZeroDivisionError:
        {}["missing"]
except KeyError as e:
    print(repr(e.__context__) if False else type(e.__context__).__name__, e.__context__)
    print(e.__cause__, e.__suppress_context__)
try:
    try:
        raise ValueError("first")
    finally:
        raise TypeError("in finally")
except TypeError as e:
    print(type(e).__name__, e, "context:", e.__context__)
try:
    raise ValueError("plain")
except ValueError as e:
    print(e.__context__, e.__cause__)
