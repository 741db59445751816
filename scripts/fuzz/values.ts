import fc from 'fast-check';
import type { Entity, Field, FieldType, Fields } from './routes';

// Field values as fast-check generates them: symbolic specs (`a chat the caller sees`, `a 900 KB string`,
// `5,000 levels of nesting`) that shrink well and are rendered into bytes only at send time (render.ts).

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export type RefPick = 'seen' | 'hidden' | 'missing';
export type ChannelPick = 'chat-seen' | 'chat-hidden' | 'own-user' | 'other-user' | 'presence' | 'own-space' | 'other-space';

export type ValueSpec =
  | { t: 'lit'; v: JsonValue }
  /** The field is left out. */
  | { t: 'omit' }
  | { t: 'ref'; entity: Entity; pick: RefPick; n: number }
  | { t: 'channel'; pick: ChannelPick; n: number }
  /** `salt` + `unit` × `length`: long strings without generating them character by character. */
  | { t: 'big'; unit: string; length: number; salt: string }
  /** `depth` levels of `[` or `{"a":`, written as text (no recursion anywhere on our side). */
  | { t: 'deep'; open: '[' | '{'; depth: number }
  /** A number token JSON.stringify cannot write (1e400, -0, 30 digits). */
  | { t: 'num'; text: string }
  /** Verbatim in a path or query (already percent-encoded, or deliberately not); a string elsewhere. */
  | { t: 'raw'; text: string }
  /** A small PNG, base64-encoded: the valid content of a webhook attachment. */
  | { t: 'png' }
  | { t: 'obj'; entries: [string, ValueSpec][] }
  | { t: 'arr'; items: ValueSpec[] };

const lit = (v: JsonValue): ValueSpec => ({ t: 'lit', v });
const OMIT: ValueSpec = { t: 'omit' };

/** Strings attackers try; none contains what the leak check looks for (`/work/`, `node_modules`, `.ts:`). */
export const SPECIAL_STRINGS = [
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '"; DROP TABLE chats; --',
  '../../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '%00',
  '\u0000',
  '\u0000\u0001\u0002\u001f',
  '${jndi:ldap://x/a}',
  '{{7*7}}',
  '__proto__',
  'constructor',
  '\ud800',
  '\udfff\ud800',
  '\u202eevil\u202c',
  'Z̴̡̪̫͍̀a̵̧͚̅l̶̰̓g̶̣̈́o̴̭͝',
  '👩‍👩‍👧‍👦'.repeat(20),
  '\r\nX-Injected: 1',
  '\t \n ',
  '   ',
  'NaN',
  'Infinity',
  '-0',
  '0x10',
  '1e3',
  ' 1',
  '1 ',
  '+1',
  '١٢٣',
  'ＡＢＣ',
] as const;

/** Characters long strings are made of: one byte, two bytes, three, four, a combining mark, a NUL. */
const BIG_UNITS = ['a', 'é', '中', '😀', 'e\u0301', '\u0000', '\\', '"', ' '] as const;

export function bigString(maxLength = 1_050_000): fc.Arbitrary<ValueSpec> {
  return fc.record({
    t: fc.constant('big' as const),
    unit: fc.constantFrom(...BIG_UNITS),
    length: fc.oneof(
      { weight: 4, arbitrary: fc.integer({ min: 256, max: Math.min(maxLength, 8_000) }) },
      { weight: 2, arbitrary: fc.integer({ min: 8_000, max: Math.min(maxLength, 120_000) }) },
      // Mostly under the 1 MiB body limit: what a server keeps per request must get past the parser first.
      { weight: 2, arbitrary: fc.integer({ min: Math.min(maxLength, 400_000), max: maxLength }) },
    ),
    salt: fc.string({ maxLength: 8 }),
  });
}

export function deepNesting(): fc.Arbitrary<ValueSpec> {
  return fc.record({
    t: fc.constant('deep' as const),
    open: fc.constantFrom('[' as const, '{' as const),
    // Parsers and JSON functions have depth limits around a thousand (SQLite's is 1000) and stacks give out some thousands deep.
    depth: fc.oneof(
      { weight: 2, arbitrary: fc.integer({ min: 2, max: 900 }) },
      { weight: 2, arbitrary: fc.integer({ min: 900, max: 2_000 }) },
      { weight: 1, arbitrary: fc.integer({ min: 2_000, max: 12_000 }) },
    ),
  });
}

const ODD_NUMBERS = ['1e400', '-1e400', '1E2', '0.0000001', '-0', '123456789012345678901234567890', '1.0', '9007199254740993', '-9223372036854775809'];

/** Anything at all, of no particular type: what a field of the wrong type receives. */
export function anyValue(): fc.Arbitrary<ValueSpec> {
  return fc.oneof(
    fc.constantFrom<JsonValue>(null, true, false, 0, -1, 1.5, -0.5, 2 ** 53 + 2, 1e308, '', ' ', '0', '1', 'null', 'true', '[]', '{}').map(lit),
    fc.constantFrom(...SPECIAL_STRINGS).map(lit),
    fc.string({ unit: 'binary', maxLength: 40 }).map(lit),
    fc.string({ unit: 'grapheme', maxLength: 40 }).map(lit),
    fc.constantFrom(...ODD_NUMBERS).map((text): ValueSpec => ({ t: 'num', text })),
    fc.jsonValue({ maxDepth: 3 }).map((v) => lit(jsonOf(v))),
    fc.array(fc.jsonValue({ maxDepth: 1 }), { minLength: 1, maxLength: 4 }).map((v) => lit(jsonOf(v))),
    bigString(),
    deepNesting(),
  );
}

/** fast-check's JsonValue is ours minus the `-0` subtlety; this narrows it without a cast. */
function jsonOf(value: unknown): JsonValue {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : 0;
  if (Array.isArray(value)) return value.map(jsonOf);
  if (typeof value === 'object') {
    const out: { [key: string]: JsonValue } = {};
    // defineProperty: a generated `__proto__` key stays a key instead of replacing the prototype.
    for (const [key, item] of Object.entries(value)) Object.defineProperty(out, key, { value: jsonOf(item), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return null;
}

const ref = (entity: Entity, pick: RefPick) => fc.nat(1_000).map((n): ValueSpec => ({ t: 'ref', entity, pick, n }));
const channel = (pick: ChannelPick) => fc.nat(1_000).map((n): ValueSpec => ({ t: 'channel', pick, n }));

function validString(type: Extract<FieldType, { kind: 'string' }>): fc.Arbitrary<ValueSpec> {
  const min = Math.max(type.min ?? 1, 1);
  const plain = fc.string({ minLength: min, maxLength: Math.max(min, Math.min(type.max, 40)), unit: 'grapheme' }).map(lit);
  const examples = type.examples?.length ? [fc.constantFrom(...type.examples).map(lit)] : [];
  switch (type.format) {
    case undefined:
      return fc.oneof(...examples, plain);
    case 'email':
      return fc.oneof(...examples, fc.emailAddress().map(lit));
    case 'uuid':
      return fc.uuid().map(lit);
    case 'url':
      return fc.oneof(fc.constantFrom('https://example.com/files/a.png', 'http://example.org/doc.pdf').map(lit), fc.webUrl().map(lit));
    case 'socket-id':
      return fc.tuple(fc.nat(999_999_999), fc.nat(999_999_999)).map(([a, b]) => lit(`${a}.${b}`));
    case 'png-base64':
      return fc.constant<ValueSpec>({ t: 'png' });
    case 'channel':
      return validValue({ kind: 'channel' });
    default: {
      const unreachable: never = type.format;
      throw new Error(`unknown string format ${String(unreachable)}`);
    }
  }
}

/** A value the route accepts (for refs: one the caller may see). */
export function validValue(type: FieldType): fc.Arbitrary<ValueSpec> {
  switch (type.kind) {
    case 'string':
      return validString(type);
    case 'int':
      return fc.integer({ min: type.min, max: type.max }).map(lit);
    case 'bool':
      return fc.boolean().map(lit);
    case 'enum':
      return fc.constantFrom(...type.values).map(lit);
    case 'ref':
      return ref(type.entity, 'seen');
    case 'channel':
      if (type.of === 'space') return channel('own-space');
      return fc.oneof(channel('chat-seen'), channel('own-user'), channel('presence'));
    case 'array':
      return fc.array(validValue(type.of), { maxLength: Math.min(type.max, 3) }).map((items): ValueSpec => ({ t: 'arr', items }));
    case 'object':
      return objectValue(type.fields, 0);
    case 'free':
      return fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }).map((v) => lit(jsonOf(v)));
    default: {
      const unreachable: never = type;
      throw new Error(`unknown field type ${JSON.stringify(unreachable)}`);
    }
  }
}

function mutantString(type: Extract<FieldType, { kind: 'string' }>): fc.Arbitrary<ValueSpec> {
  const tooLong = fc.constantFrom('a', 'é', '😀').map((unit): ValueSpec => ({ t: 'big', unit, length: type.max + 1, salt: '' }));
  const byFormat: Record<NonNullable<typeof type.format>, readonly string[]> = {
    email: ['not-an-email', 'a@b', '@example.com', 'ADMIN@EXAMPLE.COM', ' admin@example.com ', 'admin@example.com\u0000', 'a'.repeat(250) + '@x.io'],
    uuid: ['not-a-uuid', '{00000000-0000-0000-0000-000000000000}', '00000000000000000000000000000000', 'ZZZZZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZZZZZZZZZ'],
    url: ['javascript:alert(1)', 'file:///etc/passwd', 'data:text/html,<b>x</b>', 'http://', 'ftp://example.com/x', 'http://127.0.0.1:1/internal-admin', '//example.com'],
    'socket-id': ['1', '1.2.3', 'a.b', '99999999999999999999999.1', '-1.1', '1.', '.1', ' 1.2'],
    'png-base64': ['not base64!', '', '====', 'AAAA', 'PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+'],
    channel: ['private-chat.', 'private-chat.abc', 'private-chat.1.2', 'presence-x', 'private-encrypted-x', 'private-chat.-1', 'private-chat.99999999999999999'],
  };
  const formatted = type.format ? [fc.constantFrom(...byFormat[type.format]).map(lit)] : [];
  return fc.oneof(tooLong, ...formatted, fc.constantFrom('', '   ', '\u0000').map(lit));
}

/** A value of the right type at the wrong place: boundaries, out of range, the caller's forbidden ids. */
function typedMutant(type: FieldType): fc.Arbitrary<ValueSpec> {
  switch (type.kind) {
    case 'string':
      return mutantString(type);
    case 'int':
      return fc.constantFrom<JsonValue>(type.min - 1, type.max + 1, 0, -1, 2 ** 31, 2 ** 53, 1.5, String(type.min), ` ${type.min} `, 'NaN').map(lit);
    case 'bool':
      return fc.constantFrom<JsonValue>('true', 'false', 1, 0, 'yes', 'on').map(lit);
    case 'enum':
      return fc.constantFrom(...type.values).map((value) => lit(` ${value.toUpperCase()}`));
    case 'ref':
      return fc.oneof(ref(type.entity, 'hidden'), ref(type.entity, 'missing'), fc.constantFrom<JsonValue>(0, -1, 2 ** 53, '1', 1.5).map(lit));
    case 'channel':
      return fc.oneof(
        channel(type.of === 'space' ? 'other-space' : 'chat-hidden'),
        channel('other-user'),
        fc
          .constantFrom('private-chat.', 'private-chat.abc', 'private-chat.1.2', 'presence-x', 'private-encrypted-x', 'private-chat.-1', 'private-chat.99999999999999999', 'public', '')
          .map(lit),
        fc.constantFrom('a', '.').map((unit): ValueSpec => ({ t: 'big', unit, length: 300, salt: 'private-' })),
      );
    case 'array':
      return fc.oneof(
        fc.array(validValue(type.of), { minLength: type.max + 1, maxLength: type.max + 3 }).map((items): ValueSpec => ({ t: 'arr', items })),
        fc.array(anyValue(), { minLength: 1, maxLength: 3 }).map((items): ValueSpec => ({ t: 'arr', items })),
      );
    case 'object':
      return objectValue(type.fields, 3);
    case 'free':
      return fc.oneof(
        deepNesting().map((deep): ValueSpec => ({ t: 'obj', entries: [['nested', deep]] })),
        fc.array(fc.tuple(fc.constantFrom('__proto__', 'constructor', 'prototype', '', 'a'.repeat(300)), anyValue()), { minLength: 1, maxLength: 3 }).map(
          (entries): ValueSpec => ({ t: 'obj', entries }),
        ),
        fc.integer({ min: 100, max: 3_000 }).map((count): ValueSpec => ({ t: 'obj', entries: Array.from({ length: count }, (_, i) => [`k${i}`, lit(i)]) })),
        bigString().map((big): ValueSpec => ({ t: 'obj', entries: [['note', big]] })),
      );
    default: {
      const unreachable: never = type;
      throw new Error(`unknown field type ${JSON.stringify(unreachable)}`);
    }
  }
}

/** Anything a client could wrongly send in this field. */
export function mutantValue(type: FieldType): fc.Arbitrary<ValueSpec> {
  return fc.oneof({ weight: 2, arbitrary: typedMutant(type) }, { weight: 1, arbitrary: anyValue() });
}

/** A field's value: valid mostly (left out now and then when optional, null when nullable), mutated sometimes. */
export function fieldValue(field: Field, mutationWeight: number): fc.Arbitrary<ValueSpec> {
  const valid: fc.Arbitrary<ValueSpec>[] = [validValue(field.type)];
  if (!field.required) valid.push(fc.constant(OMIT));
  if (field.nullable) valid.push(fc.constant(lit(null)));
  const arms: fc.WeightedArbitrary<ValueSpec>[] = [{ weight: 10, arbitrary: fc.oneof(...valid) }];
  if (mutationWeight > 0) arms.push({ weight: mutationWeight, arbitrary: mutantValue(field.type) });
  if (mutationWeight > 0 && field.required) arms.push({ weight: 1, arbitrary: fc.constant(OMIT) });
  // Size is its own attack on text fields (what a server keeps per request, keyed by input, grows with it),
  // depth on free-form JSON (what is stored is read back by every later search).
  if (mutationWeight > 0 && field.type.kind === 'string') arms.push({ weight: 2, arbitrary: bigString() });
  if (mutationWeight > 0 && field.type.kind === 'free') {
    arms.push({ weight: 2, arbitrary: deepNesting().map((deep): ValueSpec => ({ t: 'obj', entries: [['nested', deep]] })) });
  }
  return fc.oneof(...arms);
}

const EXTRA_KEYS = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'id', 'user_id', 'role', 'is_admin', 'status', ''), fc.string({ maxLength: 12 }));

/** An object of `fields`, each valid or mutated, now and then with keys nobody asked for. */
export function objectValue(fields: Fields, mutationWeight: number): fc.Arbitrary<ValueSpec> {
  const names = Object.keys(fields);
  const values = names.map((name) => {
    const field = fields[name];
    if (!field) throw new Error(`no field ${name}`);
    return fieldValue(field, mutationWeight);
  });
  const none = fc.constant<[string, ValueSpec][]>([]);
  const extras =
    mutationWeight > 0 ? fc.oneof({ weight: 8, arbitrary: none }, { weight: 1, arbitrary: fc.array(fc.tuple(EXTRA_KEYS, anyValue()), { minLength: 1, maxLength: 3 }) }) : none;
  return fc.tuple(fc.tuple(...values), extras).map(([picked, extra]): ValueSpec => ({
    t: 'obj',
    entries: [...names.map((name, i): [string, ValueSpec] => [name, picked[i] ?? OMIT]), ...extra],
  }));
}
