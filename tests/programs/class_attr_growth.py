class Bag:
    pass


b = Bag()
for i in range(20):
    setattr(b, "a" + str(i), i)
total = 0
for i in range(20):
    total += getattr(b, "a" + str(i))
print(total)
c = Bag()
c.z = 1
print(c.z, hasattr(c, "a0"), b.a19)
