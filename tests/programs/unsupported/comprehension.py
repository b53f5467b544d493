# expect: SyntaxError: comprehensions are not supported
print("never printed: the whole file is rejected at compile time")
squares = [i * i for i in range(10)]
print(squares)
