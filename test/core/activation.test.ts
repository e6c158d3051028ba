import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openStore } from "../../src/db/index.ts";
import { ServiceError } from "../../src/errors.ts";
import {
  type ActivationRequest,
  decideActivation,
  getActivationStatus,
  listPendingRequests,
  postPendingRequests,
  requestActivation,
  revokeActivation,
  type SupportDesk,
} from "../../src/handlers/index.ts";
import { advisor, supportAgent, testDeps } from "../support/app.ts";
import { failure } from "../support/fixtures.ts";

function codeOf(p: unknown): string | undefined {
  return p instanceof ServiceError ? p.code : undefined;
}

describe("activation", () => {
  let deps: Awaited<ReturnType<typeof testDeps>>;
  const posted: ActivationRequest[] = [];
  const decided: ActivationRequest[] = [];
  const notified: ActivationRequest[] = [];
  const revoked: { requestId: number; cleared: number }[] = [];
  const desk: SupportDesk = {
    postRequest: async (r) => {
      posted.push(r);
      return `ref-${r.id}`;
    },
    showDecision: async (_ref, r) => {
      decided.push(r);
    },
  };

  beforeEach(async () => {
    posted.length = 0;
    decided.length = 0;
    notified.length = 0;
    revoked.length = 0;
    deps = await testDeps({ supportDesk: desk });
    deps.notifiers.slack = {
      notifyDecision: async (r) => void notified.push(r),
      notifyRevocation: async (r, cleared) => void revoked.push({ requestId: r.id, cleared }),
    };
  });
  afterEach(async () => await deps.dispose());

  it("goes not requested → pending → active; the support message and the requester hear of it", async () => {
    const a = advisor();
    expect((await getActivationStatus(deps, a)).activationState).toBe("not_requested");
    const req = await requestActivation(deps, a, { message: "  Hola, queremos activarlo " });
    expect(req.message).toBe("Hola, queremos activarlo");
    expect(req.supportRef).toContain(`ref-${req.id}`);
    expect(posted).toHaveLength(1);
    expect((await getActivationStatus(deps, a)).activationState).toBe("pending");

    const decidedReq = await decideActivation(deps, supportAgent(), { requestId: req.id, decision: "approve" });
    expect(decidedReq.status).toBe("approved");
    expect((await getActivationStatus(deps, a)).activationState).toBe("active");
    expect(decided.map((r) => r.id)).toEqual([req.id]);
    expect(notified.map((r) => r.status)).toEqual(["approved"]);
  });

  it("keeps at most one pending request per firm and none once active", async () => {
    const a = advisor("T0ONEPEND1");
    await requestActivation(deps, a, { message: "uno" });
    expect((await failure(() => requestActivation(deps, advisor("T0ONEPEND1"), { message: "dos" }))).messageId).toBe(
      "activation.alreadyPending",
    );
    const [pending] = await listPendingRequests(deps, supportAgent());
    await decideActivation(deps, supportAgent(), { requestId: pending?.id ?? 0, decision: "approve" });
    expect((await failure(() => requestActivation(deps, a, { message: "tres" }))).messageId).toBe(
      "activation.alreadyActive",
    );
  });

  it("lets a rejected firm ask again, with the reason recorded", async () => {
    const a = advisor("T0REJECT01");
    const req = await requestActivation(deps, a, { message: "por favor" });
    expect(
      (
        await failure(() =>
          decideActivation(deps, supportAgent(), { requestId: req.id, decision: "reject", reason: " " }),
        )
      ).fields[0]?.field,
    ).toBe("reason");
    const rejected = await decideActivation(deps, supportAgent(), {
      requestId: req.id,
      decision: "reject",
      reason: "Falta el contrato",
    });
    expect(rejected.reason).toBe("Falta el contrato");
    expect((await getActivationStatus(deps, a)).activationState).toBe("rejected");
    const again = await requestActivation(deps, a, { message: "ya firmado" });
    expect(again.status).toBe("pending");
  });

  it("refuses an empty or too long message on its field", async () => {
    expect((await failure(() => requestActivation(deps, advisor(), { message: "   " }))).fields).toEqual([
      { field: "message", message: "activation.messageRequired" },
    ]);
    const long = await failure(() => requestActivation(deps, advisor(), { message: "x".repeat(2001) }));
    expect(long.fields[0]).toMatchObject({
      field: "message",
      message: "activation.messageTooLong",
      params: { max: 2000 },
    });
  });

  it("only lets support decide, from the support channel, on the allow-list, never on their own request", async () => {
    const a = advisor("T0RULES001");
    const req = await requestActivation(deps, a, { message: "hola" });
    // An advisor in their own workspace.
    expect(codeOf(await failure(() => decideActivation(deps, a, { requestId: req.id, decision: "approve" })))).toBe(
      "FORBIDDEN",
    );
    // Support staff outside the support channel.
    const elsewhere = supportAgent({ channelId: "C0OTHER001" });
    expect(
      codeOf(await failure(() => decideActivation(deps, elsewhere, { requestId: req.id, decision: "approve" }))),
    ).toBe("FORBIDDEN");
    // A Teams user cannot pretend to be in the Slack channel.
    const teams = supportAgent({ platform: "teams", channelId: "CSUPPORT01" });
    expect(codeOf(await failure(() => decideActivation(deps, teams, { requestId: req.id, decision: "approve" })))).toBe(
      "FORBIDDEN",
    );
    // With an allow-list, only those on it.
    deps.support = { ...deps.support, userIds: ["U0ALLOWED1"] };
    expect(
      codeOf(await failure(() => decideActivation(deps, supportAgent(), { requestId: req.id, decision: "approve" }))),
    ).toBe("FORBIDDEN");
    // The requester, even in the support channel and on the allow-list.
    deps.support = { ...deps.support, userIds: [a.userId] };
    const self = { ...a, channelId: "CSUPPORT01" };
    const own = await failure(() => decideActivation(deps, self, { requestId: req.id, decision: "approve" }));
    expect(own.messageId).toBe("activation.ownRequest");
    expect((await getActivationStatus(deps, a)).activationState).toBe("pending");
    const allowed = supportAgent({ userId: "U0ALLOWED1" });
    deps.support = { ...deps.support, userIds: ["U0ALLOWED1"] };
    expect((await decideActivation(deps, allowed, { requestId: req.id, decision: "approve" })).status).toBe("approved");
  });

  it("lets users of another organisation (Slack Connect) decide only when the allow-list names them", async () => {
    const a = advisor("T0CONNECT1");
    const req = await requestActivation(deps, a, { message: "hola" });
    const vendorStaff = supportAgent({ external: true, userId: "U0VENDOR01" });
    // Without an allow-list, anyone the support channel is shared with could decide: refused.
    expect(
      codeOf(await failure(() => decideActivation(deps, vendorStaff, { requestId: req.id, decision: "approve" }))),
    ).toBe("FORBIDDEN");
    deps.support = { ...deps.support, userIds: ["U0VENDOR01"] };
    expect((await decideActivation(deps, vendorStaff, { requestId: req.id, decision: "approve" })).status).toBe(
      "approved",
    );
    // They still cannot act for a firm.
    expect(
      (await failure(() => requestActivation(deps, advisor("T0CONNECT2", { external: true }), { message: "x" })))
        .messageId,
    ).toBe("error.guest");
  });

  it("records exactly one of two simultaneous decisions; the other learns who decided and when", async () => {
    const a = advisor("T0RACE0001");
    const req = await requestActivation(deps, a, { message: "carrera" });
    // A second instance on the same database file.
    const other = await openStore({ path: deps.dbPath });
    const deps2 = { ...deps, store: other.store };
    const s1 = supportAgent({ userName: "Lucía" });
    const s2 = supportAgent({ userName: "Pedro" });
    const results = await Promise.allSettled([
      decideActivation(deps, s1, { requestId: req.id, decision: "approve" }),
      decideActivation(deps2, s2, { requestId: req.id, decision: "reject", reason: "no" }),
    ]);
    await other.close();
    const ok = results.filter((r) => r.status === "fulfilled");
    const ko = results.filter((r) => r.status === "rejected");
    expect(ok).toHaveLength(1);
    expect(ko).toHaveLength(1);
    const err = (ko[0] as PromiseRejectedResult).reason as ServiceError;
    expect(err.code).toBe("ALREADY_DECIDED");
    expect(err.details).toMatchObject({ status: "approved", decidedByName: "Lucía" });
    expect(typeof err.details.decidedAt).toBe("number");
    expect((await getActivationStatus(deps, a)).activationState).toBe("active");
    expect(decided).toHaveLength(1);
  });

  it("lets support revoke an active firm, which then may ask again", async () => {
    const a = advisor("T0REVOKE01");
    const req = await requestActivation(deps, a, { message: "hola" });
    await decideActivation(deps, supportAgent(), { requestId: req.id, decision: "approve" });
    expect(codeOf(await failure(() => revokeActivation(deps, a, { firmId: req.firmId })))).toBe("FORBIDDEN");
    expect((await revokeActivation(deps, supportAgent(), { firmId: req.firmId })).activationState).toBe("revoked");
    // The requester of the approved request hears of it.
    expect(revoked).toEqual([{ requestId: req.id, cleared: 0 }]);
    expect(codeOf(await failure(() => revokeActivation(deps, supportAgent(), { firmId: req.firmId })))).toBe(
      "CONFLICT",
    );
    expect((await requestActivation(deps, a, { message: "otra vez" })).status).toBe("pending");
  });

  it("posts later the requests made while the support channel was unreachable", async () => {
    let reachable = false;
    deps.supportDesk = {
      postRequest: async (r) => (reachable ? `ref-${r.id}` : undefined),
      showDecision: async () => {},
    };
    const req = await requestActivation(deps, advisor("T0LATER001"), { message: "hola" });
    expect(req.supportRef).toBeNull();
    reachable = true;
    expect(await postPendingRequests(deps)).toBe(1);
    expect((await deps.store.getActivationRequest(req.id))?.supportRef).toBe(`ref-${req.id}`);
    expect(await postPendingRequests(deps)).toBe(0);
  });

  it("refuses guests", async () => {
    const guest = advisor("T0GUEST001", { guest: true });
    expect((await failure(() => requestActivation(deps, guest, { message: "hola" }))).messageId).toBe("error.guest");
  });
});
