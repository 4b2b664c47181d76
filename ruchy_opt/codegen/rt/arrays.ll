; Arrays for compiled code: an array object is [i64 len][i64 cap][ptr data][i64 shared]
; (32 bytes). Elements are 8-byte slots, except in an array of bools, where each takes one
; byte (0 or 1), and in an array of tuples, structs or enums of scalars (a *record*
; descriptor, kind 7, whose upper bits are the element's size in bytes), where each is
; the value's fields laid out as the LLVM struct of its type (codegen/lltypes.py), inline.
; %ed, the element descriptor (fmt.ll), says which; rt_esize, rt_eload and rt_estore are
; the only places that know (records are read and written by the generated code, which
; knows their fields; rt_eload and rt_estore are never given one). Arrays are values with
; copy on write, as runtime/values.py: a copy (rt_arr_cp) shares the data and marks both
; objects shared; the first write through either (rt_arr_own) copies the data. A private
; object (shared == 0) is the only one that points at its data. Bounds and emptiness are
; checked by the generated code, which knows the source position for the error.

declare ptr @rt_alloc(i64)
declare void @free(ptr)
declare ptr @rt_grow(ptr, i64)
declare i1 @rt_str_eq(ptr, ptr)
declare void @llvm.memcpy.p0.p0.i64(ptr, ptr, i64, i1)
declare void @llvm.memmove.p0.p0.i64(ptr, ptr, i64, i1)
declare void @llvm.memset.p0.i64(ptr, i8, i64, i1)
declare i64 @llvm.smax.i64(i64, i64)

; The bytes an element of descriptor %ed takes: 1 for a bool, the record's size for a
; record (kind 7), 8 for all else.
define i64 @rt_esize(i64 %ed) alwaysinline {
  %kind = and i64 %ed, 7
  %isb = icmp eq i64 %kind, 3
  %isr = icmp eq i64 %kind, 7
  %rsize = lshr i64 %ed, 3
  %s0 = select i1 %isb, i64 1, i64 8
  %s = select i1 %isr, i64 %rsize, i64 %s0
  ret i64 %s
}

; Element %i of data %d as a slot (a bool's byte zero-extended).
define i64 @rt_eload(ptr %d, i64 %i, i64 %ed) alwaysinline {
  %kind = and i64 %ed, 7
  %isb = icmp eq i64 %kind, 3
  br i1 %isb, label %byte, label %word
byte:
  %bp = getelementptr i8, ptr %d, i64 %i
  %b = load i8, ptr %bp
  %bz = zext i8 %b to i64
  ret i64 %bz
word:
  %wp = getelementptr i64, ptr %d, i64 %i
  %w = load i64, ptr %wp
  ret i64 %w
}

define void @rt_estore(ptr %d, i64 %i, i64 %bits, i64 %ed) alwaysinline {
  %kind = and i64 %ed, 7
  %isb = icmp eq i64 %kind, 3
  br i1 %isb, label %byte, label %word
byte:
  %bp = getelementptr i8, ptr %d, i64 %i
  %b = trunc i64 %bits to i8
  store i8 %b, ptr %bp
  ret void
word:
  %wp = getelementptr i64, ptr %d, i64 %i
  store i64 %bits, ptr %wp
  ret void
}

; A new array of length %n (contents undefined) whose elements have descriptor %ed.
define ptr @rt_arr_new(i64 %n, i64 %ed) {
  %o = call ptr @rt_alloc(i64 32)
  %cap = call i64 @llvm.smax.i64(i64 %n, i64 4)
  %sz = call i64 @rt_esize(i64 %ed)
  %bytes = mul i64 %cap, %sz
  %d = call ptr @rt_alloc(i64 %bytes)
  store i64 %n, ptr %o
  %capp = getelementptr i8, ptr %o, i64 8
  store i64 %cap, ptr %capp
  %dp = getelementptr i8, ptr %o, i64 16
  store ptr %d, ptr %dp
  %sp = getelementptr i8, ptr %o, i64 24
  store i64 0, ptr %sp
  ret ptr %o
}

; An array its maker no longer uses (codegen/lifetimes.py): the object, and its data
; unless a copy shares it.
define void @rt_arr_free(ptr %a) {
  %sp = getelementptr i8, ptr %a, i64 24
  %sh = load i64, ptr %sp
  %own = icmp eq i64 %sh, 0
  br i1 %own, label %data, label %obj
data:
  %dp = getelementptr i8, ptr %a, i64 16
  %d = load ptr, ptr %dp
  call void @free(ptr %d)
  br label %obj
obj:
  call void @free(ptr %a)
  ret void
}

; `copy`: a new holder's view of the array, sharing its data until either side writes.
define ptr @rt_arr_cp(ptr %a) {
  %sp = getelementptr i8, ptr %a, i64 24
  store i64 1, ptr %sp
  %o = call ptr @rt_alloc(i64 32)
  call void @llvm.memcpy.p0.p0.i64(ptr %o, ptr %a, i64 32, i1 false)
  ret ptr %o
}

; Slot %bits as a new holder sees it: arrays are copied (descriptor kind 6).
define i64 @rt_slot_cp(i64 %bits, i64 %desc) {
  %kind = and i64 %desc, 7
  %isarr = icmp eq i64 %kind, 6
  br i1 %isarr, label %arr, label %plain
arr:
  %a = inttoptr i64 %bits to ptr
  %c = call ptr @rt_arr_cp(ptr %a)
  %ci = ptrtoint ptr %c to i64
  ret i64 %ci
plain:
  ret i64 %bits
}

; Make %a's data private before a write (copy on write); nested arrays are copied.
define void @rt_arr_own(ptr %a, i64 %ed) {
entry:
  %sp = getelementptr i8, ptr %a, i64 24
  %sh = load i64, ptr %sp
  %shared = icmp ne i64 %sh, 0
  br i1 %shared, label %copy, label %done
copy:
  %n = load i64, ptr %a
  %cap = call i64 @llvm.smax.i64(i64 %n, i64 4)
  %esz = call i64 @rt_esize(i64 %ed)
  %bytes = mul i64 %cap, %esz
  %d = call ptr @rt_alloc(i64 %bytes)
  %dp = getelementptr i8, ptr %a, i64 16
  %old = load ptr, ptr %dp
  %nb = mul i64 %n, %esz
  call void @llvm.memcpy.p0.p0.i64(ptr %d, ptr %old, i64 %nb, i1 false)
  store ptr %d, ptr %dp
  %capp = getelementptr i8, ptr %a, i64 8
  store i64 %cap, ptr %capp
  store i64 0, ptr %sp
  %kind = and i64 %ed, 7
  %isarr = icmp eq i64 %kind, 6
  br i1 %isarr, label %loop, label %done
loop:
  %i = phi i64 [ 0, %copy ], [ %i1, %body ]
  %more = icmp slt i64 %i, %n
  br i1 %more, label %body, label %done
body:
  %ep = getelementptr i64, ptr %d, i64 %i
  %e = load i64, ptr %ep
  %ec = call i64 @rt_slot_cp(i64 %e, i64 %ed)
  store i64 %ec, ptr %ep
  %i1 = add i64 %i, 1
  br label %loop
done:
  ret void
}

; Room for one more element in a private array.
define void @rt_arr_reserve1(ptr %a, i64 %ed) {
  %n = load i64, ptr %a
  %capp = getelementptr i8, ptr %a, i64 8
  %cap = load i64, ptr %capp
  %full = icmp sge i64 %n, %cap
  br i1 %full, label %grow, label %done
grow:
  %nc0 = shl i64 %cap, 1
  %nc = call i64 @llvm.smax.i64(i64 %nc0, i64 4)
  %sz = call i64 @rt_esize(i64 %ed)
  %bytes = mul i64 %nc, %sz
  %dp = getelementptr i8, ptr %a, i64 16
  %old = load ptr, ptr %dp
  %d = call ptr @rt_grow(ptr %old, i64 %bytes)
  store ptr %d, ptr %dp
  store i64 %nc, ptr %capp
  br label %done
done:
  ret void
}

; `a.push(v)`: %bits is already the value the array holds (copied by the caller).
define void @rt_arr_push(ptr %a, i64 %bits, i64 %ed) {
  call void @rt_arr_own(ptr %a, i64 %ed)
  call void @rt_arr_reserve1(ptr %a, i64 %ed)
  %n = load i64, ptr %a
  %dp = getelementptr i8, ptr %a, i64 16
  %d = load ptr, ptr %dp
  call void @rt_estore(ptr %d, i64 %n, i64 %bits, i64 %ed)
  %n1 = add i64 %n, 1
  store i64 %n1, ptr %a
  ret void
}

; `a.pop()` of a non-empty array.
define i64 @rt_arr_pop(ptr %a, i64 %ed) {
  call void @rt_arr_own(ptr %a, i64 %ed)
  %n = load i64, ptr %a
  %n1 = sub i64 %n, 1
  store i64 %n1, ptr %a
  %dp = getelementptr i8, ptr %a, i64 16
  %d = load ptr, ptr %dp
  %e = call i64 @rt_eload(ptr %d, i64 %n1, i64 %ed)
  ret i64 %e
}

; `a.insert(i, v)` with 0 <= i <= len.
define void @rt_arr_insert(ptr %a, i64 %i, i64 %bits, i64 %ed) {
  call void @rt_arr_own(ptr %a, i64 %ed)
  call void @rt_arr_reserve1(ptr %a, i64 %ed)
  %n = load i64, ptr %a
  %dp = getelementptr i8, ptr %a, i64 16
  %d = load ptr, ptr %dp
  %sz = call i64 @rt_esize(i64 %ed)
  %off = mul i64 %i, %sz
  %src = getelementptr i8, ptr %d, i64 %off
  %dst = getelementptr i8, ptr %src, i64 %sz
  %cnt = sub i64 %n, %i
  %bytes = mul i64 %cnt, %sz
  call void @llvm.memmove.p0.p0.i64(ptr %dst, ptr %src, i64 %bytes, i1 false)
  call void @rt_estore(ptr %d, i64 %i, i64 %bits, i64 %ed)
  %n1 = add i64 %n, 1
  store i64 %n1, ptr %a
  ret void
}

; `a.remove(i)` with 0 <= i < len.
define i64 @rt_arr_remove(ptr %a, i64 %i, i64 %ed) {
  call void @rt_arr_own(ptr %a, i64 %ed)
  %n = load i64, ptr %a
  %dp = getelementptr i8, ptr %a, i64 16
  %d = load ptr, ptr %dp
  %e = call i64 @rt_eload(ptr %d, i64 %i, i64 %ed)
  %sz = call i64 @rt_esize(i64 %ed)
  %off = mul i64 %i, %sz
  %dst = getelementptr i8, ptr %d, i64 %off
  %src = getelementptr i8, ptr %dst, i64 %sz
  %n1 = sub i64 %n, 1
  %cnt = sub i64 %n1, %i
  %bytes = mul i64 %cnt, %sz
  call void @llvm.memmove.p0.p0.i64(ptr %dst, ptr %src, i64 %bytes, i1 false)
  store i64 %n1, ptr %a
  ret i64 %e
}

define void @rt_arr_reverse(ptr %a, i64 %ed) {
entry:
  call void @rt_arr_own(ptr %a, i64 %ed)
  %n = load i64, ptr %a
  %dp = getelementptr i8, ptr %a, i64 16
  %d = load ptr, ptr %dp
  %j0 = sub i64 %n, 1
  %kind = and i64 %ed, 7
  %isrec = icmp eq i64 %kind, 7
  br i1 %isrec, label %records, label %loop
records:
  ; records: element i's bytes swapped with element j's, a byte at a time
  %sz = lshr i64 %ed, 3
  br label %rloop
rloop:
  %ri = phi i64 [ 0, %records ], [ %ri1, %rnext ]
  %rj = phi i64 [ %j0, %records ], [ %rj1, %rnext ]
  %rmore = icmp slt i64 %ri, %rj
  br i1 %rmore, label %rbody, label %done
rbody:
  %oi = mul i64 %ri, %sz
  %oj = mul i64 %rj, %sz
  %pi = getelementptr i8, ptr %d, i64 %oi
  %pj = getelementptr i8, ptr %d, i64 %oj
  br label %bloop
bloop:
  %k = phi i64 [ 0, %rbody ], [ %k1, %bbody ]
  %bmore = icmp slt i64 %k, %sz
  br i1 %bmore, label %bbody, label %rnext
bbody:
  %qi = getelementptr i8, ptr %pi, i64 %k
  %qj = getelementptr i8, ptr %pj, i64 %k
  %bi = load i8, ptr %qi
  %bj = load i8, ptr %qj
  store i8 %bj, ptr %qi
  store i8 %bi, ptr %qj
  %k1 = add i64 %k, 1
  br label %bloop
rnext:
  %ri1 = add i64 %ri, 1
  %rj1 = sub i64 %rj, 1
  br label %rloop
loop:
  %i = phi i64 [ 0, %entry ], [ %i1, %body ]
  %j = phi i64 [ %j0, %entry ], [ %j1, %body ]
  %more = icmp slt i64 %i, %j
  br i1 %more, label %body, label %done
body:
  %vi = call i64 @rt_eload(ptr %d, i64 %i, i64 %ed)
  %vj = call i64 @rt_eload(ptr %d, i64 %j, i64 %ed)
  call void @rt_estore(ptr %d, i64 %i, i64 %vj, i64 %ed)
  call void @rt_estore(ptr %d, i64 %j, i64 %vi, i64 %ed)
  %i1 = add i64 %i, 1
  %j1 = sub i64 %j, 1
  br label %loop
done:
  ret void
}

; What `for x in a` visits: the elements as they are when the loop starts.
define ptr @rt_arr_snapshot(ptr %a, i64 %ed) {
entry:
  %sp = getelementptr i8, ptr %a, i64 24
  store i64 1, ptr %sp
  %kind = and i64 %ed, 7
  %isarr = icmp eq i64 %kind, 6
  br i1 %isarr, label %deep, label %flat
flat:
  %o = call ptr @rt_alloc(i64 32)
  call void @llvm.memcpy.p0.p0.i64(ptr %o, ptr %a, i64 32, i1 false)
  ret ptr %o
deep:
  %n = load i64, ptr %a
  %r = call ptr @rt_arr_new(i64 %n, i64 %ed)
  %dp = getelementptr i8, ptr %a, i64 16
  %d = load ptr, ptr %dp
  %rdp = getelementptr i8, ptr %r, i64 16
  %rd = load ptr, ptr %rdp
  br label %loop
loop:
  %i = phi i64 [ 0, %deep ], [ %i1, %body ]
  %more = icmp slt i64 %i, %n
  br i1 %more, label %body, label %done
body:
  %ep = getelementptr i64, ptr %d, i64 %i
  %e = load i64, ptr %ep
  %ec = call i64 @rt_slot_cp(i64 %e, i64 %ed)
  %rp = getelementptr i64, ptr %rd, i64 %i
  store i64 %ec, ptr %rp
  %i1 = add i64 %i, 1
  br label %loop
done:
  ret ptr %r
}

; `[v; n]` with n >= 0: arrays are copied into each slot.
define ptr @rt_arr_repeat(i64 %bits, i64 %n, i64 %ed) {
entry:
  %r = call ptr @rt_arr_new(i64 %n, i64 %ed)
  %rdp = getelementptr i8, ptr %r, i64 16
  %rd = load ptr, ptr %rdp
  %kind = and i64 %ed, 7
  switch i64 %kind, label %fill [ i64 6, label %loop
                                  i64 3, label %bytes ]
bytes:
  %byte = trunc i64 %bits to i8
  call void @llvm.memset.p0.i64(ptr %rd, i8 %byte, i64 %n, i1 false)
  br label %done
fill:
  ; plain slots: a store loop LLVM turns into vector stores
  %fi = phi i64 [ 0, %entry ], [ %fi1, %fbody ]
  %fmore = icmp slt i64 %fi, %n
  br i1 %fmore, label %fbody, label %done
fbody:
  %fp = getelementptr i64, ptr %rd, i64 %fi
  store i64 %bits, ptr %fp
  %fi1 = add i64 %fi, 1
  br label %fill
loop:
  %i = phi i64 [ 0, %entry ], [ %i1, %body ]
  %more = icmp slt i64 %i, %n
  br i1 %more, label %body, label %done
body:
  %ec = call i64 @rt_slot_cp(i64 %bits, i64 %ed)
  %rp = getelementptr i64, ptr %rd, i64 %i
  store i64 %ec, ptr %rp
  %i1 = add i64 %i, 1
  br label %loop
done:
  ret ptr %r
}

; Equality of two slots of descriptor %desc (floats compare as IEEE: NaN != NaN).
define i1 @rt_slot_eq(i64 %x, i64 %y, i64 %desc) {
  %kind = and i64 %desc, 7
  switch i64 %kind, label %bits [ i64 2, label %flt
                                  i64 4, label %str
                                  i64 5, label %unit
                                  i64 6, label %arr ]
flt:
  %fx = bitcast i64 %x to double
  %fy = bitcast i64 %y to double
  %fe = fcmp oeq double %fx, %fy
  ret i1 %fe
str:
  %sx = inttoptr i64 %x to ptr
  %sy = inttoptr i64 %y to ptr
  %se = call i1 @rt_str_eq(ptr %sx, ptr %sy)
  ret i1 %se
unit:
  ret i1 true
arr:
  %ax = inttoptr i64 %x to ptr
  %ay = inttoptr i64 %y to ptr
  %ed = lshr i64 %desc, 3
  %ae = call i1 @rt_arr_eq(ptr %ax, ptr %ay, i64 %ed)
  ret i1 %ae
bits:
  %be = icmp eq i64 %x, %y
  ret i1 %be
}

define i1 @rt_arr_eq(ptr %a, ptr %b, i64 %ed) {
entry:
  %na = load i64, ptr %a
  %nb = load i64, ptr %b
  %same = icmp eq i64 %na, %nb
  br i1 %same, label %start, label %no
start:
  %dap = getelementptr i8, ptr %a, i64 16
  %da = load ptr, ptr %dap
  %dbp = getelementptr i8, ptr %b, i64 16
  %db = load ptr, ptr %dbp
  br label %loop
loop:
  %i = phi i64 [ 0, %start ], [ %i1, %next ]
  %more = icmp slt i64 %i, %na
  br i1 %more, label %body, label %yes
body:
  %x = call i64 @rt_eload(ptr %da, i64 %i, i64 %ed)
  %y = call i64 @rt_eload(ptr %db, i64 %i, i64 %ed)
  %e = call i1 @rt_slot_eq(i64 %x, i64 %y, i64 %ed)
  br i1 %e, label %next, label %no
next:
  %i1 = add i64 %i, 1
  br label %loop
yes:
  ret i1 true
no:
  ret i1 false
}

define i1 @rt_arr_contains(ptr %a, i64 %v, i64 %ed) {
entry:
  %n = load i64, ptr %a
  %dp = getelementptr i8, ptr %a, i64 16
  %d = load ptr, ptr %dp
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i1, %next ]
  %more = icmp slt i64 %i, %n
  br i1 %more, label %body, label %no
body:
  %x = call i64 @rt_eload(ptr %d, i64 %i, i64 %ed)
  %e = call i1 @rt_slot_eq(i64 %x, i64 %v, i64 %ed)
  br i1 %e, label %yes, label %next
next:
  %i1 = add i64 %i, 1
  br label %loop
yes:
  ret i1 true
no:
  ret i1 false
}

; Records (kind 7) are read and written by the generated code, which knows their fields;
; these make the room or close the gap around one element. Each first makes %a private.

; `a.push(v)` of a record: room for element len (a private array with cap > len).
define void @rt_arr_room(ptr %a, i64 %ed) {
  call void @rt_arr_own(ptr %a, i64 %ed)
  call void @rt_arr_reserve1(ptr %a, i64 %ed)
  ret void
}

; `a.insert(i, v)` of a record, 0 <= i <= len: elements i.. move up one, len grows; the
; caller then stores the element at i.
define void @rt_arr_open(ptr %a, i64 %i, i64 %ed) {
  call void @rt_arr_own(ptr %a, i64 %ed)
  call void @rt_arr_reserve1(ptr %a, i64 %ed)
  %n = load i64, ptr %a
  %dp = getelementptr i8, ptr %a, i64 16
  %d = load ptr, ptr %dp
  %sz = call i64 @rt_esize(i64 %ed)
  %off = mul i64 %i, %sz
  %src = getelementptr i8, ptr %d, i64 %off
  %dst = getelementptr i8, ptr %src, i64 %sz
  %cnt = sub i64 %n, %i
  %bytes = mul i64 %cnt, %sz
  call void @llvm.memmove.p0.p0.i64(ptr %dst, ptr %src, i64 %bytes, i1 false)
  %n1 = add i64 %n, 1
  store i64 %n1, ptr %a
  ret void
}

; `a.remove(i)` of a record, 0 <= i < len, after the caller has read element i: the
; elements after it move down one, len shrinks.
define void @rt_arr_close(ptr %a, i64 %i, i64 %ed) {
  call void @rt_arr_own(ptr %a, i64 %ed)
  %n = load i64, ptr %a
  %dp = getelementptr i8, ptr %a, i64 16
  %d = load ptr, ptr %dp
  %sz = call i64 @rt_esize(i64 %ed)
  %off = mul i64 %i, %sz
  %dst = getelementptr i8, ptr %d, i64 %off
  %src = getelementptr i8, ptr %dst, i64 %sz
  %n1 = sub i64 %n, 1
  %cnt = sub i64 %n1, %i
  %bytes = mul i64 %cnt, %sz
  call void @llvm.memmove.p0.p0.i64(ptr %dst, ptr %src, i64 %bytes, i1 false)
  store i64 %n1, ptr %a
  ret void
}

; `a.pop()` of a non-empty array of records: len shrinks by one (the caller then reads
; the element at the new len, which the data still holds).
define void @rt_arr_drop1(ptr %a, i64 %ed) {
  call void @rt_arr_own(ptr %a, i64 %ed)
  %n = load i64, ptr %a
  %n1 = sub i64 %n, 1
  store i64 %n1, ptr %a
  ret void
}

; `[v; n]` of a record: the caller made the array and stored v at element 0 (always
; within the capacity, n = 0 included); this copies it to elements 1..len.
define void @rt_arr_fill(ptr %a, i64 %ed) {
entry:
  %n = load i64, ptr %a
  %dp = getelementptr i8, ptr %a, i64 16
  %d = load ptr, ptr %dp
  %sz = call i64 @rt_esize(i64 %ed)
  br label %loop
loop:
  %i = phi i64 [ 1, %entry ], [ %i1, %body ]
  %more = icmp slt i64 %i, %n
  br i1 %more, label %body, label %done
body:
  %off = mul i64 %i, %sz
  %p = getelementptr i8, ptr %d, i64 %off
  call void @llvm.memcpy.p0.p0.i64(ptr %p, ptr %d, i64 %sz, i1 false)
  %i1 = add i64 %i, 1
  br label %loop
done:
  ret void
}
