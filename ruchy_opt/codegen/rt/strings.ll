; Strings for compiled code: [i64 len][bytes][NUL], immutable (see core.ll).

declare ptr @rt_alloc(i64)
declare ptr @rt_str_new(ptr, i64)
declare ptr @rt_arr_new(i64, i64)
declare i32 @memcmp(ptr, ptr, i64)
declare void @llvm.memcpy.p0.p0.i64(ptr, ptr, i64, i1)
declare i64 @llvm.smin.i64(i64, i64)

define i1 @rt_str_eq(ptr %a, ptr %b) {
  %na = load i64, ptr %a
  %nb = load i64, ptr %b
  %same = icmp eq i64 %na, %nb
  br i1 %same, label %cmp, label %no
cmp:
  %da = getelementptr i8, ptr %a, i64 8
  %db = getelementptr i8, ptr %b, i64 8
  %r = call i32 @memcmp(ptr %da, ptr %db, i64 %na)
  %e = icmp eq i32 %r, 0
  ret i1 %e
no:
  ret i1 false
}

; -1, 0 or 1 by bytes (UTF-8 byte order is code point order, as Python compares).
define i64 @rt_str_cmp(ptr %a, ptr %b) {
  %na = load i64, ptr %a
  %nb = load i64, ptr %b
  %n = call i64 @llvm.smin.i64(i64 %na, i64 %nb)
  %da = getelementptr i8, ptr %a, i64 8
  %db = getelementptr i8, ptr %b, i64 8
  %r = call i32 @memcmp(ptr %da, ptr %db, i64 %n)
  %lt = icmp slt i32 %r, 0
  %gt = icmp sgt i32 %r, 0
  br i1 %lt, label %less, label %ge
ge:
  br i1 %gt, label %more, label %tie
tie:
  %l = icmp slt i64 %na, %nb
  %g = icmp sgt i64 %na, %nb
  %li = zext i1 %l to i64
  %gi = zext i1 %g to i64
  %d = sub i64 %gi, %li
  ret i64 %d
less:
  ret i64 -1
more:
  ret i64 1
}

define ptr @rt_str_concat(ptr %a, ptr %b) {
  %na = load i64, ptr %a
  %nb = load i64, ptr %b
  %n = add i64 %na, %nb
  %sz = add i64 %n, 9
  %s = call ptr @rt_alloc(i64 %sz)
  store i64 %n, ptr %s
  %d = getelementptr i8, ptr %s, i64 8
  %da = getelementptr i8, ptr %a, i64 8
  call void @llvm.memcpy.p0.p0.i64(ptr %d, ptr %da, i64 %na, i1 false)
  %d2 = getelementptr i8, ptr %d, i64 %na
  %db = getelementptr i8, ptr %b, i64 8
  %nb1 = add i64 %nb, 1
  call void @llvm.memcpy.p0.p0.i64(ptr %d2, ptr %db, i64 %nb1, i1 false)
  ret ptr %s
}

; The characters (code points) of a string, as an array of one-character strings.
define ptr @rt_str_chars(ptr %s) {
entry:
  %n = load i64, ptr %s
  %d = getelementptr i8, ptr %s, i64 8
  %r = call ptr @rt_arr_new(i64 0, i64 4)
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %j, %emit ]
  %more = icmp slt i64 %i, %n
  br i1 %more, label %scan, label %done
scan:
  %j0 = add i64 %i, 1
  br label %cont
cont:
  %j = phi i64 [ %j0, %scan ], [ %j1, %step ]
  %in = icmp slt i64 %j, %n
  br i1 %in, label %test, label %emit
test:
  %bp = getelementptr i8, ptr %d, i64 %j
  %b = load i8, ptr %bp
  %hi = and i8 %b, -64
  %isc = icmp eq i8 %hi, -128
  br i1 %isc, label %step, label %emit
step:
  %j1 = add i64 %j, 1
  br label %cont
emit:
  %p = getelementptr i8, ptr %d, i64 %i
  %len = sub i64 %j, %i
  %c = call ptr @rt_str_new(ptr %p, i64 %len)
  %ci = ptrtoint ptr %c to i64
  call void @rt_arr_push(ptr %r, i64 %ci, i64 4)
  br label %loop
done:
  ret ptr %r
}
declare void @rt_arr_push(ptr, i64, i64)
