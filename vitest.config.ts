import { defineConfig } from "vitest/config";

/**
 * Two projects (docs/architecture.md, "Tests on both storages"): `sqlite`
 * runs every test file; `postgres` runs the ones that touch storage again,
 * on a throwaway PostgreSQL server (test/support/pg-global.ts). One of them:
 * `npx vitest run --project sqlite`.
 */
const STORAGE_TESTS = [
  "test/store/**/*.test.ts",
  "test/contract/**/*.test.ts",
  "test/slack/**/*.test.ts",
  "test/teams/**/*.test.ts",
  "test/api/**/*.test.ts",
];

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: "forks",
    projects: [
      {
        extends: true,
        test: { name: "sqlite", include: ["test/**/*.test.ts"], exclude: ["test/pg/**", "test/multi/**"] },
      },
      {
        extends: true,
        test: {
          name: "postgres",
          include: [...STORAGE_TESTS, "test/pg/**/*.test.ts", "test/multi/**/*.test.ts"],
          env: { TEST_STORAGE: "postgres" },
          globalSetup: ["test/support/pg-global.ts"],
        },
      },
    ],
  },
});
