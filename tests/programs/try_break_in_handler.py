for i in range(10):
    try:
        if i == 4:
            raise IndexError(i)
    except IndexError as e:
        print("break at", e)
        break
    print("i", i)
results = []
for i in range(6):
    try:
        if i % 2:
            raise ValueError(i)
        results.append(i)
    except ValueError:
        continue
print(results)
def first_bad(xs):
    for x in xs:
        try:
            int(x)
        except ValueError as e:
            return "bad " + x
    return "all good"
print(first_bad(["1", "2", "q", "3"]))
print(first_bad(["1"]))
