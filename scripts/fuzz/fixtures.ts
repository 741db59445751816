// What the fuzzer knows about the server it started: whose tokens, which ids each caller may and may
// not see. Generators speak of "a chat the caller sees" and render it with these at send time.

/** The operators the fuzzer calls as; other token kinds (employee, deactivated, …) must be refused. */
export type Caller = 'admin' | 'mod' | 'mod2';

export interface Fixtures {
  url: string;
  host: string;
  port: number;
  /** `spare`: a valid admin token only ever sent inside malformed Authorization headers. */
  tokens: Record<Caller | 'employee' | 'deactivated' | 'revoked' | 'spare', string>;
  /** Valid tokens spent one each by logout, so the shared ones above stay valid. */
  disposable: Record<Caller, string[]>;
  userIds: Record<Caller | 'employee' | 'deactivated', number>;
  /** Chats the caller sees, which the fuzzer may change (close, transfer, write in). */
  writableChats: Record<Caller, number[]>;
  /** Chats the caller does not see; no valid request of the run touches them, so they stay unseen. */
  hiddenChats: Record<Caller, number[]>;
  attachments: { visible: Record<Caller, number[]>; hidden: Record<Caller, number[]> };
  cannedIds: number[];
  sourceIds: number[];
  departmentIds: number[];
  /** Made for the admin routes alone: a user, a source and a widget nothing else in the run relies on. */
  managed: { accountIds: number[]; sourceIds: number[]; widgetIds: number[] };
  webhookSecret: string;
  realtime: { appId: string; key: string; secret: string };
  /** A website visitor of the demo widget (its space), and a space of another widget it must not reach. */
  visitor: { widgetToken: string; spaceToken: string; spaceId: number; foreignSpaceToken: string; foreignSpaceId: number };
}
