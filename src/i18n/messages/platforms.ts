import type { Section, Translation } from "../catalogue.ts";

/**
 * The few texts only one platform shows, because only it has the thing they
 * talk about: Slack's install pages and modal chrome, Teams' private chat
 * notices and its support channel's connection.
 */
const es = {
  "slack.appName": "Licencias PYMES",
  "slack.close": "Cerrar",
  "slack.errorTitle": "No se ha podido hacer",
  "slack.install.doneTitle": "Licencias PYMES instalado",
  "slack.install.done": "La aplicación se ha instalado en {name}. Vuelve a Slack y escribe /licencias.",
  "slack.install.failedTitle": "No se ha podido instalar",
  "slack.install.failed": "La instalación no se ha completado. Vuelve a intentarlo desde el enlace de instalación.",
  "teams.welcome": "Hola, soy el bot de Licencias PYMES.",
  "teams.help.mention": "En un canal, mencióname primero: @Licencias PYMES lista.",
  "teams.privateNotice": "Te he respondido en nuestro chat personal.",
  "teams.privateFailed":
    "No he podido escribirte en el chat personal. Abre un chat conmigo (Licencias PYMES) y vuelve a intentarlo allí.",
  "teams.support.connected": "Canal de Soporte Técnico conectado: publicaré aquí las solicitudes de activación.",
  "teams.support.postedPending": {
    one: "{count} solicitud pendiente publicada ahora.",
    other: "{count} solicitudes pendientes publicadas ahora.",
  },
  "teams.proxyRefused": "Teams local emulator mode only accepts callers on this machine, without a proxy.",
} satisfies Section;

const en: Translation<typeof es> = {
  "slack.appName": "SME Licences",
  "slack.close": "Close",
  "slack.errorTitle": "Could not be done",
  "slack.install.doneTitle": "SME Licences installed",
  "slack.install.done": "The app was installed in {name}. Go back to Slack and type /licencias.",
  "slack.install.failedTitle": "Installation failed",
  "slack.install.failed": "The installation did not complete. Try again from the install link.",
  "teams.welcome": "Hello, I'm the SME Licences bot.",
  "teams.help.mention": "In a channel, mention me first: @Licencias PYMES list.",
  "teams.privateNotice": "I've answered you in our personal chat.",
  "teams.privateFailed":
    "I could not write to you in our personal chat. Open a chat with me (SME Licences) and try again there.",
  "teams.support.connected": "Support channel connected: I'll post activation requests here.",
  "teams.support.postedPending": {
    one: "{count} pending request posted now.",
    other: "{count} pending requests posted now.",
  },
  "teams.proxyRefused": "Teams local emulator mode only accepts callers on this machine, without a proxy.",
};

export const platforms = { es, en };
