# Checks a no-break space (U+00A0) between tokens is an invalid non-printable character.
print("never printed")
x = 1
