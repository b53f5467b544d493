# expect: SyntaxError: with statements are not supported
print("never printed: the whole file is rejected at compile time")
import threading
with threading.Lock():
    pass
