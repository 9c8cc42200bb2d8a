import { defaultClientConditions, defaultServerConditions } from "vite";
import { defineConfig } from "vitest/config";

// Resolve workspace packages to their TypeScript sources (the "@jaxts/source"
// export condition), so tests need no build. Node-side tests resolve through
// `ssr.resolve.conditions`; `resolve.conditions` alone is not enough.
// Setting conditions replaces Vite's defaults, so keep them after ours.
const source = "@jaxts/source";

export default defineConfig({
  resolve: { conditions: [source, ...defaultClientConditions] },
  ssr: { resolve: { conditions: [source, ...defaultServerConditions] } },
  test: {
    include: ["test/**/*.test.ts"],
    passWithNoTests: true,
  },
});
