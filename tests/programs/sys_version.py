# Checks sys.version is a non-empty str (it supports str concatenation and indexing).
import sys
v = sys.version
print(len(v) > 0)
print(len("" + v) == len(v))
print(v[0] in "0123456789")
print(v == sys.version)
print(len(v.split()) >= 1)
