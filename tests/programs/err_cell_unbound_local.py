def outer():
    print(x)
    x = 1
    def inner():
        return x
    return inner

outer()
