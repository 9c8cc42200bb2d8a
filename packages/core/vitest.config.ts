import { packageConfig } from "../../vitest.shared.js";

// Core always has tests: an empty run is a failure here.
export default packageConfig({ passWithNoTests: false });
