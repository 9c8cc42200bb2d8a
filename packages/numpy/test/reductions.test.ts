import { goldenSuite } from "./math_golden.js";

goldenSuite("numpy_reductions", import.meta.url);
