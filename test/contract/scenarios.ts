import { expect } from "vitest";
import { formatLicenceNumber } from "../../src/domain/licence-number.ts";
import { createLicence, decideActivation, requestActivation } from "../../src/handlers/index.ts";
import { clientApp } from "../api/helpers.ts";
import { newDni } from "../support/fixtures.ts";
import { allText, type Driver, type Person, type Seen } from "./driver.ts";

/**
 * The advisor's and support's journeys, written once and run on every
 * platform (test/contract/contract.test.ts). Every text a scenario expects is
 * in TEXT below. Where Slack and Teams word a thing differently today, the
 * entry holds both and says `// differs today:`; the scenarios then assert
 * what both show (names, numbers, states). One command layer should make
 * every such entry a single string.
 */

/** A text both platforms show, or one per platform where they differ today. `{x}` is filled in. */
export type Expected = string | { slack: string; teams: string };

export const TEXT = {
  // differs today: Slack's help lists `/licencias <word>`, Teams' lists the bare words; Teams adds buttons.
  helpTitle: { slack: "Licencias PYMES: comandos", teams: "Licencias PYMES" },
  helpNew: { slack: "/licencias nuevo: nueva licencia", teams: "nuevo: crear una licencia" },
  helpHistory: { slack: "/licencias historial <licencia o NIF>", teams: "historial licencia o NIF" },
  // differs today: «palabra» on Slack, «orden» on Teams.
  unknownWord: { slack: "No conozco la palabra «{word}»", teams: "No conozco la orden «{word}»" },

  askActivation:
    "Tu despacho todavía no tiene activada la Solución para PYMES. ¿Quieres solicitar su activación a Soporte Técnico?",
  askAgain:
    "La Solución para PYMES no está activa en tu despacho. ¿Quieres volver a solicitar su activación a Soporte Técnico?",
  yes: "Sí",
  no: "No",
  activationTitle: "Solicitar activación",
  messageLabel: "Mensaje para Soporte Técnico",
  messageRequired: "Escribe un mensaje para Soporte Técnico.",
  firmNameRequired: "Indica el nombre del despacho.",
  // differs today: Slack "Te avisaremos por mensaje directo…", Teams "Te avisaré en este chat…".
  requestSent: "Solicitud enviada a Soporte Técnico.",
  alreadyPending: "Ya hay una solicitud de activación pendiente",
  requestCard: "Solicitud de activación",
  // differs today: Slack "Despacho: X (id 1; slack T…)" and the requester's raw user id; Teams "Identificador: Microsoft Teams: …".
  requestFirm: "Despacho: {firm}",
  approve: "Aprobar",
  reject: "Rechazar",
  // differs today: Slack's pending list has "#id" and the message; Teams' has neither.
  pendingTitle: "Solicitudes pendientes",
  // differs today: Slack ends the line with a full stop, Teams does not.
  approvedBy: "Aprobada por {agent} el",
  approvedTold: "Soporte Técnico ha aprobado la activación de la Solución para PYMES de {firm}.",
  // differs today: Slack points to “/licencias nuevo”, Teams to «Nuevo» and adds a "Nueva licencia" button.
  approvedNext: {
    slack: "Ya puedes crear licencias con “/licencias nuevo”.",
    teams: "Ya puedes crear licencias con «Nuevo».",
  },
  // differs today: Slack asks the reason in a modal, Teams in the support card itself ("Confirmar rechazo").
  reasonLabel: "Motivo del rechazo",
  reasonRequired: "Indica el motivo del rechazo.",
  rejectedBy: "Rechazada por {agent} el",
  rejectedTold: "Soporte Técnico ha rechazado la activación de la Solución para PYMES de {firm}.",
  rejectedReason: "Motivo del rechazo: {reason}",

  // differs today: "nuevo" opens the form at once on Slack; Teams first shows a card with this button.
  newLicenceButton: "Nueva licencia",
  licenceForm: "Mantenimiento de Licencias",
  licenceLabels: "NIF/CIF\nRazón social\nPersona de contacto\nCorreo electrónico\nTeléfono\nObservaciones",
  badTaxId: "El NIF/CIF no es válido: revisa el número y la letra de control.",
  duplicateClient: "Este cliente ya tiene una Licencia PYME.",
  // differs today: Slack adds "(NIF/CIF …)", the licence number and a "Siguientes pasos" line; Teams the tax id and state.
  created: "Licencia PYME creada para {name}",
  // differs today: the next step's button is "Gestiona sus propias notificaciones" on Slack, "Configurar cliente" on Teams.
  selfManagedButton: { slack: "Gestiona sus propias notificaciones", teams: "Configurar cliente" },
  sendDetails: "Enviar datos de licencia",

  listTitle: "Licencias PYMES generadas",
  // differs today: "Licencias: 12" on Slack, "12 licencias en total" on Teams.
  listTotal: { slack: "Licencias: {n}", teams: "{n} licencias en total" },
  // differs today: "Más" on Slack, "Página siguiente" (and "Primera página" back) on Teams.
  nextPage: { slack: "Más", teams: "Página siguiente" },
  // differs today: Slack prefixes "NIF/CIF … · Licencia PYME: ", Teams shows the bare tax id.
  rowActive: "Activa · Sin vincular · Autogestiona: No",
  rowDeactivated: "Desactivada · Sin vincular · Autogestiona: No",
  rowBound: "Activa · Vinculada",
  // differs today: Slack "…por mensaje directo.", Teams "…en un mensaje aparte para que puedas reenviarlos." (and keeps the list).
  detailsSent: "Te he enviado los datos de la licencia de {name}",
  detailsTitle: "Datos de la Licencia PYME",
  detailsNumber: "Número de licencia",
  detailsInstructions: "Instrucciones de instalación",
  // differs today: a link in the text on Slack, a button on Teams.
  mailDraft: "Abrir borrador de correo",

  deactivate: "Desactivar",
  // differs today: Slack asks in a confirm dialog of the client; Teams replaces the card with the question.
  deactivateAsk: "¿Desactivar la licencia de {name}?",
  confirmDeactivate: "Sí, desactivar",
  cancel: "Cancelar",
  deactivated: "Licencia de {name} desactivada.",
  watchAgain: "vigilar sus buzones vuelve a ser tarea del despacho",
  reactivate: "Reactivar",
  // differs today: Slack reactivates at once; Teams asks first.
  confirmReactivate: "Sí, reactivar",
  reactivated: "Licencia de {name} reactivada.",
  // differs today: the reminder that self-managed was not ticked again is worded differently.
  tickAgain: {
    slack: "márcalo de nuevo en su configuración",
    teams: "«Gestiona sus propias notificaciones» no se ha vuelto a marcar",
  },
  unlink: "Desvincular",
  confirmUnlink: "Sí, desvincular",
  // differs today: "puede volver a instalarla" on Slack, "puede instalarla de nuevo" on Teams.
  unlinked: "Licencia de {name} desvinculada: el cliente puede",
  deleteButton: "Eliminar",
  confirmDelete: "Sí, eliminar",
  deleted: "Licencia de {name} eliminada.",
  // differs today: "Todavía no hay licencias." on Slack, "Todavía no hay ninguna licencia." on Teams.
  emptyList: "Pulsa «Nuevo» para crear la primera.",

  clientsTitle: "Clientes",
  // differs today: Slack "Licencia PYME: Sí (Activa) · Autogestiona: No" on one line, Teams "Sí (Activa, Sin vincular)" and a line each.
  clientLicence: "Licencia PYME: Sí (Activa",
  clientNotSelfManaged: "Autogestiona: No",
  clientSelfManaged: "Autogestiona: Sí",
  // differs today: "cliente <NIF>" opens the form on Slack; Teams shows the client's card with this button.
  configureClient: "Configurar cliente",
  // differs today: "Configuración cliente" on Slack, "Configuración del cliente" on Teams.
  clientFormTitle: { slack: "Configuración cliente", teams: "Configuración del cliente" },
  selfManagedToggle: "Este cliente gestiona sus propias notificaciones",
  // differs today: Slack starts "Guardado: "; the wording of "now self-managed" and of the warning differ.
  selfManagedOn: {
    slack: "Guardado: {name} gestiona sus propias notificaciones.",
    teams: "{name} gestiona ahora sus propias notificaciones.",
  },
  selfManagedOff: {
    slack: "Guardado: {name} no gestiona sus propias notificaciones; vigilar sus buzones es tarea del despacho.",
    teams: "{name} ya no gestiona sus propias notificaciones: vigilar sus buzones vuelve a ser tarea del despacho.",
  },

  notificationsTitle: "Notificaciones",
  notificationsOf: "Notificaciones de {name}",
  // differs today: Slack "dd/mm/yyyy · AEAT · client (NIF)" then "Estado: … · Autogestionada: Sí"; Teams a line per fact.
  notificationState: { slack: "Estado: Leída · Autogestionada: Sí", teams: "Estado: Leída\nAutogestionada: Sí" },
  noNotifications: "No hay notificaciones.",

  // differs today: Slack "Historial de X\nNIF/CIF N", Teams "Historial de X (N)".
  historyOf: { slack: "Historial de {name}\nNIF/CIF {taxId}", teams: "Historial de {name} ({taxId})" },
  historyCreated: "Licencia creada",
  historyClient: "Cliente creado",
  historyDeactivated: "Licencia desactivada",
  // differs today: Slack names the advisor by the raw user id ("Slack U0…"), Teams by name.
  historyWho: { slack: "Slack {userId}", teams: "{userName} (Microsoft Teams)" },

  // differs today: Slack quotes “/licencias enviar B12345674”, Teams «enviar B12345674».
  missingArgument: "Indica el número de licencia o el NIF/CIF",
  missingExample: { slack: "/licencias enviar B12345674", teams: "enviar B12345674" },
  notFound: "No se ha encontrado ninguna licencia con ese número o NIF en tu despacho.",
  // differs today: Slack speaks of deciding requests even for "despachos"; Teams of the command.
  supportOnly: {
    slack: "Solo Soporte Técnico, desde su canal, puede decidir sobre las solicitudes.",
    teams: "Esta orden solo está disponible en el canal de Soporte Técnico.",
  },

  firmsTitle: "Despachos",
  // differs today: on Slack the firm's name typed in the request ("Despacho <key>") is replaced by the workspace's
  // name ("Asesoría <key>") at the advisor's next command; a Teams firm keeps the name typed in the request.
  firmName: { slack: "Asesoría {key}", teams: "Despacho {key}" },
  // differs today: Slack "slack T…" at the end, Teams "Microsoft Teams: …"; Teams adds a count and a hint.
  firmRow: "{id} · {firm} · Activa · 1 licencia",
  firmOn: { slack: "slack {workspaceId}", teams: "Microsoft Teams: {workspaceId}" },
  // differs today: Slack "¿Revocar la Solución para PYMES de X (id N)?", Teams "¿Revocar el despacho?" with facts.
  revokeAsk: { slack: "¿Revocar la Solución para PYMES de {firm} (id {id})?", teams: "¿Revocar el despacho?" },
  revokeButton: "Revocar",
  // differs today: Slack adds "(id N)."; Teams shows the firm's facts and "por <agent> el <date>".
  revoked: "Solución para PYMES revocada para {firm}",
  revokedTold: "Soporte Técnico ha revocado la Solución para PYMES de tu despacho",
  revokeMissing: { slack: "Indica el id del despacho", teams: "Indica el id numérico del despacho" },
  firmNotFound: "No se ha encontrado el despacho.",

  enHelpTitle: { slack: "SME Licences: commands", teams: "SME Licences" },
  enHelpNew: { slack: "/licencias new: new licence", teams: "new: create a licence" },
  enAskActivation: "Your firm does not have the SME Solution yet. Do you want to ask Support to activate it?",
  enYes: "Yes",
  enListTitle: "SME licences issued",
  // differs today: "No licences yet." on Slack, "There are no licences yet." on Teams.
  enEmptyList: "Press “New” to create the first one.",
  enNew: "New",
} satisfies Record<string, Expected>;

export type TextKey = keyof typeof TEXT;

/** The text a platform shows for a key, with `{name}` placeholders filled in. */
export function t(d: Driver, key: TextKey, params: Record<string, string | number> = {}): string {
  const e: Expected = TEXT[key];
  const text = typeof e === "string" ? e : e[d.platform];
  return text.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? `{${k}}`));
}

/** Everything a person reads on a screen, its title included. */
function read(seen: Seen | Seen[]): string {
  const all = Array.isArray(seen) ? seen : [seen];
  return allText(all.map((s) => ({ ...s, text: [s.title ?? "", s.text].join("\n") })));
}

/** The screen shows every one of these texts. */
export function sees(
  d: Driver,
  seen: Seen | Seen[],
  ...texts: (TextKey | [TextKey, Record<string, string | number>])[]
) {
  const shown = read(seen);
  for (const item of texts) {
    const [key, params] = Array.isArray(item) ? item : [item, {}];
    expect(shown, `${d.platform} should show ${key}`).toContain(t(d, key, params));
  }
}

// --- Setting the scene through the use cases (fast), then acting over HTTP. ---

/** An advisor of a firm whose Solución para PYMES support already approved. */
export async function activeAdvisor(d: Driver, key: string, opts: { locale?: string; name?: string } = {}) {
  const advisor = await d.advisor(key, opts);
  const agent = await d.supportAgent();
  // The bot has met the advisor (Teams can only write to a chat it has seen).
  await d.say(advisor, "ayuda");
  // Not the workspace's name (`Asesoría <key>`), to see which name each platform keeps.
  const firmName = `Despacho ${key}`;
  const req = await requestActivation(d.deps, d.actor(advisor), { message: "Queremos la Solución", firmName });
  await decideActivation(d.deps, d.actor(agent, "support"), { requestId: req.id, decision: "approve" });
  sees(d, await d.privateMessages(advisor), ["approvedTold", { firm: firmName }]);
  await d.supportChannel();
  return { advisor, agent, firmName, firmId: req.firmId };
}

export interface SeededLicence {
  taxId: string;
  name: string;
  number: string;
  email: string;
}

export function seedLicence(d: Driver, advisor: Person, name = "Ferretería López S.L."): SeededLicence {
  const taxId = newDni();
  const email = "ana@ferreteria.example.com";
  const licence = createLicence(d.deps, d.actor(advisor), { taxId, name, contactPerson: "Ana", email });
  return { taxId, name, email, number: formatLicenceNumber(licence.number) };
}

/** "nuevo" on an activated firm, up to the licence form. */
async function licenceForm(d: Driver, advisor: Person): Promise<Seen> {
  const seen = await d.say(advisor, "nuevo");
  if (seen.kind === "form") return seen;
  // differs today: Teams shows a card with "Nueva licencia" first; Slack opens the form at once.
  sees(d, seen, "licenceForm");
  return d.click(advisor, seen, t(d, "newLicenceButton"));
}

/** "cliente <NIF>", up to the client's form. */
async function clientForm(d: Driver, advisor: Person, taxId: string): Promise<Seen> {
  const seen = await d.say(advisor, `cliente ${taxId}`);
  // differs today: Teams shows the client's card first; Slack opens the form at once.
  const form = seen.kind === "form" ? seen : await d.click(advisor, seen, t(d, "configureClient"));
  expect(form.kind).toBe("form");
  expect(form.fields).toEqual(["selfManaged"]);
  sees(d, form, "clientFormTitle", "selfManagedToggle");
  return form;
}

/**
 * Presses a button that may ask first: in a dialog of the client (Slack's
 * confirm, shown before the click is sent) or with a question in place of the
 * screen (Teams), then confirms. Returns the question asked and the outcome.
 */
async function pressConfirmed(
  d: Driver,
  person: Person,
  screen: Seen,
  button: TextKey,
  confirm: TextKey,
  opts: { mustAsk: boolean },
): Promise<{ asked?: string; done: Seen }> {
  const label = t(d, button);
  expect(screen.buttons).toContain(label);
  const dialog = screen.confirms?.[label];
  if (dialog !== undefined) return { asked: dialog, done: await d.click(person, screen, label) };
  const next = await d.click(person, screen, label);
  if (!next.buttons.includes(t(d, confirm))) {
    if (opts.mustAsk) throw new Error(`${d.platform}: «${label}» did not ask for a confirmation`);
    return { done: next };
  }
  expect(next.buttons).toEqual([t(d, confirm), t(d, "cancel")]);
  return { asked: next.text, done: await d.click(person, next, t(d, confirm)) };
}

/** A licence action pressed on the list. */
async function licenceAction(
  d: Driver,
  advisor: Person,
  button: TextKey,
  confirm: TextKey,
  opts: { mustAsk: boolean },
): Promise<Seen> {
  const list = await d.say(advisor, "lista");
  return (await pressConfirmed(d, advisor, list, button, confirm, opts)).done;
}

async function deactivateOnList(d: Driver, advisor: Person, name: string): Promise<Seen> {
  const list = await d.say(advisor, "lista");
  const { asked, done } = await pressConfirmed(d, advisor, list, "deactivate", "confirmDeactivate", { mustAsk: true });
  expect(asked).toContain(t(d, "deactivateAsk", { name }));
  return done;
}

async function setSelfManaged(d: Driver, advisor: Person, taxId: string, on: boolean): Promise<Seen> {
  const form = await clientForm(d, advisor, taxId);
  return d.submit(advisor, form, { selfManaged: on });
}

export interface Scenario {
  name: string;
  run(d: Driver): Promise<void>;
}

export const SCENARIOS: Scenario[] = [
  {
    name: "help, and an unknown word answered with help",
    async run(d) {
      const advisor = await d.advisor("help");
      sees(d, await d.say(advisor, "ayuda"), "helpTitle", "helpNew", "helpHistory");
      const unknown = await d.say(advisor, "qué");
      sees(d, unknown, ["unknownWord", { word: "qué" }], "helpNew");
    },
  },
  {
    name: "activation: asked, form errors, sent, seen by support, approved, the requester told, then the licence form",
    async run(d) {
      const advisor = await d.advisor("activation", { name: "Berta Asesora" });
      const agent = await d.supportAgent({ name: "Sole Soporte" });
      const question = await d.say(advisor, "nuevo");
      sees(d, question, "askActivation");
      expect(question.buttons).toEqual([t(d, "yes"), t(d, "no")]);

      const form = await d.click(advisor, question, t(d, "yes"));
      expect(form.kind).toBe("form");
      expect(form.fields).toEqual(["firmName", "message"]);
      sees(d, form, "activationTitle", "messageLabel");
      const empty = await d.submit(advisor, form, { firmName: " ", message: "   " });
      expect(empty.errors).toEqual({ firmName: t(d, "firmNameRequired"), message: t(d, "messageRequired") });

      const firm = "Asesoría Berta";
      const sent = await d.submit(advisor, empty, { firmName: firm, message: "Queremos la Solución <b>*ya*</b>" });
      sees(d, sent, "requestSent");
      sees(d, await d.say(advisor, "nuevo"), "alreadyPending");

      const [card, ...more] = await d.supportChannel();
      expect(more).toEqual([]);
      if (!card) throw new Error("nothing reached the support channel");
      sees(d, card, "requestCard", ["requestFirm", { firm }]);
      expect(card.text).toContain("Berta Asesora");
      // What the advisor typed is shown literally.
      expect(card.text).toContain("Queremos la Solución <b>*ya*</b>");
      expect(card.buttons).toEqual([t(d, "approve"), t(d, "reject")]);

      const pending = await d.say(agent, "pendientes", "support");
      sees(d, pending, "pendingTitle");
      expect(pending.text).toContain(firm);
      expect(pending.text).toContain("Berta Asesora");

      const decided = await d.click(agent, card, t(d, "approve"));
      sees(d, decided, ["approvedBy", { agent: "Sole Soporte" }]);
      expect(decided.buttons).toEqual([]);
      const told = await d.privateMessages(advisor);
      expect(told).toHaveLength(1);
      sees(d, told, ["approvedTold", { firm }], "approvedNext");

      const licence = await licenceForm(d, advisor);
      expect(licence.kind).toBe("form");
      expect(licence.fields).toEqual(["taxId", "name", "contactPerson", "email", "phone", "notes"]);
      sees(d, licence, "licenceForm");
      for (const label of t(d, "licenceLabels").split("\n")) expect(licence.text).toContain(label);
    },
  },
  {
    name: "activation rejected: an empty reason is refused at the field; the requester is told the reason",
    async run(d) {
      const advisor = await d.advisor("rejected");
      const agent = await d.supportAgent({ name: "Paco Soporte" });
      const form = await d.click(advisor, await d.say(advisor, "nuevo"), t(d, "yes"));
      await d.submit(advisor, form, { firmName: "Asesoría Rechazada", message: "Hola" });
      const [card] = await d.supportChannel();
      if (!card) throw new Error("nothing reached the support channel");
      const ask = await d.click(agent, card, t(d, "reject"));
      expect(ask.kind).toBe("form");
      expect(ask.fields).toEqual(["reason"]);
      sees(d, ask, "reasonLabel");
      const empty = await d.submit(agent, ask, { reason: "  " });
      expect(empty.errors).toEqual({ reason: t(d, "reasonRequired") });
      const done = await d.submit(agent, empty, { reason: "Falta el contrato firmado" });
      sees(
        d,
        done,
        ["rejectedBy", { agent: "Paco Soporte" }],
        ["rejectedReason", { reason: "Falta el contrato firmado" }],
      );
      expect(done.buttons).toEqual([]);
      const told = await d.privateMessages(advisor);
      expect(told).toHaveLength(1);
      sees(
        d,
        told,
        ["rejectedTold", { firm: "Asesoría Rechazada" }],
        ["rejectedReason", { reason: "Falta el contrato firmado" }],
      );
      // The firm may ask again.
      sees(d, await d.say(advisor, "nuevo"), "askAgain");
    },
  },
  {
    name: "licence form: a bad NIF and a client that has a licence are refused at the NIF; a good one is created",
    async run(d) {
      const { advisor } = await activeAdvisor(d, "form");
      const existing = seedLicence(d, advisor, "Cliente Antiguo S.L.");
      const form = await licenceForm(d, advisor);
      const good = {
        taxId: newDni(),
        name: "Ferretería <López> & *Co*",
        contactPerson: "Luis",
        email: "luis@example.com",
        phone: "+34 600 000 000",
        notes: "",
      };
      const bad = await d.submit(advisor, form, { ...good, taxId: "12345678A" });
      expect(bad.kind).toBe("form");
      expect(bad.errors).toEqual({ taxId: t(d, "badTaxId") });
      const duplicate = await d.submit(advisor, bad, { ...good, taxId: existing.taxId });
      expect(duplicate.errors).toEqual({ taxId: t(d, "duplicateClient") });
      const created = await d.submit(advisor, duplicate, good);
      expect(created.kind).toBe("message");
      sees(d, created, ["created", { name: good.name }]);
      expect(created.text).toContain(good.taxId);
      // The next steps, as buttons.
      expect(created.buttons).toContain(t(d, "sendDetails"));
      expect(created.buttons).toContain(t(d, "selfManagedButton"));
    },
  },
  {
    name: "lista: more than a page of licences, the total, and the next page",
    async run(d) {
      const { advisor } = await activeAdvisor(d, "pages");
      const names = Array.from({ length: 12 }, (_, i) => `Cliente ${String(i + 1).padStart(2, "0")}`);
      for (const name of names) seedLicence(d, advisor, name);
      const first = await d.say(advisor, "lista");
      sees(d, first, "listTitle", ["listTotal", { n: 12 }]);
      const onFirst = names.filter((n) => first.text.includes(n));
      expect(onFirst).toEqual(names.slice(0, 10));
      expect(first.buttons.filter((b) => b === t(d, "sendDetails"))).toHaveLength(10);
      const second = await d.click(advisor, first, t(d, "nextPage"));
      expect(names.filter((n) => second.text.includes(n))).toEqual(names.slice(10));
      expect(second.buttons).not.toContain(t(d, "nextPage"));
    },
  },
  {
    name: "send details: the licence number and instructions arrive in the private chat",
    async run(d) {
      const { advisor } = await activeAdvisor(d, "details");
      const licence = seedLicence(d, advisor);
      const list = await d.say(advisor, "lista");
      sees(d, list, "listTitle", "rowActive");
      expect(list.text).toContain(licence.name);
      const answer = await d.click(advisor, list, t(d, "sendDetails"));
      sees(d, answer, ["detailsSent", { name: licence.name }]);
      const details = await d.privateMessages(advisor);
      expect(details).toHaveLength(1);
      sees(d, details, "detailsTitle", "detailsNumber", "detailsInstructions");
      expect(allText(details)).toContain(licence.number);
      // differs today: the mail draft is a link in the text on Slack, a button on Teams.
      expect([allText(details), ...(details[0]?.buttons ?? [])].join("\n")).toContain(t(d, "mailDraft"));
    },
  },
  {
    name: "deactivate (after confirming): the state is shown; reactivate: active again",
    async run(d) {
      const { advisor } = await activeAdvisor(d, "deactivate");
      const licence = seedLicence(d, advisor);
      const done = await deactivateOnList(d, advisor, licence.name);
      sees(d, done, ["deactivated", { name: licence.name }]);
      const list = await d.say(advisor, "lista");
      sees(d, list, "rowDeactivated");
      expect(list.buttons).toContain(t(d, "reactivate"));
      expect(list.buttons).not.toContain(t(d, "deactivate"));

      const again = await licenceAction(d, advisor, "reactivate", "confirmReactivate", { mustAsk: false });
      sees(d, again, ["reactivated", { name: licence.name }]);
      sees(d, await d.say(advisor, "lista"), "rowActive");
    },
  },
  {
    name: "unlink a licence bound to the client's installation",
    async run(d) {
      const { advisor } = await activeAdvisor(d, "unlink");
      const licence = seedLicence(d, advisor);
      const bound = await clientApp(d.url).activate({
        licenceNumber: licence.number,
        taxId: licence.taxId,
        installationId: "install-contract-unlink",
      });
      expect(bound.body.code).toBe("ACTIVATED");
      sees(d, await d.say(advisor, "lista"), "rowBound");
      const done = await licenceAction(d, advisor, "unlink", "confirmUnlink", { mustAsk: true });
      sees(d, done, ["unlinked", { name: licence.name }]);
      sees(d, await d.say(advisor, "lista"), "rowActive");
    },
  },
  {
    name: "delete (after confirming): the licence leaves the list",
    async run(d) {
      const { advisor } = await activeAdvisor(d, "delete");
      const licence = seedLicence(d, advisor);
      const done = await licenceAction(d, advisor, "deleteButton", "confirmDelete", { mustAsk: true });
      sees(d, done, ["deleted", { name: licence.name }]);
      const list = await d.say(advisor, "lista");
      sees(d, list, "emptyList");
      expect(list.text).not.toContain(licence.name);
    },
  },
  {
    name: "clientes, cliente <NIF>, and the self-managed tick box on and off (the watch-again warning)",
    async run(d) {
      const { advisor } = await activeAdvisor(d, "clients");
      const licence = seedLicence(d, advisor, "Bar Pepe");
      const clients = await d.say(advisor, "clientes");
      sees(d, clients, "clientsTitle", "clientLicence", "clientNotSelfManaged");
      expect(clients.text).toContain("Bar Pepe");
      expect(clients.text).toContain(licence.taxId);

      const on = await setSelfManaged(d, advisor, licence.taxId, true);
      sees(d, on, ["selfManagedOn", { name: "Bar Pepe" }]);
      sees(d, await d.say(advisor, "clientes"), "clientSelfManaged");
      const off = await setSelfManaged(d, advisor, licence.taxId, false);
      sees(d, off, ["selfManagedOff", { name: "Bar Pepe" }]);
      sees(d, await d.say(advisor, "clientes"), "clientNotSelfManaged");

      // Deactivating a self-managed client's licence warns that the firm watches the mailboxes again.
      await setSelfManaged(d, advisor, licence.taxId, true);
      const deactivated = await deactivateOnList(d, advisor, "Bar Pepe");
      sees(d, deactivated, ["deactivated", { name: "Bar Pepe" }], "watchAgain");
      // Reactivated, the tick stays off, and the advisor is reminded.
      const reactivated = await licenceAction(d, advisor, "reactivate", "confirmReactivate", { mustAsk: false });
      sees(d, reactivated, ["reactivated", { name: "Bar Pepe" }], "tickAgain");
      sees(d, await d.say(advisor, "clientes"), "clientNotSelfManaged");
    },
  },
  {
    name: "notificaciones: the firm's, and one client's, as the client app reported them",
    async run(d) {
      const { advisor } = await activeAdvisor(d, "notifications");
      sees(d, await d.say(advisor, "notificaciones"), "notificationsTitle", "noNotifications");
      const licence = seedLicence(d, advisor, "Bar Pepe");
      const app = clientApp(d.url);
      const bound = await app.activate({
        licenceNumber: licence.number,
        taxId: licence.taxId,
        installationId: "install-contract-notif",
      });
      const token = String(bound.body.installationToken ?? "");
      const reported = await app.report(token, [
        {
          id: "AEAT-2026-0001",
          organismo: "AEAT",
          asunto: "Requerimiento de información IVA",
          fechaPuestaDisposicion: "03/11/2026",
          estado: "Leída",
        },
      ]);
      expect(reported.status).toBe(200);
      for (const text of ["notificaciones", `notificaciones ${licence.taxId}`]) {
        const seen = await d.say(advisor, text);
        sees(d, seen, "notificationsTitle", "notificationState");
        for (const shown of ["Requerimiento de información IVA", "AEAT", "03/11/2026", "Bar Pepe", licence.taxId])
          expect(seen.text).toContain(shown);
      }
      sees(d, await d.say(advisor, `notificaciones ${licence.taxId}`), ["notificationsOf", { name: "Bar Pepe" }]);
    },
  },
  {
    name: "historial <NIF>: what happened to the licence, and who did it",
    async run(d) {
      const { advisor } = await activeAdvisor(d, "history", { name: "Clara Asesora" });
      const licence = seedLicence(d, advisor, "Bar Pepe");
      await deactivateOnList(d, advisor, "Bar Pepe");
      const history = await d.say(advisor, `historial ${licence.taxId}`);
      sees(
        d,
        history,
        ["historyOf", { name: "Bar Pepe", taxId: licence.taxId }],
        "historyClient",
        "historyCreated",
        "historyDeactivated",
        ["historyWho", { userId: d.actor(advisor).userId, userName: "Clara Asesora" }],
      );
    },
  },
  {
    name: "a missing argument is asked for, with an example",
    async run(d) {
      const advisor = await d.advisor("missing");
      sees(d, await d.say(advisor, "enviar"), "missingArgument", "missingExample");
    },
  },
  {
    name: "another firm's licence is not found, by number or by NIF",
    async run(d) {
      const { advisor } = await activeAdvisor(d, "owner");
      const licence = seedLicence(d, advisor);
      const { advisor: stranger } = await activeAdvisor(d, "stranger");
      for (const text of [
        `enviar ${licence.number}`,
        `desactivar ${licence.taxId}`,
        `eliminar ${licence.number}`,
        `historial ${licence.taxId}`,
      ]) {
        const seen = await d.say(stranger, text);
        sees(d, seen, "notFound");
        expect(seen.text).not.toContain(licence.name);
        expect(seen.buttons).toEqual([]);
      }
      expect(await d.privateMessages(stranger)).toEqual([]);
      sees(d, await d.say(advisor, "lista"), "rowActive");
    },
  },
  {
    name: "support's words are refused outside the support channel",
    async run(d) {
      const { advisor } = await activeAdvisor(d, "outside");
      const agent = await d.supportAgent();
      for (const [who, text] of [
        [advisor, "pendientes"],
        [advisor, "despachos"],
        [agent, "despachos"],
        [agent, "revocar 1"],
      ] as const) {
        const seen = await d.say(who, text);
        sees(d, seen, "supportOnly");
        expect(seen.text).not.toContain("Asesoría outside");
      }
    },
  },
  {
    name: "despachos and revocar <id> in the support channel; the revoked firm is asked to request again",
    async run(d) {
      const { advisor, firmName, firmId } = await activeAdvisor(d, "revoked");
      seedLicence(d, advisor);
      const agent = await d.supportAgent({ name: "Sole Soporte" });
      // The advisor uses the bot after the approval.
      await d.say(advisor, "lista");
      const firms = await d.say(agent, "despachos", "support");
      const shownName = t(d, "firmName", { key: "revoked" });
      expect(firmName).toBe("Despacho revoked");
      sees(
        d,
        firms,
        "firmsTitle",
        ["firmRow", { id: firmId, firm: shownName }],
        ["firmOn", { workspaceId: advisor.workspaceId }],
      );
      sees(d, await d.say(agent, "revocar", "support"), "revokeMissing");
      sees(d, await d.say(agent, "revocar 99999", "support"), "firmNotFound");
      const ask = await d.say(agent, `revocar ${firmId}`, "support");
      sees(d, ask, ["revokeAsk", { firm: shownName, id: firmId }]);
      const revoked = await d.click(agent, ask, t(d, "revokeButton"));
      sees(d, revoked, ["revoked", { firm: shownName }]);
      expect(revoked.buttons).toEqual([]);
      sees(d, await d.privateMessages(advisor), "revokedTold");
      sees(d, await d.say(advisor, "nuevo"), "askAgain");
    },
  },
  {
    name: "an English-locale user is answered in English",
    async run(d) {
      const advisor = await d.advisor("english", { locale: "en-US" });
      sees(d, await d.say(advisor, "help"), "enHelpTitle", "enHelpNew");
      const question = await d.say(advisor, "new");
      sees(d, question, "enAskActivation");
      expect(question.buttons).toContain(t(d, "enYes"));
      const list = await d.say(advisor, "lista");
      sees(d, list, "enListTitle", "enEmptyList");
      expect(list.buttons).toContain(t(d, "enNew"));
    },
  },
];
