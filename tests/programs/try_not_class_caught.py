try:
    try:
        1 / 0
    except "oops":
        pass
except TypeError as e:
    print(e)
    print(type(e.__context__).__name__)
try:
    try:
        int("z")
    except (ValueError, 3):
        print("no")
except TypeError as e:
    print("tuple:", e)
