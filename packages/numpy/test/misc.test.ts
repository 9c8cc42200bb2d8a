import { goldenSuite } from "./math_golden.js";

goldenSuite("numpy_misc", import.meta.url);
