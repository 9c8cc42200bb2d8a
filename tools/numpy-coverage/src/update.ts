// Regenerate the coverage table in packages/numpy/README.md.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as jnp from "@jaxts/numpy";
import { coverageMarkdown, withCoverage } from "./coverage.js";

const readme = fileURLToPath(new URL("../../../packages/numpy/README.md", import.meta.url));
const table = coverageMarkdown(jnp as unknown as Record<string, unknown>);
writeFileSync(readme, withCoverage(readFileSync(readme, "utf8"), table));
console.log(table.split("\n")[2]);
