# Checks list.append, pop() and pop(i) including negative indexes, and using a list as a stack/queue.
xs = []
for i in range(5):
    xs.append(i * 10)
print(xs)
print(xs.pop(), xs)
print(xs.pop(0), xs)
print(xs.pop(1), xs)
print(xs.pop(-1), xs)
print(xs.pop(), xs, len(xs))
xs.append([1, 2])
xs.append("s")
print(xs)
stack = []
for ch in "abc":
    stack.append(ch)
out = ""
while len(stack) > 0:
    out += stack.pop()
print(out)
queue = [1, 2, 3]
queue.append(4)
first = queue.pop(0)
print(first, queue)
r = xs.append(5)
print(r, xs)
a = [1]
b = a
b.append(2)
print(a)
