// A browser tab can vanish without a word (closed, crashed, laptop lid). The engine counts open
// chat views and trusts the pages' focus reports to decide on notifications, so when a page's
// socket closes, the desk takes back what that page still held: its open chats, and its focus.
import type { BridgeHandlers } from '../../common/bridge';
import type { PortEndpoint } from '../../common/bridge-port';
import { parseRequest } from '../../common/bridge-port';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Which connected pages last said they have the focus. */
export class FocusBook {
  private readonly focused = new Set<object>();

  report(page: object, focused: boolean): void {
    if (focused) this.focused.add(page);
    else this.focused.delete(page);
  }

  /** Forgets a page; true when it had the focus and no other page has it now. */
  forget(page: object): boolean {
    const had = this.focused.delete(page);
    return had && this.focused.size === 0;
  }
}

/** Watches one page's requests; returns the same port, for the bridge host. */
export function watchPage(port: PortEndpoint, handlers: BridgeHandlers, focus: FocusBook): PortEndpoint {
  const page = {};
  const openViews = new Map<number, number>();
  port.onMessage((data) => {
    const request = parseRequest(data);
    if (!request || !isRecord(request.args)) return;
    const { chatId } = request.args;
    if (request.name === 'chat.open' && typeof chatId === 'number') openViews.set(chatId, (openViews.get(chatId) ?? 0) + 1);
    else if (request.name === 'chat.leave' && typeof chatId === 'number') {
      const left = (openViews.get(chatId) ?? 0) - 1;
      if (left > 0) openViews.set(chatId, left);
      else openViews.delete(chatId);
    } else if (request.name === 'desk.focus') focus.report(page, request.args.focused === true);
  });
  port.onClose(() => {
    for (const [chatId, count] of openViews) {
      for (let i = 0; i < count; i++) void handlers['chat.leave']({ chatId }).catch(() => undefined);
    }
    openViews.clear();
    if (focus.forget(page)) void handlers['desk.focus']({ focused: false }).catch(() => undefined);
  });
  return port;
}
