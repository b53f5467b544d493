# Checks pop() on an empty list raises IndexError: pop from empty list.
stack = [1, 2]
print(stack.pop(), stack.pop())
print(stack.pop())
