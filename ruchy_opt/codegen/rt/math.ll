; Numeric helpers whose edge cases follow runtime/ops.py, methods.py and numeric.py.
; The float methods follow Rust (numeric.float_fn), which is what C returns: ln(0) is
; -inf, exp overflows to inf, floor/ceil/trunc keep a zero's sign and pass inf and NaN.

declare double @pow(double, double)
declare double @floor(double)
declare double @ceil(double)
declare double @trunc(double)
declare double @sin(double)
declare double @cos(double)
declare double @tan(double)
declare double @atan(double)
declare double @exp(double)
declare double @log(double)
declare double @log10(double)
declare double @log2(double)
declare double @llvm.fabs.f64(double)
declare double @llvm.copysign.f64(double, double)

; Integer power: {result, status}; status 0 ok, 1 overflow, 2 negative exponent.
define { i64, i64 } @rt_ipow(i64 %a, i64 %b) {
entry:
  %negb = icmp slt i64 %b, 0
  br i1 %negb, label %negexp, label %loop
loop:
  %r = phi i64 [ 1, %entry ], [ %r2, %next ]
  %base = phi i64 [ %a, %entry ], [ %base2, %next ]
  %e = phi i64 [ %b, %entry ], [ %e2, %next ]
  %done = icmp eq i64 %e, 0
  br i1 %done, label %ok, label %step
step:
  %odd0 = and i64 %e, 1
  %odd = icmp ne i64 %odd0, 0
  br i1 %odd, label %mulr, label %sq
mulr:
  %m = call { i64, i1 } @llvm.smul.with.overflow.i64(i64 %r, i64 %base)
  %mv = extractvalue { i64, i1 } %m, 0
  %mo = extractvalue { i64, i1 } %m, 1
  br i1 %mo, label %ovf, label %sq
sq:
  %r1 = phi i64 [ %r, %step ], [ %mv, %mulr ]
  %e2 = lshr i64 %e, 1
  %last = icmp eq i64 %e2, 0
  br i1 %last, label %next0, label %square
square:
  %s = call { i64, i1 } @llvm.smul.with.overflow.i64(i64 %base, i64 %base)
  %sv = extractvalue { i64, i1 } %s, 0
  %so = extractvalue { i64, i1 } %s, 1
  br i1 %so, label %ovf, label %next
next0:
  br label %next
next:
  %r2 = phi i64 [ %r1, %square ], [ %r1, %next0 ]
  %base2 = phi i64 [ %sv, %square ], [ %base, %next0 ]
  br label %loop
ok:
  %res0 = insertvalue { i64, i64 } undef, i64 %r, 0
  %res = insertvalue { i64, i64 } %res0, i64 0, 1
  ret { i64, i64 } %res
ovf:
  ret { i64, i64 } { i64 0, i64 1 }
negexp:
  ret { i64, i64 } { i64 0, i64 2 }
}
declare { i64, i1 } @llvm.smul.with.overflow.i64(i64, i64)

; Float power as Python's math.pow: 0 to a negative power is NaN (a domain error).
define double @rt_fpow(double %x, double %y) {
  %z = fcmp oeq double %x, 0.0
  %n = fcmp olt double %y, 0.0
  %bad = and i1 %z, %n
  br i1 %bad, label %nan, label %ok
nan:
  ret double 0x7FF8000000000000
ok:
  %r = call double @pow(double %x, double %y)
  ret double %r
}

; The float methods (methods.py _float_fn): %which is 0 floor, 1 ceil, 2 trunc, 3 sin,
; 4 cos, 5 tan, 6 atan, 7 exp, 8 ln, 9 log10, 10 log2.
define double @rt_fmath(i64 %which, double %x) {
entry:
  switch i64 %which, label %log2 [ i64 0, label %floor
                                   i64 1, label %ceil
                                   i64 2, label %trunc
                                   i64 3, label %sin
                                   i64 4, label %cos
                                   i64 5, label %tan
                                   i64 6, label %atan
                                   i64 7, label %exp
                                   i64 8, label %ln
                                   i64 9, label %log10 ]
floor:
  %f = call double @floor(double %x)
  br label %whole
ceil:
  %c = call double @ceil(double %x)
  br label %whole
trunc:
  %t = call double @trunc(double %x)
  br label %whole
whole:
  %w = phi double [ %f, %floor ], [ %c, %ceil ], [ %t, %trunc ]
  ret double %w
sin:
  %s = call double @sin(double %x)
  br label %trig
cos:
  %co = call double @cos(double %x)
  br label %trig
tan:
  %ta = call double @tan(double %x)
  br label %trig
trig:
  %tr = phi double [ %s, %sin ], [ %co, %cos ], [ %ta, %tan ]
  ret double %tr
atan:
  %at = call double @atan(double %x)
  ret double %at
exp:
  %ex = call double @exp(double %x)
  ret double %ex
ln:
  %l = call double @log(double %x)
  br label %logs
log10:
  %l10 = call double @log10(double %x)
  br label %logs
log2:
  %l2 = call double @log2(double %x)
  br label %logs
logs:
  %lv = phi double [ %l, %ln ], [ %l10, %log10 ], [ %l2, %log2 ]
  ret double %lv
}
