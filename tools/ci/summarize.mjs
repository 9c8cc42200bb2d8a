#!/usr/bin/env node
// Sums the Vitest JSON reports of every workspace package
// ({packages,apps,tools}/*/test-results/vitest.json) and prints, as the last
// line, "N passed, N failed". Exits 1 if a test failed, a test file failed to
// load (a failed suite with no failed test), or no test ran.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const root = process.argv[2] ?? process.cwd();
let passed = 0;
let failed = 0;
let brokenReports = 0;

for (const group of ["packages", "apps", "tools"]) {
  const groupDir = join(root, group);
  if (!existsSync(groupDir)) continue;
  for (const entry of readdirSync(groupDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const name = `${group}/${entry.name}`;
    const report = join(groupDir, entry.name, "test-results", "vitest.json");
    if (!existsSync(report)) continue;
    let r;
    try {
      r = JSON.parse(readFileSync(report, "utf8"));
    } catch (err) {
      console.log(`${name}: unreadable Vitest report (${err.message})`);
      brokenReports += 1;
      continue;
    }
    const p = r.numPassedTests ?? 0;
    const f = r.numFailedTests ?? 0;
    const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
    passed += p;
    failed += f;
    let note = "";
    if (r.success === false && f === 0) {
      brokenReports += 1;
      note = r.numFailedTestSuites > 0 ? ` (${r.numFailedTestSuites} test file(s) failed to run)` : " (run failed)";
    }
    console.log(`${name}: ${p} passed, ${f} failed, ${skipped} skipped${note}`);
  }
}

if (passed + failed === 0) console.log("no tests ran");
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || brokenReports > 0 || passed + failed === 0 ? 1 : 0);
