import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLicence, decideActivation, getLicence, requestActivation } from "../../src/handlers/index.ts";
import { t } from "../../src/i18n/index.ts";
import { advisor, supportAgent } from "../support/app.ts";
import { ACTION } from "./ids.ts";
import { SECRET, type SingleWorkspace, SUPPORT_CHANNEL, singleWorkspace, TEAM } from "./setup.ts";
import { blockText, findButton, sign } from "./slack-sim.ts";

describe("Slack security", () => {
  let w: SingleWorkspace;

  beforeAll(async () => {
    w = await singleWorkspace();
  });
  afterAll(async () => {
    await w?.dispose();
  });

  it("answers 401 to bad and stale signatures and changes nothing", async () => {
    const user = w.fake.addUser({ id: "U0SIG00001", teamId: TEAM, locale: "es-ES" });
    const callsBefore = w.fake.calls.length;
    const bad = await w.sim.command(user, "nuevo", "C0GENERAL1", { secret: "not-the-secret" });
    expect(bad.status).toBe(401);
    const stale = await w.sim.command(user, "nuevo", "C0GENERAL1", { timestamp: Math.floor(Date.now() / 1000) - 600 });
    expect(stale.status).toBe(401);
    const unsigned = await w.sim.post("command=%2Flicencias&text=nuevo", "application/x-www-form-urlencoded", {
      unsigned: true,
    });
    expect(unsigned.status).toBe(401);
    const forged = await w.sim.event(TEAM, { type: "app_uninstalled" }, { secret: "wrong" });
    expect(forged).toBe(401);
    expect(w.fake.calls.length).toBe(callsBefore);
    expect(w.fake.responsesTo(bad.responseUrl)).toEqual([]);
    expect(w.fake.responsesTo(stale.responseUrl)).toEqual([]);
    expect(await w.app.deps.store.findFirm("slack", TEAM)).toBeUndefined();
    expect(SECRET).not.toBe("not-the-secret");
  });

  it("reaches Bolt (which does not verify signatures itself) only through the guard, however the path is spelt", async () => {
    const user = w.fake.addUser({ id: "U0SIG00002", teamId: TEAM, locale: "es-ES" });
    const responseUrl = w.fake.responseUrl();
    const command = new URLSearchParams({
      team_id: TEAM,
      user_id: user.id,
      channel_id: "C0GENERAL1",
      command: "/licencias",
      text: "lista",
      response_url: responseUrl,
      trigger_id: "trig-forged",
    }).toString();
    const challenge = JSON.stringify({ type: "url_verification", token: "x", challenge: "forged-challenge" });
    const callsBefore = w.fake.calls.length;
    for (const path of [
      "/slack/events",
      "/slack/events/",
      "/SLACK/Events",
      "/slack/events?retry=1",
      "/slack/%65vents",
    ]) {
      for (const [body, type] of [
        [command, "application/x-www-form-urlencoded"],
        [challenge, "application/json"],
      ] as const) {
        for (const headers of [sign("not-the-secret", body), {}]) {
          const res = await fetch(`${w.app.url}${path}`, {
            method: "POST",
            headers: { "content-type": type, ...headers },
            body,
          });
          const text = await res.text();
          expect([401, 404], `${path} ${type}`).toContain(res.status);
          expect(text).not.toContain("forged-challenge");
        }
      }
    }
    expect(w.fake.calls.length).toBe(callsBefore);
    expect(w.fake.responsesTo(responseUrl)).toEqual([]);
  });

  it("refuses guests and users of another workspace, with an explanation", async () => {
    const guest = w.fake.addUser({ id: "U0GUEST001", teamId: TEAM, restricted: true, locale: "es-ES" });
    const single = w.fake.addUser({ id: "U0GUEST002", teamId: TEAM, ultraRestricted: true, locale: "es-ES" });
    for (const u of [guest, single]) {
      const cmd = await w.sim.command(u, "lista");
      expect(blockText(w.sim.lastAnswer(cmd.responseUrl).blocks)).toContain(
        "Los invitados y los usuarios de otras organizaciones",
      );
    }
    // A member opens the list; a Slack Connect user of another workspace clicks its "Nuevo" button.
    const member = w.fake.addUser({ id: "U0MEMBER01", teamId: TEAM, locale: "es-ES" });
    const cmd = await w.sim.command(member, "lista");
    const nuevo = findButton(w.sim.lastAnswer(cmd.responseUrl).blocks, ACTION.licencesNew);
    for (const outsider of [
      w.fake.addUser({ id: "U0CONNECT1", teamId: "T0ELSEWHERE", locale: "es-ES" }),
      w.fake.addUser({ id: "U0STRANGE1", teamId: "T0ELSEWHERE", stranger: true }),
    ]) {
      const click = await w.sim.click(
        outsider,
        nuevo,
        { kind: "message", channel: "C0SHARED01", responseUrl: w.fake.responseUrl(), ephemeral: false },
        { teamId: TEAM },
      );
      expect(blockText(w.sim.lastAnswer(click.responseUrl).blocks)).toContain(
        "Los invitados y los usuarios de otras organizaciones",
      );
    }
    expect(w.fake.callsTo("views.open")).toHaveLength(0);
    expect(w.fake.failures).toEqual([]);
  });

  it("a click carrying another firm's licence id changes nothing", async () => {
    const { deps } = w.app;
    const other = advisor("T0OTHERFIRM");
    w.fake.addUser({ id: other.userId, teamId: "T0OTHERFIRM" });
    await requestActivation(deps, other, { message: "Activad" });
    const pending = (await deps.store.listPendingRequests(10)).find((r) => r.requesterId === other.userId);
    if (!pending) throw new Error("no request");
    await decideActivation(deps, supportAgent({ workspaceId: TEAM, channelId: SUPPORT_CHANNEL }), {
      requestId: pending.id,
      decision: "approve",
    });
    const theirs = await createLicence(deps, other, { taxId: "A58818501", name: "Cliente ajeno" });

    const me = w.fake.addUser({ id: "U0MEMBER02", teamId: TEAM, locale: "es-ES" });
    for (const action of [ACTION.licenceDelete, ACTION.licenceDeactivate, ACTION.licenceUnlink, ACTION.licenceSend]) {
      const click = await w.sim.click(
        me,
        { type: "button", action_id: action, value: JSON.stringify({ licenceId: theirs.id }), text: { text: "x" } },
        { kind: "message", channel: "C0GENERAL1", responseUrl: w.fake.responseUrl() },
      );
      expect(blockText(w.sim.lastAnswer(click.responseUrl).blocks)).toContain("No se ha encontrado ninguna licencia");
    }
    const still = await getLicence(deps, other, { licenceId: theirs.id });
    expect(still.state).toBe("active");
    expect(w.fake.dmsTo(me.id)).toEqual([]);
    // A value that is not a call's arguments at all is refused before anything runs.
    const click = await w.sim.click(
      me,
      { type: "button", action_id: ACTION.licenceDelete, value: "1 OR 1=1", text: { text: "x" } },
      { kind: "message", channel: "C0GENERAL1", responseUrl: w.fake.responseUrl() },
    );
    expect(blockText(w.sim.lastAnswer(click.responseUrl).blocks)).toContain(t("es", "error.invalid"));
    expect((await getLicence(deps, other, { licenceId: theirs.id })).state).toBe("active");
  });
});
