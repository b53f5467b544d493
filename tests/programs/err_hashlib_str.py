# hashlib.sha256 of a str: a TypeError, as in CPython.
import hashlib

print(hashlib.sha256(b"ok").hexdigest()[:8])
hashlib.sha256("not bytes")
