// Values to bytes and back for multiprocessing (see serialize.h for what crosses and the format).
#include "vm/serialize.h"

#include <cstring>
#include <unordered_map>
#include <vector>

#include "vm/builtins.h"
#include "vm/class.h"
#include "vm/dict.h"
#include "vm/exceptions.h"
#include "vm/interpreter.h"
#include "vm/multiprocessing.h"
#include "vm/runtime.h"
#include "vm/set.h"

namespace gilbench::vm {

namespace {

// The tags: one byte before each value.
enum : char {
  kNone = 'N',
  kTrue = 'T',
  kFalse = 'F',
  kInt = 'i',
  kFloat = 'f',
  kStr = 's',
  kBytes = 'b',
  kRange = 'R',
  kTuple = 't',
  kList = 'l',  // memoised
  kDict = 'd',  // memoised
  kSet = 'S',   // memoised
  kFrozenSet = 'z',
  kInstance = 'o',   // memoised: class, then its attributes
  kException = 'e',  // memoised: class (built-in by name, or global), args, attributes
  kClass = 'c',      // a module-level class by name
  kFunction = 'g',   // a module-level function (or a class's method) by name
  kMethod = 'm',     // a Python function bound to its receiver: receiver, then function
  kBuiltin = 'n',    // a built-in function: module ("" for builtins), name
  kMemo = 'r',       // a reference to the n-th memoised object
};

// Nesting bound: pickle's RecursionError comes from the interpreter's limit too.
constexpr int kMaxDepth = Interpreter::kRecursionLimit;

// The modules whose functions cross by name (besides the built-ins).
constexpr const char* kNativeModules[] = {"math", "time", "os", "random", "hashlib", "sys"};

void PutVarint(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

// A signed number, zigzag-encoded (Reader::Signed decodes it).
void PutSigned(std::string* out, int64_t v) {
  PutVarint(out, (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63));
}

void PutString(std::string* out, std::string_view s) {
  PutVarint(out, s.size());
  out->append(s);
}

std::string PickleAddress(const Obj* o) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "0x%lx", reinterpret_cast<unsigned long>(o));
  return buf;
}

// The global named `name` of the running module (borrowed), or undefined.
Value GlobalNamed(Interpreter* interp, std::string_view name) {
  for (size_t i = 0; i < interp->global_names.size(); ++i) {
    if (interp->global_names[i] == name) return interp->globals[i];
  }
  return Value::Undefined();
}

// Resolves a dotted qualified name ("f", "C.m") from the module's globals, through class
// namespaces: undefined when some part is missing.
Value ResolveQualified(Interpreter* interp, std::string_view qualname) {
  size_t dot = qualname.find('.');
  Value v = GlobalNamed(interp, qualname.substr(0, dot));
  while (dot != std::string_view::npos && !v.is_undefined()) {
    size_t next = qualname.find('.', dot + 1);
    std::string_view part = qualname.substr(
        dot + 1, next == std::string_view::npos ? std::string_view::npos : next - dot - 1);
    if (!IsType(v, ObjType::kClass)) return Value::Undefined();
    v = AsClass(v)->Lookup(part);
    if (IsType(v, ObjType::kStaticMethod) || IsType(v, ObjType::kClassMethod)) {
      v = static_cast<WrapperObj*>(v.o)->fget;
    }
    dot = next;
  }
  return v;
}

class Writer {
 public:
  Writer(ThreadState& ts, std::string* out) : ts_(ts), out_(out) {}

  bool Write(Value v) {
    switch (v.tag) {
      case Tag::kUndefined:
        return ts_.Raise("SystemError", "cannot serialize an unset value");
      case Tag::kNone:
        out_->push_back(kNone);
        return true;
      case Tag::kBool:
        out_->push_back(v.i ? kTrue : kFalse);
        return true;
      case Tag::kInt:
        out_->push_back(kInt);
        PutSigned(out_, v.i);
        return true;
      case Tag::kFloat: {
        out_->push_back(kFloat);
        char bytes[8];
        std::memcpy(bytes, &v.f, 8);
        out_->append(bytes, 8);
        return true;
      }
      case Tag::kObj:
        break;
    }
    if (++depth_ > kMaxDepth) {
      return ts_.Raise("RecursionError",
                       "maximum recursion depth exceeded while pickling an object");
    }
    bool ok = WriteObject(v);
    --depth_;
    return ok;
  }

 private:
  // A memoised object met before: its reference. Else remembers it and returns false.
  bool WroteMemo(Obj* o) {
    auto [it, fresh] = memo_.emplace(o, memo_.size());
    if (fresh) return false;
    out_->push_back(kMemo);
    PutVarint(out_, it->second);
    return true;
  }

  bool WriteItems(const std::vector<Value>& items) {
    PutVarint(out_, items.size());
    for (size_t i = 0; i < items.size(); ++i) {
      if (!Write(items[i])) return false;
    }
    return true;
  }

  bool WriteObject(Value v) {
    Obj* o = v.o;
    switch (o->type) {
      case ObjType::kStr:
        out_->push_back(kStr);
        PutString(out_, AsStr(v)->s);
        return true;
      case ObjType::kBytes:
        out_->push_back(kBytes);
        PutString(out_, AsBytes(v)->s);
        return true;
      case ObjType::kRange: {
        auto* r = static_cast<RangeObj*>(o);
        out_->push_back(kRange);
        for (int64_t x : {r->start, r->stop, r->step}) PutSigned(out_, x);
        return true;
      }
      case ObjType::kTuple:
        out_->push_back(kTuple);
        return WriteItems(AsSeq(v)->items);
      case ObjType::kList: {
        if (WroteMemo(o)) return true;
        out_->push_back(kList);
        return WriteItems(AsSeq(v)->items);
      }
      case ObjType::kDict: {
        if (WroteMemo(o)) return true;
        out_->push_back(kDict);
        DictObj* d = AsDict(v);
        PutVarint(out_, static_cast<uint64_t>(d->used));
        for (size_t i = 0; i < d->entries.size(); ++i) {
          const DictEntry e = d->entries[i];
          if (e.key.is_undefined()) continue;
          if (!Write(e.key) || !Write(e.value)) return false;
        }
        return true;
      }
      case ObjType::kSet:
      case ObjType::kFrozenSet: {
        if (o->type == ObjType::kSet) {
          if (WroteMemo(o)) return true;
          out_->push_back(kSet);
        } else {
          out_->push_back(kFrozenSet);
        }
        SetObj* so = AsSet(v);
        PutVarint(out_, static_cast<uint64_t>(so->used));
        size_t pos = 0;
        Value key;
        int64_t hash;
        while (SetNext(so, &pos, &key, &hash)) {  // a new reference to each key
          bool ok = Write(key);
          Decref(key);
          if (!ok) return false;
        }
        return true;
      }
      case ObjType::kInstance:
        return WriteInstance(v);
      case ObjType::kClass:
        return WriteClassRef(AsClass(v));
      case ObjType::kFunction:
        return WriteFunction(static_cast<FunctionObj*>(o));
      case ObjType::kMethod: {
        auto* m = static_cast<MethodObj*>(o);
        if (!IsType(m->func, ObjType::kFunction)) break;
        out_->push_back(kMethod);
        if (!Write(m->self)) return false;
        PutString(out_, static_cast<FunctionObj*>(m->func.o)->code->name);
        return true;
      }
      case ObjType::kNative:
        return WriteNative(static_cast<NativeObj*>(o));
      default:
        break;
    }
    return ts_.Raise("TypeError", std::string("cannot pickle '") + TypeName(v) + "' object");
  }

  bool WriteClassRef(ClassObj* cls) {
    out_->push_back(kClass);
    return WriteClassName(cls);
  }

  // A class as its module-level name ('G'), checked as pickle checks a global, or a built-in
  // exception class by its printed name ('B').
  bool WriteClassName(ClassObj* cls) {
    if (cls->builtin) {
      if (IsExceptionClass(cls)) {
        out_->push_back('B');
        PutString(out_, QualifiedClassName(cls));
        return true;
      }
      return ts_.Raise("TypeError", "cannot pickle '" + cls->name + "' class");
    }
    if (!CheckGlobal(Value::Object(cls), cls->name, "<class '__main__." + cls->name + "'>")) {
      return false;
    }
    out_->push_back('G');
    PutString(out_, cls->name);
    return true;
  }

  // pickle's save_global checks: the object must be what its qualified name reaches.
  bool CheckGlobal(Value obj, const std::string& qualname, const std::string& repr) {
    if (qualname.find("<locals>") != std::string::npos) {
      return ts_.Raise("AttributeError", "Can't pickle local object '" + qualname + "'");
    }
    Value found = ResolveQualified(ts_.interp, qualname);
    if (found.is_undefined()) {
      return RaiseMpError(
          ts_, PicklingErrorClass(),
          "Can't pickle " + repr + ": attribute lookup " + qualname + " on __main__ failed");
    }
    if (!(found.is_obj() && found.o == obj.o)) {
      return RaiseMpError(
          ts_, PicklingErrorClass(),
          "Can't pickle " + repr + ": it's not the same object as __main__." + qualname);
    }
    return true;
  }

  bool WriteFunction(FunctionObj* fn) {
    const std::string& qualname = fn->code->qualname;
    if (!CheckGlobal(Value::Object(fn), qualname,
                     "<function " + qualname + " at " + PickleAddress(fn) + ">")) {
      return false;
    }
    out_->push_back(kFunction);
    PutString(out_, qualname);
    return true;
  }

  bool WriteNative(NativeObj* native) {
    Value builtin = LookupBuiltin(native->name);
    if (IsType(builtin, ObjType::kNative) && static_cast<NativeObj*>(builtin.o)->fn == native->fn) {
      out_->push_back(kBuiltin);
      PutString(out_, "");
      PutString(out_, native->name);
      return true;
    }
    for (const char* module : kNativeModules) {
      Value m = ts_.interp->ImportModule(module);
      if (!IsType(m, ObjType::kModule)) continue;
      Value f = static_cast<ModuleObj*>(m.o)->Get(native->name);
      if (IsType(f, ObjType::kNative) && static_cast<NativeObj*>(f.o)->fn == native->fn) {
        out_->push_back(kBuiltin);
        PutString(out_, module);
        PutString(out_, native->name);
        return true;
      }
    }
    return ts_.Raise("TypeError", "cannot pickle 'builtin_function_or_method' object");
  }

  // An instance (memoised): its class, an exception's args, then its attributes by name.
  bool WriteInstance(Value v) {
    InstanceObj* inst = AsInstance(v);
    ClassObj* cls = inst->cls;
    bool exception = IsExceptionClass(cls);
    if (!exception && (cls->builtin || cls->native != NativeBase::kNone)) {
      for (const ClassObj* c = cls; c != nullptr; c = c->base) {
        if (c->builtin && c != ObjectClass()) {
          return ts_.Raise("TypeError", "cannot pickle '" + c->name + "' object");
        }
      }
    }
    if (WroteMemo(inst)) return true;
    out_->push_back(exception ? kException : kInstance);
    if (!WriteClassName(cls)) return false;
    if (exception && !Write(ExceptionArgs(v))) return false;
    std::vector<std::pair<const std::string*, Value>> attrs;
    for (size_t slot = 0; slot < cls->slot_names.size(); ++slot) {
      Value a = inst->Get(static_cast<int>(slot));
      if (!a.is_undefined()) attrs.emplace_back(&cls->slot_names[slot], a);
    }
    PutVarint(out_, attrs.size());
    for (const auto& [name, a] : attrs) {
      PutString(out_, *name);
      Incref(a);  // an attribute's encoding runs no code, but keep it alive regardless
      bool ok = Write(a);
      Decref(a);
      if (!ok) return false;
    }
    return true;
  }

  ThreadState& ts_;
  std::string* out_;
  std::unordered_map<const Obj*, uint64_t> memo_;
  int depth_ = 0;
};

class Reader {
 public:
  Reader(ThreadState& ts, std::string_view* data) : ts_(ts), data_(data) {}
  ~Reader() {
    for (Value v : memo_) Decref(v);
  }

  bool Read(Value* out) {
    char tag;
    if (!Byte(&tag)) return false;
    switch (tag) {
      case kNone:
        *out = Value::None();
        return true;
      case kTrue:
      case kFalse:
        *out = Value::Bool(tag == kTrue);
        return true;
      case kInt: {
        int64_t i;
        if (!Signed(&i)) return false;
        *out = Value::Int(i);
        return true;
      }
      case kFloat: {
        if (data_->size() < 8) return Corrupt();
        double d;
        std::memcpy(&d, data_->data(), 8);
        data_->remove_prefix(8);
        *out = Value::Float(d);
        return true;
      }
      case kStr:
      case kBytes: {
        std::string_view s;
        if (!String(&s)) return false;
        *out = tag == kStr ? MakeStr(std::string(s)) : MakeBytes(std::string(s));
        return true;
      }
      case kRange: {
        int64_t a, b, c;
        if (!Signed(&a) || !Signed(&b) || !Signed(&c)) return false;
        *out = Value::Object(new RangeObj(a, b, c));
        return true;
      }
      case kTuple:
        return ReadSeq(false, out);
      case kList:
        return ReadSeq(true, out);
      case kDict:
        return ReadDict(out);
      case kSet:
      case kFrozenSet:
        return ReadSet(tag == kSet, out);
      case kInstance:
      case kException:
        return ReadInstance(out);
      case kClass: {
        ClassObj* cls;
        if (!ReadClass(&cls)) return false;
        IncrefObj(cls);
        *out = Value::Object(cls);
        return true;
      }
      case kFunction: {
        std::string_view name;
        if (!String(&name)) return false;
        Value f = ResolveQualified(ts_.interp, name);
        if (f.is_undefined()) return CannotGet(name);
        Incref(f);
        *out = f;
        return true;
      }
      case kMethod: {
        Value self;
        std::string_view name;
        if (!Read(&self)) return false;
        bool ok = String(&name) && GetAttr(ts_, self, name, out);
        Decref(self);
        return ok;
      }
      case kBuiltin: {
        std::string_view module, name;
        if (!String(&module) || !String(&name)) return false;
        Value f = module.empty() ? LookupBuiltin(name) : Value::Undefined();
        if (!module.empty()) {
          Value m = ts_.interp->ImportModule(module);
          if (IsType(m, ObjType::kModule)) f = static_cast<ModuleObj*>(m.o)->Get(name);
        }
        if (f.is_undefined()) return CannotGet(name);
        Incref(f);
        *out = f;
        return true;
      }
      case kMemo: {
        uint64_t index;
        if (!Varint(&index)) return false;
        if (index >= memo_.size()) return Corrupt();
        *out = memo_[index];
        Incref(*out);
        return true;
      }
      default:
        return Corrupt();
    }
  }

 private:
  bool Corrupt() { return ts_.Raise("ValueError", "corrupt serialized data"); }
  bool CannotGet(std::string_view name) {
    return ts_.Raise("AttributeError", "Can't get attribute '" + std::string(name) +
                                           "' on <module '__main__' from '" +
                                           ts_.interp->filename() + "'>");
  }
  bool Byte(char* c) {
    if (data_->empty()) return Corrupt();
    *c = data_->front();
    data_->remove_prefix(1);
    return true;
  }
  bool Varint(uint64_t* v) {
    *v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      char c;
      if (!Byte(&c)) return false;
      *v |= static_cast<uint64_t>(c & 0x7F) << shift;
      if ((c & 0x80) == 0) return true;
    }
    return Corrupt();
  }
  bool Signed(int64_t* i) {
    uint64_t u;
    if (!Varint(&u)) return false;
    *i = static_cast<int64_t>((u >> 1) ^ (~(u & 1) + 1));
    return true;
  }
  bool Count(uint64_t* n) {
    // Every item takes a byte at least: a count beyond the bytes left is corrupt.
    return Varint(n) && (*n <= data_->size() || Corrupt());
  }
  bool String(std::string_view* s) {
    uint64_t n;
    if (!Varint(&n)) return false;
    if (n > data_->size()) return Corrupt();
    *s = data_->substr(0, n);
    data_->remove_prefix(n);
    return true;
  }
  void Remember(Value v) {
    Incref(v);
    memo_.push_back(v);
  }

  bool ReadSeq(bool list, Value* out) {
    uint64_t n;
    if (!Count(&n)) return false;
    *out = list ? MakeList() : MakeTuple();
    if (list) Remember(*out);
    SeqObj* seq = AsSeq(*out);
    seq->items.reserve(n);
    for (uint64_t k = 0; k < n; ++k) {
      Value item;
      if (!Read(&item)) {
        Decref(*out);
        return false;
      }
      seq->items.push_back(item);
    }
    return true;
  }

  bool ReadDict(Value* out) {
    uint64_t n;
    if (!Count(&n)) return false;
    DictObj* d = NewDict();
    *out = Value::Object(d);
    Remember(*out);
    for (uint64_t k = 0; k < n; ++k) {
      Value key, value;
      bool ok = Read(&key);
      if (ok && !Read(&value)) {
        Decref(key);
        ok = false;
      }
      if (ok) {
        ok = DictSet(ts_, d, key, value);
        Decref(key);
        Decref(value);
      }
      if (!ok) {
        Decref(*out);
        return false;
      }
    }
    return true;
  }

  bool ReadSet(bool mutable_set, Value* out) {
    uint64_t n;
    if (!Count(&n)) return false;
    SetObj* so = NewSet(mutable_set ? ObjType::kSet : ObjType::kFrozenSet);
    *out = Value::Object(so);
    if (mutable_set) Remember(*out);
    for (uint64_t k = 0; k < n; ++k) {
      Value key;
      if (!Read(&key)) {
        Decref(*out);
        return false;
      }
      bool ok = SetAdd(ts_, so, key);
      Decref(key);
      if (!ok) {
        Decref(*out);
        return false;
      }
    }
    return true;
  }

  bool ReadClass(ClassObj** cls) {
    char kind;
    std::string_view name;
    if (!Byte(&kind) || !String(&name)) return false;
    if (kind == 'B') {
      *cls = ExceptionClassByPrintedName(name);
      if (*cls == nullptr) return CannotGet(name);
      return true;
    }
    Value v = ResolveQualified(ts_.interp, name);
    if (!IsType(v, ObjType::kClass)) return CannotGet(name);
    *cls = AsClass(v);
    return true;
  }

  bool ReadInstance(Value* out) {
    ClassObj* cls;
    if (!ReadClass(&cls)) return false;
    *out = Value::Object(NewInstanceOf(cls));
    Remember(*out);
    if (IsExceptionClass(cls)) {
      Value args;
      if (!Read(&args)) {
        Decref(*out);
        return false;
      }
      if (IsType(args, ObjType::kTuple)) {
        SetExceptionArgs(*out, AsSeq(args)->items.data(),
                         static_cast<int>(AsSeq(args)->items.size()), nullptr);
      }
      Decref(args);
    }
    uint64_t n;
    if (!Count(&n)) {
      Decref(*out);
      return false;
    }
    for (uint64_t k = 0; k < n; ++k) {
      std::string_view name;
      Value a;
      if (!String(&name) || !Read(&a)) {
        Decref(*out);
        return false;
      }
      bool ok = SetAttr(ts_, *out, name, a);
      Decref(a);
      if (!ok) {
        Decref(*out);
        return false;
      }
    }
    return true;
  }

  ThreadState& ts_;
  std::string_view* data_;
  std::vector<Value> memo_;  // owned references
};

}  // namespace

ClassObj* PicklingErrorClass() {
  static ClassObj* const kPickleError =
      NewLibraryExceptionClass("_pickle", "PickleError", ExceptionClass("Exception"));
  static ClassObj* const kPicklingError =
      NewLibraryExceptionClass("_pickle", "PicklingError", kPickleError);
  return kPicklingError;
}

bool SerializeValue(ThreadState& ts, Value v, std::string* out) {
  Writer writer(ts, out);
  return writer.Write(v);
}

bool DeserializeValue(ThreadState& ts, std::string_view* data, Value* out) {
  Reader reader(ts, data);
  return reader.Read(out);
}

}  // namespace gilbench::vm
