import { expect } from "vitest";
import { t } from "../../src/i18n/index.ts";
import type { TestApp } from "../support/app.ts";
import { textObjects } from "./block-kit.ts";
import type { FakeSlack, FakeUser } from "./fake-slack.ts";
import { ACTION, TICKED, VIEW } from "./ids.ts";
import { blockText, findButton, type SlackSim } from "./slack-sim.ts";

/** A client name full of Slack markup: it must be shown literally and ping nobody. */
export const TRICKY_NAME = "<!channel> *x* <https://evil|click> & Co";
export const TAX_ID = "B12345674";

export interface JourneyWorld {
  app: TestApp;
  fake: FakeSlack;
  sim: SlackSim;
  advisor: FakeUser;
  /** Two support agents in the support channel's workspace. */
  agent: FakeUser;
  agent2: FakeUser;
  supportChannel: string;
  /** The Web API token the advisor's requests must use. */
  advisorToken: string;
  supportToken: string;
  /** What the requester is told on clicking "Aprobar" on their own request (outside their workspace: not support). */
  ownRequestRefusal: string;
}

type Json = Record<string, unknown>;

function blocksOf(msg: Json): unknown {
  return msg.blocks;
}

/** Every payload the app sent to Slack, for checks over all of them. */
export function everything(fake: FakeSlack): unknown[] {
  return [...fake.responses.map((r) => r.body), ...fake.messages, ...fake.views.map((v) => v.view)];
}

/** Text people typed never reaches Slack as mrkdwn (where it could ping or link): only in plain_text. */
export function expectShownLiterally(fake: FakeSlack, typed: string[]): void {
  const texts = textObjects(everything(fake));
  for (const s of typed) {
    expect(texts.some((t) => t.type === "plain_text" && t.text.includes(s))).toBe(true);
  }
  for (const t of texts.filter((x) => x.type === "mrkdwn")) {
    expect(t.text).not.toContain("<!channel>");
    expect(t.text).not.toContain("<https://evil");
    expect(t.text).not.toContain("*x*");
  }
  for (const m of fake.messages) {
    expect(m.text ?? "").not.toContain("<!channel>");
  }
}

/**
 * The whole journey of DESIGN.md from the advisor's side: "Nuevo" without the
 * feature, the request, support's decision, the licence form (with its field
 * errors), self-managed, details sent, listed, deactivated, reactivated,
 * unlinked and deleted.
 */
export async function runJourney(w: JourneyWorld): Promise<{ licenceNumber: string }> {
  const { fake, sim, advisor, agent, agent2, supportChannel } = w;

  // 1. "Nuevo" without the feature asks whether to request it.
  let cmd = await sim.command(advisor, "nuevo");
  expect(cmd.status).toBe(200);
  let answer = sim.lastAnswer(cmd.responseUrl);
  expect(answer.response_type).toBe("ephemeral");
  const yes = findButton(blocksOf(answer), ACTION.activationYes);
  expect(yes.text.text).toBe("Sí");
  expect(findButton(blocksOf(answer), ACTION.activationNo).text.text).toBe("No");

  // 2. "Sí" opens the form with the message for Soporte Técnico.
  await sim.click(advisor, yes, { kind: "message", channel: "C0GENERAL1", responseUrl: cmd.responseUrl });
  const requestForm = sim.lastView(VIEW.activationRequest);
  expect(blockText(requestForm.view.blocks)).toContain("Mensaje para Soporte Técnico");
  const empty = await sim.submit(advisor, requestForm.id, { message: "   " });
  expect(empty.body).toMatchObject({ response_action: "errors", errors: { message: expect.any(String) } });
  const sent = await sim.submit(advisor, requestForm.id, { message: "Queremos la Solución para PYMES <!here>" });
  expect(sent.body?.response_action).toBe("update");

  // 3. The request is in the support channel, posted with the support workspace's token.
  const posted = fake.callsTo("chat.postMessage").filter((c) => c.args.channel === supportChannel);
  expect(posted).toHaveLength(1);
  expect(posted[0]?.token).toBe(w.supportToken);
  const supportMsg = fake.messages.find((m) => m.channel === supportChannel);
  if (!supportMsg) throw new Error("no support message");
  const supportText = blockText(supportMsg.blocks);
  expect(supportText).toContain("Queremos la Solución para PYMES <!here>");
  expect(supportText).toContain(advisor.name ?? "");
  const approve = findButton(supportMsg.blocks, ACTION.supportApprove);
  expect(approve.text.text).toBe("Aprobar");
  expect(findButton(supportMsg.blocks, ACTION.supportReject).text.text).toBe("Rechazar");
  const supportOrigin = { kind: "message" as const, channel: supportChannel, ephemeral: false, ts: supportMsg.ts };

  // A pending request is not duplicated.
  cmd = await sim.command(advisor, "nuevo");
  expect(blockText(blocksOf(sim.lastAnswer(cmd.responseUrl)))).toContain(
    "Ya hay una solicitud de activación pendiente",
  );

  // 4. Refused decisions: outside the support channel, and on one's own request.
  let click = await sim.click(agent, approve, {
    kind: "message",
    channel: "C0GENERAL1",
    responseUrl: fake.responseUrl(),
    ephemeral: false,
  });
  expect(blockText(blocksOf(sim.lastAnswer(click.responseUrl)))).toContain(t("es", "support.onlyThere"));
  click = await sim.click(advisor, approve, { ...supportOrigin, responseUrl: fake.responseUrl() });
  expect(blockText(blocksOf(sim.lastAnswer(click.responseUrl)))).toContain(w.ownRequestRefusal);
  expect(buttonsLeft(fake, supportChannel, supportMsg.ts)).toBe(2);

  // 5. Support approves: the message shows the outcome in place, the requester gets a DM.
  click = await sim.click(agent, approve, { ...supportOrigin, responseUrl: fake.responseUrl() });
  expect(click.status).toBe(200);
  expect(buttonsLeft(fake, supportChannel, supportMsg.ts)).toBe(0);
  expect(blockText(supportMsg.blocks)).toContain(`Aprobada por ${agent.name}`);
  const decisionDm = fake.dmsTo(advisor.id);
  expect(decisionDm).toHaveLength(1);
  expect(blockText(decisionDm[0]?.blocks)).toContain("ha aprobado la activación");

  // 6. A second approval: exactly one decision; the clicker is told who decided and when.
  const updatesBefore = fake.callsTo("chat.update").length;
  click = await sim.click(agent2, approve, { ...supportOrigin, responseUrl: fake.responseUrl() });
  const late = blockText(blocksOf(sim.lastAnswer(click.responseUrl)));
  expect(late).toContain("ya estaba decidida");
  expect(late).toContain(agent.name ?? "");
  expect(late).toMatch(/\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/);
  expect(fake.callsTo("chat.update").length).toBe(updatesBefore);
  expect(fake.dmsTo(advisor.id)).toHaveLength(1);

  // 7. Now "Nuevo" opens "Mantenimiento de Licencias".
  cmd = await sim.command(advisor, "nuevo");
  let form = sim.lastView(VIEW.licenceForm);
  const formText = blockText(form.view.blocks);
  for (const label of [
    "Mantenimiento de Licencias",
    "NIF/CIF",
    "Razón social",
    "Persona de contacto",
    "Correo electrónico",
    "Teléfono",
    "Observaciones",
  ]) {
    expect(formText).toContain(label);
  }
  const good = {
    taxId: "b-1234567 4",
    name: TRICKY_NAME,
    contactPerson: "Luis",
    email: "cliente@example.com",
    phone: "+34 600 000 000",
    notes: null,
  };

  // Field errors are shown on the field.
  let res = await sim.submit(advisor, form.id, { ...good, taxId: "B12345670" });
  expect(res.body).toMatchObject({ response_action: "errors", errors: { taxId: expect.stringContaining("NIF/CIF") } });
  res = await sim.submit(advisor, form.id, { ...good, name: "" });
  expect(res.body).toMatchObject({
    response_action: "errors",
    errors: { name: expect.stringContaining("razón social") },
  });
  res = await sim.submit(advisor, form.id, { ...good, email: "no-es-un-correo" });
  expect(res.body).toMatchObject({ response_action: "errors", errors: { email: expect.stringContaining("correo") } });

  // 8. Saved: the confirmation shows the next steps as buttons.
  res = await sim.submit(advisor, form.id, good);
  expect(res.body?.response_action).toBe("update");
  const createdId = form.id;
  const created = sim.view(createdId);
  expect(blockText(created.blocks)).toContain(TAX_ID);
  const number = /`([0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5})`/.exec(blockText(created.blocks))?.[1];
  if (!number) throw new Error("no licence number shown");

  // A client that already has a licence: error on the NIF field.
  cmd = await sim.command(advisor, "nuevo");
  form = sim.lastView(VIEW.licenceForm);
  res = await sim.submit(advisor, form.id, { ...good, name: "Otra" });
  expect(res.body).toMatchObject({ response_action: "errors", errors: { taxId: expect.stringContaining("ya tiene") } });

  // 9. Mark the client as self-managed from the confirmation.
  await sim.click(advisor, findButton(created.blocks, ACTION.licenceSelfManaged), { kind: "view", viewId: createdId });
  const clientForm = sim.lastView(VIEW.clientForm);
  expect(blockText(clientForm.view.blocks)).toContain("Este cliente gestiona sus propias notificaciones");
  res = await sim.submit(advisor, clientForm.id, { selfManaged: TICKED });
  expect(res.body?.response_action).toBe("update");

  // 10. "Enviar datos de licencia": a DM with the number, the instructions and a mailto draft.
  await sim.click(advisor, findButton(created.blocks, ACTION.licenceSend), { kind: "view", viewId: createdId });
  const detailsDm = fake.dmsTo(advisor.id).at(-1);
  const detailsText = blockText(detailsDm?.blocks);
  expect(detailsText).toContain("Número de licencia");
  expect(detailsText).toContain("Instrucciones de instalación");
  expect(detailsText).toContain(number);
  expect(detailsText).toMatch(
    /<mailto:cliente@example\.com\?subject=[^|>]+&amp;body=[^|>]+\|Abrir borrador de correo>/,
  );
  expect(fake.callsTo("conversations.open").at(-1)?.args.users).toBe(advisor.id);

  // 11. Listed, self-managed.
  cmd = await sim.command(advisor, "");
  answer = sim.lastAnswer(cmd.responseUrl);
  let listText = blockText(blocksOf(answer));
  expect(listText).toContain("Licencias PYMES generadas");
  expect(listText).toContain(TRICKY_NAME);
  expect(listText).toContain("Autogestiona: Sí");
  const listOrigin = { kind: "message" as const, channel: "C0GENERAL1", responseUrl: cmd.responseUrl };

  // 12. Deactivated (behind a confirm dialog): the flag is cleared and the advisor warned.
  const deactivate = findButton(blocksOf(answer), ACTION.licenceDeactivate);
  expect(deactivate.confirm).toBeDefined();
  await sim.click(advisor, deactivate, listOrigin);
  const told = blockText(blocksOf(sim.lastAnswer(cmd.responseUrl)));
  expect(told).toContain("desactivada");
  expect(told).toContain("vigilar sus buzones vuelve a ser tarea del despacho");

  // 13. Reactivated: the flag stays off.
  cmd = await sim.command(advisor, "lista");
  answer = sim.lastAnswer(cmd.responseUrl);
  listText = blockText(blocksOf(answer));
  expect(listText).toContain("Desactivada");
  expect(listText).toContain("Autogestiona: No");
  await sim.click(advisor, findButton(blocksOf(answer), ACTION.licenceReactivate), {
    kind: "message",
    channel: "C0GENERAL1",
    responseUrl: cmd.responseUrl,
  });
  expect(blockText(blocksOf(sim.lastAnswer(cmd.responseUrl)))).toContain("reactivada");

  // 14. The client installs the app (client API), then the advisor unlinks it.
  const activation = await fetch(`${w.app.url}/api/v1/activations`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ licenceNumber: number, taxId: TAX_ID, installationId: "install-0001-abcdef" }),
  });
  expect(((await activation.json()) as Json).code).toBe("ACTIVATED");
  cmd = await sim.command(advisor, "list");
  answer = sim.lastAnswer(cmd.responseUrl);
  expect(blockText(blocksOf(answer))).toContain("Vinculada");
  const unlink = findButton(blocksOf(answer), ACTION.licenceUnlink);
  expect(unlink.confirm).toBeDefined();
  await sim.click(advisor, unlink, { kind: "message", channel: "C0GENERAL1", responseUrl: cmd.responseUrl });
  expect(blockText(blocksOf(sim.lastAnswer(cmd.responseUrl)))).toContain("desvinculada");

  // 15. Other lists: clients, notifications, history.
  cmd = await sim.command(advisor, "clientes");
  const clients = blockText(blocksOf(sim.lastAnswer(cmd.responseUrl)));
  expect(clients).toContain("Licencia PYME: Sí");
  expect(clients).toContain("Autogestiona: No");
  cmd = await sim.command(advisor, "notificaciones");
  expect(blockText(blocksOf(sim.lastAnswer(cmd.responseUrl)))).toContain("Notificaciones");
  cmd = await sim.command(advisor, `historial ${TAX_ID}`);
  const history = blockText(blocksOf(sim.lastAnswer(cmd.responseUrl)));
  expect(history).toContain("Licencia creada");
  expect(history).toContain("Licencia desvinculada");

  // 16. Deleted (behind a confirm dialog): it leaves the list.
  cmd = await sim.command(advisor, "lista");
  answer = sim.lastAnswer(cmd.responseUrl);
  const del = findButton(blocksOf(answer), ACTION.licenceDelete);
  expect(del.confirm).toBeDefined();
  await sim.click(advisor, del, { kind: "message", channel: "C0GENERAL1", responseUrl: cmd.responseUrl });
  expect(blockText(blocksOf(sim.lastAnswer(cmd.responseUrl)))).toContain("eliminada");
  cmd = await sim.command(advisor, "");
  listText = blockText(blocksOf(sim.lastAnswer(cmd.responseUrl)));
  expect(listText).toContain(t("es", "list.empty"));

  // Everything the app sent was accepted by Slack, and the tricky name was shown literally.
  expect(fake.failures).toEqual([]);
  expectShownLiterally(fake, [TRICKY_NAME, "<!here>"]);
  return { licenceNumber: number };
}

/** How many buttons the support message still has. */
export function buttonsLeft(fake: FakeSlack, channel: string, ts: string): number {
  const msg = fake.messages.find((m) => m.channel === channel && m.ts === ts);
  return (msg?.blocks ?? []).filter((b) => b.type === "actions").length * 2;
}
