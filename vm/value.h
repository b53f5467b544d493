// The tagged value every VM register, stack slot and container element holds.
//
// Ints, floats, bools and None live in the value itself and never allocate; everything else is a
// pointer to a reference-counted heap object (object.h). A Value is plain data: copying it does
// not touch the count. Code that keeps a reference calls Incref, code that drops one calls
// Decref -- the interpreter does so by hand on its hot paths, as CPython does. Counts are plain
// (not atomic): every thread that touches an object holds the interpreter's GIL.
#pragma once

#include <cstdint>

namespace gilbench::vm {

struct Obj;

// Tags fit in 4 bits: an instance packs its inline slots' tags two to a byte (class.h).
enum class Tag : uint8_t {
  kUndefined,  // an unset local or global slot, or "no self" in a method call; never user-visible
  kNone,
  kBool,
  kInt,
  kFloat,
  kObj,
};

struct Value {
  Tag tag;
  union {
    int64_t i;  // kInt, kBool (0 or 1)
    double f;   // kFloat
    Obj* o;     // kObj
  };

  Value() = default;
  // A copy moves the tag and the payload as two fields, never as one 16-byte block: a Value is
  // usually written field by field (a one-byte tag, an eight-byte payload), and a 16-byte load
  // of what was just stored that way cannot be forwarded from the store buffer, so it waits for
  // the stores to reach the cache -- a stall on every value handed from one handler to the next.
  Value(const Value& other) noexcept : tag(other.tag), i(other.i) {}
  Value& operator=(const Value& other) noexcept {
    tag = other.tag;
    i = other.i;
    return *this;
  }

  static Value Undefined() { return Value(Tag::kUndefined, 0); }
  static Value None() { return Value(Tag::kNone, 0); }
  static Value Bool(bool b) { return Value(Tag::kBool, b ? 1 : 0); }
  static Value Int(int64_t v) { return Value(Tag::kInt, v); }
  static Value Float(double v) {
    Value r(Tag::kFloat, 0);
    r.f = v;
    return r;
  }
  static Value Object(Obj* obj) {
    Value r(Tag::kObj, 0);
    r.o = obj;
    return r;
  }

  bool is_undefined() const { return tag == Tag::kUndefined; }
  bool is_none() const { return tag == Tag::kNone; }
  bool is_bool() const { return tag == Tag::kBool; }
  bool is_int() const { return tag == Tag::kInt; }
  bool is_float() const { return tag == Tag::kFloat; }
  bool is_obj() const { return tag == Tag::kObj; }
  // int or bool: the values arithmetic treats as integers.
  bool is_intlike() const { return tag == Tag::kInt || tag == Tag::kBool; }

 private:
  Value(Tag t, int64_t payload) : tag(t), i(payload) {}
};

}  // namespace gilbench::vm
