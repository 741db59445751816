import type { ChatCounts, ChatTab, SourceType } from '../../../common/api';
import type { BridgeEvents, ChatListQuery, ChatRow, ChatStatusFilter } from '../../../common/bridge';
import { bridge } from './bridge-ref';
import { shownError } from './errors';
import { patchRows, replaceHead } from './merge-chats';
import type { ShownError, SliceCreator } from './types';

export type StatusChoice = ChatStatusFilter | 'any';

export interface ListQuery {
  tab: ChatTab;
  status: StatusChoice;
  sourceId: number | null;
  departmentId: number | null;
  search: string;
}

export const DEFAULT_QUERY: ListQuery = { tab: 'my', status: 'open', sourceId: null, departmentId: null, search: '' };

const PAGE = 50;
/** The largest page the engine serves; a refresh re-reads at most this many rows from the top. */
const PAGE_MAX = 200;
const REFRESH_DELAY_MS = 80;

export interface ListSlice {
  query: ListQuery;
  rows: ChatRow[];
  counts: ChatCounts;
  hasMore: boolean;
  cursor: string | null;
  listLoading: boolean;
  /** The first page for the current query has arrived. */
  listLoaded: boolean;
  listError: ShownError | null;
  /** The keyboard's place in the list (not necessarily the open chat). */
  selectedId: number | null;
  /** Sources and departments seen in chats, for the filters. */
  sources: Record<number, { id: number; name: string; type: SourceType }>;
  departments: Record<number, { id: number; name: string }>;
  setQuery(patch: Partial<ListQuery>): void;
  reloadList(options?: { refresh?: boolean }): Promise<void>;
  /** Asks the engine which sources and departments its chats have, for the filters. */
  harvestCatalog(): Promise<void>;
  loadMoreChats(): Promise<void>;
  chatsChanged(payload: BridgeEvents['chats.changed']): void;
  select(chatId: number | null): void;
  /** Moves the keyboard selection; returns the chat now selected. */
  moveSelection(delta: number): number | null;
}

function toRequest(query: ListQuery): ChatListQuery {
  const request: ChatListQuery = { tab: query.tab };
  if (query.status !== 'any') request.status = query.status;
  if (query.sourceId !== null) request.sourceId = query.sourceId;
  if (query.departmentId !== null) request.departmentId = query.departmentId;
  if (query.search.trim() !== '') request.search = query.search.trim();
  return request;
}

let listSeq = 0;
let loadingMore = false;
let refreshTimer: ReturnType<typeof setTimeout> | null = null;

export const createListSlice: SliceCreator<ListSlice> = (set, get) => {
  function noteCatalog(rows: readonly ChatRow[]): void {
    const { sources, departments } = get();
    let nextSources = sources;
    let nextDepartments = departments;
    for (const row of rows) {
      if (!nextSources[row.source.id]) nextSources = { ...nextSources, [row.source.id]: row.source };
      if (row.department && !nextDepartments[row.department.id]) nextDepartments = { ...nextDepartments, [row.department.id]: row.department };
    }
    if (nextSources !== sources || nextDepartments !== departments) set({ sources: nextSources, departments: nextDepartments });
  }

  return {
    query: DEFAULT_QUERY,
    rows: [],
    counts: { my: 0, unassigned: 0, all: 0 },
    hasMore: false,
    cursor: null,
    listLoading: false,
    listLoaded: false,
    listError: null,
    selectedId: null,
    sources: {},
    departments: {},

    setQuery(patch) {
      const query = { ...get().query, ...patch };
      set({ query, listLoaded: false });
      void get().reloadList();
    },

    async reloadList(options = {}) {
      const seq = ++listSeq;
      const { query, rows } = get();
      const refresh = options.refresh === true;
      const headSize = refresh ? Math.min(PAGE_MAX, Math.max(PAGE, rows.length)) : PAGE;
      set({ listLoading: true });
      try {
        const result = await bridge().invoke('chats.list', { ...toRequest(query), limit: headSize });
        if (seq !== listSeq) return;
        noteCatalog(result.rows);
        const keepTail = refresh && rows.length > headSize;
        const { selectedId } = get();
        // A new query puts the keyboard's place at its top, unless the chat it was on is still listed.
        const selection = refresh || result.rows.some((row) => row.id === selectedId) ? selectedId : (result.rows[0]?.id ?? null);
        set({
          selectedId: selection,
          rows: keepTail ? replaceHead(rows, result.rows, headSize) : result.rows,
          counts: result.counts,
          hasMore: keepTail ? get().hasMore : result.hasMore,
          cursor: keepTail ? get().cursor : result.nextCursor,
          listLoading: false,
          listLoaded: true,
          listError: null,
        });
      } catch (error) {
        if (seq !== listSeq) return;
        set({ listLoading: false, listLoaded: true, listError: shownError(error) });
      }
    },

    async harvestCatalog() {
      try {
        const { sources, departments } = await bridge().invoke('catalog.get', {});
        set({
          sources: { ...get().sources, ...Object.fromEntries(sources.map((source) => [source.id, source])) },
          departments: { ...get().departments, ...Object.fromEntries(departments.map((department) => [department.id, department])) },
        });
      } catch {
        // The filters fill from the list as it loads.
      }
    },

    async loadMoreChats() {
      const { hasMore, cursor, query } = get();
      if (!hasMore || loadingMore || cursor === null) return;
      // A reload started meanwhile replaces the rows this page would follow: then it is dropped.
      const seq = listSeq;
      loadingMore = true;
      try {
        const result = await bridge().invoke('chats.list', { ...toRequest(query), limit: PAGE_MAX, cursor });
        if (seq !== listSeq) return;
        noteCatalog(result.rows);
        const known = new Set(get().rows.map((row) => row.id));
        set({
          rows: [...get().rows, ...result.rows.filter((row) => !known.has(row.id))],
          counts: result.counts,
          hasMore: result.hasMore,
          cursor: result.nextCursor,
        });
      } catch (error) {
        if (seq === listSeq) set({ listError: shownError(error) });
      } finally {
        loadingMore = false;
      }
    },

    chatsChanged(payload) {
      noteCatalog(payload.chats);
      const { rows, openChatId } = get();
      const open = openChatId === null ? undefined : payload.chats.find((row) => row.id === openChatId);
      set({
        rows: patchRows(rows, payload.chats, payload.removedIds),
        unreadChats: payload.unreadChats,
        ...(open ? { openChatRow: open } : {}),
      });
      if (open?.lastMessage) get().catchUpOpenChat(open.lastMessage.id);
      // Membership and order depend on the filters the engine applies: re-read the head, once per burst.
      if (refreshTimer) clearTimeout(refreshTimer);
      refreshTimer = setTimeout(() => {
        refreshTimer = null;
        if (get().session) void get().reloadList({ refresh: true });
      }, REFRESH_DELAY_MS);
    },

    select(chatId) {
      set({ selectedId: chatId });
    },

    moveSelection(delta) {
      const { rows, selectedId, openChatId, hasMore } = get();
      if (rows.length === 0) return null;
      const from = Math.max(
        rows.findIndex((row) => row.id === selectedId),
        selectedId === null ? rows.findIndex((row) => row.id === openChatId) : -1,
      );
      const index = from === -1 ? (delta > 0 ? 0 : rows.length - 1) : Math.max(0, Math.min(rows.length - 1, from + delta));
      const row = rows[index];
      if (!row) return null;
      set({ selectedId: row.id });
      if (hasMore && index >= rows.length - 5) void get().loadMoreChats();
      return row.id;
    },
  };
};
