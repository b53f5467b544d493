# Checks comments: full-line, trailing, inside blocks at odd columns, and blank lines.
# a comment at the top
x = 1  # trailing comment
    # an indented comment line does not open a block

def f(a):
        # comment deeper than the body
    b = a + 1  # body
# comment at column 0 inside the function body
    return b   # still in f

  # blank-ish lines with spaces follow
   
	
print(f(x))  # prints 2
s = "# not a comment"
print(s)
print('a # b')  # the hash inside the string stays
if x:
    # only a comment before the statement
    print("yes")
    # trailing comment after the block
# and one at the end
