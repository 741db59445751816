import type { Caller, Fixtures } from './fixtures';
import { OPERATORS_CHANNEL } from '../../common/realtime';
import type { Entity, Field } from './routes';
import type { ValueSpec } from './values';

// Field values made concrete for one caller: ids they may or may not see, long strings cut to where they
// land, JSON written as text. The Renderer notes why a value makes its request one that must be refused.

const MISSING_ID = 10_000_000;
export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const CALLERS: readonly string[] = ['admin', 'mod', 'mod2'];

export function isCaller(value: string): value is Caller {
  return CALLERS.includes(value);
}

function pick<T>(list: readonly T[], n: number): T | undefined {
  return list.length === 0 ? undefined : list[n % list.length];
}

/**
 * Bytes a long string may take where it lands. A body a little over the server's 1 MiB limit, a path or
 * query a little over Node's 16 KB header limit, test those limits; many megabytes more only make the
 * server close the connection while we are still writing, which says nothing about it.
 */
export const BODY_BUDGET = 1_250_000;
const REQUEST_LINE_BUDGET = 24_000;

/** `salt + unit × length`, shortened so that written with `cost` bytes per unit it stays within `budget`. */
function longText(spec: Extract<ValueSpec, { t: 'big' }>, cost: number, budget: number): string {
  return spec.salt + spec.unit.repeat(Math.max(0, Math.min(spec.length, Math.floor(budget / Math.max(1, cost)))));
}

/** One request's rendering: it collects the reasons a value gives for refusing the request. */
export class Renderer {
  readonly reasons: string[] = [];
  chatTarget: number | undefined;
  /** Where scalar() output goes: a path or query (small budget) or a form body. */
  scalarBudget = REQUEST_LINE_BUDGET;

  constructor(
    private readonly fixtures: Fixtures,
    private readonly caller: Caller,
  ) {}

  private refId(entity: Entity, pick_: 'seen' | 'hidden' | 'missing', n: number): { id: number; hidden: boolean } {
    const f = this.fixtures;
    const missing = { id: MISSING_ID + n, hidden: true };
    if (pick_ === 'missing') return missing;
    const seen = (list: readonly number[]) => {
      const id = pick(list, n);
      return id === undefined ? missing : { id, hidden: false };
    };
    const hidden = (list: readonly number[]) => {
      const id = pick(list, n);
      return id === undefined ? missing : { id, hidden: true };
    };
    switch (entity) {
      case 'chat':
        return pick_ === 'seen' ? seen(f.writableChats[this.caller]) : hidden(f.hiddenChats[this.caller]);
      case 'attachment': {
        const visible = f.attachments.visible[this.caller];
        if (pick_ === 'seen' && visible.length > 0) return seen(visible);
        return hidden(f.attachments.hidden[this.caller]);
      }
      case 'user':
        return pick_ === 'seen' ? seen([f.userIds.admin, f.userIds.mod, f.userIds.mod2, f.userIds.employee]) : { id: f.userIds.deactivated, hidden: true };
      case 'canned':
        return pick_ === 'seen' ? seen(f.cannedIds) : missing;
      case 'source':
        return pick_ === 'seen' ? seen(f.sourceIds) : { id: 10_000 + n, hidden: true };
      case 'department':
        return pick_ === 'seen' ? seen(f.departmentIds) : { id: 10_000 + n, hidden: true };
      case 'account':
        return pick_ === 'seen' ? seen(f.managed.accountIds) : missing;
      case 'managed-source':
        return pick_ === 'seen' ? seen(f.managed.sourceIds) : missing;
      case 'managed-widget':
        return pick_ === 'seen' ? seen(f.managed.widgetIds) : missing;
      default: {
        const unreachable: never = entity;
        throw new Error(`unknown entity ${String(unreachable)}`);
      }
    }
  }

  private channel(spec: Extract<ValueSpec, { t: 'channel' }>): { name: string; hidden: boolean } {
    const f = this.fixtures;
    switch (spec.pick) {
      case 'chat-seen':
      case 'chat-hidden': {
        const { id, hidden } = this.refId('chat', spec.pick === 'chat-seen' ? 'seen' : 'hidden', spec.n);
        return { name: `private-chat.${id}`, hidden };
      }
      case 'own-user':
        return { name: `private-user.${f.userIds[this.caller]}`, hidden: false };
      case 'other-user': {
        const others = [f.userIds.admin, f.userIds.mod, f.userIds.mod2, f.userIds.employee].filter((id) => id !== f.userIds[this.caller]);
        return { name: `private-user.${pick(others, spec.n) ?? MISSING_ID}`, hidden: true };
      }
      case 'presence':
        return { name: OPERATORS_CHANNEL, hidden: false };
      case 'own-space':
        return { name: `private-space.${f.visitor.spaceId}`, hidden: false };
      case 'other-space':
        return { name: `private-space.${f.visitor.foreignSpaceId}`, hidden: true };
      default: {
        const unreachable: never = spec.pick;
        throw new Error(`unknown channel pick ${String(unreachable)}`);
      }
    }
  }

  /** A ref or channel, noting a reason when the field guards and the caller may not see it. */
  private named(spec: ValueSpec, field: Field | undefined, where: string): string | number | undefined {
    if (spec.t === 'ref') {
      const { id, hidden } = this.refId(spec.entity, spec.pick, spec.n);
      if (hidden && field?.guard) this.reasons.push(`${where}: ${spec.pick === 'missing' ? 'no such' : 'hidden'} ${spec.entity} ${id} for ${this.caller}`);
      if (spec.entity === 'chat' && !(spec.pick === 'missing')) this.chatTarget ??= id;
      return id;
    }
    if (spec.t === 'channel') {
      const { name, hidden } = this.channel(spec);
      if (hidden && field?.guard) this.reasons.push(`${where}: channel ${name} is not ${this.caller}'s`);
      return name;
    }
    return undefined;
  }

  /** JSON text; deep nesting and long strings are written as text, never built as objects. */
  json(spec: ValueSpec, field?: Field, where = 'body'): string {
    const named = this.named(spec, field, where);
    if (named !== undefined) return JSON.stringify(named);
    switch (spec.t) {
      case 'lit':
        return JSON.stringify(spec.v);
      case 'omit':
        return 'null';
      case 'big':
        return JSON.stringify(longText(spec, Buffer.byteLength(JSON.stringify(spec.unit)) - 2, BODY_BUDGET));
      case 'deep':
        return spec.open === '[' ? '['.repeat(spec.depth) + ']'.repeat(spec.depth) : '{"a":'.repeat(spec.depth) + '1' + '}'.repeat(spec.depth);
      case 'num':
        return spec.text;
      case 'raw':
        return JSON.stringify(spec.text);
      case 'png':
        return JSON.stringify(PNG.toString('base64'));
      case 'obj': {
        const fields = field?.type.kind === 'object' ? field.type.fields : undefined;
        const parts = spec.entries.filter(([, v]) => v.t !== 'omit').map(([k, v]) => `${JSON.stringify(k)}:${this.json(v, fields?.[k], `${where}.${k}`)}`);
        return `{${parts.join(',')}}`;
      }
      case 'arr': {
        const of = field?.type.kind === 'array' ? { type: field.type.of, guard: field.guard } : undefined;
        return `[${spec.items.map((item, i) => this.json(item, of, `${where}.${i}`)).join(',')}]`;
      }
      case 'ref':
      case 'channel':
        throw new Error('named values are handled above');
      default: {
        const unreachable: never = spec;
        throw new Error(`unknown value ${JSON.stringify(unreachable)}`);
      }
    }
  }

  /** The value as one string: a path segment, a query or form value. */
  scalar(spec: ValueSpec, field?: Field, where = 'value'): string {
    const named = this.named(spec, field, where);
    if (named !== undefined) return String(named);
    switch (spec.t) {
      case 'lit':
        return spec.v === null ? '' : typeof spec.v === 'object' ? JSON.stringify(spec.v) : String(spec.v);
      case 'raw':
        return spec.text;
      case 'big':
        return longText(spec, percentEncode(spec.unit).length, this.scalarBudget);
      case 'png':
        return PNG.toString('base64');
      case 'omit':
        return '';
      case 'deep': {
        const levels = Math.min(spec.depth, Math.floor(this.scalarBudget / (spec.open === '[' ? 6 : 16)));
        return this.json({ ...spec, depth: levels }, field, where);
      }
      default:
        return this.json(spec, field, where);
    }
  }

  /** `name=value` pairs as a form or query string writes them (`a[]=`, `a[b]=`); raw values stay raw. */
  pairs(name: string, spec: ValueSpec, field: Field | undefined, depth = 0): [string, string, boolean][] {
    if (spec.t === 'omit') return [];
    if (spec.t === 'arr' && depth < 4) {
      const of = field?.type.kind === 'array' ? { type: field.type.of, guard: field.guard } : undefined;
      return spec.items.flatMap((item) => this.pairs(`${name}[]`, item, of, depth + 1));
    }
    if (spec.t === 'obj' && depth < 4) {
      const fields = field?.type.kind === 'object' ? field.type.fields : undefined;
      return spec.entries.flatMap(([key, value]) => this.pairs(`${name}[${key}]`, value, fields?.[key], depth + 1));
    }
    return [[name, this.scalar(spec, field, name), spec.t === 'raw']];
  }
}

/** encodeURIComponent that also writes lone surrogates, as the (invalid UTF-8) bytes WTF-8 gives them. */
export function percentEncode(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code >= 0xd800 && code <= 0xdfff) out += `%${(0xe0 | (code >> 12)).toString(16)}%${(0x80 | ((code >> 6) & 0x3f)).toString(16)}%${(0x80 | (code & 0x3f)).toString(16)}`.toUpperCase();
    else out += encodeURIComponent(char);
  }
  return out;
}

/** A deliberately raw path or query piece, but only with characters a request line can carry (Node refuses the rest). */
export function requestLineSafe(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    out += code > 0x20 && code < 0x7f ? char : percentEncode(char);
  }
  return out;
}

export function encodePairs(pairs: [string, string, boolean][]): string {
  return pairs.map(([k, v, raw]) => `${k.startsWith('%') ? requestLineSafe(k) : percentEncode(k)}=${raw ? requestLineSafe(v) : percentEncode(v)}`).join('&');
}
