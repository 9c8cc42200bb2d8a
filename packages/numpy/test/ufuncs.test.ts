import { goldenSuite } from "./math_golden.js";

goldenSuite("numpy_ufuncs", import.meta.url);
