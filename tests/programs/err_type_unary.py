# Checks unary minus on a str raises TypeError: bad operand type for unary -: 'str'.
s = "5"
print(-int(s))
print(-s)
