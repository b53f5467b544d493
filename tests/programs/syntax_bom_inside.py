# Checks a byte order mark (U+FEFF) anywhere but at the start is an invalid non-printable character.
print("never printed")
﻿print("BOM")
