// The Vitest configuration the workspace packages share: workspace packages
// resolve to their TypeScript sources (the "@jaxts/source" export condition),
// so tests need no build. Node-side tests resolve through
// `ssr.resolve.conditions`; `resolve.conditions` alone is not enough. Setting
// conditions replaces Vite's defaults, so keep them after ours.
import { defaultClientConditions, defaultServerConditions } from "vite";
import { defineConfig, type ViteUserConfig } from "vitest/config";

const source = "@jaxts/source";

/** The resolution settings (for configs that define projects of their own). */
export const sourceResolution = {
  resolve: { conditions: [source, ...defaultClientConditions] },
  ssr: { resolve: { conditions: [source, ...defaultServerConditions] } },
};

/** A package's config: its test/**\/*.test.ts, resolved to workspace sources. */
export function packageConfig(test: NonNullable<ViteUserConfig["test"]> = {}): ViteUserConfig {
  return defineConfig({ ...sourceResolution, test: { include: ["test/**/*.test.ts"], passWithNoTests: true, ...test } });
}
