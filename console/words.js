// Codes of the API said in words, for people.

const CODES = {
  OK: 'OK',
  DELETING: 'Being deleted',
  CANCELLED: 'Cancelled: its schedule was stopped',
  COMPLETED: 'Completed: its schedule has no more occurrences',
  MAX_FAILURES_REACHED: 'Paused by the system after too many failed runs in a row',
  CHART_NOT_FOUND: 'A chart of the report was not found',
  OWNER_DISABLED: 'Its owner is disabled',
  NO_RECIPIENTS: 'Nobody to send to: every recipient was skipped',
  EMAIL_DELIVERY_FAILURE: 'The mail server refused or could not take the e-mail',
  PARTIAL_SENT: 'Sent, but not to everyone',
  FATAL_SENT_ERROR: 'Sending failed',
  TEMPLATE_NOT_FOUND: 'A template of the report was not found by the reporting engine',
  INVALID_SHAREPOINT_DIRECTORY: 'The SharePoint folder does not exist',
  GENERIC_FILE_UPLOAD_ERROR: 'A file could not be uploaded to SharePoint',
  EXECUTION_TIME_OUT: 'The run took too long and was stopped',
  OCCURRENCE_SKIPPED: 'Skipped: the previous run was still going',
  RECIPIENT_DISABLED: 'Skipped: the recipient is disabled',
  USER_NOT_FOUND: 'Skipped: no such user in the directory',
  GROUP_NOT_FOUND: 'Skipped: no such group in the directory',
  USER_WITHOUT_EMAIL: 'Skipped: the user has no e-mail address',
  MAX_RECIPIENTS_EXCEEDED: "Skipped: over the tenant's maximum number of recipients",
  EMPTY_RENDER: 'The report came out empty',
  INVALID_RENDER: 'The report came out broken',
  RENDER_REJECTED: 'The reporting engine refused the template',
  UNSUPPORTED_FORMAT: 'The format is not supported',
  IMAGE_TOO_LARGE: 'The image is too large',
  WRONG_CONTENT_TYPE: 'The reporting engine answered with another file type',
};

/** "Sent, but not to everyone (PARTIAL_SENT)"; an unknown code as it is. */
export function inWords(code) {
  if (!code) return '';
  if (code === 'OK') return 'OK';
  const words = CODES[code];
  return words ? `${words} (${code})` : code;
}

export const TRIGGERS = {
  scheduled: 'Scheduled',
  'execute-now': 'Run now',
  creation: 'At creation',
  'app-reload': 'App reload',
  'catch-up': 'Catch-up',
};
