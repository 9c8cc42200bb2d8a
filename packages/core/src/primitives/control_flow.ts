// Control flow: the `cond`, `while` and `scan` primitives with all their rules,
// and the lax wrappers cond, switch, whileLoop, foriLoop, scan, map.
export { condP, cond, switchFn, switch, type CondParams } from "./control_flow/cond.js";
export { whileP, scanP, whileLoop, foriLoop, scan, map, type WhileParams, type ScanParams, type ScanOptions } from "./control_flow/loops.js";
