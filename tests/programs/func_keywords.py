# Checks keyword arguments: any order, mixed with positional, and keyword names matching params.
def describe(name, age, city="nowhere"):
    return name + " " + str(age) + " " + city
print(describe("a", 1))
print(describe(name="b", age=2))
print(describe(age=3, name="c"))
print(describe("d", city="Paris", age=4))
print(describe("e", 5, city="Rome"))
def box(w, h=1, d=1):
    return w * h * d
print(box(2), box(2, 3), box(2, d=4), box(w=5, d=2, h=3))
def show(a, b):
    print("a =", a, "b =", b)
show(b=1, a=2)
show(1, b=[2])
x = 9
print(box(x, h=x - 1))
print(max(describe("z", 0, city="A"), "y"))
