/**
 * The words of /licencias (Slack) and of the Teams bot, Spanish and English.
 * English words do not switch the language.
 */
export type Verb =
  | "list"
  | "new"
  | "clients"
  | "client"
  | "send"
  | "deactivate"
  | "reactivate"
  | "unlink"
  | "delete"
  | "notifications"
  | "history"
  | "help"
  | "pending"
  | "firms"
  | "revoke";

const WORDS: Record<string, Verb> = {
  lista: "list",
  list: "list",
  listar: "list",
  nuevo: "new",
  nueva: "new",
  new: "new",
  clientes: "clients",
  clients: "clients",
  cliente: "client",
  client: "client",
  enviar: "send",
  send: "send",
  desactivar: "deactivate",
  deactivate: "deactivate",
  reactivar: "reactivate",
  reactivate: "reactivate",
  desvincular: "unlink",
  unlink: "unlink",
  eliminar: "delete",
  borrar: "delete",
  delete: "delete",
  notificaciones: "notifications",
  notifications: "notifications",
  historial: "history",
  history: "history",
  ayuda: "help",
  help: "help",
  // Support staff, from the support channel.
  pendientes: "pending",
  pending: "pending",
  despachos: "firms",
  firms: "firms",
  revocar: "revoke",
  revoke: "revoke",
};

/** Verbs whose argument (licence number or tax id) is required. */
export const NEEDS_ARGUMENT: ReadonlySet<Verb> = new Set<Verb>([
  "client",
  "send",
  "deactivate",
  "reactivate",
  "unlink",
  "delete",
  "history",
  "revoke",
]);

export interface ParsedCommand {
  verb: Verb;
  /** The rest of the text (a licence number, a tax id, a firm id), trimmed. */
  arg: string;
  /** The word was not known: help is shown. */
  unknown?: string;
}

/** Parses the text after the command (or the Teams message without the @mention). Whole words only. */
export function parseCommand(text: string): ParsedCommand {
  const trimmed = text.trim();
  if (trimmed === "") return { verb: "list", arg: "" };
  const [first = "", ...rest] = trimmed.split(/\s+/);
  const word = first
    .toLowerCase()
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "");
  const verb = WORDS[word];
  if (!verb) return { verb: "help", arg: "", unknown: first };
  return { verb, arg: rest.join(" ") };
}

/** Every command word per verb, for help texts and manifests. */
export const COMMAND_WORDS: Readonly<Record<string, Verb>> = WORDS;
