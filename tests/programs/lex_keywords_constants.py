# Checks True, False, None and how they print, compare and behave in conditions.
print(True, False, None)
print([True, False, None])
print((None,))
x = None
print(x is None, x is not None)
print(True == 1, False == 0, True != False)
if None:
    print("no")
else:
    print("None is falsy")
if not False:
    print("not False")
print(str(None), str(True), str(False))
print(None == None, None == 0, None == False)
def f():
    pass
print(f())
print(f() is None)
