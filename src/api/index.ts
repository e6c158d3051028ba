import { Router } from "express";
import type { Deps } from "../handlers/index.ts";
import type { Logger } from "../logger.ts";

/** The client app's HTTP API (placeholder until the API lands). */
export function createApiRouter(_deps: Deps, _options: { logger: Logger }): Router {
  return Router();
}
