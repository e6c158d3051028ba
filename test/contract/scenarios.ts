import { expect } from "vitest";
import { formatLicenceNumber } from "../../src/domain/licence-number.ts";
import { DAY_MS } from "../../src/domain/onboarding.ts";
import {
  activateInstallation,
  applySelfManaged,
  createLicence,
  decideActivation,
  listPendingRequests,
  recordDetailsSent,
  requestActivation,
  resolveFirm,
  runWatch,
  sendLicenceDetails,
  setSelfManaged as tickSelfManaged,
  transitionLicence,
} from "../../src/handlers/index.ts";
import { formatDate } from "../../src/i18n/index.ts";
import { clientApp } from "../api/helpers.ts";
import { newDni } from "../support/fixtures.ts";
import { allText, type Driver, type Person, type Seen, type Tone } from "./driver.ts";

/**
 * The advisor's and support's journeys, written once and run on every
 * platform (test/contract/contract.test.ts). Every text a scenario expects is
 * in TEXT below, as both platforms show it (the one catalogue of the command
 * layer). What differs by the platforms' nature is the driver's: the prefix
 * of a typed command (`{prefix}`), the platform's name (`{platform}`), how a
 * confirmation is asked and where a form opens.
 */

/** A text both platforms show. `{x}` is filled in; `{prefix}` and `{platform}` by the driver. */
export type Expected = string;

export const TEXT = {
  helpTitle: "Licencias PYMES",
  helpIntro: "Esto es lo que puedo hacer:",
  helpNew: "{prefix}nuevo",
  helpNewText: "crear una licencia (o solicitar la activación)",
  helpHistory: "{prefix}historial <licencia o NIF>",
  helpHistoryText: "el historial de cambios",
  helpSearch: "{prefix}buscar <texto>",
  helpSearchText: "buscar clientes por razón social, NIF o correo electrónico",
  unknownWord: "No conozco la palabra «{word}». Esto es lo que puedo hacer:",

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
  requestSent:
    "Solicitud enviada a Soporte Técnico. Te avisaré en tu chat privado con este bot cuando la aprueben o la rechacen.",
  alreadyPending: "Ya hay una solicitud de activación pendiente. Soporte Técnico te responderá aquí.",
  requestCard: "Solicitud de activación #{id}",
  requestFirm: "Despacho: {firm} (id {firmId})",
  approve: "Aprobar",
  reject: "Rechazar",
  pendingTitle: "Solicitudes pendientes",
  pendingItem: "#{id} · {firm} (id {firmId})",
  approvedBy: "✅ Aprobada por {agent} el ",
  approvedTold:
    "Soporte Técnico ha aprobado la activación de la Solución para PYMES de {firm}. Ya puedes crear licencias con «Nuevo».",
  rejectTitle: "Rechazar solicitud",
  reasonLabel: "Motivo del rechazo",
  reasonRequired: "Indica el motivo del rechazo.",
  rejectedBy: "❌ Rechazada por {agent} el ",
  rejectedTold: "Soporte Técnico ha rechazado la activación de la Solución para PYMES de {firm}.",
  rejectedReason: "Motivo del rechazo: {reason}",

  newLicenceButton: "Nueva licencia",
  licenceForm: "Mantenimiento de Licencias",
  licenceLabels: "NIF/CIF\nRazón social\nPersona de contacto\nCorreo electrónico\nTeléfono\nObservaciones",
  badTaxId: "El NIF/CIF no es válido: revisa el número y la letra de control.",
  duplicateClient: "Este cliente ya tiene una Licencia PYME.",
  created: "Licencia PYME creada para {name} (NIF/CIF {taxId}).",
  createdNext:
    "Siguientes pasos: marca que el cliente gestiona sus propias notificaciones y envíale los datos de la licencia.",
  selfManagedButton: "Gestiona sus propias notificaciones",
  sendDetails: "Enviar datos de licencia",

  listTitle: "Licencias PYMES generadas",
  listTotal: "{n} licencias en total",
  newButton: "Nuevo",
  nextPage: "Página siguiente",
  firstPage: "Primera página",
  rowActive: "NIF/CIF {taxId} · Activa · Sin vincular · Autogestiona: No",
  rowDeactivated: "NIF/CIF {taxId} · Desactivada · Sin vincular · Autogestiona: No",
  rowBound: "NIF/CIF {taxId} · Activa · Vinculada · Autogestiona: No",
  detailsSent: "Te he enviado los datos de la licencia de {name} en un mensaje privado, listos para reenviar.",
  detailsTitle: "Datos de la Licencia PYME de {name}",
  detailsNumber: "Número de licencia",
  detailsInstructions: "Instrucciones de instalación",
  mailDraft: "Abrir borrador de correo",

  deactivate: "Desactivar",
  deactivateAsk:
    "¿Desactivar la licencia de {name}? La aplicación del cliente dejará de validarla y vigilar sus buzones volverá a ser tarea del despacho. Podrás reactivarla después.",
  unlinkAsk:
    "¿Desvincular la licencia de {name} de su instalación? El cliente podrá instalarla de nuevo en otro equipo.",
  deleteAsk: "¿Eliminar definitivamente la licencia de {name}? No se puede deshacer y su número no se volverá a usar.",
  cancel: "Cancelar",
  deactivated: "Licencia de {name} desactivada.",
  watchAgain: "{name} ya no gestiona sus propias notificaciones: vigilar sus buzones vuelve a ser tarea del despacho.",
  reactivate: "Reactivar",
  reactivated:
    "Licencia de {name} reactivada. «Gestiona sus propias notificaciones» no se ha vuelto a marcar: decídelo en la configuración del cliente.",
  unlink: "Desvincular",
  unlinked: "Licencia de {name} desvinculada: el cliente puede instalarla de nuevo.",
  deleteButton: "Eliminar",
  deleted: "Licencia de {name} eliminada.",
  emptyList: "Todavía no hay ninguna licencia. Pulsa «Nuevo» para crear la primera.",

  clientsTitle: "Clientes",
  clientTaxId: "NIF/CIF: {taxId}",
  clientLicence: "Licencia PYME: Sí (Activa, Sin vincular)",
  clientNotSelfManaged: "Autogestiona: No",
  clientSelfManaged: "Autogestiona: Sí",
  configureClient: "Configurar cliente",
  notificationsButton: "Notificaciones",
  historyButton: "Historial",
  clientFormTitle: "Configuración cliente",
  selfManagedToggle: "Este cliente gestiona sus propias notificaciones",
  selfManagedOn: "Guardado: {name} gestiona sus propias notificaciones.",

  notificationsTitle: "Notificaciones",
  notificationsOf: "Notificaciones de {name}",
  notificationState: "Estado: Leída",
  notificationSelfManaged: "Autogestionada: Sí",
  noNotifications: "No hay notificaciones.",

  historyOf: "Historial de {name}",
  historyTaxId: "NIF/CIF {taxId}",
  historyCreated: "Licencia creada",
  historyClient: "Cliente creado",
  historyDeactivated: "Licencia desactivada",
  historyWho: "{userName} ({platform})",

  missingArgument: "Indica el número de licencia o el NIF/CIF, por ejemplo: «{prefix}enviar B12345674».",
  missingText: "Indica el texto que buscas, por ejemplo: «{prefix}buscar garcia».",
  notFound: "No se ha encontrado ninguna licencia con ese número o NIF en tu despacho.",
  supportOnly: "Esta orden solo está disponible en el canal de Soporte Técnico.",

  searchTitle: "Clientes con «{text}»",
  searchTooShort: "Escribe al menos dos letras o cifras para buscar.",
  searchEmpty: "Ningún cliente tiene «{text}» en su razón social, NIF o correo electrónico.",

  firmsTitle: "Despachos",
  firmsCount: "{n} despachos · para revocar uno: «{prefix}revocar id»",
  firmRow: "{id} · {firm} · Activa · 1 licencia · {platform} {workspaceId}",
  revokeTitle: "¿Revocar el despacho?",
  revokeAsk:
    "¿Revocar la Solución para PYMES de {firm} (id {id})? Sus Licencias PYME dejarán de validar en la aplicación de sus clientes hasta que Soporte Técnico apruebe una nueva solicitud de activación.",
  revokeButton: "Revocar",
  revoked: "🚫 Solución para PYMES revocada para {firm} (id {id}) por {agent} el ",
  revokedTold:
    "Soporte Técnico ha revocado la Solución para PYMES de tu despacho: las licencias de tus clientes dejan de validarse y vigilar sus buzones vuelve a ser tarea del despacho. Puedes volver a solicitarla con «nuevo».",
  revokeMissing: "Indica el id del despacho (sale en «despachos»), por ejemplo: «{prefix}revocar 12».",
  revokeBadId: "Indica el id numérico del despacho (sale en «despachos»).",
  firmNotFound: "No se ha encontrado el despacho.",

  fichaTitle: "Ficha de {name}",
  fichaButton: "Ver ficha",
  fichaHandover: "Entrega al cliente",
  fichaNumber: "Número de licencia",
  stepCreated: "✓ Licencia creada: {date}",
  stepNotSent: "○ Datos de licencia enviados: pendiente",
  stepSent: "✓ Datos de licencia enviados: {date}",
  stepNotActivated: "○ Aplicación activada en una instalación: pendiente",
  stepActivated: "✓ Aplicación activada en una instalación: {date}",
  stepNotSelfManaged: "○ Gestiona sus propias notificaciones: pendiente",
  stepNoContact: "○ Último contacto de la aplicación: nunca",
  stepContact: "✓ Último contacto de la aplicación: {date}",
  stepNoNotifications: "○ Notificaciones comunicadas: pendiente",
  stepNotifications: "✓ Notificaciones comunicadas: 1 notificación, la última del {date}",
  nextSend: "Siguiente paso: envía los datos de la licencia al cliente («Enviar datos de licencia»).",
  nextInstall:
    "Siguiente paso: el cliente tiene que instalar la aplicación y activar la licencia. Si no encuentra los datos, envíaselos de nuevo.",
  nextSelfManage:
    "Siguiente paso: cuando el cliente vigile sus propios buzones, marca «Gestiona sus propias notificaciones» en su configuración. Hasta entonces los vigila el despacho.",
  rowToSend: "Entrega al cliente: pendiente de enviar",
  rowToInstall: "Entrega al cliente: pendiente de instalar",
  rowInstalled: "Entrega al cliente: instalada, sin autogestión",
  rowSelfManaged: "Entrega al cliente: autogestiona",
  rowSilent: "Entrega al cliente: sin contacto desde el {date}",
  rowDeactivatedState: "Entrega al cliente: desactivada",
  summaryTitle: "Resumen de {firm}",
  summaryCounts:
    "Activas: 3\nDesactivadas: 1\nPendientes de enviar: 2\nPendientes de instalar: 1\nAutogestionan: 1\nSin contacto: 1",
  summaryWatch: "Avisos abiertos",
  summaryUnactivated: "Datos enviados hace 8 días ({date}) y sin activar",
  summarySilent: "Autogestiona, pero su aplicación no da señales desde el {date}",
  summaryNothing:
    "Nada pendiente: ninguna licencia espera su instalación, ninguna aplicación autogestionada está en silencio y ninguna notificación vigilada vence pronto.",
  summaryLicences: "Licencias",
  summaryClients: "Clientes",
  summarySearch: "Buscar",
  summaryInactive:
    "Tu despacho todavía no tiene activada la Solución para PYMES. Para empezar, solicita su activación a Soporte Técnico: cuando la aprueben podrás crear las licencias de tus clientes y seguir aquí su entrega.",
  requestActivationButton: "Solicitar activación",
  enSummaryTitle: "{firm}: summary",
  enSummaryNothing:
    "Nothing to act on: no licence is waiting for its installation, no self-managed app is silent and no watched notification is due soon.",
  enFichaTitle: "{name}: licence record",
  enStepNotSent: "○ Licence details sent: pending",
  enNextSend: "Next step: send the licence details to the client (“Send licence details”).",
  enHelpTitle: "SME Licences",
  enHelpNew: "{prefix}new",
  enHelpNewText: "create a licence (or request the activation)",
  enAskActivation: "Your firm does not have the SME Solution yet. Do you want to ask Support to activate it?",
  enApprovedTold:
    "Support approved the activation of the SME Solution for {firm}. You can now create licences with “New”.",
  enYes: "Yes",
  enListTitle: "SME licences issued",
  enEmptyList: "No licences yet. Press “New” to create the first one.",
  enNew: "New",
  enSearchTitle: "Clients with “{text}”",
  enSearchEmpty: "No client has “{text}” in its company name, tax id or e-mail.",
  enSearchTooShort: "Type at least two letters or digits to search.",
  enConfigureClient: "Client configuration",

  helpBulk: "{prefix}nuevo varios",
  helpBulkText: "crear varias licencias a la vez, pegando una línea por cliente",
  bulkButton: "Nuevo en bloque",
  bulkIntro: "Pega hasta 50 líneas, un cliente por línea",
  bulkPreview: "{accepted} de {count} líneas se pueden crear.",
  bulkLineBad: "Línea {line}: ⛔ {taxId}: NIF/CIF: El NIF/CIF no es válido: revisa el número y la letra de control.",
  bulkLineOk: "Línea {line}: ✅ {taxId} · {name}",
  bulkCreate: "Crear {n} licencias",
  bulkCreated: "{n} licencias creadas.",
  bulkFailed: "1 línea sin licencia:",
  bulkNone: "Ninguna línea se puede crear: corrígelas y revisa de nuevo.",
  bulkUnknownWord: "«nuevo» va solo, o seguido de «varios» para crear varias licencias a la vez: no conozco «{word}».",
  enBulkButton: "New in bulk",
  enBulkIntro: "Paste up to 50 lines, one client per line",
  helpExport: "{prefix}exportar",
  helpExportText: "los clientes y licencias en un CSV para Excel (enlace de un solo uso)",
  exportTitle: "Exportación de clientes y licencias",
  exportReady: "Tu enlace para descargar el CSV de los clientes y licencias del despacho. Sirve una sola vez",
  exportDownload: "Descargar CSV",
  exportHeader:
    "NIF;Razón social;Persona de contacto;Correo electrónico;Teléfono;Licencia;Estado;Vinculada;Fecha de alta;Datos enviados;Gestiona sus propias notificaciones;Último contacto de la app",
  exportUsed: "Este enlace ya se ha usado",
  enExportTitle: "Clients and licences export",
  enExportDownload: "Download CSV",
  watchTitle: "Vigilancia diaria",
  watchUnactivated: "Licencias enviadas y sin activar",
  watchSilent: "Aplicaciones sin contacto",
  watchSentDays: "Datos de licencia enviados el {date} (hace 8 días); la aplicación no se ha activado.",
  resend: "Enviar de nuevo",
  licenceFile: "Ver ficha",
  watchFromFirm: "Vigilar desde el despacho",
  mute: "Silenciar",
  watchFromFirmDone: "Hecho: {name} ya no gestiona sus propias notificaciones. El despacho vuelve a vigilar su buzón.",
  watchMuted: "Hecho: ese asunto ya no aparecerá en la vigilancia diaria.",
  alertsSet: "Hecho: la vigilancia diaria del despacho llegará a este canal cada día a las 8:00.",
  alertsAlready: "Este canal ya recibe la vigilancia diaria del despacho.",
  alertsOff: "Dejar de recibirla aquí",
  alertsCleared: "Hecho: la vigilancia diaria ya no llega a ningún canal; cada asesor la recibe en su chat privado.",
  alertsBadWord:
    "«avisos» va solo, para recibir en este canal la vigilancia diaria, o seguido de «no», para dejar de recibirla.",
  helpAlerts: "{prefix}avisos",
  helpAlertsText: "recibir la vigilancia diaria del despacho en el canal donde lo escribes",
} satisfies Record<string, Expected>;

export type TextKey = keyof typeof TEXT;

/** The text for a key, with `{name}` placeholders filled in (`{prefix}` and `{platform}` by the driver). */
export function t(d: Driver, key: TextKey, params: Record<string, string | number> = {}): string {
  const all: Record<string, string | number> = { prefix: d.prefix, platform: d.platformName, ...params };
  return TEXT[key].replace(/\{(\w+)\}/g, (_, k: string) => String(all[k] ?? `{${k}}`));
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

/** The screen shows this text as a note of this tone (green: done; amber: a warning; red: refused). */
function seesNote(d: Driver, seen: Seen, tone: Tone, key: TextKey, params: Record<string, string | number> = {}) {
  expect(seen.notes ?? [], `${d.platform} should show ${key} as ${tone}`).toContainEqual({
    text: t(d, key, params),
    tone,
  });
}

/** A help line: the command as typed on this platform, and what it does, on one line. */
function seesUsage(d: Driver, seen: Seen, usage: TextKey, text: TextKey) {
  const line = read(seen)
    .split("\n")
    .find((l) => l.includes(t(d, usage)) && l.includes(t(d, text)));
  expect(line, `${d.platform} should list ${t(d, usage)}`).toBeDefined();
}

// --- Setting the scene through the use cases (fast), then acting over HTTP. ---

/** An advisor of a firm whose Solución para PYMES support already approved. */
export async function activeAdvisor(d: Driver, key: string, opts: { locale?: string; name?: string } = {}) {
  const advisor = await d.advisor(key, opts);
  const agent = await d.supportAgent();
  // The bot has met the advisor (Teams can only write to a chat it has seen).
  await d.say(advisor, "ayuda");
  // Not the workspace's name (`Asesoría <key>`): the name typed in the request is the firm's.
  const firmName = `Despacho ${key}`;
  const req = await requestActivation(d.deps, d.actor(advisor), { message: "Queremos la Solución", firmName });
  await decideActivation(d.deps, d.actor(agent, "support"), { requestId: req.id, decision: "approve" });
  const english = opts.locale?.startsWith("en") ?? false;
  sees(d, await d.privateMessages(advisor), [english ? "enApprovedTold" : "approvedTold", { firm: firmName }]);
  await d.supportChannel();
  return { advisor, agent, firmName, firmId: req.firmId };
}

export interface SeededLicence {
  taxId: string;
  name: string;
  number: string;
  email: string;
}

export async function seedLicence(
  d: Driver,
  advisor: Person,
  name = "Ferretería López S.L.",
  opts: { email?: string; taxId?: string } = {},
): Promise<SeededLicence> {
  const taxId = opts.taxId ?? newDni();
  const email = opts.email ?? "ana@ferreteria.example.com";
  const licence = await createLicence(d.deps, d.actor(advisor), { taxId, name, contactPerson: "Ana", email });
  return { taxId, name, email, number: formatLicenceNumber(licence.number) };
}

/** "nuevo" on an activated firm, up to the licence form (Teams: a message opens no dialog, its button does). */
async function licenceForm(d: Driver, advisor: Person): Promise<Seen> {
  const seen = await d.say(advisor, "nuevo");
  return d.opened(advisor, seen, t(d, "newLicenceButton"));
}

/** "cliente <NIF>", up to the client's form (Teams: a card whose "Configurar cliente" opens the dialog). */
async function clientForm(d: Driver, advisor: Person, taxId: string): Promise<Seen> {
  const seen = await d.say(advisor, `cliente ${taxId}`);
  const form = await d.opened(advisor, seen, t(d, "configureClient"));
  expect(form.kind).toBe("form");
  expect(form.fields).toEqual(["selfManaged"]);
  sees(d, form, "clientFormTitle", "selfManagedToggle");
  return form;
}

/**
 * Presses a destructive button: Slack asks in the client's confirm dialog
 * (shown before the click is sent), Teams with a confirmation card whose
 * button of the same label acts. Returns the question asked and the outcome.
 */
async function pressConfirmed(
  d: Driver,
  person: Person,
  screen: Seen,
  button: TextKey,
  opts: { nth?: number } = {},
): Promise<{ asked: string; done: Seen }> {
  const label = t(d, button);
  expect(screen.buttons).toContain(label);
  const dialog = screen.confirms?.[label];
  if (dialog !== undefined) return { asked: dialog, done: await d.click(person, screen, label, opts) };
  const next = await d.click(person, screen, label, opts);
  expect(next.buttons, `${d.platform}: «${label}» should ask first`).toEqual([label, t(d, "cancel")]);
  return { asked: next.text, done: await d.click(person, next, label) };
}

/** A licence change pressed on the list; Reactivar acts at once. */
async function licenceAction(d: Driver, advisor: Person, button: TextKey): Promise<Seen> {
  const list = await d.say(advisor, "lista");
  if (button !== "reactivate") return (await pressConfirmed(d, advisor, list, button)).done;
  expect(list.confirms?.[t(d, button)]).toBeUndefined();
  return d.click(advisor, list, t(d, button));
}

async function deactivateOnList(d: Driver, advisor: Person, name: string): Promise<Seen> {
  const list = await d.say(advisor, "lista");
  const { asked, done } = await pressConfirmed(d, advisor, list, "deactivate");
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
      const help = await d.say(advisor, "ayuda");
      sees(d, help, "helpTitle", "helpIntro");
      seesUsage(d, help, "helpNew", "helpNewText");
      seesUsage(d, help, "helpHistory", "helpHistoryText");
      seesUsage(d, help, "helpSearch", "helpSearchText");
      const unknown = await d.say(advisor, "qué");
      sees(d, unknown, ["unknownWord", { word: "qué" }]);
      seesUsage(d, unknown, "helpNew", "helpNewText");
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

      const [request] = (await listPendingRequests(d.deps, d.actor(agent, "support"))).filter(
        (r) => r.firmName === firm,
      );
      if (!request) throw new Error("the request is not pending");
      const ids = { id: request.id, firm, firmId: request.firmId };
      const [card, ...more] = await d.supportChannel();
      expect(more).toEqual([]);
      if (!card) throw new Error("nothing reached the support channel");
      sees(d, card, ["requestCard", ids], ["requestFirm", ids]);
      expect(card.text).toContain("Berta Asesora");
      // What the advisor typed is shown literally.
      expect(card.text).toContain("Queremos la Solución <b>*ya*</b>");
      expect(card.buttons).toEqual([t(d, "approve"), t(d, "reject")]);

      const pending = await d.say(agent, "pendientes", "support");
      sees(d, pending, "pendingTitle", ["pendingItem", ids]);
      expect(pending.text).toContain("Berta Asesora");

      const decided = await d.click(agent, card, t(d, "approve"));
      sees(d, decided, ["approvedBy", { agent: "Sole Soporte" }]);
      expect(decided.buttons).toEqual([]);
      const told = await d.privateMessages(advisor);
      expect(told).toHaveLength(1);
      sees(d, told, ["approvedTold", { firm }]);

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
      // Rechazar opens a form on both (Slack: a modal; Teams: a dialog).
      const ask = await d.click(agent, card, t(d, "reject"));
      expect(ask.kind).toBe("form");
      expect(ask.fields).toEqual(["reason"]);
      sees(d, ask, "rejectTitle", "reasonLabel");
      const empty = await d.submit(agent, ask, { reason: "  " });
      expect(empty.errors).toEqual({ reason: t(d, "reasonRequired") });
      // The request's card in the support channel now says who decided, and why.
      const decided = await d.submit(agent, empty, { reason: "Falta el contrato firmado" });
      sees(
        d,
        decided,
        ["rejectedBy", { agent: "Paco Soporte" }],
        ["rejectedReason", { reason: "Falta el contrato firmado" }],
      );
      expect(decided.buttons).toEqual([]);
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
      const existing = await seedLicence(d, advisor, "Cliente Antiguo S.L.");
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
      sees(d, created, ["created", { name: good.name, taxId: good.taxId }], "createdNext");
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
      for (const name of names) await seedLicence(d, advisor, name);
      const first = await d.say(advisor, "lista");
      sees(d, first, "listTitle", ["listTotal", { n: 12 }]);
      const onFirst = names.filter((n) => first.text.includes(n));
      expect(onFirst).toEqual(names.slice(0, 10));
      expect(first.buttons.filter((b) => b === t(d, "sendDetails"))).toHaveLength(10);
      expect(first.buttons).not.toContain(t(d, "firstPage"));
      const second = await d.click(advisor, first, t(d, "nextPage"));
      expect(names.filter((n) => second.text.includes(n))).toEqual(names.slice(10));
      expect(second.buttons).not.toContain(t(d, "nextPage"));
      expect(second.buttons).toContain(t(d, "firstPage"));
    },
  },
  {
    name: "the list's Nuevo opens the licence form at once (or, when not active, the activation request)",
    async run(d) {
      const { advisor } = await activeAdvisor(d, "listnew");
      const list = await d.say(advisor, "lista");
      const form = await d.click(advisor, list, t(d, "newButton"));
      expect(form.kind).toBe("form");
      expect(form.fields).toEqual(["taxId", "name", "contactPerson", "email", "phone", "notes"]);
      sees(d, form, "licenceForm");

      const newcomer = await d.advisor("listnewinactive");
      const empty = await d.say(newcomer, "lista");
      const request = await d.click(newcomer, empty, t(d, "newButton"));
      expect(request.kind).toBe("form");
      expect(request.fields).toEqual(["firmName", "message"]);
      sees(d, request, "activationTitle");
    },
  },
  {
    name: "send details: the licence number and instructions arrive in the private chat",
    async run(d) {
      const { advisor } = await activeAdvisor(d, "details");
      const licence = await seedLicence(d, advisor);
      const list = await d.say(advisor, "lista");
      sees(d, list, "listTitle", ["rowActive", { taxId: licence.taxId }]);
      expect(list.text).toContain(licence.name);
      // From the list: the list page again, with a green note.
      const answer = await d.click(advisor, list, t(d, "sendDetails"));
      sees(d, answer, "listTitle");
      seesNote(d, answer, "good", "detailsSent", { name: licence.name });
      const details = await d.privateMessages(advisor);
      expect(details).toHaveLength(1);
      sees(d, details, ["detailsTitle", { name: licence.name }], "detailsNumber", "detailsInstructions");
      expect(allText(details)).toContain(licence.number);
      expect(details[0]?.links).toEqual([t(d, "mailDraft")]);
    },
  },
  {
    name: "licencia <NIF>: the ficha with the handover checklist, the next step and the licence's buttons",
    async run(d) {
      const { advisor } = await activeAdvisor(d, "ficha");
      const licence = await seedLicence(d, advisor);
      const today = formatDate(Date.now());
      const ficha = await d.say(advisor, `licencia ${licence.taxId}`);
      sees(
        d,
        ficha,
        ["fichaTitle", { name: licence.name }],
        "fichaNumber",
        "fichaHandover",
        ["stepCreated", { date: today }],
        "stepNotSent",
        "stepNotActivated",
        "stepNotSelfManaged",
        "stepNoContact",
        "stepNoNotifications",
        "nextSend",
      );
      expect(ficha.text).toContain(licence.number);
      for (const button of ["sendDetails", "deactivate", "deleteButton", "configureClient", "historyButton"] as const) {
        expect(ficha.buttons).toContain(t(d, button));
      }
      // By licence number too, and with "ficha".
      sees(d, await d.say(advisor, `ficha ${licence.number}`), ["fichaTitle", { name: licence.name }]);

      // Sent, then installed: each step gets its date and the next step moves on.
      await d.click(advisor, ficha, t(d, "sendDetails"));
      await d.privateMessages(advisor);
      const sent = await d.say(advisor, `licencia ${licence.taxId}`);
      sees(d, sent, ["stepSent", { date: today }], "nextInstall");
      const app = clientApp(d.url);
      const bound = await app.activate({
        licenceNumber: licence.number,
        taxId: licence.taxId,
        installationId: "install-contract-ficha",
      });
      expect(bound.body.code).toBe("ACTIVATED");
      const reported = await app.report(String(bound.body.installationToken), [
        {
          id: "N-FICHA-1",
          organismo: "AEAT",
          asunto: "Requerimiento",
          fechaPuestaDisposicion: "30/11/2026",
          estado: "Pendiente",
        },
      ]);
      expect(reported.status).toBe(200);
      const installed = await d.say(advisor, `licencia ${licence.taxId}`);
      sees(
        d,
        installed,
        ["stepActivated", { date: today }],
        ["stepContact", { date: today }],
        ["stepNotifications", { date: "30/11/2026" }],
        "nextSelfManage",
      );
    },
  },
  {
    name: "ficha of another firm's licence, or of nothing: not found; in English",
    async run(d) {
      const { advisor } = await activeAdvisor(d, "fichaother");
      const { advisor: other } = await activeAdvisor(d, "fichaother2");
      const licence = await seedLicence(d, advisor);
      sees(d, await d.say(other, `licencia ${licence.taxId}`), "notFound");
      const ficha = await d.say(advisor, `licencia ${licence.taxId}`);
      sees(d, ficha, ["fichaTitle", { name: licence.name }]);
      const english = await activeAdvisor(d, "fichaen", { locale: "en-GB" });
      const mine = await seedLicence(d, english.advisor, "Bakery Ltd");
      const en = await d.say(english.advisor, `licence ${mine.taxId}`);
      sees(d, en, ["enFichaTitle", { name: "Bakery Ltd" }], "enStepNotSent", "enNextSend");
    },
  },
  {
    name: "the list shows each licence's handover state, and Ver ficha opens its ficha",
    async run(d) {
      const { advisor } = await activeAdvisor(d, "liststate");
      await seedLicence(d, advisor, "A Enviar S.L.");
      const toInstall = await seedLicence(d, advisor, "B Instalar S.L.");
      const silent = await seedLicence(d, advisor, "C Silencio S.L.");
      const firm = await resolveFirm(d.deps, d.actor(advisor).platform, advisor.workspaceId, undefined);
      const by = { platform: d.actor(advisor).platform, id: d.actor(advisor).userId };
      await recordDetailsSent(d.deps.store, firm.id, { taxId: toInstall.taxId }, by, Date.now());
      // Ticked four days ago and never installed: the firm believes the client watches, nobody does.
      const fourDaysAgo = Date.now() - 4 * DAY_MS;
      await applySelfManaged(d.deps.store, {
        firmId: firm.id,
        taxId: silent.taxId,
        value: true,
        actor: by,
        now: fourDaysAgo,
      });
      const list = await d.say(advisor, "lista");
      sees(d, list, "rowToSend", "rowToInstall", ["rowSilent", { date: formatDate(fourDaysAgo).slice(0, 5) }]);
      expect(list.buttons.filter((b) => b === t(d, "fichaButton"))).toHaveLength(3);
      const ficha = await d.click(advisor, list, t(d, "fichaButton"), { nth: 1 });
      sees(d, ficha, ["fichaTitle", { name: toInstall.name }], "nextInstall");
    },
  },
  {
    name: "resumen: the firm's counts, the watch's open items with their fichas, and the way in (Nuevo, Licencias, Clientes, Buscar)",
    async run(d) {
      const { advisor, firmName } = await activeAdvisor(d, "summary");
      const nothing = await d.say(advisor, "resumen");
      sees(d, nothing, ["summaryTitle", { firm: firmName }], "summaryWatch", "summaryNothing");

      await seedLicence(d, advisor, "A Enviar S.L.");
      const sent = await seedLicence(d, advisor, "B Enviada S.L.");
      const silent = await seedLicence(d, advisor, "C Silencio S.L.");
      const gone = await seedLicence(d, advisor, "D Baja S.L.");
      const firm = await resolveFirm(d.deps, d.actor(advisor).platform, advisor.workspaceId, undefined);
      const by = { platform: d.actor(advisor).platform, id: d.actor(advisor).userId };
      const eightDaysAgo = Date.now() - 8 * DAY_MS;
      const fourDaysAgo = Date.now() - 4 * DAY_MS;
      await recordDetailsSent(d.deps.store, firm.id, { taxId: sent.taxId }, by, eightDaysAgo);
      await applySelfManaged(d.deps.store, {
        firmId: firm.id,
        taxId: silent.taxId,
        value: true,
        actor: by,
        now: fourDaysAgo,
      });
      await transitionLicence(d.deps.store, "deactivate", firm.id, { taxId: gone.taxId }, by, Date.now());

      const summary = await d.say(advisor, "resumen");
      sees(
        d,
        summary,
        ["summaryTitle", { firm: firmName }],
        ["listTotal", { n: 4 }],
        "summaryCounts",
        ["summaryUnactivated", { date: formatDate(eightDaysAgo) }],
        ["summarySilent", { date: formatDate(fourDaysAgo) }],
      );
      expect(summary.text).toContain(sent.name);
      expect(summary.text).toContain(silent.name);
      expect(summary.text).not.toContain("A Enviar S.L.");
      for (const label of ["newButton", "summaryLicences", "summaryClients", "summarySearch"] as const) {
        expect(summary.buttons).toContain(t(d, label));
      }
      expect(summary.buttons.filter((b) => b === t(d, "fichaButton"))).toHaveLength(2);
      // "inicio" is the same screen; each item's ficha opens from it.
      sees(d, await d.say(advisor, "inicio"), ["summaryTitle", { firm: firmName }]);
      const ficha = await d.click(advisor, summary, t(d, "fichaButton"), { nth: 1 });
      sees(d, ficha, ["fichaTitle", { name: silent.name }]);

      sees(d, await d.click(advisor, summary, t(d, "summaryLicences")), "listTitle");
      sees(d, await d.click(advisor, summary, t(d, "summaryClients")), "clientsTitle");
      const search = await d.click(advisor, summary, t(d, "summarySearch"));
      expect(search.kind).toBe("form");
      expect(search.fields).toEqual(["text"]);
      const found = await d.submit(advisor, search, { text: "silencio" });
      sees(d, found, ["searchTitle", { text: "silencio" }]);
      expect(found.text).toContain(silent.name);
      const again = await d.click(advisor, await d.say(advisor, "resumen"), t(d, "summarySearch"));
      const tooShort = await d.submit(advisor, again, { text: "s" });
      expect(Object.values(tooShort.errors ?? {}).join(" ")).toContain(t(d, "searchTooShort"));
    },
  },
  {
    name: "resumen before the activation: how to start; in English",
    async run(d) {
      const newcomer = await d.advisor("summarynew");
      const start = await d.say(newcomer, "resumen");
      sees(d, start, "summaryInactive");
      expect(start.buttons).toContain(t(d, "requestActivationButton"));
      const { advisor, firmName } = await activeAdvisor(d, "summaryen", { locale: "en-GB" });
      sees(d, await d.say(advisor, "home"), ["enSummaryTitle", { firm: firmName }], "enSummaryNothing");
    },
  },
  {
    name: "deactivate (after confirming): the state is shown; reactivate acts at once: active again",
    async run(d) {
      const { advisor } = await activeAdvisor(d, "deactivate");
      const licence = await seedLicence(d, advisor);
      const done = await deactivateOnList(d, advisor, licence.name);
      // The list page, with the change as a note and the licence's new state.
      sees(d, done, "listTitle", ["rowDeactivated", { taxId: licence.taxId }]);
      seesNote(d, done, "good", "deactivated", { name: licence.name });
      expect(done.buttons).toContain(t(d, "reactivate"));
      expect(done.buttons).not.toContain(t(d, "deactivate"));

      const again = await licenceAction(d, advisor, "reactivate");
      sees(d, again, ["rowActive", { taxId: licence.taxId }]);
      seesNote(d, again, "good", "reactivated", { name: licence.name });
      sees(d, await d.say(advisor, "lista"), ["rowActive", { taxId: licence.taxId }]);
    },
  },
  {
    name: "desactivar <NIF> typed: the question first on both; Cancelar leaves the licence as it was",
    async run(d) {
      const { advisor } = await activeAdvisor(d, "typed");
      const licence = await seedLicence(d, advisor);
      const ask = await d.say(advisor, `desactivar ${licence.taxId}`);
      sees(d, ask, ["deactivateAsk", { name: licence.name }], ["rowActive", { taxId: licence.taxId }]);
      expect(ask.buttons).toEqual([t(d, "deactivate"), t(d, "cancel")]);
      const cancelled = await d.click(advisor, ask, t(d, "cancel"));
      sees(d, cancelled, "listTitle", ["rowActive", { taxId: licence.taxId }]);
      const again = await d.say(advisor, `desactivar ${licence.taxId}`);
      const done = await d.click(advisor, again, t(d, "deactivate"));
      seesNote(d, done, "good", "deactivated", { name: licence.name });
      sees(d, done, ["rowDeactivated", { taxId: licence.taxId }]);
    },
  },
  {
    name: "unlink a licence bound to the client's installation",
    async run(d) {
      const { advisor } = await activeAdvisor(d, "unlink");
      const licence = await seedLicence(d, advisor);
      const bound = await clientApp(d.url).activate({
        licenceNumber: licence.number,
        taxId: licence.taxId,
        installationId: "install-contract-unlink",
      });
      expect(bound.body.code).toBe("ACTIVATED");
      const list = await d.say(advisor, "lista");
      sees(d, list, ["rowBound", { taxId: licence.taxId }]);
      const { asked, done } = await pressConfirmed(d, advisor, list, "unlink");
      expect(asked).toContain(t(d, "unlinkAsk", { name: licence.name }));
      sees(d, done, ["rowActive", { taxId: licence.taxId }]);
      seesNote(d, done, "good", "unlinked", { name: licence.name });
    },
  },
  {
    name: "delete (after confirming): the licence leaves the list",
    async run(d) {
      const { advisor } = await activeAdvisor(d, "delete");
      const licence = await seedLicence(d, advisor);
      const list = await d.say(advisor, "lista");
      const { asked, done } = await pressConfirmed(d, advisor, list, "deleteButton");
      expect(asked).toContain(t(d, "deleteAsk", { name: licence.name }));
      sees(d, done, "emptyList");
      seesNote(d, done, "good", "deleted", { name: licence.name });
      expect(done.text.replace(t(d, "deleted", { name: licence.name }), "")).not.toContain(licence.name);
    },
  },
  {
    name: "clientes, cliente <NIF>, and the self-managed tick box on and off (the watch-again warning)",
    async run(d) {
      const { advisor } = await activeAdvisor(d, "clients");
      const licence = await seedLicence(d, advisor, "Bar Pepe");
      const clients = await d.say(advisor, "clientes");
      sees(
        d,
        clients,
        "clientsTitle",
        ["clientTaxId", { taxId: licence.taxId }],
        "clientLicence",
        "clientNotSelfManaged",
      );
      expect(clients.text).toContain("Bar Pepe");

      const on = await setSelfManaged(d, advisor, licence.taxId, true);
      seesNote(d, on, "good", "selfManagedOn", { name: "Bar Pepe" });
      sees(d, await d.say(advisor, "clientes"), "clientSelfManaged");
      const off = await setSelfManaged(d, advisor, licence.taxId, false);
      seesNote(d, off, "warning", "watchAgain", { name: "Bar Pepe" });
      sees(d, await d.say(advisor, "clientes"), "clientNotSelfManaged");

      // Deactivating a self-managed client's licence warns that the firm watches the mailboxes again.
      await setSelfManaged(d, advisor, licence.taxId, true);
      const deactivated = await deactivateOnList(d, advisor, "Bar Pepe");
      seesNote(d, deactivated, "good", "deactivated", { name: "Bar Pepe" });
      seesNote(d, deactivated, "warning", "watchAgain", { name: "Bar Pepe" });
      // Reactivated, the tick stays off, and the advisor is reminded.
      const reactivated = await licenceAction(d, advisor, "reactivate");
      seesNote(d, reactivated, "good", "reactivated", { name: "Bar Pepe" });
      sees(d, await d.say(advisor, "clientes"), "clientNotSelfManaged");
    },
  },
  {
    name: "notificaciones: the firm's, and one client's, as the client app reported them",
    async run(d) {
      const { advisor } = await activeAdvisor(d, "notifications");
      sees(d, await d.say(advisor, "notificaciones"), "notificationsTitle", "noNotifications");
      const licence = await seedLicence(d, advisor, "Bar Pepe");
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
        sees(d, seen, "notificationState", "notificationSelfManaged");
        for (const shown of ["Requerimiento de información IVA", "AEAT", "03/11/2026", "Bar Pepe", licence.taxId])
          expect(seen.text).toContain(shown);
      }
      sees(d, await d.say(advisor, "notificaciones"), "notificationsTitle");
      sees(d, await d.say(advisor, `notificaciones ${licence.taxId}`), ["notificationsOf", { name: "Bar Pepe" }]);
    },
  },
  {
    name: "historial <NIF>: what happened to the licence, and who did it",
    async run(d) {
      const { advisor } = await activeAdvisor(d, "history", { name: "Clara Asesora" });
      const licence = await seedLicence(d, advisor, "Bar Pepe");
      await deactivateOnList(d, advisor, "Bar Pepe");
      const history = await d.say(advisor, `historial ${licence.taxId}`);
      sees(
        d,
        history,
        ["historyOf", { name: "Bar Pepe" }],
        ["historyTaxId", { taxId: licence.taxId }],
        "historyClient",
        "historyCreated",
        "historyDeactivated",
        ["historyWho", { userName: "Clara Asesora" }],
      );
    },
  },
  {
    name: "a missing argument is asked for, with an example",
    async run(d) {
      const advisor = await d.advisor("missing");
      sees(d, await d.say(advisor, "enviar"), "missingArgument");
      sees(d, await d.say(advisor, "buscar"), "missingText");
    },
  },
  {
    name: "another firm's licence is not found, by number or by NIF",
    async run(d) {
      const { advisor } = await activeAdvisor(d, "owner");
      const licence = await seedLicence(d, advisor);
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
      sees(d, await d.say(advisor, "lista"), ["rowActive", { taxId: licence.taxId }]);
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
        seesNote(d, seen, "attention", "supportOnly");
        expect(seen.text).not.toContain("Despacho outside");
      }
    },
  },
  {
    name: "despachos and revocar <id> in the support channel; the revoked firm is asked to request again",
    async run(d) {
      const { advisor, firmName, firmId } = await activeAdvisor(d, "revoked");
      await seedLicence(d, advisor);
      const agent = await d.supportAgent({ name: "Sole Soporte" });
      // The advisor uses the bot after the approval: the firm keeps the name typed in the request.
      await d.say(advisor, "lista");
      let firms = await d.say(agent, "despachos", "support");
      expect(firmName).toBe("Despacho revoked");
      sees(d, firms, "firmsTitle");
      // The suite's other scenarios make firms too: the firm may be on a later page.
      const row = t(d, "firmRow", { id: firmId, firm: firmName, workspaceId: advisor.workspaceId });
      while (!firms.text.includes(row) && firms.buttons.includes(t(d, "nextPage"))) {
        firms = await d.click(agent, firms, t(d, "nextPage"));
      }
      sees(d, firms, ["firmRow", { id: firmId, firm: firmName, workspaceId: advisor.workspaceId }]);
      sees(d, await d.say(agent, "revocar", "support"), "revokeMissing");
      sees(d, await d.say(agent, "revocar x", "support"), "revokeBadId");
      sees(d, await d.say(agent, "revocar 99999", "support"), "firmNotFound");
      const ask = await d.say(agent, `revocar ${firmId}`, "support");
      sees(d, ask, "revokeTitle", ["revokeAsk", { firm: firmName, id: firmId }]);
      expect(ask.buttons).toEqual([t(d, "revokeButton"), t(d, "cancel")]);
      const revoked = await d.click(agent, ask, t(d, "revokeButton"));
      sees(d, revoked, ["revoked", { firm: firmName, id: firmId, agent: "Sole Soporte" }]);
      expect(revoked.buttons).toEqual([]);
      sees(d, await d.privateMessages(advisor), "revokedTold");
      sees(d, await d.say(advisor, "nuevo"), "askAgain");
    },
  },
  {
    name: "buscar <texto>: the firm's clients by part of the name, the NIF or the e-mail, accents and case ignored",
    async run(d) {
      const { advisor } = await activeAdvisor(d, "search");
      const garcia = await seedLicence(d, advisor, "García López, S.L.", {
        email: "contabilidad@garcia.example",
        taxId: "B12345674",
      });
      const gomez = await seedLicence(d, advisor, "Gómez Pérez SA", { email: "info@gomez.example" });
      const { advisor: other } = await activeAdvisor(d, "searchother");
      await seedLicence(d, other, "Garcia Otra", { email: "otra@otra.example" });

      const found = await d.say(advisor, "buscar garcia");
      sees(d, found, ["searchTitle", { text: "garcia" }], ["clientTaxId", { taxId: garcia.taxId }], "clientLicence");
      expect(found.text).toContain(garcia.name);
      expect(found.text).not.toContain(gomez.name);
      expect(found.text).not.toContain("Garcia Otra");
      // The rows carry the client's buttons, and they work.
      for (const key of ["configureClient", "notificationsButton", "historyButton"] as const)
        expect(found.buttons).toContain(t(d, key));
      const notifications = await d.click(advisor, found, t(d, "notificationsButton"));
      sees(d, notifications, ["notificationsOf", { name: garcia.name }], "noNotifications");
      const history = await d.click(advisor, found, t(d, "historyButton"));
      sees(d, history, ["historyOf", { name: garcia.name }], "historyCreated");
      const form = await d.click(advisor, found, t(d, "configureClient"));
      expect(form.kind).toBe("form");
      expect(form.fields).toEqual(["selfManaged"]);

      const upper = await d.say(advisor, "buscar GARCÍA");
      expect(upper.text).toContain(garcia.name);
      expect(upper.text).not.toContain("Garcia Otra");
      // Part of the NIF, typed with a hyphen; part of the e-mail.
      const byTaxId = await d.say(advisor, "buscar b-12345");
      expect(byTaxId.text).toContain(garcia.name);
      expect(byTaxId.text).not.toContain(gomez.name);
      const byEmail = await d.say(advisor, "buscar contabilidad@");
      expect(byEmail.text).toContain(garcia.name);
      expect(byEmail.text).not.toContain(gomez.name);
      sees(d, await d.say(advisor, "buscar gomez"), ["clientTaxId", { taxId: gomez.taxId }]);

      sees(d, await d.say(advisor, "buscar"), "missingText");
      sees(d, await d.say(advisor, "buscar x"), "searchTooShort");
      sees(d, await d.say(advisor, "buscar zzzz"), ["searchEmpty", { text: "zzzz" }]);
      expect(await d.privateMessages(advisor)).toEqual([]);
    },
  },
  {
    name: "buscar: more than a page of matches, the next page and back",
    async run(d) {
      const { advisor } = await activeAdvisor(d, "searchpages");
      const names = Array.from({ length: 12 }, (_, i) => `Martínez ${String(i + 1).padStart(2, "0")} SL`);
      for (const name of names) await seedLicence(d, advisor, name);
      await seedLicence(d, advisor, "Otro Cliente SL");
      const first = await d.say(advisor, "buscar martinez");
      expect(names.filter((n) => first.text.includes(n))).toEqual(names.slice(0, 10));
      expect(first.text).not.toContain("Otro Cliente");
      const second = await d.click(advisor, first, t(d, "nextPage"));
      sees(d, second, ["searchTitle", { text: "martinez" }]);
      expect(names.filter((n) => second.text.includes(n))).toEqual(names.slice(10));
      expect(second.buttons).not.toContain(t(d, "nextPage"));
      const back = await d.click(advisor, second, t(d, "firstPage"));
      expect(names.filter((n) => back.text.includes(n))).toEqual(names.slice(0, 10));
    },
  },
  {
    name: "exportar: a single-use link, shown to the advisor only, to the firm's clients and licences as a CSV",
    async run(d) {
      const { advisor } = await activeAdvisor(d, "export");
      const mine = await seedLicence(d, advisor, "Exportaciones Pérez SL");
      const { advisor: other } = await activeAdvisor(d, "exportother");
      const theirs = await seedLicence(d, other, "Otra Firma Exportada SL");

      seesUsage(d, await d.say(advisor, "ayuda"), "helpExport", "helpExportText");
      const shown = await d.say(advisor, "exportar");
      sees(d, shown, "exportTitle", "exportReady");
      expect(shown.links).toEqual([t(d, "exportDownload")]);
      const url = shown.urls?.[t(d, "exportDownload")] ?? "";
      expect(url).toMatch(new RegExp(`^${d.url}/export/[A-Za-z0-9_-]{43}$`));

      const csv = await fetch(url);
      expect(csv.status).toBe(200);
      const bytes = Buffer.from(await csv.arrayBuffer());
      // UTF-8 with a BOM, so Excel reads it as UTF-8 (fetch's text() would drop the BOM).
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const body = bytes.subarray(3).toString("utf8");
      expect(body.split("\r\n")[0]).toBe(t(d, "exportHeader"));
      expect(body).toContain(`${mine.taxId};${mine.name};Ana;${mine.email};;${mine.number};Activa;No;`);
      expect(body).not.toContain(theirs.name);
      const again = await fetch(url);
      expect(again.status).toBe(410);
      expect(await again.text()).toContain(t(d, "exportUsed"));
      // Shown where it was asked, to the advisor only: nothing else in the private chat.
      expect(await d.privateMessages(advisor)).toEqual([]);
    },
  },
  {
    name: "export in English: the link's screen",
    async run(d) {
      const advisor = await d.advisor("exporten", { locale: "en-US" });
      const shown = await d.say(advisor, "export");
      sees(d, shown, "enExportTitle");
      expect(shown.links).toEqual([t(d, "enExportDownload")]);
    },
  },
  {
    name: "an English-locale user is answered in English",
    async run(d) {
      const advisor = await d.advisor("english", { locale: "en-US" });
      const help = await d.say(advisor, "help");
      sees(d, help, "enHelpTitle");
      seesUsage(d, help, "enHelpNew", "enHelpNewText");
      const question = await d.say(advisor, "new");
      sees(d, question, "enAskActivation");
      expect(question.buttons).toContain(t(d, "enYes"));
      const list = await d.say(advisor, "lista");
      sees(d, list, "enListTitle", "enEmptyList");
      expect(list.buttons).toContain(t(d, "enNew"));
    },
  },
  {
    name: "search in English: the results, too short, nothing found",
    async run(d) {
      const { advisor } = await activeAdvisor(d, "searchen", { locale: "en-GB" });
      const licence = await seedLicence(d, advisor, "Núñez Hermanos SL");
      const found = await d.say(advisor, "search nunez");
      sees(d, found, ["enSearchTitle", { text: "nunez" }]);
      expect(found.text).toContain(licence.name);
      expect(found.buttons).toContain(t(d, "enConfigureClient"));
      sees(d, await d.say(advisor, "search x"), "enSearchTooShort");
      sees(d, await d.say(advisor, "find qqqq"), ["enSearchEmpty", { text: "qqqq" }]);
    },
  },
  {
    name: "nuevo varios: asked to activate first; the paste previewed by line, then the licences created",
    async run(d) {
      const inactive = await d.advisor("bulkoff");
      sees(d, await d.say(inactive, "nuevo varios"), "askActivation");

      const { advisor } = await activeAdvisor(d, "bulk");
      seesUsage(d, await d.say(advisor, "ayuda"), "helpBulk", "helpBulkText");
      sees(d, await d.say(advisor, "nuevo otra"), ["bulkUnknownWord", { word: "otra" }]);
      expect((await d.say(advisor, "lista")).buttons).toContain(t(d, "bulkButton"));
      const form = await d.opened(advisor, await d.say(advisor, "nuevo varios"), t(d, "bulkButton"));
      expect(form.kind).toBe("form");
      expect(form.fields).toEqual(["lines", "more"]);
      sees(d, form, "bulkButton", "bulkIntro");

      const [one, two] = [newDni(), newDni()];
      const values = {
        lines: `${one};Primera, S.L.;uno@example.com;Ana;600000001\nB1234567X;Mala S.L.`,
        more: `${two}\tSegunda S.A.\tdos@example.com\tLuis\t600000002`,
      };
      const none = await d.submit(advisor, form, { lines: "B1234567X;Mala S.L.", more: "" });
      expect(none.kind).toBe("form");
      sees(d, none, "bulkNone", ["bulkLineBad", { line: 1, taxId: "B1234567X" }]);

      const preview = await d.submit(advisor, none, values);
      expect(preview.kind).toBe("form");
      sees(
        d,
        preview,
        ["bulkPreview", { accepted: 2, count: 3 }],
        ["bulkLineOk", { line: 1, taxId: one, name: "Primera, S.L." }],
        ["bulkLineBad", { line: 2, taxId: "B1234567X" }],
        ["bulkLineOk", { line: 3, taxId: two, name: "Segunda S.A." }],
      );
      const done = await d.submit(advisor, preview, values);
      expect(done.kind).toBe("message");
      sees(d, done, ["bulkCreated", { n: 2 }], "bulkFailed");
      expect(done.buttons).toContain(t(d, "sendDetails"));
    },
  },
  {
    name: "new bulk in English",
    async run(d) {
      const { advisor } = await activeAdvisor(d, "bulken", { locale: "en-US" });
      const form = await d.opened(advisor, await d.say(advisor, "new bulk"), t(d, "enBulkButton"));
      expect(form.kind).toBe("form");
      sees(d, form, "enBulkButton", "enBulkIntro");
    },
  },
  {
    name: "avisos in a channel: the daily watch goes there; again, it offers to stop, which sends it to the advisors again",
    async run(d) {
      const { advisor } = await activeAdvisor(d, "alerts");
      const help = await d.say(advisor, "ayuda");
      seesUsage(d, help, "helpAlerts", "helpAlertsText");
      sees(d, await d.say(advisor, "avisos", "channel"), "alertsSet");
      const again = await d.say(advisor, "avisos", "channel");
      sees(d, again, "alertsAlready");
      sees(d, await d.click(advisor, again, t(d, "alertsOff")), "alertsCleared");
      // A word after it: "no" switches the channel off, anything else is answered, never taken as "here".
      sees(d, await d.say(advisor, "avisos basura", "channel"), "alertsBadWord");
      sees(d, await d.say(advisor, "avisos", "channel"), "alertsSet");
      sees(d, await d.say(advisor, "avisos no", "channel"), "alertsCleared");
    },
  },
  {
    name: "the daily watch in the advisor's private chat: a licence never activated and a silent app, with their buttons",
    async run(d) {
      const { advisor } = await activeAdvisor(d, "watch");
      // Eight days ago: the details sent, and another client's app activated and then silent.
      const past = Date.now() - 8 * DAY_MS;
      const then = { ...d.deps, now: () => past };
      const waiting = await createLicence(then, d.actor(advisor), {
        taxId: newDni(),
        name: "Pendiente de Instalar S.L.",
      });
      await sendLicenceDetails(then, d.actor(advisor), { licenceId: waiting.id });
      const quiet = await createLicence(then, d.actor(advisor), { taxId: newDni(), name: "Sin Noticias S.L." });
      await activateInstallation(then, {
        licenceNumber: quiet.number,
        taxId: quiet.client.taxId,
        installationId: "m-1",
      });
      await tickSelfManaged(then, d.actor(advisor), { taxId: quiet.client.taxId, selfManaged: true });
      const run = await runWatch(d.deps, d.watchSenders);
      expect(run.firms.map((f) => f.outcome)).toContain("sent");
      const [watch, ...rest] = (await d.privateMessages(advisor)).filter((m) =>
        `${m.title ?? ""}\n${m.text}`.includes(t(d, "watchTitle")),
      );
      expect(rest).toEqual([]);
      if (!watch) throw new Error("no daily watch in the private chat");
      sees(d, watch, "watchUnactivated", "watchSilent", ["watchSentDays", { date: formatDate(past) }]);
      expect(watch.text).toContain(waiting.client.name);
      expect(watch.text).toContain(quiet.client.name);
      expect(watch.buttons).toEqual([
        t(d, "resend"),
        t(d, "licenceFile"),
        t(d, "mute"),
        t(d, "watchFromFirm"),
        t(d, "licenceFile"),
        t(d, "mute"),
      ]);
      sees(d, await d.click(advisor, watch, t(d, "watchFromFirm")), ["watchFromFirmDone", { name: quiet.client.name }]);
      sees(d, await d.click(advisor, watch, t(d, "mute")), "watchMuted");
    },
  },
];
