import { defineConfig } from "drizzle-kit";

/** The PostgreSQL schema's migrations (docs/architecture.md, "PostgreSQL"): `npx drizzle-kit generate --config drizzle.pg.config.ts`. */
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/db/pg/schema.ts",
  out: "./src/db/pg/migrations",
});
