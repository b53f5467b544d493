# pop() from an empty set.
s = {'x'}
print(s.pop())
s.pop()
