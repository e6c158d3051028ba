/**
 * Routing keys of the Teams app: `verb` of an Action.Execute, or the `verb`
 * field of a dialog's data (teams-ai's default task module filter).
 */
export const VERB = {
  // Action.Execute
  licences: "licences",
  clients: "clients",
  notifications: "notifications",
  history: "history",
  send: "sendDetails",
  confirm: "confirmLicence",
  apply: "applyLicence",
  activationNo: "activationNo",
  approve: "approve",
  reject: "reject",
  confirmReject: "confirmReject",
  cancelReject: "cancelReject",
  revokeFirm: "revokeFirm",
  cancelRevoke: "cancelRevoke",
  // Dialogs (task/fetch and task/submit)
  licenceForm: "licenceForm",
  activationForm: "activationForm",
  clientForm: "clientForm",
} as const;
