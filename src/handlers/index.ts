/** The use cases, the only door from the adapters (bots, API) to the data. */
export type {
  ActivationRequest,
  ActivationState,
  AlertsChannel,
  AuditEvent,
  ClientRecord,
  ClientRow,
  FailureWindow,
  Firm,
  FirmRow,
  LicenceChange,
  LicenceRecord,
  NotificationRow,
  Page,
  Platform,
} from "../db/index.ts";
export type { HandoverState, NextStep, Onboarding, Step, StepId } from "../domain/onboarding.ts";
export { type ActivateResult, activateInstallation, activateInstallationInput } from "./activate-installation.ts";
export type { Actor, Deps } from "./context.ts";
export { isSupportActor, parseLicenceRef, resolveFirm } from "./context.ts";
export { CLIENT_FIELD_MAX, clientDataInput, createLicence, issueLicence } from "./create-licence.ts";
export {
  BULK_MAX_LINES,
  type BulkLineResult,
  type BulkPreview,
  type BulkResult,
  bulkDigest,
  createLicencesBulk,
  previewLicencesBulk,
} from "./create-licences-bulk.ts";
export { deactivateLicence } from "./deactivate-licence.ts";
export { decideActivation, REASON_MAX } from "./decide-activation.ts";
export { deleteLicence } from "./delete-licence.ts";
export { type ExportDownload, openExport } from "./export-csv.ts";
export { createExportLink, EXPORT_PATH, EXPORT_TTL_MS, type ExportLinkResult } from "./export-link.ts";
export { findFirmByWorkspace } from "./find-firm.ts";
export { getActivationRequest } from "./get-activation-request.ts";
export { getActivationStatus } from "./get-activation-status.ts";
export { getClient } from "./get-client.ts";
export { getFirm } from "./get-firm.ts";
export { getHistory, type History } from "./get-history.ts";
export { getLicence, getLicenceStatus, type LicenceTarget, type LicenceWithStatus, withStatus } from "./get-licence.ts";
export { getSummary, type HandoverCounts, SUMMARY_ITEMS, type Summary } from "./get-summary.ts";
export {
  IMPORT_COLUMNS,
  type ImportRejection,
  type ImportRejectReason,
  type ImportReport,
  importNotifications,
} from "./import-notifications.ts";
export { type LicenceTransition, transitionLicence } from "./licence-transition.ts";
export { listClients } from "./list-clients.ts";
export { FIRM_PAGE_SIZE, listFirms } from "./list-firms.ts";
export { listLicences, PAGE_SIZE } from "./list-licences.ts";
export { listNotifications } from "./list-notifications.ts";
export { listPendingRequests } from "./list-pending-requests.ts";
export type { Notifier, SupportDesk, WatchSender, WatchTarget } from "./ports.ts";
export { postPendingRequests } from "./post-pending-requests.ts";
export {
  type AttemptCheck,
  type AttemptSubject,
  checkAttempt,
  DEFAULT_RATE_LIMITS,
  type RateLimits,
  recordFailedAttempt,
} from "./rate-limit.ts";
export { reactivateLicence } from "./reactivate-licence.ts";
export * from "./refs.ts";
export { rememberRequest } from "./remember-request.ts";
export {
  parseDate,
  type ReportResult,
  reportNotifications,
  reportNotificationsInput,
} from "./report-notifications.ts";
export { FIRM_NAME_MAX, MESSAGE_MAX, requestActivation } from "./request-activation.ts";
export { revokeActivation } from "./revoke-activation.ts";
export { SEARCH_MAX, SEARCH_MIN, searchClients } from "./search-clients.ts";
export {
  buildLicenceDetails,
  type LicenceDetails,
  MAILTO_MAX,
  recordDetailsSent,
  sendLicenceDetails,
} from "./send-licence-details.ts";
export { applySelfManaged, setSelfManaged } from "./set-self-managed.ts";
export { unlinkLicence } from "./unlink-licence.ts";
export { type ValidationResult, validateInstallation } from "./validate-installation.ts";
export {
  type DeadlineItem,
  openWatchItems,
  type SilentItem,
  type UnactivatedItem,
  WATCH_LIMIT,
  type WatchItem,
  type WatchList,
  watchList,
} from "./watch.ts";
export { type AlertsOutcome, setAlertsChannel } from "./watch-alerts.ts";
export { madridDay, madridTime, nextWatchTime } from "./watch-clock.ts";
export { watchFromFirm } from "./watch-from-firm.ts";
export { muteWatchInput, muteWatchItem } from "./watch-mute.ts";
export { type FirmWatch, runWatch, type WatchMessage, type WatchRun } from "./watch-run.ts";
