# Lists and tuples nested 200,000 deep are built and freed without exhausting the C stack.
x = []
for i in range(200000):
    x = [x]
print(len(x))
x = None
t = ()
for i in range(200000):
    t = (t, i)
print(t[1])
t = 0
print("freed")
