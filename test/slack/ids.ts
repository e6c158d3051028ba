import { buttonActionId } from "../../src/bot/slack/ids.ts";

/**
 * The buttons and forms the tests click and fill in, by what they do. The
 * ids come from the app (ids.ts derives them from the command and form
 * tables): a button is `run:<verb>` or `form:<id>`, a modal's callback_id its
 * form's id.
 */
export const ACTION = {
  activationYes: buttonActionId({ kind: "form", form: "activation" }),
  activationNo: buttonActionId({ kind: "run", verb: "declineActivation" }),
  licencesNew: buttonActionId({ kind: "form", form: "licence" }),
  licencesMore: buttonActionId({ kind: "run", verb: "list" }),
  clientsMore: buttonActionId({ kind: "run", verb: "clients" }),
  notificationsMore: buttonActionId({ kind: "run", verb: "notifications" }),
  clientOpen: buttonActionId({ kind: "form", form: "client" }),
  licenceSend: buttonActionId({ kind: "run", verb: "send" }),
  licenceSelfManaged: buttonActionId({ kind: "form", form: "client" }),
  licenceDeactivate: buttonActionId({ kind: "run", verb: "deactivate" }),
  licenceReactivate: buttonActionId({ kind: "run", verb: "reactivate" }),
  licenceUnlink: buttonActionId({ kind: "run", verb: "unlink" }),
  licenceDelete: buttonActionId({ kind: "run", verb: "delete" }),
  supportApprove: buttonActionId({ kind: "run", verb: "approve" }),
  supportReject: buttonActionId({ kind: "form", form: "reject" }),
  supportRevoke: buttonActionId({ kind: "run", verb: "revoke" }),
} as const;

export const VIEW = {
  activationRequest: "activation",
  licenceForm: "licence",
  clientForm: "client",
  rejectReason: "reject",
} as const;

/** The value of a ticked toggle (a checkbox) in a submitted form. */
export const TICKED = ["true"];
