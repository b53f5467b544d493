# Moved from unsupported/: nested function definitions are supported now.
def outer():
    def inner():
        return 1
    return inner()


print(outer())
