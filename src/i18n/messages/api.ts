import type { Section, Translation } from "../catalogue.ts";

/**
 * Texts of the client API's side tools: the notifications import command,
 * and the page an export link that no longer works shows.
 * (The HTTP API itself answers with codes, not prose.)
 */
const es = {
  "import.usage":
    "Uso: npm run import:notifications -- --firm <id de workspace o tenant> [--skip-rows N] FICHERO.csv (N: líneas de título sobre la cabecera)",
  "import.skipRowsInvalid": "--skip-rows debe ser un número entero entre 0 y {max}.",
  "import.badSetting": "Configuración no válida: {reason}",
  "import.firmUnknown": "No hay ningún despacho con ese id de workspace de Slack o tenant de Teams.",
  "import.firmAmbiguous": "Ese id corresponde a un despacho en Slack y a otro en Teams: no se puede elegir.",
  "import.noHeader": "El fichero está vacío: falta la fila de cabecera.",
  "import.missingColumns": "Faltan columnas en la cabecera: {columns}.",
  "import.unreadableFile": "No se puede leer el fichero {file}: {reason}",
  "import.noDatabase": "No existe la base de datos {path} (DATABASE_PATH).",
  "import.failed": "La importación ha fallado: {reason}",
  "import.summary.firm": "Despacho: {firm} (fichero {encoding}, separador «{delimiter}»)",
  "import.summary.counts":
    "Filas leídas: {rows} · importadas: {imported} · ya existentes: {unchanged} · rechazadas: {rejected}",
  "import.rejected": "Línea {line}: {reason}",
  "import.reason.FIELD_COUNT": "se esperaban {expected} campos y hay {found}",
  "import.reason.MISSING_FIELD": "falta «{field}»",
  "import.reason.TOO_LONG": "«{field}» supera {max} caracteres",
  "import.reason.INVALID_TAX_ID": "el NIF no es válido",
  "import.reason.INVALID_DATE": "«{field}» no es una fecha (dd/mm/aaaa o ISO)",
  "import.reason.DUPLICATE_ID": "el id se repite (ya en la línea {first})",
  "import.reason.UNTERMINATED_QUOTE": "comillas sin cerrar",
  "import.reason.UNKNOWN_CLIENT": "el NIF no es de ningún cliente de este despacho",
  "exportPage.title": "Licencias PYMES: exportación",
  "exportPage.used": "Este enlace ya se ha usado: cada enlace de exportación sirve una sola vez.",
  "exportPage.expired": "Este enlace ha caducado: cada enlace de exportación vale 10 minutos.",
  "exportPage.unknown": "Este enlace de exportación no existe o no está completo.",
  "exportPage.again": "Pide uno nuevo escribiendo «exportar» al bot de Licencias PYMES.",
  "watch.cli.usage": "Uso: npm run watch -- [--firm <id de workspace o tenant>] [--dry-run]",
  "watch.cli.failed": "La vigilancia ha fallado: {reason}",
  "watch.cli.firm.nothing": "Despacho {firm}: nada nuevo que atender.",
  "watch.cli.firm.claimed": "Despacho {firm}: la vigilancia de hoy ya se envió.",
  "watch.cli.firm.unreachable": {
    one: "Despacho {firm}: {count} asunto sin nadie a quien avisar: ¿está configurada aquí su plataforma (Slack o Teams)?",
    other:
      "Despacho {firm}: {count} asuntos sin nadie a quien avisar: ¿está configurada aquí su plataforma (Slack o Teams)?",
  },
  "watch.cli.firm.sent": {
    one: "Despacho {firm}: {count} mensaje enviado ({failed} sin entregar).",
    other: "Despacho {firm}: {count} mensajes enviados ({failed} sin entregar).",
  },
  "watch.cli.firm.dryRun": {
    one: "Despacho {firm}: se enviaría {count} mensaje (prueba: no se envía ni se anota nada).",
    other: "Despacho {firm}: se enviarían {count} mensajes (prueba: no se envía ni se anota nada).",
  },
  "watch.cli.message.user": {
    one: "  a {platform} {user}: {count} asunto",
    other: "  a {platform} {user}: {count} asuntos",
  },
  "watch.cli.message.channel": {
    one: "  al canal {platform} {channel}: {count} asunto",
    other: "  al canal {platform} {channel}: {count} asuntos",
  },
  "watch.cli.item": "    {kind} · {client} · {detail}",
  "watch.cli.kind.unactivated": "sin activar",
  "watch.cli.kind.silent": "sin contacto",
  "watch.cli.kind.deadline": "plazo",
  "watch.cli.summary": {
    one: "Vigilancia del {day}: {count} despacho revisado.",
    other: "Vigilancia del {day}: {count} despachos revisados.",
  },
} satisfies Section;

const en: Translation<typeof es> = {
  "import.usage":
    "Usage: npm run import:notifications -- --firm <workspace or tenant id> [--skip-rows N] FILE.csv (N: title lines above the header)",
  "import.skipRowsInvalid": "--skip-rows must be a whole number from 0 to {max}.",
  "import.badSetting": "Invalid setting: {reason}",
  "import.firmUnknown": "No firm has that Slack workspace id or Teams tenant id.",
  "import.firmAmbiguous": "That id belongs to one firm in Slack and another in Teams: cannot choose.",
  "import.noHeader": "The file is empty: the header row is missing.",
  "import.missingColumns": "Columns missing from the header: {columns}.",
  "import.unreadableFile": "Cannot read the file {file}: {reason}",
  "import.noDatabase": "The database {path} does not exist (DATABASE_PATH).",
  "import.failed": "The import failed: {reason}",
  "import.summary.firm": "Firm: {firm} ({encoding} file, separator “{delimiter}”)",
  "import.summary.counts":
    "Rows read: {rows} · imported: {imported} · already there: {unchanged} · rejected: {rejected}",
  "import.rejected": "Line {line}: {reason}",
  "import.reason.FIELD_COUNT": "expected {expected} fields, found {found}",
  "import.reason.MISSING_FIELD": "“{field}” is missing",
  "import.reason.TOO_LONG": "“{field}” is longer than {max} characters",
  "import.reason.INVALID_TAX_ID": "the NIF is not valid",
  "import.reason.INVALID_DATE": "“{field}” is not a date (dd/mm/yyyy or ISO)",
  "import.reason.DUPLICATE_ID": "the id is repeated (first on line {first})",
  "import.reason.UNTERMINATED_QUOTE": "unterminated quotes",
  "import.reason.UNKNOWN_CLIENT": "the NIF is not a client of this firm",
  "exportPage.title": "SME Licences: export",
  "exportPage.used": "This link has already been used: each export link works once.",
  "exportPage.expired": "This link has expired: each export link is valid for 10 minutes.",
  "exportPage.unknown": "This export link does not exist or is incomplete.",
  "exportPage.again": "Ask for a new one by typing “export” to the SME Licences bot.",
  "watch.cli.usage": "Usage: npm run watch -- [--firm <workspace or tenant id>] [--dry-run]",
  "watch.cli.failed": "The watch failed: {reason}",
  "watch.cli.firm.nothing": "Firm {firm}: nothing new to act on.",
  "watch.cli.firm.claimed": "Firm {firm}: today's watch was already sent.",
  "watch.cli.firm.unreachable": {
    one: "Firm {firm}: {count} item with no one to tell: is its platform (Slack or Teams) configured here?",
    other: "Firm {firm}: {count} items with no one to tell: is its platform (Slack or Teams) configured here?",
  },
  "watch.cli.firm.sent": {
    one: "Firm {firm}: {count} message sent ({failed} not delivered).",
    other: "Firm {firm}: {count} messages sent ({failed} not delivered).",
  },
  "watch.cli.firm.dryRun": {
    one: "Firm {firm}: {count} message would be sent (dry run: nothing is sent or recorded).",
    other: "Firm {firm}: {count} messages would be sent (dry run: nothing is sent or recorded).",
  },
  "watch.cli.message.user": {
    one: "  to {platform} {user}: {count} item",
    other: "  to {platform} {user}: {count} items",
  },
  "watch.cli.message.channel": {
    one: "  to the {platform} channel {channel}: {count} item",
    other: "  to the {platform} channel {channel}: {count} items",
  },
  "watch.cli.item": "    {kind} · {client} · {detail}",
  "watch.cli.kind.unactivated": "not activated",
  "watch.cli.kind.silent": "silent",
  "watch.cli.kind.deadline": "deadline",
  "watch.cli.summary": {
    one: "Watch of {day}: {count} firm checked.",
    other: "Watch of {day}: {count} firms checked.",
  },
};

export const api = { es, en };
