# Checks mixing tabs and spaces inconsistently is TabError.
if True:
        x = 1
	y = 2
print("never printed")
