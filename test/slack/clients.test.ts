import type { Installation } from "@slack/bolt";
import { afterEach, describe, expect, it } from "vitest";
import { CLIENT_CACHE, installationClients } from "../../src/bot/slack/clients.ts";
import { createInstallationStore } from "../../src/bot/slack/installation-store.ts";
import { testDeps } from "../support/app.ts";

function installation(n: number): Installation<"v2", false> {
  const teamId = `T0TEAM${String(n).padStart(5, "0")}`;
  return {
    team: { id: teamId, name: `Asesoría ${n}` },
    enterprise: undefined,
    user: { id: `U0INSTALL${n}`, token: undefined, scopes: undefined },
    bot: { id: `B0BOT${n}`, userId: `U0BOT${n}`, token: `xoxb-${n}-bench`, scopes: ["commands"] },
    tokenType: "bot",
    isEnterpriseInstall: false,
    appId: "A0LICENCIAS",
  };
}

describe("the Web API clients of many-workspace mode", () => {
  let deps: Awaited<ReturnType<typeof testDeps>> | undefined;
  afterEach(async () => await deps?.dispose());

  it("keeps one client per installation while it is used, and at most a bounded number of them", async () => {
    deps = await testDeps();
    const store = createInstallationStore(deps);
    const count = CLIENT_CACHE.maxEntries + 1;
    for (let n = 0; n < count; n++) await store.storeInstallation(installation(n));
    const clients = installationClients(store, undefined, {});

    const first = await clients.forWorkspace({ teamId: "T0TEAM00000" });
    expect(first).toBeDefined();
    expect(await clients.forWorkspace({ teamId: "T0TEAM00000" })).toBe(first);
    // Every other workspace is asked for once: the first one's client is the oldest and goes.
    for (let n = 1; n < count; n++)
      expect(await clients.forWorkspace(`T:T0TEAM${String(n).padStart(5, "0")}`)).toBeDefined();
    const again = await clients.forWorkspace({ teamId: "T0TEAM00000" });
    expect(again).toBeDefined();
    expect(again).not.toBe(first);
    // A workspace that is not installed has no client, and nothing is kept for it.
    expect(await clients.forWorkspace({ teamId: "T0NOTHERE1" })).toBeUndefined();
  });
});
