; Runtime core for compiled Ruchy code: the text buffer that formatting appends to,
; output, runtime errors, and the big-stack entry point of native executables.
;
; Strings are pointers to [i64 length][bytes][NUL]; they are immutable and never freed
; (compiled programs are short-lived; see docs/codegen.md).

@stdout = external global ptr
@stderr = external global ptr

declare ptr @malloc(i64)
declare ptr @realloc(ptr, i64)
declare i64 @fwrite(ptr, i64, i64, ptr)
declare i32 @fflush(ptr)
declare void @exit(i32) noreturn
declare i64 @strlen(ptr)
declare void @llvm.memcpy.p0.p0.i64(ptr, ptr, i64, i1)
declare i32 @pthread_attr_init(ptr)
declare i32 @pthread_attr_setstacksize(ptr, i64)
declare i32 @pthread_create(ptr, ptr, ptr, ptr)
declare i32 @pthread_join(i64, ptr)

; The buffer: formatting appends here; rt_buf_take turns it into a string.
@rt_buf = internal global ptr null
@rt_buf_len = internal global i64 0
@rt_buf_cap = internal global i64 0

; Where compiled code is: the whole diagnostic of "out of memory" at the instruction
; that called the runtime (FunctionGen.rt stores it before each call that may allocate);
; null before any, or in code that does not say (the bare message then).
@rt_oom_at = global ptr null

define void @rt_oom() noreturn cold {
  %at = load ptr, ptr @rt_oom_at
  %known = icmp ne ptr %at, null
  br i1 %known, label %diag, label %bare
diag:
  call void @rt_fail_c(ptr %at)
  unreachable
bare:
  %e = load ptr, ptr @stderr
  call i64 @fwrite(ptr @.oom, i64 1, i64 14, ptr %e)
  call void @exit(i32 1)
  unreachable
}
@.oom = private constant [15 x i8] c"out of memory\0A\00"

define ptr @rt_alloc(i64 %n) {
  %p = call ptr @malloc(i64 %n)
  %bad = icmp eq ptr %p, null
  br i1 %bad, label %oom, label %ok
oom:
  call void @rt_oom()
  unreachable
ok:
  ret ptr %p
}

define ptr @rt_grow(ptr %p, i64 %n) {
  %q = call ptr @realloc(ptr %p, i64 %n)
  %bad = icmp eq ptr %q, null
  br i1 %bad, label %oom, label %ok
oom:
  call void @rt_oom()
  unreachable
ok:
  ret ptr %q
}

; Make room for %extra more bytes (and a NUL).
define void @rt_buf_reserve(i64 %extra) {
  %len = load i64, ptr @rt_buf_len
  %cap = load i64, ptr @rt_buf_cap
  %need = add i64 %len, %extra
  %need1 = add i64 %need, 1
  %fits = icmp ule i64 %need1, %cap
  br i1 %fits, label %done, label %grow
grow:
  %dbl = shl i64 %cap, 1
  %big = icmp ugt i64 %dbl, %need1
  %c1 = select i1 %big, i64 %dbl, i64 %need1
  %c2 = call i64 @llvm.umax.i64(i64 %c1, i64 256)
  %old = load ptr, ptr @rt_buf
  %new = call ptr @rt_grow(ptr %old, i64 %c2)
  store ptr %new, ptr @rt_buf
  store i64 %c2, ptr @rt_buf_cap
  br label %done
done:
  ret void
}
declare i64 @llvm.umax.i64(i64, i64)

define void @rt_buf_bytes(ptr %p, i64 %n) {
  call void @rt_buf_reserve(i64 %n)
  %buf = load ptr, ptr @rt_buf
  %len = load i64, ptr @rt_buf_len
  %dst = getelementptr i8, ptr %buf, i64 %len
  call void @llvm.memcpy.p0.p0.i64(ptr %dst, ptr %p, i64 %n, i1 false)
  %nl = add i64 %len, %n
  store i64 %nl, ptr @rt_buf_len
  ret void
}

define void @rt_buf_cstr(ptr %p) {
  %n = call i64 @strlen(ptr %p)
  call void @rt_buf_bytes(ptr %p, i64 %n)
  ret void
}

define void @rt_buf_byte(i8 %c) {
  call void @rt_buf_reserve(i64 1)
  %buf = load ptr, ptr @rt_buf
  %len = load i64, ptr @rt_buf_len
  %dst = getelementptr i8, ptr %buf, i64 %len
  store i8 %c, ptr %dst
  %nl = add i64 %len, 1
  store i64 %nl, ptr @rt_buf_len
  ret void
}

define i64 @rt_buf_mark() {
  %len = load i64, ptr @rt_buf_len
  ret i64 %len
}

define ptr @rt_buf_data() {
  %buf = load ptr, ptr @rt_buf
  ret ptr %buf
}

define void @rt_buf_set_len(i64 %n) {
  store i64 %n, ptr @rt_buf_len
  ret void
}

; A new string of %n bytes from %p.
define ptr @rt_str_new(ptr %p, i64 %n) {
  %sz = add i64 %n, 9
  %s = call ptr @rt_alloc(i64 %sz)
  store i64 %n, ptr %s
  %d = getelementptr i8, ptr %s, i64 8
  call void @llvm.memcpy.p0.p0.i64(ptr %d, ptr %p, i64 %n, i1 false)
  %end = getelementptr i8, ptr %d, i64 %n
  store i8 0, ptr %end
  ret ptr %s
}

; The buffer's text as a new string; the buffer is emptied.
define ptr @rt_buf_take() {
  %buf = load ptr, ptr @rt_buf
  %len = load i64, ptr @rt_buf_len
  %s = call ptr @rt_str_new(ptr %buf, i64 %len)
  store i64 0, ptr @rt_buf_len
  ret ptr %s
}

; Bytes of stdout ([0]) and stderr ([1]) not to write: a program that the tiered
; runtime hands over to its whole compiled program (jit/background.py) runs again from
; the start, and what the interpreter printed before the switch was printed already.
; Zero everywhere else. Every write of compiled code goes through rt_write.
@rt_skip = global [2 x i64] zeroinitializer

define void @rt_write(ptr %p, i64 %n, ptr %f) {
  %z = icmp eq i64 %n, 0
  br i1 %z, label %done, label %chk
chk:
  %so = load i64, ptr @rt_skip
  %se = load i64, ptr getelementptr ([2 x i64], ptr @rt_skip, i64 0, i64 1)
  %any = or i64 %so, %se
  %none = icmp eq i64 %any, 0
  br i1 %none, label %w, label %skip
skip:
  call void @rt_write_skipping(ptr %p, i64 %n, ptr %f)
  br label %done
w:
  %k = call i64 @fwrite(ptr %p, i64 1, i64 %n, ptr %f)
  %short = icmp ult i64 %k, %n
  br i1 %short, label %failed, label %done
failed:
  call void @rt_write_failed()
  br label %done
done:
  ret void
}

; rt_write while bytes are still to be skipped: drop the first of them on the stream's
; own count, write the rest.
define void @rt_write_skipping(ptr %p, i64 %n, ptr %f) cold noinline {
  %o = load ptr, ptr @stdout
  %isout = icmp eq ptr %f, %o
  %slot = select i1 %isout, ptr @rt_skip, ptr getelementptr ([2 x i64], ptr @rt_skip, i64 0, i64 1)
  %s = load i64, ptr %slot
  %drop = call i64 @llvm.umin.i64(i64 %s, i64 %n)
  %left = sub i64 %s, %drop
  store i64 %left, ptr %slot
  %rest = sub i64 %n, %drop
  %none = icmp eq i64 %rest, 0
  br i1 %none, label %done, label %w
w:
  %q = getelementptr i8, ptr %p, i64 %drop
  %k = call i64 @fwrite(ptr %q, i64 1, i64 %rest, ptr %f)
  %short = icmp ult i64 %k, %rest
  br i1 %short, label %failed, label %done
failed:
  call void @rt_write_failed()
  br label %done
done:
  ret void
}
declare i64 @llvm.umin.i64(i64, i64)

; A write that failed because its reader is gone (EPIPE: `prog | head -1`; SIGPIPE is
; ignored in the Python process) ends the program quietly with status 0, as tier 0 ends
; on BrokenPipeError; any other failure is ignored, as before.
define void @rt_write_failed() cold noinline {
  %ep = call ptr @__errno_location()
  %e = load i32, ptr %ep
  %pipe = icmp eq i32 %e, 32
  br i1 %pipe, label %quit, label %ok
quit:
  call void @_exit(i32 0)
  unreachable
ok:
  ret void
}
declare ptr @__errno_location()
declare void @_exit(i32) noreturn

; print/println of the buffer's text (format fused with print), then empty it.
define void @rt_buf_print() {
  %buf = load ptr, ptr @rt_buf
  %len = load i64, ptr @rt_buf_len
  %f = load ptr, ptr @stdout
  call void @rt_write(ptr %buf, i64 %len, ptr %f)
  store i64 0, ptr @rt_buf_len
  ret void
}

define void @rt_buf_eprint() {
  %o = load ptr, ptr @stdout
  call i32 @fflush(ptr %o)
  %buf = load ptr, ptr @rt_buf
  %len = load i64, ptr @rt_buf_len
  %f = load ptr, ptr @stderr
  call void @rt_write(ptr %buf, i64 %len, ptr %f)
  store i64 0, ptr @rt_buf_len
  ret void
}

define void @rt_print(ptr %s) {
  %len = load i64, ptr %s
  %d = getelementptr i8, ptr %s, i64 8
  %f = load ptr, ptr @stdout
  call void @rt_write(ptr %d, i64 %len, ptr %f)
  ret void
}

define void @rt_eprint(ptr %s) {
  %o = load ptr, ptr @stdout
  call i32 @fflush(ptr %o)
  %len = load i64, ptr %s
  %d = getelementptr i8, ptr %s, i64 8
  %f = load ptr, ptr @stderr
  call void @rt_write(ptr %d, i64 %len, ptr %f)
  ret void
}

define void @rt_flush() {
  %o = load ptr, ptr @stdout
  call i32 @fflush(ptr %o)
  ret void
}

; A runtime error whose whole diagnostic is known at compile time (position, message,
; source line and caret): everything printed so far stays printed, then exit status 1.
define void @rt_fail_c(ptr %diag) noreturn cold {
  %o = load ptr, ptr @stdout
  call i32 @fflush(ptr %o)
  %e = load ptr, ptr @stderr
  %n = call i64 @strlen(ptr %diag)
  call void @rt_write(ptr %diag, i64 %n, ptr %e)
  call i32 @fflush(ptr %e)
  call void @exit(i32 1)
  unreachable
}

; A runtime error whose message was built in the buffer: %pre, the buffer, %post.
define void @rt_fail_buf(ptr %pre, ptr %post) noreturn cold {
  %o = load ptr, ptr @stdout
  call i32 @fflush(ptr %o)
  %e = load ptr, ptr @stderr
  %n1 = call i64 @strlen(ptr %pre)
  call void @rt_write(ptr %pre, i64 %n1, ptr %e)
  %buf = load ptr, ptr @rt_buf
  %len = load i64, ptr @rt_buf_len
  call void @rt_write(ptr %buf, i64 %len, ptr %e)
  %n2 = call i64 @strlen(ptr %post)
  call void @rt_write(ptr %post, i64 %n2, ptr %e)
  call i32 @fflush(ptr %e)
  call void @exit(i32 1)
  unreachable
}

; Native executables run the program on a thread with a 1 GiB stack (reserved, not
; committed), so that recursion as deep as the language allows never overflows the
; process stack; deeper recursion is the `stack overflow` error in compiled code.
define internal ptr @rt_thread_body(ptr %fn) {
  call void %fn()
  ret ptr null
}

define i32 @rt_run_big_stack(ptr %fn) {
  %attr = alloca [64 x i8], align 16
  %tid = alloca i64
  call i32 @pthread_attr_init(ptr %attr)
  call i32 @pthread_attr_setstacksize(ptr %attr, i64 1073741824)
  %rc = call i32 @pthread_create(ptr %tid, ptr %attr, ptr @rt_thread_body, ptr %fn)
  %ok = icmp eq i32 %rc, 0
  br i1 %ok, label %join, label %direct
join:
  %t = load i64, ptr %tid
  call i32 @pthread_join(i64 %t, ptr null)
  br label %done
direct:
  call void %fn()
  br label %done
done:
  call void @rt_flush()
  ret i32 0
}
