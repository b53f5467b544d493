def f():
    xs = [1, 2, 3]
    return [x for x in xs]

print(f())

y = 5
print([y for _ in range(2)])


class_like = [[i * j for j in range(3)] for i in range(3)]
print(class_like)
