; Display, debug and text forms of values, appended to the buffer (core.ll); the same
; text as ruchy_opt/runtime/values.py and fmt.py.
;
; Type descriptors (i64) say what an array slot holds: the low 3 bits are the kind
; (1 int, 2 float, 3 bool, 4 string, 5 unit, 6 array) and, for an array, the element's
; descriptor is the rest (d >> 3). Slots are 8 bytes: ints, float bits, 0/1, pointers.

declare i32 @snprintf(ptr, i64, ptr, ...)
declare double @strtod(ptr, ptr)
declare i64 @strtol(ptr, ptr, i32)
declare void @rt_buf_bytes(ptr, i64)
declare void @rt_buf_cstr(ptr)
declare void @rt_buf_byte(i8)
declare void @rt_buf_reserve(i64)
declare i64 @rt_buf_mark()
declare ptr @rt_buf_data()
declare void @rt_buf_set_len(i64)
declare ptr @rt_alloc(i64)
declare i64 @rt_eload(ptr, i64, i64)
declare void @llvm.memcpy.p0.p0.i64(ptr, ptr, i64, i1)

@.lld = private constant [5 x i8] c"%lld\00"
@.e = private constant [5 x i8] c"%.*e\00"
@.f = private constant [5 x i8] c"%.*f\00"
@.nan = private constant [4 x i8] c"NaN\00"
@.inf = private constant [4 x i8] c"inf\00"
@.ninf = private constant [5 x i8] c"-inf\00"
@.true = private constant [5 x i8] c"true\00"
@.false = private constant [6 x i8] c"false\00"
@.unit = private constant [3 x i8] c"()\00"
@.sep = private constant [3 x i8] c", \00"
@.dotzero = private constant [3 x i8] c".0\00"

define void @rt_buf_i64(i64 %v) {
  %tmp = alloca [32 x i8]
  %n = call i32 (ptr, i64, ptr, ...) @snprintf(ptr %tmp, i64 32, ptr @.lld, i64 %v)
  %n64 = sext i32 %n to i64
  call void @rt_buf_bytes(ptr %tmp, i64 %n64)
  ret void
}

; NaN and infinities as Ruchy shows them; returns true if %x was one of them.
define i1 @rt_buf_special(double %x) {
  %isnan = fcmp uno double %x, %x
  br i1 %isnan, label %nan, label %notnan
nan:
  call void @rt_buf_cstr(ptr @.nan)
  ret i1 true
notnan:
  %pinf = fcmp oeq double %x, 0x7FF0000000000000
  br i1 %pinf, label %pi, label %notpinf
pi:
  call void @rt_buf_cstr(ptr @.inf)
  ret i1 true
notpinf:
  %ninf = fcmp oeq double %x, 0xFFF0000000000000
  br i1 %ninf, label %ni, label %finite
ni:
  call void @rt_buf_cstr(ptr @.ninf)
  ret i1 true
finite:
  ret i1 false
}

; A finite float: the shortest digits that read back to %x (as Python's repr), written
; positionally (never with an exponent); whole numbers get ".0" unless %text.
define void @rt_buf_f64_pos(double %x, i1 %text) {
entry:
  %tmp = alloca [48 x i8]
  %dig = alloca [24 x i8]
  %p = alloca i32
  store i32 0, ptr %p
  br label %try
try:
  %pv = load i32, ptr %p
  call i32 (ptr, i64, ptr, ...) @snprintf(ptr %tmp, i64 48, ptr @.e, i32 %pv, double %x)
  %y = call double @strtod(ptr %tmp, ptr null)
  %same = fcmp oeq double %y, %x
  %last = icmp sge i32 %pv, 16
  %stop = or i1 %same, %last
  %pn = add i32 %pv, 1
  store i32 %pn, ptr %p
  br i1 %stop, label %parse, label %try
parse:
  %c0 = load i8, ptr %tmp
  %neg = icmp eq i8 %c0, 45
  %i0 = zext i1 %neg to i64
  br label %dloop
dloop:
  %i = phi i64 [ %i0, %parse ], [ %i1, %dnext ]
  %k = phi i64 [ 0, %parse ], [ %k1, %dnext ]
  %cp = getelementptr i8, ptr %tmp, i64 %i
  %c = load i8, ptr %cp
  %ise = icmp eq i8 %c, 101
  br i1 %ise, label %exp, label %dbody
dbody:
  %isdot = icmp eq i8 %c, 46
  %dp = getelementptr i8, ptr %dig, i64 %k
  br i1 %isdot, label %dnext0, label %store
store:
  store i8 %c, ptr %dp
  br label %dnext0
dnext0:
  %inc = select i1 %isdot, i64 0, i64 1
  %k1 = add i64 %k, %inc
  br label %dnext
dnext:
  %i1 = add i64 %i, 1
  br label %dloop
exp:
  %ep = getelementptr i8, ptr %tmp, i64 %i
  %ep1 = getelementptr i8, ptr %ep, i64 1
  %e = call i64 @strtol(ptr %ep1, ptr null, i32 10)
  br i1 %neg, label %minus, label %sign_done
minus:
  call void @rt_buf_byte(i8 45)
  br label %sign_done
sign_done:
  %eneg = icmp slt i64 %e, 0
  br i1 %eneg, label %small, label %big
small:
  ; 0.000ddd
  call void @rt_buf_byte(i8 48)
  call void @rt_buf_byte(i8 46)
  %z = sub i64 -1, %e
  br label %zloop
zloop:
  %zi = phi i64 [ 0, %small ], [ %zi1, %zbody ]
  %zmore = icmp slt i64 %zi, %z
  br i1 %zmore, label %zbody, label %zdone
zbody:
  call void @rt_buf_byte(i8 48)
  %zi1 = add i64 %zi, 1
  br label %zloop
zdone:
  call void @rt_buf_bytes(ptr %dig, i64 %k)
  ret void
big:
  %intlen = add i64 %e, 1
  br label %iloop
iloop:
  %j = phi i64 [ 0, %big ], [ %j1, %ibody ]
  %imore = icmp slt i64 %j, %intlen
  br i1 %imore, label %ibody, label %idone
ibody:
  %have = icmp slt i64 %j, %k
  %dj = getelementptr i8, ptr %dig, i64 %j
  %dv = load i8, ptr %dj
  %ch = select i1 %have, i8 %dv, i8 48
  call void @rt_buf_byte(i8 %ch)
  %j1 = add i64 %j, 1
  br label %iloop
idone:
  %frac = icmp sgt i64 %k, %intlen
  br i1 %frac, label %fbody, label %whole
fbody:
  call void @rt_buf_byte(i8 46)
  %fp = getelementptr i8, ptr %dig, i64 %intlen
  %fn = sub i64 %k, %intlen
  call void @rt_buf_bytes(ptr %fp, i64 %fn)
  ret void
whole:
  br i1 %text, label %wdone, label %wdot
wdot:
  call void @rt_buf_bytes(ptr @.dotzero, i64 2)
  br label %wdone
wdone:
  ret void
}

; Display form of a float (`3.0`, `0.1`, `inf`, `NaN`).
define void @rt_buf_f64(double %x) {
  %sp = call i1 @rt_buf_special(double %x)
  br i1 %sp, label %done, label %fin
fin:
  call void @rt_buf_f64_pos(double %x, i1 false)
  br label %done
done:
  ret void
}

; Text form of a float (`3`, `0.1`): as display, whole floats without `.0`.
define void @rt_buf_f64_text(double %x) {
  %sp = call i1 @rt_buf_special(double %x)
  br i1 %sp, label %done, label %fin
fin:
  call void @rt_buf_f64_pos(double %x, i1 true)
  br label %done
done:
  ret void
}
declare double @llvm.fabs.f64(double)

; `{:.N}` of a number: N decimals, correctly rounded (NaN and infinities as displayed).
define void @rt_buf_f64_prec(double %x, i64 %prec) {
  %sp = call i1 @rt_buf_special(double %x)
  br i1 %sp, label %done, label %fin
fin:
  %p32 = trunc i64 %prec to i32
  %n = call i32 (ptr, i64, ptr, ...) @snprintf(ptr null, i64 0, ptr @.f, i32 %p32, double %x)
  %n64 = sext i32 %n to i64
  call void @rt_buf_reserve(i64 %n64)
  %buf = call ptr @rt_buf_data()
  %len = call i64 @rt_buf_mark()
  %dst = getelementptr i8, ptr %buf, i64 %len
  %n1 = add i64 %n64, 1
  call i32 (ptr, i64, ptr, ...) @snprintf(ptr %dst, i64 %n1, ptr @.f, i32 %p32, double %x)
  %nl = add i64 %len, %n64
  call void @rt_buf_set_len(i64 %nl)
  br label %done
done:
  ret void
}

define void @rt_buf_bool(i1 %b) {
  br i1 %b, label %t, label %f
t:
  call void @rt_buf_bytes(ptr @.true, i64 4)
  ret void
f:
  call void @rt_buf_bytes(ptr @.false, i64 5)
  ret void
}

define void @rt_buf_unit() {
  call void @rt_buf_bytes(ptr @.unit, i64 2)
  ret void
}

define void @rt_buf_str(ptr %s) {
  %n = load i64, ptr %s
  %d = getelementptr i8, ptr %s, i64 8
  call void @rt_buf_bytes(ptr %d, i64 %n)
  ret void
}

; Debug form of a string: in double quotes, with \\ \" \n \t \r escaped.
define void @rt_buf_str_debug(ptr %s) {
entry:
  %n = load i64, ptr %s
  %d = getelementptr i8, ptr %s, i64 8
  call void @rt_buf_byte(i8 34)
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i1, %next ]
  %more = icmp slt i64 %i, %n
  br i1 %more, label %body, label %done
body:
  %cp = getelementptr i8, ptr %d, i64 %i
  %c = load i8, ptr %cp
  switch i8 %c, label %plain [ i8 92, label %esc
                               i8 34, label %esc
                               i8 10, label %nl
                               i8 9, label %tab
                               i8 13, label %cr ]
esc:
  call void @rt_buf_byte(i8 92)
  call void @rt_buf_byte(i8 %c)
  br label %next
nl:
  call void @rt_buf_byte(i8 92)
  call void @rt_buf_byte(i8 110)
  br label %next
tab:
  call void @rt_buf_byte(i8 92)
  call void @rt_buf_byte(i8 116)
  br label %next
cr:
  call void @rt_buf_byte(i8 92)
  call void @rt_buf_byte(i8 114)
  br label %next
plain:
  call void @rt_buf_byte(i8 %c)
  br label %next
next:
  %i1 = add i64 %i, 1
  br label %loop
done:
  call void @rt_buf_byte(i8 34)
  ret void
}

; One array slot by its descriptor; strings in their debug form when %debug.
define void @rt_buf_slot(i64 %bits, i64 %desc, i1 %debug) {
  %kind = and i64 %desc, 7
  switch i64 %kind, label %unit [ i64 1, label %int
                                  i64 2, label %flt
                                  i64 3, label %bool
                                  i64 4, label %str
                                  i64 6, label %arr ]
int:
  call void @rt_buf_i64(i64 %bits)
  ret void
flt:
  %x = bitcast i64 %bits to double
  call void @rt_buf_f64(double %x)
  ret void
bool:
  %b = icmp ne i64 %bits, 0
  call void @rt_buf_bool(i1 %b)
  ret void
str:
  %s = inttoptr i64 %bits to ptr
  br i1 %debug, label %sdbg, label %splain
sdbg:
  call void @rt_buf_str_debug(ptr %s)
  ret void
splain:
  call void @rt_buf_str(ptr %s)
  ret void
arr:
  %a = inttoptr i64 %bits to ptr
  %ed = lshr i64 %desc, 3
  call void @rt_buf_arr(ptr %a, i64 %ed)
  ret void
unit:
  call void @rt_buf_unit()
  ret void
}

; Display (= debug) form of an array whose elements have descriptor %ed.
define void @rt_buf_arr(ptr %a, i64 %ed) {
entry:
  %n = load i64, ptr %a
  %dpp = getelementptr i8, ptr %a, i64 16
  %data = load ptr, ptr %dpp
  call void @rt_buf_byte(i8 91)
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i1, %body ]
  %more = icmp slt i64 %i, %n
  br i1 %more, label %check, label %done
check:
  %first = icmp eq i64 %i, 0
  br i1 %first, label %body, label %sep
sep:
  call void @rt_buf_bytes(ptr @.sep, i64 2)
  br label %body
body:
  %e = call i64 @rt_eload(ptr %data, i64 %i, i64 %ed)
  call void @rt_buf_slot(i64 %e, i64 %ed, i1 true)
  %i1 = add i64 %i, 1
  br label %loop
done:
  call void @rt_buf_byte(i8 93)
  ret void
}

; Code points in %n bytes at %p (UTF-8).
define i64 @rt_utf8_len(ptr %p, i64 %n) {
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i1, %body ]
  %c = phi i64 [ 0, %entry ], [ %c1, %body ]
  %more = icmp slt i64 %i, %n
  br i1 %more, label %body, label %done
body:
  %bp = getelementptr i8, ptr %p, i64 %i
  %b = load i8, ptr %bp
  %hi = and i8 %b, -64
  %cont = icmp eq i8 %hi, -128
  %add = select i1 %cont, i64 0, i64 1
  %c1 = add i64 %c, %add
  %i1 = add i64 %i, 1
  br label %loop
done:
  ret i64 %c
}

; `{:.N}` of a string: its first N code points.
define void @rt_buf_str_prec(ptr %s, i64 %prec) {
entry:
  %n = load i64, ptr %s
  %d = getelementptr i8, ptr %s, i64 8
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i1, %body ]
  %c = phi i64 [ 0, %entry ], [ %c1, %body ]
  %more = icmp slt i64 %i, %n
  br i1 %more, label %test, label %done
test:
  %bp = getelementptr i8, ptr %d, i64 %i
  %b = load i8, ptr %bp
  %hi = and i8 %b, -64
  %cont = icmp eq i8 %hi, -128
  %start = xor i1 %cont, true
  %full = icmp sge i64 %c, %prec
  %stop = and i1 %start, %full
  br i1 %stop, label %done, label %body
body:
  %add = select i1 %cont, i64 0, i64 1
  %c1 = add i64 %c, %add
  %i1 = add i64 %i, 1
  br label %loop
done:
  call void @rt_buf_bytes(ptr %d, i64 %i)
  ret void
}

; Width, fill, alignment, sign and zero padding of the text from %start to the end of
; the buffer (runtime/fmt.py format_value). %align: 0 none, 1 '<', 2 '^', 3 '>'.
define void @rt_buf_pad(i64 %start, i64 %width, ptr %fill, i64 %align, i1 %numeric,
                        i1 %zero, i1 %sign) {
entry:
  %end = call i64 @rt_buf_mark()
  %blen = sub i64 %end, %start
  %body = call ptr @rt_alloc(i64 %blen)
  %buf = call ptr @rt_buf_data()
  %src = getelementptr i8, ptr %buf, i64 %start
  call void @llvm.memcpy.p0.p0.i64(ptr %body, ptr %src, i64 %blen, i1 false)
  call void @rt_buf_set_len(i64 %start)
  %nonempty = icmp sgt i64 %blen, 0
  %b0 = load i8, ptr %body
  %b0v = select i1 %nonempty, i8 %b0, i8 0
  %isminus = icmp eq i8 %b0v, 45
  %wantplus0 = and i1 %sign, %numeric
  %notminus = xor i1 %isminus, true
  %wantplus = and i1 %wantplus0, %notminus
  %plus = zext i1 %wantplus to i64
  %cps = call i64 @rt_utf8_len(ptr %body, i64 %blen)
  %len = add i64 %cps, %plus
  %short = icmp slt i64 %len, %width
  br i1 %short, label %padit, label %asis
asis:
  br i1 %wantplus, label %asis_plus, label %asis_body
asis_plus:
  call void @rt_buf_byte(i8 43)
  br label %asis_body
asis_body:
  call void @rt_buf_bytes(ptr %body, i64 %blen)
  ret void
padit:
  %pad = sub i64 %width, %len
  %noalign = icmp eq i64 %align, 0
  %z0 = and i1 %zero, %numeric
  %zp = and i1 %z0, %noalign
  br i1 %zp, label %zeros, label %fillpad
zeros:
  ; sign first (an explicit '+', or the body's own '+'/'-'), then zeros, then the rest
  %isplus = icmp eq i8 %b0v, 43
  %hassign = or i1 %isminus, %isplus
  br i1 %wantplus, label %zplus, label %zown
zplus:
  call void @rt_buf_byte(i8 43)
  br label %zfill
zown:
  br i1 %hassign, label %zownsign, label %zfill
zownsign:
  call void @rt_buf_byte(i8 %b0v)
  br label %zfill
zfill:
  %skip = select i1 %hassign, i64 1, i64 0
  call void @rt_buf_repeat(ptr @.zero, i64 %pad)
  %rest = getelementptr i8, ptr %body, i64 %skip
  %restn = sub i64 %blen, %skip
  call void @rt_buf_bytes(ptr %rest, i64 %restn)
  ret void
fillpad:
  %numdef = select i1 %numeric, i64 3, i64 1
  %al = select i1 %noalign, i64 %numdef, i64 %align
  %isleft = icmp eq i64 %al, 1
  %isright = icmp eq i64 %al, 3
  %half = lshr i64 %pad, 1
  %before0 = select i1 %isright, i64 %pad, i64 %half
  %before = select i1 %isleft, i64 0, i64 %before0
  %after = sub i64 %pad, %before
  call void @rt_buf_repeat(ptr %fill, i64 %before)
  br i1 %wantplus, label %fplus, label %fbody
fplus:
  call void @rt_buf_byte(i8 43)
  br label %fbody
fbody:
  call void @rt_buf_bytes(ptr %body, i64 %blen)
  call void @rt_buf_repeat(ptr %fill, i64 %after)
  ret void
}
@.zero = private constant [2 x i8] c"0\00"

define void @rt_buf_repeat(ptr %cstr, i64 %n) {
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i1, %body ]
  %more = icmp slt i64 %i, %n
  br i1 %more, label %body, label %done
body:
  call void @rt_buf_cstr(ptr %cstr)
  %i1 = add i64 %i, 1
  br label %loop
done:
  ret void
}

; `{:x}` `{:X}` `{:o}` `{:b}` of an int: magnitude in base %base, '-' if negative.
define void @rt_buf_radix(i64 %v, i64 %base, i1 %upper) {
entry:
  %tmp = alloca [72 x i8]
  %neg = icmp slt i64 %v, 0
  %nv = sub i64 0, %v
  %mag = select i1 %neg, i64 %nv, i64 %v
  br label %loop
loop:
  %m = phi i64 [ %mag, %entry ], [ %q, %loop ]
  %pos = phi i64 [ 71, %entry ], [ %pos1, %loop ]
  %q = udiv i64 %m, %base
  %r = urem i64 %m, %base
  %r8 = trunc i64 %r to i8
  %isdig = icmp ult i8 %r8, 10
  %dch = add i8 %r8, 48
  %lo = add i8 %r8, 87
  %up = add i8 %r8, 55
  %let = select i1 %upper, i8 %up, i8 %lo
  %ch = select i1 %isdig, i8 %dch, i8 %let
  %pos1 = sub i64 %pos, 1
  %cp = getelementptr i8, ptr %tmp, i64 %pos1
  store i8 %ch, ptr %cp
  %more = icmp ne i64 %q, 0
  br i1 %more, label %loop, label %done
done:
  br i1 %neg, label %minus, label %out
minus:
  call void @rt_buf_byte(i8 45)
  br label %out
out:
  %first = getelementptr i8, ptr %tmp, i64 %pos1
  %cnt = sub i64 71, %pos1
  call void @rt_buf_bytes(ptr %first, i64 %cnt)
  ret void
}
