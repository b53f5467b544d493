// The abstract syntax tree the parser builds and the compiler walks.
//
// One tagged struct per category (Expr, Stmt) rather than a class per node: the subset is small,
// the compiler switches on `kind`, and each field below says which kinds use it. An expression and
// a statement's own fields are ordinary trees (unique_ptr children); a compound statement's blocks
// (its body and else clause) are not: they stay encoded (ast_codec.h, about two bytes per source
// byte against a hundred as trees) and are decoded one statement at a time, so a function of a
// million lines compiles in memory for its source, not for its tree. A Module owns its top-level
// statements, each decoded from the buffer that also holds its blocks.
//
// Expr and Stmt have no padding (the fields are ordered for it), so that a new field changes their
// size and stops the build at the static_asserts in ast_codec.cc until the codec encodes it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace gilbench::vm {

// Where a node starts in the source: 1-based line, 0-based column (in bytes), as CPython counts.
struct SourcePos {
  int line = 0;
  int col = 0;
};

enum class UnaryOp { kNeg, kPos, kNot, kInvert };
// The bitwise operators come last: the interpreter has an opcode for each of the others, and one
// generic opcode (BINARY_OP) for these.
enum class BinaryOp {
  kAdd,
  kSub,
  kMul,
  kDiv,
  kFloorDiv,
  kMod,
  kPow,
  kBitOr,
  kBitXor,
  kBitAnd,
  kLShift,
  kRShift,
};
enum class CompareOp { kEq, kNe, kLt, kLe, kGt, kGe, kIn, kNotIn, kIs, kIsNot };
enum class BoolOpKind { kAnd, kOr };

enum class ExprKind {
  kInt,    // int_value
  kFloat,  // float_value
  kStr,    // str_value (already unescaped)
  kBytes,  // str_value holds the raw bytes
  kTrue,
  kFalse,
  kNone,
  kName,       // str_value = identifier
  kUnary,      // unary_op, operand
  kBinary,     // binary_op, left, right
  kCompare,    // left, compare_ops[i] applied between items[i-1] (or left) and items[i]
  kBoolOp,     // bool_op, items (two or more, evaluated left to right)
  kIfExp,      // body=left, test=operand, orelse=right  (left if operand else right)
  kCall,       // func=left, items = positional args, keywords
  kAttribute,  // left . str_value
  kSubscript,  // left [ right ]
  kSlice,      // left [ slice_lower : slice_upper : operand ]; any of the three may be null
  kList,       // items
  kTuple,      // items
  kFString,    // items: kStr parts and kFormatted parts, in order
  kFormatted,  // operand = the expression, str_value = the format spec ("" if none)
  kDict,       // items: key, value, key, value ... in source order
  kSet,        // items
  // A lambda: operand = the body; keywords = the parameters in order, each a name and its default
  // (null when none), a name spelt "*args" / "**kwargs" for those, and a lone "*" before
  // keyword-only parameters when there is no *args.
  kLambda,
  // Comprehensions: left = the element (the key for a dict), right = the value (dict only),
  // operand = the first kCompFor.
  kListComp,
  kSetComp,
  kDictComp,
  kGenExp,
  // One `for target in iter if cond ...` clause: left = target, right = iter, items = the
  // conditions, operand = the next clause (null for the last).
  kCompFor,
  kYield,      // operand = the value (may be null): `yield` as an expression
  kYieldFrom,  // operand = the iterable
  kStarred,    // operand: `*x` as a call argument (a keyword named "" is `**x`)
};

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

struct Keyword {
  std::string name;
  ExprPtr value;
  SourcePos pos;
};

// A new field must be encoded in ast_codec.cc (its static_asserts stop the build until it is).
struct Expr {
  ExprKind kind;
  SourcePos pos;
  UnaryOp unary_op = UnaryOp::kNeg;
  BinaryOp binary_op = BinaryOp::kAdd;
  BoolOpKind bool_op = BoolOpKind::kAnd;

  int64_t int_value = 0;
  double float_value = 0.0;
  std::string str_value;
  std::vector<CompareOp> compare_ops;

  ExprPtr left;
  ExprPtr right;
  ExprPtr operand;
  ExprPtr slice_lower;
  ExprPtr slice_upper;
  std::vector<ExprPtr> items;
  std::vector<Keyword> keywords;

  explicit Expr(ExprKind k, SourcePos p) : kind(k), pos(p) {}
};

enum class StmtKind {
  kExpr,       // value
  kAssign,     // targets (a = b = value: targets = [a, b]), value
  kAugAssign,  // target = targets[0], aug_op, value
  kIf,         // test, body, orelse (an elif is an orelse holding one kIf)
  kWhile,      // test, body, orelse (the loop's else clause)
  kFor,        // target = targets[0], iter = value, body, orelse
  kBreak,
  kContinue,
  kPass,
  kAssert,       // test, msg (may be null)
  kFunctionDef,  // name, params (positional), defaults (for the last defaults.size() params),
                 // kwonly_params, kw_defaults (one per keyword-only parameter, null for none),
                 // vararg / kwarg ("" when none), decorators (top first), body (no orelse)
  kReturn,       // value (may be null)
  kYield,        // value (may be null): `yield expr` as a statement
  kGlobal,       // names
  kImport,       // module, alias ("" when none): import M [as X]
  kImportFrom,   // module, names, aliases (aliases[i] == "" when none)
  kDelete,    // target = targets[0]: a name, subscript, attribute, slice, or tuple or list of them
  kNonlocal,  // names
  kClassDef,  // name, targets = bases, body (no orelse)
  kRaise,     // value = the exception (may be null: a bare raise), msg = the cause (may be null)
  // try: body; orelse holds its clauses in order: kExceptHandler statements, then a kTryElse,
  // then a kTryFinally, each optional (at least one handler or the finally).
  kTry,
  kExceptHandler,  // value = the class or tuple (null for a bare except), name = `as` name, body
  kTryElse,        // body
  kTryFinally,     // body
  kWith,  // value = the context manager, targets = [the `as` target] or none, body; several
          // items are nested kWith statements, each the whole body of the one before
};

struct Stmt;
using StmtPtr = std::unique_ptr<Stmt>;

// std::allocator, except that resize() leaves new elements uninitialised: the block writer grows
// its buffer ahead of what it writes, and zeroing that room would touch (make resident) memory
// that may never be used.
template <typename T>
struct UninitializedAllocator : std::allocator<T> {
  using std::allocator<T>::allocator;
  template <typename U>
  struct rebind {
    using other = UninitializedAllocator<U>;
  };
  template <typename U>
  void construct(U* p) noexcept(std::is_nothrow_default_constructible_v<U>) {
    ::new (static_cast<void*>(p)) U;
  }
  template <typename U, typename... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
};

// The bytes of encoded blocks (ast_codec.h).
using EncodedBytes = std::vector<uint8_t, UninitializedAllocator<uint8_t>>;

// How much of a statement Block::Reader decodes.
enum class DecodeDepth {
  kWhole,
  // Without the expressions the statement evaluates: value, test, msg and defaults stay empty
  // (stepped over, not built); its targets, names and blocks are there. What a scan for the names
  // a function binds needs, at a fraction of the cost.
  kBindings,
};

// A block of statements (a compound statement's body or else clause), kept encoded: a read-only
// view of a range of a buffer that the parser wrote (BlockWriter, ast_codec.h) and that the
// statement holding the block, every block nested in it and every statement decoded from them
// share. Decoding a statement gives its own blocks as views into the same buffer, so nothing is
// copied at any depth. Copying a Block copies the view, not the statements.
class Block {
 public:
  Block() = default;  // empty
  // The statements in [begin, end) of `buffer`, `count` of them, the last one starting at `last`.
  Block(std::shared_ptr<const EncodedBytes> buffer, size_t begin, size_t end, size_t count,
        size_t last)
      : buffer_(std::move(buffer)), begin_(begin), end_(end), count_(count), last_(last) {}

  bool empty() const { return count_ == 0; }
  size_t size() const { return count_; }  // the number of statements
  // The last statement, decoded on its own (For's out-of-line tail); null when empty.
  StmtPtr Last() const;

  // The encoded statements, for the codec.
  const std::shared_ptr<const EncodedBytes>& buffer() const { return buffer_; }
  size_t begin() const { return begin_; }
  size_t end() const { return end_; }
  size_t last_offset() const { return last_; }  // where the last statement starts

  class Reader;

 private:
  std::shared_ptr<const EncodedBytes> buffer_;
  size_t begin_ = 0;
  size_t end_ = 0;
  size_t count_ = 0;
  size_t last_ = 0;
};

// Decodes a block's statements in order, one at a time:
//   Block::Reader reader(block);
//   while (StmtPtr s = reader.Next()) ...
// The reader holds its own view, so it may outlive the Block it was made from.
class Block::Reader {
 public:
  explicit Reader(const Block& block) : block_(block), offset_(block.begin_) {}
  // The next statement, or null after the last.
  StmtPtr Next(DecodeDepth depth = DecodeDepth::kWhole);
  // Steps over the next statement without decoding it (nothing to do after the last).
  void Skip();
  // Whether every statement has been read (or skipped).
  bool done() const { return index_ == block_.count_; }
  // How many statements have been read (or skipped): the index of the next one.
  size_t index() const { return index_; }

 private:
  Block block_;
  size_t offset_;
  size_t index_ = 0;
};

// A new field must be encoded in ast_codec.cc (its static_asserts stop the build until it is).
struct Stmt {
  StmtKind kind;
  SourcePos pos;
  BinaryOp aug_op = BinaryOp::kAdd;

  ExprPtr value;
  ExprPtr test;
  ExprPtr msg;
  std::vector<ExprPtr> targets;
  Block body;
  Block orelse;

  std::string name;
  std::vector<std::string> params;
  std::vector<ExprPtr> defaults;

  std::string module;
  std::string alias;
  std::vector<std::string> names;
  std::vector<std::string> aliases;

  std::vector<ExprPtr> decorators;
  std::vector<std::string> kwonly_params;
  std::vector<ExprPtr> kw_defaults;
  std::string vararg;
  std::string kwarg;

  explicit Stmt(StmtKind k, SourcePos p) : kind(k), pos(p) {}
};

// A parsed source file: its top-level statements, each decoded (their blocks stay encoded).
struct Module {
  std::string filename;
  std::vector<StmtPtr> body;
};

}  // namespace gilbench::vm
