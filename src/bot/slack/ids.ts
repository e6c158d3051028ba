/** The slash command, as declared in manifests/slack/manifest.json. */
export const COMMAND = "/licencias";

/** action_id of every button the app shows; each has one listener in listeners/actions/. */
export const ACTION = {
  activationYes: "activation_yes",
  activationNo: "activation_no",
  licencesNew: "licences_new",
  licencesMore: "licences_more",
  clientsMore: "clients_more",
  notificationsMore: "notifications_more",
  clientOpen: "client_open",
  licenceSend: "licence_send",
  licenceSelfManaged: "licence_self_managed",
  licenceDeactivate: "licence_deactivate",
  licenceReactivate: "licence_reactivate",
  licenceUnlink: "licence_unlink",
  licenceDelete: "licence_delete",
  supportApprove: "support_approve",
  supportReject: "support_reject",
  supportRevoke: "support_revoke",
} as const;

/** callback_id of every modal that can be submitted; each has one listener in listeners/views/. */
export const VIEW = {
  activationRequest: "activation_request",
  licenceForm: "licence_form",
  clientForm: "client_form",
  rejectReason: "reject_reason",
  info: "info",
} as const;

/** The action_id of the one element of every input block (block ids are the use cases' field names). */
export const INPUT_ACTION = "value";
