raise RuntimeError("outer") from ValueError("inner")
