import { defineConfig } from "drizzle-kit";

/** The PostgreSQL schema's migrations (docs/postgres-plan.md): `npx drizzle-kit generate --config drizzle.pg.config.ts`. */
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/db/pg/schema.ts",
  out: "./src/db/pg/migrations",
});
