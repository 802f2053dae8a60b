/**
 * Checks a create or update body against the request schema from Zoom's Meeting API OpenAPI
 * description (`meeting-request-schema.json`) and turns it into `MeetingChanges`.
 *
 * The walk is written by hand rather than with Ajv: Ajv is not one of the project's direct
 * dependencies, and the schema uses only type, enum, maxLength, maximum, minimum, properties and
 * items, which take a few lines. `format` is not enforced by the walk: Zoom's `start_time` also
 * takes local times without an offset, which is checked below on its own.
 */
import { DateTime } from 'luxon';

import type { MeetingChanges } from './meeting-store.js';
import { zoomTime } from './meeting-store.js';
import schemas from './meeting-request-schema.json' with { type: 'json' };

/** One field at fault, as Zoom lists it under `errors`. */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

/** The outcome of checking a body. */
export type MeetingBodyCheck =
  { ok: true; changes: MeetingChanges } | { ok: false; errors: FieldError[] };

interface SchemaNode {
  type?: string;
  enum?: unknown[];
  maxLength?: number;
  maximum?: number;
  minimum?: number;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
}

const utcTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const localTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;
const passcodeText = /^[A-Za-z0-9@\-_*]{1,10}$/;

function typeMatches(type: string | undefined, value: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    default:
      return true;
  }
}

function valueProblem(node: SchemaNode, value: unknown): string | undefined {
  if (!typeMatches(node.type, value)) return `Invalid field: expected ${node.type}.`;
  if (node.enum && !node.enum.includes(value)) return 'Invalid field: not an allowed value.';
  if (typeof value === 'string' && node.maxLength !== undefined && value.length > node.maxLength) {
    return `Invalid field: longer than ${node.maxLength} characters.`;
  }
  if (typeof value === 'number' && node.maximum !== undefined && value > node.maximum) {
    return `Invalid field: above ${node.maximum}.`;
  }
  if (typeof value === 'number' && node.minimum !== undefined && value < node.minimum) {
    return `Invalid field: below ${node.minimum}.`;
  }
  return undefined;
}

/** Walks a value against a schema node; unknown properties are ignored, as Zoom does. */
function walk(node: SchemaNode, value: unknown, path: string, errors: FieldError[]): void {
  const problem = valueProblem(node, value);
  if (problem) {
    errors.push({ field: path, message: problem });
    return;
  }

  if (node.properties && typeof value === 'object' && value !== null) {
    for (const [name, child] of Object.entries(node.properties)) {
      const member = (value as Record<string, unknown>)[name];
      if (member !== undefined) walk(child, member, path ? `${path}.${name}` : name, errors);
    }
  }
  if (node.items && Array.isArray(value)) {
    value.forEach((item, index) =>
      walk(node.items as SchemaNode, item, `${path}[${index}]`, errors),
    );
  }
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** Zoom's start_time: UTC with `Z`, or a local time read in `timezone` (else the host's). */
function utcStartTime(startTime: string, zone: string): string | undefined {
  if (utcTime.test(startTime)) return Date.parse(startTime) ? startTime : undefined;
  if (!localTime.test(startTime)) return undefined;

  const local = DateTime.fromISO(startTime, { zone });
  return local.isValid ? zoomTime(local.toMillis()) : undefined;
}

function checkZoomRules(body: Record<string, unknown>, hostZone: string, errors: FieldError[]) {
  const zone = typeof body.timezone === 'string' ? body.timezone : hostZone;
  if (typeof body.timezone === 'string' && !isTimeZone(body.timezone)) {
    errors.push({ field: 'timezone', message: 'Invalid field: unknown time zone.' });
  }
  if (typeof body.start_time === 'string' && !utcStartTime(body.start_time, zone)) {
    errors.push({
      field: 'start_time',
      message: 'Invalid field: expected yyyy-MM-ddTHH:mm:ss[Z].',
    });
  }
  if (typeof body.password === 'string' && !passcodeText.test(body.password)) {
    errors.push({ field: 'password', message: 'Invalid field: passcode characters.' });
  }
  if (typeof body.duration === 'number' && body.duration < 0) {
    errors.push({ field: 'duration', message: 'Invalid field: negative duration.' });
  }
}

/** Checks a create (`kind` create) or update body; `hostZone` reads local start times. */
export function checkMeetingBody(
  kind: 'create' | 'update',
  body: unknown,
  hostZone: string,
): MeetingBodyCheck {
  const errors: FieldError[] = [];
  walk(schemas[kind] as SchemaNode, body, '', errors);
  if (errors.length > 0) return { ok: false, errors };

  const fields = body as Record<string, unknown>;
  checkZoomRules(fields, hostZone, errors);
  if (errors.length > 0) return { ok: false, errors };

  return { ok: true, changes: toChanges(fields, hostZone) };
}

/** The body fields the simulator keeps; the others are checked, then ignored. */
const keptFields = [
  'topic',
  'type',
  'start_time',
  'duration',
  'timezone',
  'agenda',
  'password',
  'pre_schedule',
  'settings',
] as const;

function toChanges(body: Record<string, unknown>, hostZone: string): MeetingChanges {
  const kept = keptFields.filter((name) => body[name] !== undefined);
  const changes = Object.fromEntries(kept.map((name) => [name, body[name]])) as MeetingChanges;

  const zone = changes.timezone ?? hostZone;
  if (changes.start_time !== undefined) changes.start_time = utcStartTime(changes.start_time, zone);
  return changes;
}
