import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Driver } from "./driver.ts";
import { SCENARIOS } from "./scenarios.ts";
import { SlackDriver } from "./slack-driver.ts";
import { TeamsDriver } from "./teams-driver.ts";

/**
 * The contract: every scenario of scenarios.ts, on every platform, over
 * HTTP (signed Slack requests, Bot Framework activities). One app per
 * platform; each scenario makes its own firms.
 */
describe.each([
  { platform: "Slack", driver: new SlackDriver() as Driver },
  { platform: "Teams", driver: new TeamsDriver() as Driver },
])("contract on $platform", ({ driver }) => {
  beforeAll(async () => {
    await driver.start();
  });
  afterAll(async () => {
    await driver.stop();
  });

  it.each(SCENARIOS.map((s) => [s.name, s] as const))("%s", async (_name, scenario) => {
    await scenario.run(driver);
  });

  it("sent only what the platform accepts", () => {
    expect(driver.problems()).toEqual([]);
  });
});
