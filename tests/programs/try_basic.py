try:
    print(1 // 0)
except ZeroDivisionError:
    print("caught zero division")
try:
    x = [1, 2, 3][10]
except IndexError as e:
    print("index:", e)
try:
    {}["k"]
except KeyError as e:
    print("key:", e, e.args)
print("after")
