import type { en, Plural } from './en';

export type MessageKey = keyof typeof en;

/** Every language has every key; a plural in English is a plural everywhere. */
export type Dictionary = { [K in MessageKey]: (typeof en)[K] extends string ? string : Plural };
