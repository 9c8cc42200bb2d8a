import { goldenSuite } from "./math_golden.js";

goldenSuite("numpy_sorting", import.meta.url);
