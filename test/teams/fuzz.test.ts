import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fuzzSeed, leaksInternals, mutate, pick, prng, type Random } from "../support/fuzz.ts";
import { Harness, SUPPORT_CHANNEL, teamsUser } from "./harness.ts";

const CASES = 300;

/** Valid activities of every kind the bot handles, to start mutating from. */
function bases(h: Harness) {
  const advisor = h.join(teamsUser("tenant-fuzz-0001"));
  const agent = h.join(teamsUser("tenant-fuzz-vendor"));
  const p = h.personal(advisor);
  const c = h.inChannel(agent, SUPPORT_CHANNEL);
  const mention = "<at>Licencias PYMES</at>";
  return [
    { ...p, type: "message", text: "lista" },
    { ...p, type: "message", text: "cliente 12345678Z" },
    {
      ...c,
      type: "message",
      text: `${mention} ayuda`,
      entities: [{ type: "mention", text: mention, mentioned: p.recipient }],
    },
    { ...p, type: "invoke", name: "task/fetch", value: { data: { verb: "licence" } } },
    {
      ...p,
      type: "invoke",
      name: "task/submit",
      value: { data: { verb: "licence", taxId: "12345678Z", name: "Cliente S.L.", email: "a@example.com" } },
    },
    { ...p, type: "invoke", name: "task/submit", value: { data: { verb: "activation", message: "Activad" } } },
    {
      ...p,
      type: "invoke",
      name: "adaptiveCard/action",
      replyToId: "card-1",
      value: { action: { type: "Action.Execute", verb: "list", data: { page: 2 } }, trigger: "manual" },
    },
    {
      ...c,
      type: "invoke",
      name: "adaptiveCard/action",
      replyToId: "card-2",
      value: { action: { type: "Action.Execute", verb: "decide", data: { requestId: 1, decision: "approve" } } },
    },
    {
      ...c,
      type: "conversationUpdate",
      membersAdded: [p.recipient],
      channelData: { ...c.channelData, eventType: "teamMemberAdded" },
    },
  ];
}

const invalidServiceUrl = (random: Random) => () => pick(random, ["", "not a url", "ftp://x", "http://", 5, null, {}]);

async function fuzz(h: Harness, seed: number, headers: Record<string, string>) {
  const random = prng(seed);
  const starting = bases(h);
  const failures: string[] = [];
  const statuses = new Map<number, number>();
  for (let i = 0; i < CASES; i++) {
    const activity = mutate(random, pick(random, starting), { invalidOnly: { serviceUrl: invalidServiceUrl(random) } });
    const res = await fetch(`${h.app.url}/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(activity),
    });
    const text = await res.text();
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    if (res.status >= 500 || leaksInternals(text)) {
      failures.push(`#${i} ${res.status} ${text.slice(0, 200)} ← ${JSON.stringify(activity).slice(0, 2000)}`);
    }
  }
  return { failures, statuses };
}

describe("mini-fuzz of malformed Teams activities", () => {
  describe("in local emulator mode", () => {
    let h: Harness;
    beforeAll(async () => {
      h = await Harness.start();
    });
    afterAll(async () => {
      await h.stop();
    });

    it(`${CASES} mutated activities: no answer ≥ 500, no stack trace, no failed turn`, async () => {
      const seed = fuzzSeed();
      console.log(`Teams fuzz (emulator) seed: ${seed} (repeat with FUZZ_SEED=${seed})`);
      const mark = h.app.logLines.length;
      const { failures, statuses } = await fuzz(h, seed, {});
      expect(failures, `seed ${seed}`).toEqual([]);
      // Both the edge (400) and the routes (200) were reached.
      expect(statuses.get(200), `seed ${seed}: ${[...statuses]}`).toBeGreaterThan(0);
      expect(statuses.get(400), `seed ${seed}: ${[...statuses]}`).toBeGreaterThan(0);
      const failedTurns = h.app.logLines.slice(mark).filter((l) => /Teams turn failed|unhandled error/.test(l));
      expect(
        failedTurns.map((l) => JSON.parse(l).err?.message),
        `seed ${seed}`,
      ).toEqual([]);
      expect((await fetch(`${h.app.url}/healthz`)).status).toBe(200);
    }, 120_000);
  });

  describe("with BOT_ID set", () => {
    let h: Harness;
    beforeAll(async () => {
      h = await Harness.start({ BOT_ID: "3f2504e0-4f89-11d3-9a0c-0305e82c3301", BOT_PASSWORD: "not-a-real-secret" });
    });
    afterAll(async () => {
      await h.stop();
    });

    it(`${CASES} mutated activities with a bearer: only 4xx, nothing reaches the connector`, async () => {
      const seed = fuzzSeed();
      console.log(`Teams fuzz (BOT_ID) seed: ${seed} (repeat with FUZZ_SEED=${seed})`);
      // Shaped like a Bot Framework token (RS256, a key id), so the edge lets it through to the activity checks.
      const header = Buffer.from(JSON.stringify({ alg: "RS256", kid: "k1" })).toString("base64url");
      const { failures, statuses } = await fuzz(h, seed, { authorization: `Bearer ${header}.e30.c2ln` });
      expect(failures, `seed ${seed}`).toEqual([]);
      // Both the edge (400) and the token check behind it (401) were reached.
      expect(statuses.get(401), `seed ${seed}: ${[...statuses]}`).toBeGreaterThan(0);
      expect(statuses.get(400), `seed ${seed}: ${[...statuses]}`).toBeGreaterThan(0);
      expect(h.connector.sent).toEqual([]);
    }, 120_000);
  });
});
