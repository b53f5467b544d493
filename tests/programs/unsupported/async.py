# expect: SyntaxError: async is not supported
print("never printed: the whole file is rejected at compile time")
async def f():
    return 1
