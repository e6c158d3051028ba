import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WATCH_DEFAULTS } from "../../src/config.ts";
import { openStore } from "../../src/db/index.ts";
import { requestActivation } from "../../src/handlers/index.ts";
import { clientApp, newInstallationId } from "../api/helpers.ts";
import { type FakeSlack, type FakeUser, startFakeSlack } from "../slack/fake-slack.ts";
import { ACTION, VIEW } from "../slack/ids.ts";
import { SECRET, SUPPORT_CHANNEL, TEAM, TOKEN } from "../slack/setup.ts";
import { blockText, findButton } from "../slack/slack-sim.ts";
import { advisor, captureLogger } from "../support/app.ts";
import { newDni } from "../support/fixtures.ts";
import { freshPgDatabase, storeOptionsFor } from "../support/storage.ts";
import { type Instance, startInstance } from "./instances.ts";

/**
 * Two server processes on one PostgreSQL database, on two ports, with one
 * fake Slack (docs/architecture.md, "Several instances"): whatever instance a
 * request reaches, every rule holds, and one instance crashing loses nothing
 * the other or the client was told was done.
 */
describe("two instances on one PostgreSQL database", () => {
  let database: { url: string; drop(): Promise<void> };
  let fake: FakeSlack;
  let a: Instance;
  let b: Instance;
  let db: pg.Pool;
  let requester: FakeUser;
  const agents: FakeUser[] = [];

  beforeAll(async () => {
    database = await freshPgDatabase();
    db = new pg.Pool({ connectionString: database.url, max: 2 });
    fake = await startFakeSlack();
    fake.addToken(TOKEN, { teamId: TEAM, teamName: "Asesoría Pérez", botUserId: "UBOT", botId: "BBOT" });
    requester = fake.addUser({ id: "U0MULTIREQ", teamId: TEAM, name: "Rita", locale: "es-ES" });
    for (let i = 0; i < 50; i++) {
      agents.push(fake.addUser({ id: `U0AGENT${String(i).padStart(3, "0")}`, teamId: TEAM, name: `Agente ${i}` }));
    }
    const env = {
      DATABASE_URL: database.url,
      DATABASE_POOL_SIZE: "10",
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_BOT_TOKEN: TOKEN,
      SUPPORT_SLACK_CHANNEL_ID: SUPPORT_CHANNEL,
      TRUST_PROXY: "1",
      TEST_SUPPORT_RETRY_MS: "300",
    };
    [a, b] = await Promise.all([startInstance(env, fake, SECRET), startInstance(env, fake, SECRET)]);
  }, 90_000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await db?.end();
    await fake?.close();
    await database?.drop();
  });

  const rows = async (text: string, values: unknown[] = []) => (await db.query(text, values)).rows;

  it("an advisor asks on one; fifty Aprobar clicks split across both record one decision and send one answer", async () => {
    expect(a.url).not.toBe(b.url);
    const form = await a.sim.openActivationForm(requester);
    await a.sim.submit(requester, form.id, { message: "Queremos la Solución para PYMES" });
    const msg = fake.messages.filter((m) => m.channel === SUPPORT_CHANNEL).at(-1);
    if (!msg) throw new Error("the request was not posted to support");
    const approve = findButton(msg.blocks, ACTION.supportApprove);
    const origin = { kind: "message" as const, channel: SUPPORT_CHANNEL, ephemeral: false, ts: msg.ts };

    const clicks = await Promise.all(
      agents.map((agent, i) =>
        (i % 2 ? b : a).sim.click(agent, approve, { ...origin, responseUrl: fake.responseUrl() }),
      ),
    );
    expect(clicks.map((c) => c.status)).toEqual(agents.map(() => 200));

    const decided = await rows("select status, decided_by from activation_requests where requester_id = $1", [
      requester.id,
    ]);
    expect(decided).toHaveLength(1);
    expect(decided[0]?.status).toBe("approved");
    expect(await rows("select id from audit_events where action = 'activation.approved'")).toHaveLength(1);
    // One answer to the requester, one update of the support message.
    expect(fake.dmsTo(requester.id)).toHaveLength(1);
    expect(fake.callsTo("chat.update")).toHaveLength(1);
    // Every other agent was told it was already decided, and by whom; under this machine's load a click
    // that waited on the request's lock past lock_timeout is asked to try again instead (and decides nothing).
    const winner = agents.find((g) => g.id === decided[0]?.decided_by);
    const told = clicks.map((c) => blockText(fake.responsesTo(c.responseUrl).at(-1)?.blocks));
    const already = told.filter((t) => t.includes("ya estaba decidida"));
    const retry = told.filter((t) => t.includes("Inténtalo de nuevo"));
    expect(already.length + retry.length, told.join("\n---\n")).toBe(49);
    expect(already.length).toBeGreaterThan(0);
    expect(already.every((t) => t.includes(winner?.name ?? "?"))).toBe(true);

    // The firm is active on both: "nuevo" opens the licence form on the other instance.
    await b.sim.command(requester, "nuevo");
    expect(b.sim.lastView(VIEW.licenceForm)).toBeDefined();
  }, 60_000);

  /** A licence issued through `instance` (Slack's licence form), bound by the client app through it. */
  async function boundLicence(instance: Instance, name: string) {
    const taxId = newDni();
    await instance.sim.command(requester, "nuevo");
    const form = instance.sim.lastView(VIEW.licenceForm);
    await instance.sim.submit(requester, form.id, { taxId, name });
    const [licence] = await rows(
      "select l.id, l.number from licences l join clients c on c.id = l.client_id where c.tax_id = $1",
      [taxId],
    );
    if (!licence) throw new Error("no licence");
    const activated = await clientApp(instance.url).activate({
      licenceNumber: licence.number,
      taxId,
      installationId: newInstallationId(),
    });
    expect(activated.body.code).toBe("ACTIVATED");
    return { licenceId: String(licence.id), token: activated.body.installationToken as string };
  }

  it("a licence deactivated through one validates as DEACTIVATED through the other at once", async () => {
    const { licenceId, token } = await boundLicence(a, "Cliente Dos Instancias S.L.");
    expect((await clientApp(b.url).validate(token)).body.code).toBe("VALID");

    const shown = await a.sim.command(requester, "lista");
    const deactivate = findButton(a.sim.lastAnswer(shown.responseUrl).blocks, ACTION.licenceDeactivate, licenceId);
    // A double click whose two requests reach the two instances acts once: one answer, one audit event.
    const before = fake.responsesTo(shown.responseUrl).length;
    const origin = { kind: "message" as const, channel: "C0GENERAL1", responseUrl: shown.responseUrl };
    const clicks = await Promise.all([
      a.sim.click(requester, deactivate, origin),
      b.sim.click(requester, deactivate, origin),
    ]);
    expect(clicks.map((c) => c.status)).toEqual([200, 200]);
    expect(fake.responsesTo(shown.responseUrl).length - before).toBe(1);
    expect(
      await rows("select id from audit_events where action = 'licence.deactivated' and licence_id = $1", [licenceId]),
    ).toHaveLength(1);
    expect((await clientApp(b.url).validate(token)).body.code).toBe("DEACTIVATED");
  }, 30_000);

  it("the unposted-request retry running on both posts each request once", async () => {
    // Requests made where no support desk was reachable (an instance that crashed before posting, long ago).
    const handle = await openStore(storeOptionsFor(database.url));
    const deps = {
      store: handle.store,
      now: Date.now,
      randomBytes: (n: number) => new Uint8Array(n),
      logger: captureLogger().logger,
      support: { slackChannelId: SUPPORT_CHANNEL, userIds: [] },
      watch: WATCH_DEFAULTS,
      notifiers: {},
    };
    const names: string[] = [];
    try {
      for (let i = 0; i < 12; i++) {
        const asker = advisor(`T0RETRY${String(i).padStart(3, "0")}`);
        names.push(asker.workspaceName ?? "");
        await requestActivation(deps, asker, { message: `Solicitud ${i}` });
      }
    } finally {
      await handle.close();
    }
    await db.query("update activation_requests set support_claimed_at = null where support_ref is null");

    // Both instances look every 300 ms; wait until every request is shown.
    const deadline = Date.now() + 15_000;
    while ((await rows("select id from activation_requests where support_ref is null")).length > 0) {
      if (Date.now() > deadline) throw new Error("the retry did not post every request");
      await new Promise((r) => setTimeout(r, 100));
    }
    // Two more rounds on both instances: nothing is posted again.
    await new Promise((r) => setTimeout(r, 800));
    const posts = fake
      .callsTo("chat.postMessage")
      .filter((c) => c.args.channel === SUPPORT_CHANNEL)
      .map((c) => blockText(c.args.blocks) || String(c.args.text ?? ""));
    for (const name of names)
      expect(
        posts.filter((p) => p.includes(name)),
        name,
      ).toHaveLength(1);
  }, 40_000);

  it("kill -9 of one instance under client-API load loses no acknowledged write; the other keeps serving", async () => {
    const bound = await Promise.all([1, 2, 3, 4].map((n) => boundLicence(b, `Cliente Carga ${n} S.L.`)));
    const acknowledged: string[] = [];
    const byInstance = new Map<Instance, number>();
    let cut = 0;
    let seq = 0;
    let killed = false;
    const report = async (instance: Instance) => {
      const id = `AEAT-MULTI-${++seq}`;
      const licence = bound[seq % bound.length];
      if (!licence) return;
      try {
        const res = await clientApp(instance.url).report(licence.token, [
          {
            id,
            organismo: "AEAT",
            asunto: `Notificación ${seq}`,
            fechaPuestaDisposicion: "2026-11-20",
            estado: "leida",
          },
        ]);
        if (res.status === 200) {
          acknowledged.push(id);
          byInstance.set(instance, (byInstance.get(instance) ?? 0) + 1);
        } else if (instance === b) throw new Error(`the surviving instance answered ${res.status}`);
      } catch (err) {
        // A request cut by the crash is not acknowledged; the surviving instance must never fail.
        if (instance === b) throw err;
        cut++;
      }
    };
    const load = async (instance: Instance, until: () => boolean) => {
      while (!until()) await Promise.all([report(instance), report(instance), report(instance)]);
    };
    let crashedAt = 0;
    // The survivor is kept busy until well after the crash.
    const survivor = load(b, () => crashedAt > 0 && Date.now() > crashedAt + 2_000);
    const victim = load(a, () => killed);
    // Crash once the victim has acknowledged writes of its own (it is under load, not idle).
    const deadline = Date.now() + 20_000;
    while ((byInstance.get(a) ?? 0) < 6) {
      if (Date.now() > deadline) throw new Error("the instance to crash acknowledged too little");
      await new Promise((r) => setTimeout(r, 20));
    }
    await a.crash();
    killed = true;
    crashedAt = Date.now();
    await Promise.all([survivor, victim]);

    // Both took writes before the crash, and the crash cut requests in flight.
    expect(byInstance.get(a) ?? 0).toBeGreaterThanOrEqual(6);
    expect(byInstance.get(b) ?? 0).toBeGreaterThan(6);
    expect(cut).toBeGreaterThan(0);
    const stored = new Set(
      (await rows("select external_id from notifications where external_id like 'AEAT-MULTI-%'")).map(
        (r) => r.external_id as string,
      ),
    );
    expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
    // The survivor still validates every licence.
    for (const { token } of bound) expect((await clientApp(b.url).validate(token)).body.code).toBe("VALID");
  }, 60_000);
});
