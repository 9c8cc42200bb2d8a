;; The CPU backend's floating-point GEMM kernel in WebAssembly SIMD (the
;; fixed-width 128-bit proposal only: no relaxed-simd, no threads).
;;
;; Assembled by tools/wasm-kernels (`pnpm --filter @jaxts/wasm-kernels gen`)
;; into gemm_wasm.ts beside this file; edit this file, then regenerate.
;;
;; linalg.ts copies blocks of the operands into this module's memory as
;; row-major doubles (typed-array copies, which convert natively), has
;; `pack_a` / `pack_b` rearrange them into panels, and calls `gemm` for one
;; cache block: C[mc x nc] += Ap[mc x kc] * Bp[kc x nc], all in doubles.
;;   Ap: mc/2 row panels, panel ip at ap + ip*kc*8 bytes, holding
;;       A[ip, k], A[ip+1, k] for k = 0..kc-1 (MR = 2);
;;   Bp: nc/8 column panels, panel jp at bp + jp*kc*8 bytes, holding
;;       B[k, jp+0..jp+7] for k = 0..kc-1 (NR = 8);
;;   C:  row-major at cp with a row stride of ldc doubles.
;; mc must be a multiple of 2 and nc of 8 (the caller pads A's rows and B's
;; columns with zeros and gives C scratch rows and columns), kc >= 1.
;;
;; Numerics: each C element gets a partial sum over this block's k, formed in a
;; register from +0 by k = 0, 1, ..., kc-1 with one rounded f64 multiply and one
;; rounded f64 add per step (no fused multiply-add), and that partial sum is
;; then added to C once. This is exactly what the JS kernel (micro4x4 in
;; linalg.ts) computes, so both give the same doubles bit for bit. The f64x2
;; lanes run over the j (column) dimension; they never mix different k.
(module
  (memory (export "memory") 1)

  ;; One 2 x 8 register tile from the A panel a and the B panel b into C rows c
  ;; and c + ldcb (bytes). 8 f64x2 accumulators, 4 B vectors and one broadcast
  ;; A value: this fits the 15 xmm registers V8 allocates on x64 (3 x 6, 4 x 4
  ;; and larger tiles spill there and run slower; reading A's two rows from
  ;; two places instead of one interleaved panel costs ~15%).
  (func $tile (param $a i32) (param $b i32) (param $kc i32) (param $c i32) (param $ldcb i32)
    (local $c00 v128) (local $c01 v128) (local $c02 v128) (local $c03 v128)
    (local $c10 v128) (local $c11 v128) (local $c12 v128) (local $c13 v128)
    (local $b0 v128) (local $b1 v128) (local $b2 v128) (local $b3 v128)
    (local $av v128)
    (loop $k
      (local.set $b0 (v128.load offset=0 (local.get $b)))
      (local.set $b1 (v128.load offset=16 (local.get $b)))
      (local.set $b2 (v128.load offset=32 (local.get $b)))
      (local.set $b3 (v128.load offset=48 (local.get $b)))
      (local.set $av (v128.load64_splat offset=0 (local.get $a)))
      (local.set $c00 (f64x2.add (local.get $c00) (f64x2.mul (local.get $av) (local.get $b0))))
      (local.set $c01 (f64x2.add (local.get $c01) (f64x2.mul (local.get $av) (local.get $b1))))
      (local.set $c02 (f64x2.add (local.get $c02) (f64x2.mul (local.get $av) (local.get $b2))))
      (local.set $c03 (f64x2.add (local.get $c03) (f64x2.mul (local.get $av) (local.get $b3))))
      (local.set $av (v128.load64_splat offset=8 (local.get $a)))
      (local.set $c10 (f64x2.add (local.get $c10) (f64x2.mul (local.get $av) (local.get $b0))))
      (local.set $c11 (f64x2.add (local.get $c11) (f64x2.mul (local.get $av) (local.get $b1))))
      (local.set $c12 (f64x2.add (local.get $c12) (f64x2.mul (local.get $av) (local.get $b2))))
      (local.set $c13 (f64x2.add (local.get $c13) (f64x2.mul (local.get $av) (local.get $b3))))
      (local.set $a (i32.add (local.get $a) (i32.const 16)))
      (local.set $b (i32.add (local.get $b) (i32.const 64)))
      (br_if $k (local.tee $kc (i32.sub (local.get $kc) (i32.const 1)))))
    ;; C += the partial sums (one rounded add per element, as the JS kernel).
    (v128.store offset=0 (local.get $c) (f64x2.add (v128.load offset=0 (local.get $c)) (local.get $c00)))
    (v128.store offset=16 (local.get $c) (f64x2.add (v128.load offset=16 (local.get $c)) (local.get $c01)))
    (v128.store offset=32 (local.get $c) (f64x2.add (v128.load offset=32 (local.get $c)) (local.get $c02)))
    (v128.store offset=48 (local.get $c) (f64x2.add (v128.load offset=48 (local.get $c)) (local.get $c03)))
    (local.set $c (i32.add (local.get $c) (local.get $ldcb)))
    (v128.store offset=0 (local.get $c) (f64x2.add (v128.load offset=0 (local.get $c)) (local.get $c10)))
    (v128.store offset=16 (local.get $c) (f64x2.add (v128.load offset=16 (local.get $c)) (local.get $c11)))
    (v128.store offset=32 (local.get $c) (f64x2.add (v128.load offset=32 (local.get $c)) (local.get $c12)))
    (v128.store offset=48 (local.get $c) (f64x2.add (v128.load offset=48 (local.get $c)) (local.get $c13))))

  ;; gemm(mc, nc, kc, ap, bp, cp, ldc): pointers in bytes, ldc in doubles.
  ;; For each 8-wide B panel (kept in L1 while it is reused), sweep the A panels.
  (func (export "gemm") (param $mc i32) (param $nc i32) (param $kc i32)
                        (param $ap i32) (param $bp i32) (param $cp i32) (param $ldc i32)
    (local $panel i32) (local $ldcb i32) (local $jp i32) (local $ip i32) (local $bpan i32)
    (local.set $panel (i32.shl (local.get $kc) (i32.const 3)))
    (local.set $ldcb (i32.shl (local.get $ldc) (i32.const 3)))
    (loop $J
      (local.set $bpan (i32.add (local.get $bp) (i32.mul (local.get $jp) (local.get $panel))))
      (local.set $ip (i32.const 0))
      (loop $I
        (call $tile
          (i32.add (local.get $ap) (i32.mul (local.get $ip) (local.get $panel)))
          (local.get $bpan)
          (local.get $kc)
          (i32.add (local.get $cp)
                   (i32.shl (i32.add (i32.mul (local.get $ip) (local.get $ldc)) (local.get $jp)) (i32.const 3)))
          (local.get $ldcb))
        (br_if $I (i32.lt_u (local.tee $ip (i32.add (local.get $ip) (i32.const 2))) (local.get $mc))))
      (br_if $J (i32.lt_u (local.tee $jp (i32.add (local.get $jp) (i32.const 8))) (local.get $nc)))))
;; pack_a(src, dst, mc, kc): A rows (row-major mc x kc doubles at src, mc even)
  ;; into the 2-row panels gemm reads at dst.
  (func (export "pack_a") (param $src i32) (param $dst i32) (param $mc i32) (param $kc i32)
    (local $row i32) (local $r0 i32) (local $r1 i32) (local $end i32)
    (local.set $row (i32.shl (local.get $kc) (i32.const 3)))
    (loop $P
      (local.set $r0 (local.get $src))
      (local.set $r1 (i32.add (local.get $src) (local.get $row)))
      (local.set $end (local.get $r1))
      (loop $K
        (f64.store offset=0 (local.get $dst) (f64.load (local.get $r0)))
        (f64.store offset=8 (local.get $dst) (f64.load (local.get $r1)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (local.set $r1 (i32.add (local.get $r1) (i32.const 8)))
        (br_if $K (i32.lt_u (local.tee $r0 (i32.add (local.get $r0) (i32.const 8))) (local.get $end))))
      (local.set $src (i32.add (local.get $src) (i32.shl (local.get $row) (i32.const 1))))
      (br_if $P (local.tee $mc (i32.sub (local.get $mc) (i32.const 2))))))

  ;; pack_b(src, dst, kc, nc, lds): B rows (kc rows of nc doubles at src, row
  ;; stride lds doubles, nc a multiple of 8) into the 8-column panels gemm reads
  ;; at dst.
  (func (export "pack_b") (param $src i32) (param $dst i32) (param $kc i32) (param $nc i32) (param $lds i32)
    (local $ldsb i32) (local $s i32) (local $k i32)
    (local.set $ldsb (i32.shl (local.get $lds) (i32.const 3)))
    (loop $J
      (local.set $s (local.get $src))
      (local.set $k (local.get $kc))
      (loop $K
        (v128.store offset=0 (local.get $dst) (v128.load offset=0 (local.get $s)))
        (v128.store offset=16 (local.get $dst) (v128.load offset=16 (local.get $s)))
        (v128.store offset=32 (local.get $dst) (v128.load offset=32 (local.get $s)))
        (v128.store offset=48 (local.get $dst) (v128.load offset=48 (local.get $s)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 64)))
        (local.set $s (i32.add (local.get $s) (local.get $ldsb)))
        (br_if $K (local.tee $k (i32.sub (local.get $k) (i32.const 1)))))
      (local.set $src (i32.add (local.get $src) (i32.const 64)))
      (br_if $J (local.tee $nc (i32.sub (local.get $nc) (i32.const 8))))))
)
