/**
 * Outgoing deliveries (end callbacks and recording-ready callbacks now, tenant hooks next): one stream per delivery, so asking twice for the
 * same delivery (a replayed callback URL) finds the stream taken. Absent values are `null`, never missing.
 */

/** Which create parameter named the URL: bbb-web calls both at a meeting's end (reference §8.1, §8.2). */
export type EndCallbackKind = 'endCallbackUrl' | 'meetingEndedURL';

/** A meeting's node called our end callback: the client's original URL is to be called as bbb-web would. */
export type EndCallbackDeliveryData = {
  deliveryId: string;
  tenant: string;
  scope: string;
  meetingID: string;
  /** The meeting's incarnation whose end this is (1 = its first create). */
  incarnation: number;
  kind: EndCallbackKind;
  /** The client's URL as given at create, kept here for the audit trail. */
  originalUrl: string;
  /** What is called: the original with `recordingmarks` and `meetingID` appended. */
  url: string;
  method: 'GET';
};

/**
 * A recording was imported and its meeting's create named a recording-ready URL (§8.3): a form POST whose
 * `body` is `signed_parameters=<JWT>`, signed when asked, so every attempt sends the same bytes.
 */
export type RecordingReadyDeliveryData = {
  deliveryId: string;
  tenant: string;
  scope: string;
  /** The tenant's own meetingID, as the JWT's `meeting_id`. */
  meetingID: string;
  kind: 'recordingReady';
  recordId: string;
  url: string;
  method: 'POST';
  body: string;
  contentType: string;
};

export type CallbackDeliveryRequested = {
  type: 'CallbackDeliveryRequested';
  data: EndCallbackDeliveryData | RecordingReadyDeliveryData;
};

/**
 * A tenant hook is to get one message about one meeting event, as bbb-webhooks sends it: a form POST of
 * `domain`, `event` (a JSON array of one message) and `timestamp`, to the hook's URL with `checksum` appended.
 */
export type HookDeliveryRequested = {
  type: 'HookDeliveryRequested';
  data: {
    deliveryId: string;
    tenant: string;
    /** The scope whose hook this is. */
    scope: string;
    hookID: number;
    /** The meeting's scope and meetingID the message is about. */
    meetingScope: string;
    meetingID: string;
    /** bbb-webhooks' event id: `meeting-created`, `meeting-ended`. */
    eventID: string;
    /** The hook's URL with the checksum appended. */
    url: string;
    method: 'POST';
    contentType: 'application/x-www-form-urlencoded';
    body: string;
  };
};

export type AttemptOutcome = 'delivered' | 'gone' | 'refused' | 'failed';

/** One attempt and how it ended; `nextAttemptAt` is set when another attempt follows. */
export type CallbackDeliveryAttempted = {
  type: 'CallbackDeliveryAttempted';
  data: {
    deliveryId: string;
    attempt: number;
    outcome: AttemptOutcome;
    status: number | null;
    detail: string;
    nextAttemptAt: string | null;
  };
};

/** The last attempt failed (or the URL may not be called): nobody tries again. The dead-letter record. */
export type CallbackDeliveryDeadLettered = {
  type: 'CallbackDeliveryDeadLettered';
  data: { deliveryId: string; attempts: number; detail: string };
};

export type DeliveryEvent = CallbackDeliveryRequested | HookDeliveryRequested | CallbackDeliveryAttempted | CallbackDeliveryDeadLettered;

export const DELIVERY_EVENT_TYPES: readonly DeliveryEvent['type'][] = ['CallbackDeliveryRequested', 'HookDeliveryRequested', 'CallbackDeliveryAttempted', 'CallbackDeliveryDeadLettered'];
