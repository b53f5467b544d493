# splitlines at every line boundary CPython knows, with keepends.
s = "one\ntwo\r\nthree\rfour\x0bfive\x0csix\x1cseven\u2028eight\x85nine\n\n"
print(s.splitlines())
print(s.splitlines(True))
print(s.splitlines(keepends=True))
print("".splitlines(), "\n".splitlines(), "x".splitlines(), "a\r\n\r\nb".splitlines(), "a\n\rb".splitlines(1))
