// The README's coverage table must be what the code exports today.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as jnp from "../src/index.js";
import { camel, coverageMarkdown, END, START } from "../../../tools/numpy-coverage/src/coverage.js";

describe("coverage table", () => {
  it("camelCases JAX names the TypeScript way", () => {
    expect(camel("take_along_axis")).toBe("takeAlongAxis");
    expect(camel("atleast_1d")).toBe("atleast1d");
    expect(camel("sin")).toBe("sin");
  });
  it("packages/numpy/README.md has the table generated from the current exports (run `pnpm --filter @jaxts/numpy-coverage coverage`)", () => {
    const readme = readFileSync(fileURLToPath(new URL("../README.md", import.meta.url)), "utf8");
    const i = readme.indexOf(START);
    const j = readme.indexOf(END);
    expect(i).toBeGreaterThanOrEqual(0);
    expect(readme.slice(i, j + END.length)).toBe(coverageMarkdown(jnp as unknown as Record<string, unknown>));
  });
});
