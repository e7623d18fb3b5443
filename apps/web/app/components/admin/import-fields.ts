/** The largest file the console's import takes, as the API's own limit on an import body. */
export const IMPORT_UPLOAD_LIMIT = 512 * 1024 * 1024;

/** Herald's fields an import column can fill (POST /v1/imports), with the words the page shows. */
export const IMPORT_FIELDS = [
  { value: 'email', label: 'Email address' },
  { value: 'name', label: 'Name' },
  { value: 'externalId', label: 'External id' },
  { value: 'locale', label: 'Locale' },
  { value: 'timezone', label: 'Time zone' },
  { value: 'status', label: 'Status (subscribed, unsubscribed or suppressed)' },
  { value: 'consentedAt', label: 'Consented at' },
  { value: 'source', label: 'Source' },
] as const;

/** The mapping's other two choices: an attribute named after the column, or not imported. */
export const ATTRIBUTE = 'attribute';
export const LEAVE_OUT = 'leave-out';
